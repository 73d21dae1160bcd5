"""Community re-checks of appealed works by the course's top reviewers (issue 12, B4).

Course staff may ask some of the course's top reviewers (by the reviewer rating, F3) to re-check
a work whose appeal waits: staff pick the appeal and the reviewers (never the work's author);
each reviewer sees the request on the block's page — the work's link, the items the author
disputes and the checklist — and fills the checklist, again if they like, while the appeal
waits. Staff see every community re-check beside the appeal and still decide with their own
re-check (services/appeals.py). The reviewer never learns whose work it is; the author never
learns who re-checked it (the re-checks are for staff only).
"""
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction

from .. import schedule
from ..errors import BadRequest, Conflict, NotAllowed, NotFound
from ..i18n import N_, Text, gettext
from ..models import Appeal, CommunityRecheck
from . import reviewer_rating
from .guard import guarded
from .registry import TaskRef
from .reviews import check_form, is_token

MAX_REVIEWERS = 20
REQUEST_TITLE = N_("Appealed work %(n)s")


def _appeal(task: TaskRef, work_id: object) -> Appeal:
    if isinstance(work_id, bool) or not isinstance(work_id, int) or not 0 < work_id < 2 ** 63:
        raise BadRequest(gettext("Say which appealed work (`work_id`, a number from the staff list)."), "bad_work")
    appeal = Appeal.objects.select_related("work").filter(work__task_id=task.id, work_id=work_id).first()
    if appeal is None:
        raise NotFound(gettext("This work has no appeal."), "unknown_work")
    if appeal.status != Appeal.PENDING:
        raise Conflict(gettext("This appeal is settled already."), "recheck_closed")
    return appeal


@guarded
def top_reviewers(task: TaskRef, now: datetime, limit: int = 50) -> list[dict]:
    """The course's best reviewers by rating, for staff to pick from: anonymous id, username,
    rating (the highest first)."""
    rows = reviewer_rating.rated(task, now)
    return [{"student_id": row["student_id"], "learner": row["learner"], "rating": row["rating"]}
            for row in rows[:limit]]


@guarded
def staff_request_community_recheck(task: TaskRef, work_id: object, reviewers: object, staff: str,
                                    now: datetime) -> dict:
    """Ask these top reviewers (`reviewers`: anonymous ids from `staff_top_reviewers`) to re-check
    the appealed work; `{"requested": n, "already": m}`."""
    appeal = _appeal(task, work_id)
    if not isinstance(reviewers, list) or not reviewers or len(reviewers) > MAX_REVIEWERS or not all(
            isinstance(r, str) and r for r in reviewers):
        raise BadRequest(Text(N_("Pick 1 to %(max)s reviewers (`reviewers`: their ids from the list of top "
                                 "reviewers)."), {"max": MAX_REVIEWERS}).render(), "bad_reviewers")
    rated = {row["student_id"]: row["learner"] for row in reviewer_rating.rated(task, now)}
    chosen = list(dict.fromkeys(reviewers))
    if any(r not in rated for r in chosen):
        raise BadRequest(gettext("Only learners of the course with a reviewer rating can be asked."), "bad_reviewers")
    if appeal.work.student_id in chosen:
        raise BadRequest(gettext("The work's author cannot re-check their own work."), "own_work")
    requested = already = 0
    with transaction.atomic():
        existing = set(CommunityRecheck.objects.filter(appeal=appeal).values_list("reviewer", flat=True))
        for reviewer in chosen:
            if reviewer in existing:
                already += 1
                continue
            try:
                with transaction.atomic():
                    CommunityRecheck.objects.create(appeal=appeal, reviewer=reviewer, reviewer_name=rated[reviewer],
                                                    token=secrets.token_hex(12), requested_at=now, requested_by=staff)
                requested += 1
            except IntegrityError:  # a second click raced the first
                already += 1
    return {"requested": requested, "already": already}


def staff_part(appeal_ids: list[int]) -> dict[int, list[dict]]:
    """{appeal pk: its community re-checks for staff, with the reviewers' names} (one query)."""
    found = {}
    for row in CommunityRecheck.objects.filter(appeal_id__in=appeal_ids).order_by("requested_at", "id"):
        found.setdefault(row.appeal_id, []).append({
            "reviewer": row.reviewer_name or row.reviewer, "requested_at": schedule.format_datetime(row.requested_at),
            "requested_by": row.requested_by, "submitted_at": schedule.format_datetime(row.submitted_at),
            "total": row.total, "items": row.items, "item_comments": row.item_comments, "comment": row.comment})
    return found


def learner_part(task: TaskRef, student_id: str | None) -> list[dict]:
    """The re-checks this learner was asked for in this task (two queries; none for a visitor)."""
    if not student_id:
        return []
    rows = list(CommunityRecheck.objects.filter(appeal__work__task_id=task.id, reviewer=student_id)
                .select_related("appeal__work").order_by("requested_at", "id"))
    return [{"id": row.token, "title": Text(REQUEST_TITLE, {"n": number}).render(), "url": row.appeal.work.url,
             "disputed_items": row.appeal.items, "open": row.appeal.status == Appeal.PENDING,
             "submitted": None if row.submitted_at is None else {
                 "items": row.items, "item_comments": row.item_comments, "comment": row.comment,
                 "total": row.total, "submitted_at": schedule.format_minute(row.submitted_at)}}
            for number, row in enumerate(rows, start=1)]


@guarded
def submit_community_recheck(task: TaskRef, student_id: str | None, token: object, form: object,
                             now: datetime) -> None:
    """The reviewer's re-check (`form` like a review's, without the best-work mark), replacing an
    earlier one, while the appeal waits."""
    if not is_token(token):
        raise BadRequest(gettext("Say which re-check (`id`)."), "bad_review_id")
    fields = check_form(task, form, allow_best_work=False)
    with transaction.atomic():
        row = (CommunityRecheck.objects.select_for_update().select_related("appeal")
               .filter(token=token, appeal__work__task_id=task.id).first())
        if row is None or not student_id or row.reviewer != student_id:
            raise NotAllowed(gettext("This re-check was not asked of you."), "not_assigned")
        if row.appeal.status != Appeal.PENDING:
            raise Conflict(gettext("Course staff have settled this appeal: the re-check is closed."), "recheck_closed")
        row.items, row.item_comments, row.comment = fields["items"], fields["item_comments"], fields["comment"]
        row.total, row.checklist_version_id, row.submitted_at = fields["total"], fields["checklist_version_id"], now
        row.save()


def forget(username: str) -> int:
    """Retirement: forget a retired reviewer's (or staff member's) username on the re-checks."""
    return (CommunityRecheck.objects.filter(reviewer_name=username).update(reviewer_name="")
            + CommunityRecheck.objects.filter(requested_by=username).update(requested_by=""))
