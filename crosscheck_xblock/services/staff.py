"""What course staff see in the block: every learner's progress, the gradebook writes, and the
appeals to settle. Staff see usernames (services/names.py); learners never get these answers.
"""
from collections import defaultdict
from datetime import datetime

from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf

from .. import i18n, sanitize, schedule
from ..i18n import gettext
from ..models import Appeal, Assignment, Grade, LearnerWarning, LinkChange, Rating, Work
from . import appeals, community, extras, gradebook, latest, paging, ratings, warnings
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .submissions import link_changes

# How many unappealed works the appeals list offers for a re-check, largest spread first.
CANDIDATES = 10


# The columns the table sorts by, each an SQL ordering of the task's works; the work's id breaks
# ties, so a page never shows a row twice nor skips one.
SORTS = ("learner", "url", "submitted_at", "updated_at", "reviews_done", "reviews_received", "grade")
DEFAULT_SORT = "submitted_at"


def _count(**conditions):
    """The number of the task's assignments matching `conditions` about the outer work: a plain
    `(SELECT COUNT(*) …)` per work, no GROUP BY, which the database answers from an index."""
    rows = (Assignment.objects.filter(**conditions).order_by()
            .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n"))
    return Subquery(rows, output_field=IntegerField())


def _sort_key(sort: str):
    """The SQL expression a column sorts by (None where the column is a plain field)."""
    if sort == "learner":  # as staff_name shows it: the username, else the anonymous id
        return Lower(Coalesce(NullIf("username", Value("")), "student_id"))
    if sort == "reviews_done":  # the learner's own assigned reviews submitted
        return _count(reviewer=OuterRef("pk"), extra=False, submitted_at__isnull=False)
    if sort == "reviews_received":  # every submitted review of the work, extra ones included
        return _count(work=OuterRef("pk"), submitted_at__isnull=False)
    if sort == "grade":
        return F("grade__points")
    return F(sort)


def _page_of_works(task: TaskRef, query: dict) -> tuple[list[Work], int, int]:
    """(the page's works in order, how many works match the search, the page number shown).

    Sorting, searching and the page's slice happen in the database (ORDER BY … LIMIT/OFFSET), so a
    page costs the same queries with 12 works and with 10,000. The search matches the learner as
    staff see them (staff_name: the username, else the anonymous id), ignoring case (SQLite's LIKE
    folds ASCII letters only; MariaDB's collation folds every letter).
    """
    works = Work.objects.filter(task_id=task.id)
    if query["search"]:
        needle = query["search"]
        works = works.filter(Q(username__icontains=needle) | Q(username="", student_id__icontains=needle))
    total = works.count()
    page, start, _pages = paging.page_bounds(query, total)
    key = _sort_key(query["sort"])
    # Empty grades last both ways, as the page's own tables put empty cells.
    ordered = key.desc(nulls_last=True) if query["order"] == "desc" else key.asc(nulls_last=True)
    tie = "-pk" if query["order"] == "desc" else "pk"
    return list(works.order_by(ordered, tie)[start:start + query["per_page"]]), total, page


def _learner_rows(task: TaskRef, works: list[Work]) -> list[dict]:
    """The staff table's rows of `works` (three queries, whatever their number)."""
    ids = [work.pk for work in works]
    done, assigned, extra_done = defaultdict(int), defaultdict(int), defaultdict(int)
    received, reviewers, received_extra = defaultdict(int), defaultdict(int), defaultdict(int)
    rows = (Assignment.objects.filter(task_id=task.id).filter(Q(reviewer_id__in=ids) | Q(work_id__in=ids))
            .values_list("reviewer_id", "work_id", "submitted_at", "extra"))
    for reviewer_id, work_id, submitted_at, extra in rows:
        if not extra:  # the reviews each learner owes (A7) and each work was given at the start
            assigned[reviewer_id] += 1
            reviewers[work_id] += 1
            done[reviewer_id] += bool(submitted_at)
        elif submitted_at:  # D4: extra reviews taken and submitted
            extra_done[reviewer_id] += 1
            received_extra[work_id] += 1
        if submitted_at:
            received[work_id] += 1
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work_id__in=ids)}
    changes = link_changes(ids)
    learners = []
    for work in works:
        grade = grades.get(work.pk)
        learners.append({
            "learner": staff_name(work),
            "work_id": work.pk,
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
    return learners


@guarded
def staff_overview(task: TaskRef, now: datetime, data: dict | None = None) -> dict:
    """Progress of the learners for the staff view (who submitted, reviews done, grade): one page
    of the table (`data`: see paging.page_query; the first 50 by submission time unless asked) and
    the task's totals. A fixed number of queries however many works the task has."""
    query = paging.page_query(data, SORTS, DEFAULT_SORT)
    works, total, page = _page_of_works(task, query)
    learners = _learner_rows(task, works)
    submissions = total if not query["search"] else Work.objects.filter(task_id=task.id).count()
    phase = task.phase(now)
    timeline = task.settings.timeline
    too_late = (task.status == schedule.OPEN and timeline.review_due is not None
                and now >= timeline.review_due)
    return {
        "status": task.status,
        "phase": phase,
        "phase_text": gettext(schedule.STAFF_PHASE_TEXT[phase]),
        "submissions": submissions,
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
        # The page's rows; `total` of them match the search (all the works without one).
        "learners": learners,
        **paging.page_fields(query, page, total, SORTS),
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
