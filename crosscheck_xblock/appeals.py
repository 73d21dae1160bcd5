"""Appeals and staff re-checks (A4, F4): the service layer beside `api.py`.

A learner whose grade came from their reviewers, and whose link did not change after the
deadline (S3), may appeal within the task's appeal window, naming the checklist items they
dispute. Staff see the appeals ordered by how far the scores of the work disagree, and re-check
the work with the same checklist; the re-check replaces the grade (written to the gradebook
with edx-submissions `set_score`), and every reviewer, and the author's self-check, further than
the task's threshold from it is warned. Staff may also re-check a work nobody appealed (A4: the
works with the largest spreads first), which is also how a work without reviews gets its grade.

What a learner sees names nobody: their reviewers stay "Reviewer N", the works they reviewed
"Work N", and the re-check comes from "course staff".
"""
from collections import defaultdict
from datetime import datetime

from django.db import IntegrityError, transaction
from submissions import api as submissions_api

from . import analytics, api, grading_rules, sanitize, schedule
from .errors import CrossCheckError
from .models import Appeal, Grade, LearnerWarning, LinkChange, Task, Work
from .scoring import round_half_up
from .scoring.grading import format_points

MAX_REASON_LENGTH = 5_000
# How many unappealed works the staff list offers for a re-check, largest spread first.
CANDIDATES = 10

_threshold = grading_rules.threshold  # the task's outlier threshold, a share of the maximum (one reading)
_points = format_points
_name = analytics.staff_name  # staff see usernames (else the anonymous id)  # points as people write them: 72.5, 80 (not 80.0)


def appeal_deadline(task: Task) -> datetime | None:
    """When this task's appeals close (None: not graded yet, or appeals are off)."""
    return schedule.appeal_deadline(api.task_timeline(task), task.completed_at)


# ---------------------------------------------------------------- the learner's side

def _why_not(task: Task, work: Work, grade: Grade | None, appeal: Appeal | None, now: datetime,
             late_change: bool) -> tuple[str, str]:
    """("", "") when this learner may appeal now, else (code, sentence saying why not)."""
    if not api.task_timeline(task).appeal_window:
        return "appeals_off", "This task takes no appeals."
    if task.status != Task.COMPLETED or grade is None:
        return "not_graded", "Appeals open once the grades are published."
    if appeal is not None:
        return "already_appealed", "You have already appealed this grade."
    if grade.status != Grade.GRADED or grade.points is None:
        return ("not_appealable",
                "Your grade is 0 because you did not finish your reviews, so there is nothing to appeal."
                if grade.status == Grade.REVIEWS_UNFINISHED else
                "Your work received no reviews: course staff grade it themselves, no appeal is needed.")
    if late_change:
        return ("late_link_change", "You changed your link after the deadline, so this grade cannot be "
                                    "appealed (you were told so when you changed it).")
    deadline = appeal_deadline(task)
    if deadline is not None and now > deadline:
        return "appeal_closed", f"Appeals closed on {schedule.format_datetime(deadline)}."
    return "", ""


def _recheck_json(appeal: Appeal, grade: Grade | None) -> dict | None:
    if appeal.status != Appeal.RESOLVED:
        return None
    return {"total": appeal.recheck_total, "items": appeal.recheck_items or {},
            "item_comments": appeal.recheck_item_comments, "comment": appeal.recheck_comment,
            "checklist_version": appeal.checklist_version.number if appeal.checklist_version_id else None,
            "previous_points": appeal.previous_points,
            "points": grade.points if grade is not None else None,
            "resolved_at": schedule.format_datetime(appeal.resolved_at)}


def learner_part(task: Task, student_id: str | None, now: datetime) -> dict:
    """The learner's appeal (what they may do, what they sent, the re-check) and warnings, the
    part of the learner's state (api.learner_state) this module owns. A few small queries.
    """
    work = Work.objects.filter(task=task, student_id=student_id).first() if student_id else None
    if work is None:
        return {"appeal": None, "warnings": []}
    grade = Grade.objects.filter(work=work).first()
    appeal = Appeal.objects.filter(work=work).select_related("checklist_version").first()
    warnings = [{"kind": w.kind, "message": w.message, "created_at": schedule.format_datetime(w.created_at)}
                for w in LearnerWarning.objects.filter(work=work)]
    if grade is None and appeal is None:
        return {"appeal": None, "warnings": warnings}
    late = LinkChange.objects.filter(work=work, after_deadline=True).exists()
    code, why_not = _why_not(task, work, grade, appeal, now, late)
    if code == "appeals_off" and appeal is None:
        return {"appeal": None, "warnings": warnings}
    deadline = appeal_deadline(task)
    return {"appeal": {
        "open": not code, "why_not": why_not, "code": code,
        "deadline": schedule.format_datetime(deadline),
        "submitted": None if appeal is None else {
            "origin": appeal.origin, "status": appeal.status, "reason": appeal.reason,
            "items": appeal.items, "created_at": schedule.format_datetime(appeal.created_at),
            "recheck": _recheck_json(appeal, grade)},
    }, "warnings": warnings}


def _checked_items(task: Task, items: object) -> list[str]:
    scored = [item.id for item in api.task_checklist(task).scored_items]
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise CrossCheckError("Name at least one checklist item whose points you dispute (`items`: a list "
                              "of item ids).", "bad_appeal_items")
    unknown = [i for i in items if i not in scored]
    if unknown:
        raise CrossCheckError(f"There is no scored item “{unknown[0]}” in the checklist.", "unknown_item")
    return [i for i in scored if i in set(items)]  # checklist order, each once


def submit_appeal(task: Task, student_id: str | None, reason: object, items: object, now: datetime) -> Appeal:
    """Appeal the learner's grade (A4, F4): `reason` in words, `items` the disputed item ids.

    Raises CrossCheckError: 400 for a bad reason or items, 403 without a work, 409 when the
    learner may not appeal now (see `_why_not`). Nothing is written then.
    """
    work = Work.objects.filter(task=task, student_id=student_id).first() if student_id else None
    if work is None:
        raise CrossCheckError("Only a learner who submitted a work can appeal its grade.", "no_submission", 403)
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON_LENGTH:
        raise CrossCheckError(f"Say why the grade is wrong: a reason of 1 to {MAX_REASON_LENGTH} characters.",
                              "bad_reason")
    items = _checked_items(task, items)
    grade = Grade.objects.filter(work=work).first()
    late = LinkChange.objects.filter(work=work, after_deadline=True).exists()
    code, why_not = _why_not(task, work, grade, Appeal.objects.filter(work=work).first(), now, late)
    if code:
        raise CrossCheckError(why_not, code, 409)
    try:
        with transaction.atomic():
            return Appeal.objects.create(work=work, origin=Appeal.LEARNER, status=Appeal.PENDING,
                                         reason=reason.strip(), items=items, created_at=now)
    except IntegrityError as err:  # a second click raced the first: one appeal per work
        raise CrossCheckError("You have already appealed this grade.", "already_appealed", 409) from err


# ---------------------------------------------------------------- the staff side

def _spread(totals: list[float]) -> float | None:
    return round(max(totals) - min(totals), 4) if len(totals) > 1 else None


def staff_appeals(task: Task, now: datetime) -> dict:
    """The appeals for staff: waiting ones first, the largest spread first (A4), then the settled
    ones, newest first; and the unappealed works with the largest spreads, to re-check on staff's
    own initiative. A fixed number of queries however many works and appeals there are.
    """
    works = {work.pk: work for work in task.works.all()}
    reviews = defaultdict(list)
    for review in grading_rules.latest_reviews(task):
        reviews[review.work_id].append(review)
    checks = grading_rules.latest_self_checks(task)
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task=task)}
    late = set(LinkChange.objects.filter(work__task=task, after_deadline=True).values_list("work_id", flat=True))
    appeals = list(Appeal.objects.filter(work__task=task).select_related("checklist_version"))
    warned = defaultdict(list)
    for warning in LearnerWarning.objects.filter(appeal__in=appeals):
        warned[warning.appeal_id].append({"learner": _name(works[warning.work_id]), "kind": warning.kind,
                                          "message": warning.message})
    titles = {item.id: sanitize.plain_text(item.text) for item in api.task_checklist(task).scored_items}

    def spread(work_id):
        totals = [review.total for review in reviews.get(work_id, [])]
        if work_id in checks:
            totals.append(checks[work_id])
        return _spread(totals)

    def row(work_id: int) -> dict:
        work, grade = works[work_id], grades.get(work_id)
        return {"work_id": work_id, "learner": _name(work), "url": work.url,
                "self_check": checks.get(work_id), "spread": spread(work_id),
                "reviews": [{"reviewer": r.number, "reviewer_learner": _name(works[r.reviewer_id]),
                             "total": r.total} for r in reviews.get(work_id, [])],
                "late_link_change": work_id in late,
                "grade": None if grade is None else {"status": grade.status, "points": grade.points,
                                                     "max": grade.max_points}}

    listed = []
    for appeal in appeals:
        listed.append({**row(appeal.work_id), "origin": appeal.origin, "status": appeal.status,
                       "reason": appeal.reason, "created_at": schedule.format_datetime(appeal.created_at),
                       "items": [{"id": i, "title": titles.get(i, i)} for i in appeal.items],
                       "recheck": _recheck_json(appeal, grades.get(appeal.work_id)),
                       "resolved_by": appeal.resolved_by, "warnings": warned.get(appeal.pk, [])})
    pending = sorted((a for a in listed if a["status"] == Appeal.PENDING),
                     key=lambda a: (-(a["spread"] or 0), a["created_at"]))
    resolved = sorted((a for a in listed if a["status"] == Appeal.RESOLVED),
                      key=lambda a: a["recheck"]["resolved_at"], reverse=True)
    appealed = {appeal.work_id for appeal in appeals}
    candidates = sorted((work_id for work_id, grade in grades.items()
                         if work_id not in appealed and grade.status != Grade.REVIEWS_UNFINISHED),
                        key=lambda work_id: (grades[work_id].points is not None, -(spread(work_id) or 0)))
    deadline = appeal_deadline(task)
    return {"appeals": pending + resolved, "pending": len(pending),
            "candidates": [row(work_id) for work_id in candidates[:CANDIDATES]],
            "can_recheck": task.status == Task.COMPLETED,
            "deadline": schedule.format_datetime(deadline),
            "threshold": _threshold(task), "max_score": api._max_score(task)}  # pylint: disable=protected-access


def _work_of(task: Task, work_id: object) -> Work:
    if isinstance(work_id, bool) or not isinstance(work_id, int):
        raise CrossCheckError("Say which work to re-check (`work_id`, a number from the staff list).", "bad_work")
    work = Work.objects.filter(task=task, pk=work_id).first()
    if work is None:
        raise CrossCheckError("There is no such work in this cross-check.", "unknown_work", 404)
    return work


def staff_recheck(task: Task, work_id: object, form: object, staff: str, now: datetime) -> dict:
    """Settle an appeal, or re-check a work on staff's initiative, with the task's checklist.

    The re-check total replaces the grade and goes to the gradebook (`set_score`) in the same
    transaction; reviewers and the author's self-check further than the threshold from it are
    warned (A4, F4). Re-checking again corrects the previous re-check and replaces its warnings.
    """
    work = _work_of(task, work_id)
    if task.status != Task.COMPLETED:
        raise CrossCheckError("A re-check replaces a published grade: complete the cross-check first.",
                              "not_graded", 409)
    fields = api._checked_form(task, form, allow_best_work=False)  # pylint: disable=protected-access
    with transaction.atomic():
        grade = Grade.objects.select_for_update().filter(work=work).first()
        if grade is None:
            raise CrossCheckError("This work has no grade to replace yet.", "not_graded", 409)
        if grade.status == Grade.REVIEWS_UNFINISHED:
            raise CrossCheckError("This learner did not finish their reviews, so their grade stays 0 (A7).",
                                  "reviews_unfinished", 409)
        appeal = Appeal.objects.select_for_update().filter(work=work).first()
        if appeal is None:
            appeal = Appeal(work=work, origin=Appeal.STAFF, status=Appeal.PENDING, created_at=now)
        if appeal.status != Appeal.RESOLVED:
            appeal.previous_points = grade.points  # the grade before any re-check
        appeal.status, appeal.resolved_at, appeal.resolved_by = Appeal.RESOLVED, now, staff
        appeal.recheck_items, appeal.recheck_item_comments = fields["items"], fields["item_comments"]
        appeal.recheck_comment, appeal.recheck_total = fields["comment"], fields["total"]
        appeal.checklist_version = fields["checklist_version"]
        appeal.save()

        points = round_half_up(fields["total"])
        grade.status, grade.exact_points, grade.points = Grade.GRADED, fields["total"], points
        grade.detail = {**grade.detail, "recheck": {"total": fields["total"],
                                                    "previous_points": appeal.previous_points}}
        submissions_api.set_score(work.submission_uuid, points, grade.max_points)
        grade.score_written = True
        grade.save(update_fields=["status", "exact_points", "points", "detail", "score_written"])

        LearnerWarning.objects.filter(appeal=appeal).delete()
        warnings = _recheck_warnings(task, work, appeal, grade.max_points, now)
        LearnerWarning.objects.bulk_create(warnings)
    return {"message": f"The grade of {_name(work)} is now {points} of {grade.max_points}"
                       + ("" if appeal.previous_points is None else f" (it was {appeal.previous_points})")
                       + f"; {len(warnings)} warning{'s' if len(warnings) != 1 else ''} given.",
            "points": points, "previous_points": appeal.previous_points, "warnings": len(warnings)}


def _recheck_warnings(task: Task, work: Work, appeal: Appeal, max_score: int, now: datetime) -> list:
    """The warnings a re-check gives (A4, F4): each reviewer, and the author's self-check, whose
    total is more than the threshold away from the re-check's."""
    limit = _threshold(task) * max_score
    result = appeal.recheck_total
    base = {"task": task, "appeal": appeal, "created_at": now}
    why = (f"more than {_points(limit)} points apart (the task's limit is {_points(_threshold(task) * 100)} % "
           f"of the maximum)")
    warnings = []
    for review in grading_rules.latest_reviews(task, [work.pk]):
        if abs(review.total - result) > limit:
            warnings.append(LearnerWarning(
                work_id=review.reviewer_id, kind=LearnerWarning.APPEAL_REVIEW,
                message=(f"Course staff re-checked Work {review.position}, which you reviewed: your review "
                         f"gave {_points(review.total)} of {max_score}, the re-check {_points(result)}, "
                         f"{why}. Please review more carefully against the checklist."),
                detail={"work_id": work.pk, "review_total": review.total, "recheck_total": result,
                        "limit": limit}, **base))
    self_check = grading_rules.latest_self_checks(task, [work.pk]).get(work.pk)
    if self_check is not None and abs(self_check - result) > limit:
        warnings.append(LearnerWarning(
            work=work, kind=LearnerWarning.APPEAL_SELF_CHECK,
            message=(f"Course staff re-checked your work: your self-check gave {_points(self_check)} of "
                     f"{max_score}, the re-check {_points(result)}, {why}. Check your own work as "
                     "strictly as a reviewer would."),
            detail={"work_id": work.pk, "self_check": self_check, "recheck_total": result, "limit": limit},
            **base))
    return warnings


def pending_count(task: Task) -> int:
    """How many appeals wait for a re-check (for the staff overview)."""
    return Appeal.objects.filter(work__task=task, status=Appeal.PENDING).count()
