"""xblock-sdk's workbench runtime, minus one habit that would clobber our block's deadline.

On every render and handler call xblock-sdk's runtime sets `block.due = utcnow()` (and a few
other attributes) for legacy blocks such as the LTI consumer, and the handler then saves the
block. The cross-check block has a real `due` field (the submission deadline, T2), so for blocks
that declare `due` this runtime sets the other attributes and leaves `due` alone.
"""
from datetime import timedelta
from unittest.mock import Mock

from workbench import views
from workbench.runtime import WorkbenchRuntime


class CrossCheckWorkbenchRuntime(WorkbenchRuntime):
    """The workbench runtime that keeps a block's own `due` field."""

    def _patch_xblock(self, block):
        if "due" not in getattr(block, "fields", {}):
            super()._patch_xblock(block)
            return
        # xblock-sdk's patch without its `block.due = datetime.utcnow()`.
        block.location = Mock(html_id=Mock(return_value="course-v1:edX+Demo+2020"))
        block.course_id = block.location.html_id()
        block.graceperiod = timedelta(seconds=0)
        block.category = "chapter"


def install() -> None:
    """Make the workbench's views build this runtime (they name the class at module level)."""
    views.WorkbenchRuntime = CrossCheckWorkbenchRuntime
