"""When the LMS retires a user account, the block forgets the username it kept.

A work keeps its author's username only so that staff views can name learners; a staff re-check
keeps the staff member's. The LMS's retirement pipeline sends USER_RETIRE_LMS_MISC and
USER_RETIRE_LMS_CRITICAL while the account still has its old username; the plugin app connects
both to `signals.forget_retired_user`, which calls `forget_username` (idempotent). From then on
staff see the learner's anonymous id; the anonymous id itself is not personal data of the LMS
(edx-submissions keeps it too).
"""
from django.db import transaction

from ..models import Appeal, Work
from .guard import guarded


@guarded
def forget_username(username: str) -> int:
    """Clear `username` from every work and staff re-check; how many rows changed."""
    if not username:
        return 0
    with transaction.atomic():
        works = Work.objects.filter(username=username).update(username="")
        rechecks = Appeal.objects.filter(resolved_by=username).update(resolved_by="")
    return works + rechecks
