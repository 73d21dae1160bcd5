"""Every touch of the surrounding platform (LMS, Studio, workbench), in one place.

The LMS's user service exposes the learner's anonymous id and staff status as optional
attributes of the current user; the workbench gets the same from our workbench settings.
"""
from dataclasses import dataclass

from django.conf import settings

ANONYMOUS_ID = "edx-platform.anonymous_user_id"
IS_STAFF = "edx-platform.user_is_staff"
USERNAME = "edx-platform.username"


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the block: the anonymous id scores and works are keyed by."""

    student_id: str | None
    username: str
    is_staff: bool


def current_viewer(block) -> Viewer:
    """The person behind the current request, as far as the runtime tells."""
    service = block.runtime.service(block, "user")
    user = service.get_current_user() if service else None
    attrs = getattr(user, "opt_attrs", {}) or {}
    student_id = attrs.get(ANONYMOUS_ID) or getattr(block.runtime, "anonymous_student_id", None)
    return Viewer(
        student_id=str(student_id) if student_id else None,
        username=str(attrs.get(USERNAME) or ""),
        is_staff=bool(attrs.get(IS_STAFF, False)),
    )


def usage_key(block) -> str:
    """The block's usage key as a string: the task's identity and edx-submissions' item_id."""
    return str(block.scope_ids.usage_id)


def course_id(block) -> str:
    """The course key; the workbench has no courses, so a setting names a stand-in one."""
    key = getattr(block.scope_ids.usage_id, "context_key", None)
    if key is not None:
        return str(key)
    return getattr(settings, "CROSSCHECK_FALLBACK_COURSE_ID", "course-v1:Workbench+CrossCheck+Demo")
