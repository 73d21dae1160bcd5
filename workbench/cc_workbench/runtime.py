"""xblock-sdk's workbench runtime, with what our block needs of a real Open edX runtime.

- On every render and handler call xblock-sdk's runtime sets `block.due = utcnow()` (and a few
  other attributes) for legacy blocks such as the LTI consumer, and the handler then saves the
  block. The cross-check block has a real `due` field (the submission deadline, T2), so for
  blocks that declare `due` this runtime sets the other attributes and leaves `due` alone. Each
  attribute is set on its own: one a block protects with a read-only property (edx-ora2's
  `course_id`) is skipped, so other XBlocks, ora2 among them, run in this workbench too.
- The installed aside types are looked up once per process, not on every render: XBlock's
  runtime scans every installed package's entry points for them on each render (a third of a
  learner page's time here, for ora2's page as for ours), where the LMS, its asides being off by
  default (XBlockAsidesConfig), skips the lookup.
- Author mode, as in Studio and its preview: the user `studio` (`?student=studio`) sees the
  block as Studio shows it (`author_view`, and `student_view` as Studio's preview renders it).
"""
import functools
import logging
from datetime import UTC, datetime, timedelta
from unittest.mock import Mock

from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import SCENARIOS
from xblock.core import XBlockAside

from workbench import views

log = logging.getLogger(__name__)
STUDIO_USER = "studio"


def scenario_of(usage_id: str, block_type: str = "crosscheck") -> str:
    """The name of the scenario whose page shows a block (`crosscheck.0`, the /scenario/… of its
    URL). Its usage id begins with the slug of the scenario's description instead
    (`cross-check-demo-12-learners-submitted.crosscheck.d0.u0`), which is the name only for
    scenarios added by name and description alike (the tests'): that is the fallback. It reads the
    scenarios loaded so far and never loads them itself (loading them again would reset the
    workbench's stored field values)."""
    for name, scenario in list(SCENARIOS.items()):
        if scenario.usage_id == usage_id:
            return name
    return usage_id.split(f".{block_type}.")[0]


class CrossCheckWorkbenchRuntime(WorkbenchRuntime):
    """The workbench runtime that keeps a block's own `due` field and knows author mode."""

    @property
    def is_author_mode(self) -> bool:
        """True for the workbench's Studio user, as Studio's runtimes say for course authors."""
        return self.user_id == STUDIO_USER

    @staticmethod
    def studio_url(block) -> str:
        """The block's editor in the workbench."""
        return f"/scenario/{scenario_of(str(block.scope_ids.usage_id))}/studio_view/?student=staff"

    def applicable_aside_types(self, block):  # noqa: ARG002 - XBlock's signature
        """The installed aside types, as XBlock's runtime lists them, looked up once."""
        return list(_installed_aside_types())

    def _patch_xblock(self, block):
        """xblock-sdk's patch of the attributes legacy blocks (the LTI consumer) expect of the LMS,
        one attribute at a time: a block that protects one of them with a read-only property
        (edx-ora2's `course_id`: "property 'course_id' … has no setter") keeps it and still gets
        the others, and its render or handler call goes on. `due` is set only for blocks without
        a `due` field of their own (ours is the submission deadline, T2)."""
        location = Mock(html_id=Mock(return_value="course-v1:edX+Demo+2020"))
        patch = {"location": location, "course_id": location.html_id(),
                 "graceperiod": timedelta(seconds=0), "category": "chapter"}
        if "due" not in getattr(block, "fields", {}):
            patch["due"] = datetime.now(UTC).replace(tzinfo=None)  # naive, as xblock-sdk's utcnow()
        for name, value in patch.items():
            try:
                setattr(block, name, value)
            except AttributeError:
                log.debug("workbench: %s protects %s; left as the block has it", type(block).__name__, name)


@functools.cache
def _installed_aside_types() -> tuple[str, ...]:
    # Entry points do not change while the process runs.
    return tuple(aside_type for aside_type, _cls in XBlockAside.load_classes())


def install() -> None:
    """Make the workbench's views build this runtime (they name the class at module level)."""
    views.WorkbenchRuntime = CrossCheckWorkbenchRuntime
