"""A user service giving the workbench what the LMS's gives: anonymous id, staff flag, username.

Who the user is comes from `?student=NAME`:
- `staff` (any name in CROSSCHECK_STAFF_USERS) is course staff;
- `anonymous` (or xblock-sdk's `none`, used by its unauthenticated handler URL) is a visitor
  who is not signed in;
- `staff-as-alice` is `staff` viewing the course as the learner `alice` (the LMS's "view as a
  specific learner"): the page is alice's, and, as in the LMS, the Django user handed to the
  service is alice's with the staff member's own user as its `real_user`;
- `studio` is a course author in Studio (the runtime is then in author mode; runtime.py).
The course overview page of the plugin (no runtime there) reads `?student=` the same way
(platform.py).
"""
import hashlib
from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from xblock.reference.user_service import UserService, XBlockUser

ANONYMOUS_USERS = {"anonymous", "none"}
MASQUERADE = "-as-"


def anonymous_id(username: str) -> str:
    """A stable stand-in for the LMS's course-specific anonymous user id (32 hex characters)."""
    return hashlib.sha256(f"crosscheck-workbench:{username}".encode()).hexdigest()[:32]


def link_query(raw_name: str) -> str:
    """`?student=NAME`: what a workbench link carries so the page it opens is the same person's."""
    return "?" + urlencode({"student": raw_name})


def _is_staff(name: str) -> bool:
    return name in getattr(settings, "CROSSCHECK_STAFF_USERS", set())


class WorkbenchUserService(UserService):
    """Reads the current workbench user (`?student=NAME`) from the runtime it is attached to."""

    runtime = None  # set by the workbench runtime after construction

    def __init__(self, **kwargs):
        super().__init__(user=None, **kwargs)

    def _names(self) -> tuple[str, str | None]:
        """(the learner whose page it is, the staff member viewing it as them or None)."""
        name = str(getattr(self.runtime, "user_id", None) or "student_1")
        real, _, learner = name.partition(MASQUERADE)
        if learner and _is_staff(real):
            return learner, real
        return name, None

    @property
    def _django_user(self):
        """Stands in for edx-platform's Django user: masquerading, it carries `real_user`."""
        name, real = self._names()
        user = SimpleNamespace(username=name)
        if real is not None:
            user.real_user = SimpleNamespace(username=real)
        return user

    def get_current_user(self):
        """The XBlockUser for `?student=NAME` (see the module's docstring)."""
        name, _real = self._names()
        if name in ANONYMOUS_USERS:
            user = XBlockUser(is_current_user=True)
            user.opt_attrs["edx-platform.is_authenticated"] = False
            return user
        user = XBlockUser(is_current_user=True, emails=[f"{name}@example.com"], full_name=name)
        user.opt_attrs.update({
            "edx-platform.is_authenticated": True,
            "edx-platform.username": name,
            "edx-platform.anonymous_user_id": anonymous_id(name),
            "edx-platform.user_is_staff": _is_staff(name),
            # The LMS gives the numeric user id; the workbench's users are their names.
            "edx-platform.user_id": name,
            "xblock-workbench.user_id": name,
            # Links to this person's other pages (the course overview's) keep who they are.
            "xblock-workbench.link_query": link_query(str(getattr(self.runtime, "user_id", None) or name)),
        })
        return user


def course_enrollments(_course_id: str) -> list[str]:
    """The workbench's stand-in for the LMS's course enrolments (compat.course_enrollments, via the
    setting CROSSCHECK_ENROLLMENTS): the demo's learners, as anonymous ids. The workbench has one
    stand-in course, so the course id does not matter."""
    from .demo import LEARNERS  # noqa: PLC0415 - the demo imports the block's services

    return [anonymous_id(name) for name in LEARNERS]


def user_keys(_course_id: str, student_ids: list[str]) -> dict[str, str]:
    """The workbench's stand-in for the LMS's anonymous id → user lookup (compat.user_keys, via the
    setting CROSSCHECK_USER_KEYS): the demo's learners and staff, each as `user:<name>` (the
    workbench's users are their names). Another ?student= name gets in-app notices only."""
    from .demo import LEARNERS  # noqa: PLC0415 - the demo imports the block's services

    names = set(LEARNERS) | set(getattr(settings, "CROSSCHECK_STAFF_USERS", set()))
    wanted = set(student_ids)
    return {anonymous_id(name): f"user:{name}" for name in names if anonymous_id(name) in wanted}
