"""The workbench's stand-ins for what the plugin's course pages ask the LMS (compat.py names the
protocol; the setting CROSSCHECK_PLATFORM_STANDINS points here).

The workbench has no sessions or courses: its user is `?student=NAME` (services.py's rules:
`staff`, `anonymous`, `staff-as-alice` …), every block is in the one stand-in course
(CROSSCHECK_FALLBACK_COURSE_ID), and a block's page is its scenario's page.
"""
from django.conf import settings

from crosscheck_xblock.compat import Viewer

from .runtime import scenario_of
from .services import ANONYMOUS_USERS, MASQUERADE, anonymous_id, link_query

DEFAULT_USER = "student_1"  # xblock-sdk's, when the URL names nobody


def course_viewer(request, course_id: str) -> Viewer | None:  # noqa: ARG001 - one course here
    """The person `?student=NAME` names, as the LMS's session would give them; None for a visitor."""
    raw = request.GET.get("student", DEFAULT_USER) or DEFAULT_USER
    staff_users = getattr(settings, "CROSSCHECK_STAFF_USERS", set())
    real, _, learner = raw.partition(MASQUERADE)
    masquerading = bool(learner) and real in staff_users
    name = learner if masquerading else raw
    if name in ANONYMOUS_USERS:
        return None
    return Viewer(student_id=anonymous_id(name), username=name, is_staff=name in staff_users,
                  masquerading=masquerading, link_query=link_query(raw))


def request_user_key(request) -> str | None:
    """`user:NAME` for the person `?student=NAME` names (the key the stand-in user service gives a
    block's request, see services.py), None for a visitor."""
    viewer = course_viewer(request, "")
    return f"user:{viewer.username}" if viewer is not None else None


def unit_url(usage_key: str, course_id: str) -> str:  # noqa: ARG001 - one course here
    """The block's scenario page (the LMS's jump_to link of a block stands for its unit)."""
    return f"/scenario/{scenario_of(usage_key)}/"


def course_home_url(course_id: str) -> str:  # noqa: ARG001 - one course here
    """The workbench's index, where its scenarios are listed."""
    return "/"


def login_url(request) -> None:  # noqa: ARG001 - the protocol's signature
    """None: the workbench signs nobody in; `?student=NAME` chooses the user."""
    return None
