"""When the LMS retires a user account, the block forgets the username it kept.

A work keeps its author's username only so that staff views can name learners; a staff re-check
keeps the staff member's. The LMS's retirement pipeline sends USER_RETIRE_LMS_MISC and
USER_RETIRE_LMS_CRITICAL while the account still has its old username; the plugin app connects
both to `signals.forget_retired_user`, which calls `forget_username` (idempotent). From then on
staff see the learner's anonymous id; the anonymous id itself is not personal data of the LMS
(edx-submissions keeps it too).

Conversation posts (issue 11) name no person, but their free text is the learner's own words
and may say who they are: the free text of every post a retired learner wrote is emptied
(`text_removed`; a prepared phrase stays, it is the block's sentence), and so is the note of
every thanks or complaint they sent. A staff post keeps its
text and forgets its staff username, as a re-check does. The learner is found through the
username their work kept; a work whose username was never known cannot be matched here.
"""
from django.db import transaction
from django.db.models import Q

from ..models import Appeal, Message, Rating, Work
from .guard import guarded


@guarded
def forget_username(username: str) -> int:
    """Clear `username` from every work, staff re-check and staff post, and empty the text of the
    learner's posts; how many rows changed."""
    if not username:
        return 0
    with transaction.atomic():
        work_ids = list(Work.objects.filter(username=username).values_list("pk", flat=True))
        posts = Message.objects.filter(
            Q(sender=Message.AUTHOR, assignment__work_id__in=work_ids)
            | Q(sender=Message.REVIEWER, assignment__reviewer_id__in=work_ids)).exclude(
            text="", text_removed=True).update(text="", text_removed=True) if work_ids else 0
        notes = Rating.objects.filter(assignment__work_id__in=work_ids).exclude(note="").update(note="") \
            if work_ids else 0
        works = Work.objects.filter(pk__in=work_ids).update(username="")
        rechecks = Appeal.objects.filter(resolved_by=username).update(resolved_by="")
        staff_posts = Message.objects.filter(staff_username=username).update(staff_username="")
        settlements = Rating.objects.filter(settled_by=username).update(settled_by="")
    return works + rechecks + posts + staff_posts + notes + settlements
