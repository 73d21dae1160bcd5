"""A user service giving the workbench what the LMS's gives: anonymous id, staff flag, username."""
import hashlib

from django.conf import settings
from xblock.reference.user_service import UserService, XBlockUser


def anonymous_id(username: str) -> str:
    """A stable stand-in for the LMS's course-specific anonymous user id (32 hex characters)."""
    return hashlib.sha256(f"crosscheck-workbench:{username}".encode()).hexdigest()[:32]


class WorkbenchUserService(UserService):
    """Reads the current workbench user (`?student=NAME`) from the runtime it is attached to."""

    runtime = None  # set by the workbench runtime after construction

    def __init__(self, **kwargs):
        super().__init__(user=None, **kwargs)

    def get_current_user(self):
        """The XBlockUser for `?student=NAME`; users listed in CROSSCHECK_STAFF_USERS are staff."""
        name = str(getattr(self.runtime, "user_id", None) or "student_1")
        user = XBlockUser(is_current_user=True, emails=[f"{name}@example.com"], full_name=name)
        user.opt_attrs.update({
            "edx-platform.username": name,
            "edx-platform.anonymous_user_id": anonymous_id(name),
            "edx-platform.user_is_staff": name in getattr(settings, "CROSSCHECK_STAFF_USERS", set()),
            "xblock-workbench.user_id": name,
        })
        return user
