"""Appeals and staff re-checks (A4, F4).

A learner whose grade came from their reviewers, and whose link did not change after the
deadline (S3), may appeal within the task's appeal window, naming the checklist items they
dispute. Staff re-check the work with the same checklist; the re-check replaces the grade
(written to the gradebook in the same transaction), and every reviewer, and the author's
self-check, further than the task's threshold from it is warned. Staff may also re-check a work
nobody appealed (A4), which is also how a work without reviews gets its grade.

What a learner sees names nobody: their reviewers stay "Reviewer N", the works they reviewed
"Work N", and the re-check comes from "course staff".
"""
from datetime import datetime

from django.db import IntegrityError, transaction

from .. import schedule
from ..errors import BadRequest, Conflict, NotFound
from ..i18n import N_, Text, gettext, plural_text
from ..models import Appeal, Grade, LearnerWarning, LinkChange, Work
from ..scoring import round_half_up
from . import gradebook, latest, ratings, registry, reviews
from .guard import guarded
from .names import staff_name
from .registry import TaskRef

MAX_REASON_LENGTH = 5_000
MAX_WORK_ID = 2 ** 63 - 1  # the largest primary key; a bigger JSON integer names no work


def appeal_deadline(task: TaskRef) -> datetime | None:
    """When this task's appeals close (None: not graded yet, or appeals are off)."""
    return schedule.appeal_deadline(task.settings.timeline, task.completed_at)


def why_not(task: TaskRef, grade: Grade | None, appeal: Appeal | None, late_change: bool,
            now: datetime, status: str | None = None) -> tuple[str, str]:
    """("", "") when this learner may appeal now, else (code, sentence saying why not).
    `status` is the task's status when it was read under a lock (default: the snapshot's)."""
    if not task.settings.timeline.appeal_window:
        return "appeals_off", gettext("This task takes no appeals.")
    if (status or task.status) != schedule.COMPLETED or grade is None:
        return "not_graded", gettext("Appeals open once the grades are published.")
    if appeal is not None:
        return "already_appealed", gettext("You have already appealed this grade.")
    if grade.status != Grade.GRADED or grade.points is None:
        return ("not_appealable",
                gettext("Your grade is 0 because you did not finish your reviews, so there is nothing to appeal.")
                if grade.status == Grade.REVIEWS_UNFINISHED else
                gettext("Your work received no reviews: course staff grade it themselves, no appeal is needed."))
    if late_change:
        return ("late_link_change", gettext("You changed your link after the deadline, so this grade cannot be "
                                    "appealed (you were told so when you changed it)."))
    deadline = appeal_deadline(task)
    if deadline is not None and now > deadline:
        return "appeal_closed", Text(N_("Appeals closed on %(date)s."), {"date": deadline}).render()
    return "", ""


def recheck_json(appeal: Appeal, grade: Grade | None) -> dict | None:
    """The staff re-check of an appeal as the learner and staff see it (None until it is done)."""
    if appeal.status != Appeal.RESOLVED:
        return None
    return {"total": appeal.recheck_total, "items": appeal.recheck_items or {},
            "item_comments": appeal.recheck_item_comments, "comment": appeal.recheck_comment,
            "checklist_version": appeal.checklist_version.number if appeal.checklist_version_id else None,
            "previous_points": appeal.previous_points,
            "points": grade.points if grade is not None else None,
            "resolved_at": schedule.format_datetime(appeal.resolved_at)}


def _checked_items(task: TaskRef, items: object) -> list[str]:
    scored = [item.id for item in task.settings.checklist.scored_items]
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise BadRequest(gettext("Name at least one checklist item whose points you dispute (`items`: a list "
                         "of item ids)."), "bad_appeal_items")
    unknown = [i for i in items if i not in scored]
    if unknown:
        raise BadRequest(reviews.unknown_item(unknown[0]), "unknown_item")
    return [i for i in scored if i in set(items)]  # checklist order, each once


@guarded
def submit_appeal(task: TaskRef, student_id: str | None, reason: object, items: object,
                  now: datetime) -> None:
    """Appeal the learner's grade (A4, F4): `reason` in words, `items` the disputed item ids.

    Raises BadRequest for a bad reason or items, Conflict without a work, and Conflict when the
    learner may not appeal now (see `why_not`). Nothing is written then.
    """
    work = Work.objects.filter(task_id=task.id, student_id=student_id).first() if student_id else None
    if work is None:
        raise Conflict(gettext("Only a learner who submitted a work can appeal its grade."), "no_submission")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON_LENGTH:
        raise BadRequest(Text(N_("Say why the grade is wrong: a reason of 1 to %(max)s characters."),
                              {"max": MAX_REASON_LENGTH}).render(), "bad_reason")
    items = _checked_items(task, items)
    try:
        with transaction.atomic():
            status = registry.lock_status(task)
            grade = Grade.objects.filter(work=work).first()
            late = LinkChange.objects.filter(work=work, after_deadline=True).exists()
            code, sentence = why_not(task, grade, Appeal.objects.filter(work=work).first(), late, now,
                                     status=status)
            if code:
                raise Conflict(sentence, code)
            Appeal.objects.create(work=work, origin=Appeal.LEARNER, status=Appeal.PENDING,
                                  reason=reason.strip(), items=items, created_at=now)
    except IntegrityError as err:  # a second click raced the first: one appeal per work
        raise Conflict(gettext("You have already appealed this grade."), "already_appealed") from err


def _work_of(task: TaskRef, work_id: object) -> Work:
    if isinstance(work_id, bool) or not isinstance(work_id, int) or not 0 < work_id <= MAX_WORK_ID:
        raise BadRequest(gettext("Say which work to re-check (`work_id`, a number from the staff list)."), "bad_work")
    work = Work.objects.filter(task_id=task.id, pk=work_id).first()
    if work is None:
        raise NotFound(gettext("There is no such work in this cross-check."), "unknown_work")
    return work


@guarded
def staff_recheck(task: TaskRef, work_id: object, form: object, staff: str, now: datetime) -> dict:
    """Settle an appeal, or re-check a work on staff's initiative, with the task's checklist.

    The re-check total replaces the grade and goes to the gradebook in the same transaction
    (a failed write is retried later, as at grading); reviewers and the author's self-check
    further than the threshold from it are warned (A4, F4). Re-checking again corrects the
    previous re-check and replaces its warnings.
    """
    work = _work_of(task, work_id)
    not_graded = Conflict(gettext("A re-check replaces a published grade: complete the cross-check first."),
                          "not_graded")
    if task.status != schedule.COMPLETED:
        raise not_graded  # said before any problem of the form: nothing can be re-checked yet
    fields = reviews.check_form(task, form, allow_best_work=False)
    with transaction.atomic():
        if registry.lock_status(task) != schedule.COMPLETED:
            raise not_graded
        grade = Grade.objects.select_for_update().filter(work=work).first()
        if grade is None:
            raise Conflict(gettext("This work has no grade to replace yet."), "not_graded")
        if grade.status == Grade.REVIEWS_UNFINISHED:
            raise Conflict(gettext("This learner did not finish their reviews, so their grade stays 0 (A7)."),
                           "reviews_unfinished")
        appeal = Appeal.objects.select_for_update().filter(work=work).first()
        if appeal is None:
            appeal = Appeal(work=work, origin=Appeal.STAFF, status=Appeal.PENDING, created_at=now)
        if appeal.status != Appeal.RESOLVED:
            appeal.previous_points = grade.points  # the grade before any re-check
        appeal.status, appeal.resolved_at, appeal.resolved_by = Appeal.RESOLVED, now, staff
        appeal.recheck_items, appeal.recheck_item_comments = fields["items"], fields["item_comments"]
        appeal.recheck_comment, appeal.recheck_total = fields["comment"], fields["total"]
        appeal.checklist_version_id = fields["checklist_version_id"]
        appeal.save()

        points = round_half_up(fields["total"])
        grade.status, grade.exact_points, grade.points = Grade.GRADED, fields["total"], points
        grade.detail = {**grade.detail, "recheck": {"total": fields["total"],
                                                    "previous_points": appeal.previous_points}}
        grade.work = work
        grade.score_attempts = 0
        written = gradebook.write_score(grade, now)
        grade.save(update_fields=["status", "exact_points", "points", "detail", "score_written",
                                  "score_error", "score_attempts", "score_retry_at"])

        LearnerWarning.objects.filter(appeal=appeal).delete()
        warnings = _recheck_warnings(task, work, appeal, grade.max_points, now)
        LearnerWarning.objects.bulk_create(warnings)
        settled = ratings.settle_with_recheck(task, work, fields["items"], staff, now)
    count = len(warnings)
    values = {"learner": staff_name(work), "points": points, "max": grade.max_points,
              "before": appeal.previous_points}
    if appeal.previous_points is None:
        message = plural_text("The grade of %(learner)s is now %(points)s of %(max)s; %(n)s warning given.",
                              "The grade of %(learner)s is now %(points)s of %(max)s; %(n)s warnings given.",
                              count, values).render()
    else:
        message = plural_text("The grade of %(learner)s is now %(points)s of %(max)s (it was %(before)s); "
                              "%(n)s warning given.",
                              "The grade of %(learner)s is now %(points)s of %(max)s (it was %(before)s); "
                              "%(n)s warnings given.", count, values).render()
    if not written:
        message += " " + gettext("The gradebook could not be reached; the new grade is written to it as "
                                 "soon as it can be.")
    if settled:
        message += " " + plural_text("%(n)s complaint about its reviews was settled with it.",
                                     "%(n)s complaints about its reviews were settled with it.", settled).render()
    return {"message": message, "complaints_settled": settled,
            "points": points, "previous_points": appeal.previous_points, "warnings": count,
            "gradebook_written": written}


def _recheck_warnings(task: TaskRef, work: Work, appeal: Appeal, max_score: int,
                      now: datetime) -> list[LearnerWarning]:
    """The warnings a re-check gives (A4, F4): each reviewer, and the author's self-check, whose
    total is more than the threshold away from the re-check's. Stored as numbers (see
    services/warnings.py for the sentences)."""
    limit = task.settings.threshold * max_score
    result = appeal.recheck_total
    base = {"task_id": task.id, "appeal": appeal, "created_at": now}
    warnings = []
    for review in latest.latest_reviews(task, [work.pk]):
        if abs(review.total - result) > limit:
            warnings.append(LearnerWarning(
                work_id=review.reviewer_id, kind=LearnerWarning.APPEAL_REVIEW,
                detail={"work_id": work.pk, "work_position": review.position,
                        "review_total": review.total, "recheck_total": result, "limit": limit,
                        "max_score": max_score}, **base))
    self_check = latest.latest_self_checks(task, [work.pk]).get(work.pk)
    if self_check is not None and abs(self_check - result) > limit:
        warnings.append(LearnerWarning(
            work=work, kind=LearnerWarning.APPEAL_SELF_CHECK,
            detail={"work_id": work.pk, "self_check": self_check, "recheck_total": result,
                    "limit": limit, "max_score": max_score}, **base))
    return warnings
