"""Submitting a work (S1, S2, S3, S5): the learner's link, and every replacement of it."""
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from submissions import api as submissions_api

from .. import links, schedule
from ..errors import BadRequest, Conflict, NotAllowed
from ..i18n import N_, Text, gettext
from ..models import LinkChange, Work
from . import registry
from .guard import guarded
from .registry import TaskRef

ITEM_TYPE = "crosscheck"  # edx-submissions' item_type of our submissions
# A learner may replace their link this many times: enough to mend any broken link, not enough
# to flood the change history staff and the learner read.
MAX_LINK_CHANGES = 20


def student_item(task: TaskRef, student_id: str) -> dict:
    """The edx-submissions student item of a learner in this task."""
    return {"student_id": student_id, "course_id": task.course_id, "item_id": task.usage_key,
            "item_type": ITEM_TYPE}


@guarded
def submit_work(task: TaskRef, student_id: str | None, url: object, now: datetime,
                username: str = "", confirm_late: bool = False) -> None:
    """Submit or replace the learner's link (S1, S3).

    Before the deadline a learner submits and replaces freely. After it nobody submits a new
    work, but until the cross-check end a learner may replace their link: only with
    `confirm_late=True` (they were shown `schedule.LATE_CHANGE_WARNING`: the change forfeits the
    right to appeal), and the change is recorded (`LinkChange`, flagged after the deadline) for
    the learner and staff. Every replacement is recorded with its time and the old link.
    """
    if not student_id:
        raise NotAllowed(gettext("Sign in to submit your work."), "not_signed_in")
    if task.phase(now) != schedule.SUBMISSION:
        # Checked before the link, so a learner who cannot submit hears that first.
        has_work = Work.objects.filter(task_id=task.id, student_id=student_id).exists()
        _check_allowed(task, task.status, has_work, now, confirm_late)
    try:
        url = links.check_link(url, task.settings.submission_kind)
    except links.LinkError as err:
        raise BadRequest(str(err), "bad_link") from err

    with transaction.atomic():
        # Lock the task row: a concurrent start must see either this work or none of it.
        status = registry.lock_row(task).status
        work = Work.objects.filter(task_id=task.id, student_id=student_id).first()
        late = _check_allowed(task, status, work is not None, now, confirm_late)
        if late and work.url == url:
            return  # the same link again after the deadline: nothing changes, nothing is flagged
        changed = work is not None and work.url != url
        if changed and LinkChange.objects.filter(work=work).count() >= MAX_LINK_CHANGES:
            raise Conflict(Text(N_("You have replaced your link %(max)s times, the most a work allows. Ask "
                                   "course staff if it needs to change again."), {"max": MAX_LINK_CHANGES}).render(),
                           "too_many_link_changes")
        # Each version is an edx-submissions submission; the latest one is graded.
        submission = submissions_api.create_submission(student_item(task, student_id), {"url": url},
                                                       submitted_at=now)
        if work is None:
            Work.objects.create(task_id=task.id, student_id=student_id, url=url,
                                submission_uuid=submission["uuid"], submitted_at=now,
                                updated_at=now, username=username)
            return
        if changed:
            LinkChange.objects.create(work=work, old_url=work.url, new_url=url, changed_at=now,
                                      after_deadline=late)
        work.url, work.submission_uuid, work.updated_at = url, submission["uuid"], now
        work.username = username or work.username
        work.save(update_fields=["url", "submission_uuid", "updated_at", "username"])


def _check_allowed(task: TaskRef, status: str, has_work: bool, now: datetime, confirm_late: bool) -> bool:
    """S1/S3 for this learner now; True when it is a late replacement (after the deadline)."""
    phase = task.settings.phase(status, now)
    rule = schedule.submission_rule(phase, has_work)
    if rule == schedule.SUBMISSION_CLOSED:
        message = (gettext("Submission has not opened yet.") if phase == schedule.NOT_OPEN
                   else gettext("Submission is closed for this task."))
        raise Conflict(message, "submission_closed")
    if rule == schedule.LATE_REPLACE and not confirm_late:
        raise Conflict(gettext(schedule.LATE_CHANGE_WARNING) + " " + gettext("Confirm to replace the link anyway."),
                       "confirm_late_change")
    return rule == schedule.LATE_REPLACE


def link_changes(work_ids: list[int]) -> dict[int, list[dict]]:
    """{work id: [{old_url, new_url, changed_at, after_deadline}, …]} oldest first, in one query.

    For the learner's own state and the staff view (S3); a learner sees only their own work's.
    """
    changes = defaultdict(list)
    for change in LinkChange.objects.filter(work_id__in=work_ids):
        changes[change.work_id].append({
            "old_url": change.old_url, "new_url": change.new_url,
            "changed_at": schedule.format_datetime(change.changed_at),
            "after_deadline": change.after_deadline})
    return dict(changes)
