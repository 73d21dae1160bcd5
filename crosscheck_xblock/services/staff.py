"""What course staff see in the block: every learner's progress, the gradebook writes, and the
appeals to settle. Staff see usernames (services/names.py); learners never get these answers.
"""
from collections import defaultdict
from datetime import datetime

from .. import i18n, sanitize, schedule
from ..i18n import gettext
from ..models import Appeal, Assignment, Grade, LearnerWarning, LinkChange, Rating, Work
from . import appeals, community, extras, gradebook, latest, ratings, warnings
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .submissions import link_changes

# How many unappealed works the appeals list offers for a re-check, largest spread first.
CANDIDATES = 10


@guarded
def staff_overview(task: TaskRef, now: datetime) -> dict:
    """Progress of every learner (who submitted, reviews done, grade) for the staff view."""
    done, assigned, extra_done = defaultdict(int), defaultdict(int), defaultdict(int)
    received, reviewers, received_extra = defaultdict(int), defaultdict(int), defaultdict(int)
    for reviewer_id, work_id, submitted_at, extra in Assignment.objects.filter(task_id=task.id).values_list(
            "reviewer_id", "work_id", "submitted_at", "extra"):
        if not extra:  # the reviews each learner owes (A7) and each work was given at the start
            assigned[reviewer_id] += 1
            reviewers[work_id] += 1
            done[reviewer_id] += bool(submitted_at)
        elif submitted_at:  # D4: extra reviews taken and submitted
            extra_done[reviewer_id] += 1
            received_extra[work_id] += 1
        if submitted_at:
            received[work_id] += 1
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task_id=task.id)}
    works = list(Work.objects.filter(task_id=task.id).order_by("submitted_at", "pk"))
    changes = link_changes([work.pk for work in works])
    learners = []
    for work in works:
        grade = grades.get(work.pk)
        learners.append({
            "learner": staff_name(work),
            "url": work.url,
            "submitted_at": schedule.format_datetime(work.submitted_at),
            "updated_at": schedule.format_datetime(work.updated_at),
            # S3: every replaced link with its time; `late_link_change` forfeits the appeal.
            "link_changes": changes.get(work.pk, []),
            "late_link_change": any(change["after_deadline"] for change in changes.get(work.pk, [])),
            "reviews_done": done[work.pk],
            "reviews_assigned": assigned[work.pk],
            "reviews_received": received[work.pk],
            # D4: the work's reviewers from the start, and the extra reviews it got beyond them.
            "reviewers_assigned": reviewers[work.pk],
            "reviews_received_extra": received_extra[work.pk],
            "extra_reviews_done": extra_done[work.pk],
            "grade": None if grade is None else {
                "status": grade.status, "points": grade.points, "max": grade.max_points,
                "exact": grade.exact_points, "gradebook_error": grade.score_error or None},
        })
    phase = task.phase(now)
    timeline = task.settings.timeline
    too_late = (task.status == schedule.OPEN and timeline.review_due is not None
                and now >= timeline.review_due)
    return {
        "status": task.status,
        "phase": phase,
        "phase_text": gettext(schedule.STAFF_PHASE_TEXT[phase]),
        "submissions": len(learners),
        "reviewers_per_work": task.reviewers_per_work,
        "distribution_note": i18n.render(task.distribution_note),
        "distributed_at": schedule.format_datetime(task.distributed_at),
        "completed_at": schedule.format_datetime(task.completed_at),
        "dates": task.settings.public_dates(),
        "can_start": task.status == schedule.OPEN and not too_late,
        # Why "Start" is off for an open task: its end passed (starting would grade everyone 0).
        "start_blocked": (gettext("The cross-check end has passed without a start: move the cross-check end "
                          "in Studio and publish, then start it.") if too_late else ""),
        # `grading`: a gradebook write was interrupted; completing again finishes it.
        "can_complete": task.status in (schedule.DISTRIBUTED, schedule.GRADING),
        "gradebook": _gradebook(task),
        # For the Appeals tab's badge before the tab is opened.
        "appeals_pending": Appeal.objects.filter(work__task_id=task.id, status=Appeal.PENDING).count(),
        "complaints_pending": Rating.objects.filter(assignment__task_id=task.id, kind=Rating.COMPLAINT,
                                                    status=Rating.PENDING).count(),
        "learners": learners,
        # D4: works lacking reviews now and over the review period.
        "extra_pool": extras.staff_part(task, now),
    }


def _gradebook(task: TaskRef) -> dict:
    """How many grades reached the gradebook, and every write that failed and waits for a retry."""
    state = gradebook.counts(task.id)
    return {"written": state["written"],
            "failed": [{"learner": staff_name(grade.work), "error": grade.score_error,
                        "attempts": grade.score_attempts,
                        "retry_at": schedule.format_datetime(grade.score_retry_at)}
                       for grade in state["failed"]]}


def _spread(totals: list[float]) -> float | None:
    return round(max(totals) - min(totals), 4) if len(totals) > 1 else None


@guarded
def staff_appeals(task: TaskRef, now: datetime) -> dict:  # noqa: ARG001 - as every read model
    """The appeals for staff: waiting ones first, the largest spread first (A4), then the settled
    ones, newest first; and the unappealed works with the largest spreads, to re-check on staff's
    own initiative. A fixed number of queries however many works and appeals there are.
    """
    works = {work.pk: work for work in Work.objects.filter(task_id=task.id)}
    reviews = defaultdict(list)
    for review in latest.latest_reviews(task):
        reviews[review.work_id].append(review)
    checks = latest.latest_self_checks(task)
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task_id=task.id)}
    late = set(LinkChange.objects.filter(work__task_id=task.id, after_deadline=True)
               .values_list("work_id", flat=True))
    listed_appeals = list(Appeal.objects.filter(work__task_id=task.id).select_related("checklist_version"))
    warned = defaultdict(list)
    for warning in LearnerWarning.objects.filter(appeal__in=listed_appeals):
        warned[warning.appeal_id].append({"learner": staff_name(works[warning.work_id]), "kind": warning.kind,
                                          "message": warnings.warning_text(warning.kind, warning.detail)})
    titles = {item.id: sanitize.plain_text(item.text) for item in task.settings.checklist.scored_items}

    def spread(work_id):
        totals = [review.total for review in reviews.get(work_id, [])]
        if work_id in checks:
            totals.append(checks[work_id])
        return _spread(totals)

    def row(work_id: int) -> dict:
        work, grade = works[work_id], grades.get(work_id)
        return {"work_id": work_id, "learner": staff_name(work), "url": work.url,
                "self_check": checks.get(work_id), "spread": spread(work_id),
                "reviews": [{"reviewer": r.number, "reviewer_learner": staff_name(works[r.reviewer_id]),
                             "total": r.total} for r in reviews.get(work_id, [])],
                "late_link_change": work_id in late,
                "grade": None if grade is None else {"status": grade.status, "points": grade.points,
                                                     "max": grade.max_points}}

    asked = community.staff_part([appeal.pk for appeal in listed_appeals])
    listed = []
    for appeal in listed_appeals:
        listed.append({**row(appeal.work_id), "origin": appeal.origin, "status": appeal.status,
                       "reason": appeal.reason, "created_at": schedule.format_datetime(appeal.created_at),
                       "items": [{"id": i, "title": titles.get(i, i)} for i in appeal.items],
                       "recheck": appeals.recheck_json(appeal, grades.get(appeal.work_id)),
                       "resolved_by": appeal.resolved_by, "warnings": warned.get(appeal.pk, []),
                       "community": asked.get(appeal.pk, [])})
    pending = sorted((a for a in listed if a["status"] == Appeal.PENDING),
                     key=lambda a: (-(a["spread"] or 0), a["created_at"]))
    resolved = sorted((a for a in listed if a["status"] == Appeal.RESOLVED),
                      key=lambda a: a["recheck"]["resolved_at"], reverse=True)
    appealed = {appeal.work_id for appeal in listed_appeals}
    candidates = sorted((work_id for work_id, grade in grades.items()
                         if work_id not in appealed and grade.status != Grade.REVIEWS_UNFINISHED),
                        key=lambda work_id: (grades[work_id].points is not None, -(spread(work_id) or 0)))
    deadline = appeals.appeal_deadline(task)
    complaints = ratings.staff_complaints(task, works, spread, titles)
    return {"appeals": pending + resolved, "pending": len(pending),
            "complaints": complaints,
            "complaints_pending": sum(1 for c in complaints if c["status"] == Rating.PENDING),
            "candidates": [row(work_id) for work_id in candidates[:CANDIDATES]],
            "can_recheck": task.status == schedule.COMPLETED,
            "deadline": schedule.format_datetime(deadline),
            "threshold": task.settings.threshold, "max_score": task.settings.max_score}
