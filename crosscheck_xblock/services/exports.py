"""CSV downloads for staff: one row per work (grades), one row per review version (reviews),
one row per learner of the course as a reviewer (reviewer ratings).

Every field is quoted, and a text cell that a spreadsheet would run as a formula (=, +, -, @, a
tab or a carriage return at the start) gets a leading apostrophe, so learner text stays text.
grades and reviews are read CHUNK works at a time and can be answered as a stream of pieces
(`grades_stream`, `reviews_stream`), so an export of 10,000 works never holds all its rows.
The header row is in the reader's language; with `keys=True` it is the stable column names
(for scripts), which never change. The columns' order is the same either way.
"""
import csv
import io
import itertools
from datetime import datetime

from django.db.models import Count, Q

from .. import schedule
from ..i18n import N_, gettext
from ..models import Grade, Review, Work
from . import latest, reviewer_rating
from .guard import guarded
from .names import staff_name
from .registry import TaskRef

REVIEW_COLUMNS = ["work_id", "author", "work_url", "reviewer_number", "reviewer", "version",
                  "latest", "submitted_at", "total", "best_work", "comment"]
GRADE_COLUMNS = ["work_id", "learner", "work_url", "submitted_at", "self_check", "reviews_received",
                 "status", "points", "exact_points", "max_points", "policy"]
RATING_COLUMNS = ["learner", "student_id", "rating", "reviews", "compared_reviews", "agreement", "bias",
                  "scatter", "due_reviews", "on_time_reviews", "on_time", "thanks", "complaints_upheld",
                  "extra_reviews", "blocks"]
# Each column's heading for people (msgids, worded in the reader's language).
HEADINGS = {
    "work_id": N_("Work id"), "author": N_("Author"), "work_url": N_("Link to the work"),
    "reviewer_number": N_("Reviewer number"), "reviewer": N_("Reviewer"), "version": N_("Version"),
    "latest": N_("Latest version"), "submitted_at": N_("Submitted at (UTC)"), "total": N_("Total points"),
    "best_work": N_("Marked as best work"), "comment": N_("Comment"), "learner": N_("Learner"),
    "self_check": N_("Self-check points"), "reviews_received": N_("Reviews received"),
    "status": N_("Grade status"), "points": N_("Grade"), "exact_points": N_("Exact grade"),
    "max_points": N_("Maximum score"), "policy": N_("Grading policy"),
    "student_id": N_("Anonymous id"), "rating": N_("Reviewer rating (0 to 100)"),
    "reviews": N_("Reviews done"), "compared_reviews": N_("Reviews compared with other reviewers"),
    "agreement": N_("Agreement as counted (0 to 1)"),
    "bias": N_("Bias (points out of 100)"), "scatter": N_("Scatter (points out of 100)"),
    "due_reviews": N_("Reviews due"), "on_time_reviews": N_("Reviews finished on time"),
    "on_time": N_("On-time share, as counted (0 to 1)"), "thanks": N_("Reviews thanked"),
    "complaints_upheld": N_("Reviews with a complaint upheld"), "extra_reviews": N_("Extra reviews"),
    "blocks": N_("Cross-checks reviewed in"),
    "marks": N_("Marked as best by reviewers"), "added_by_staff": N_("Added by staff"), "removed": N_("Removed"),
    "thanked": N_("Author thanked"), "in_gallery": N_("In the gallery"),
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# How many works an export reads at a time (services/exports.py streams grades and reviews).
CHUNK = 500


def _cell(value):
    """A spreadsheet must not run learner text as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_header(columns: list[str], keys: bool) -> str:
    """The header row: translated, or the stable `columns` names."""
    return csv_text(columns, [], keys)


def _csv_lines(rows) -> str:
    """Rows as CSV lines, every cell hardened."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def csv_text(columns: list[str], rows, keys: bool) -> str:
    """The rows as CSV with a header row (translated, or the stable `columns` names), every cell hardened."""
    return (_csv_lines([columns if keys else [gettext(HEADINGS[column]) for column in columns]])
            + _csv_lines(rows))


def csv_stream(columns: list[str], chunks, keys: bool):
    """The CSV as text pieces: the header row first, then one piece per chunk of rows. The header
    is worded here, in the reader's language: the runtime reads the rest after the handler's
    translation is over. For an export that must not hold every row at once (10,000 works)."""
    return itertools.chain([csv_header(columns, keys)], (_csv_lines(rows) for rows in chunks))


def _work_chunks(task: TaskRef, order: tuple[str, str]):
    """The task's works in `order` (a field, then "pk"), CHUNK at a time: keyset paging, one query
    per chunk, so no chunk query grows with the task and no more than CHUNK works are held."""
    field = order[0]
    works = Work.objects.filter(task_id=task.id).order_by(*order).only(
        "pk", "task_id", "student_id", "username", "url", "submitted_at")
    last = None
    while True:
        page = works
        if last is not None and field == "pk":
            page = works.filter(pk__gt=last.pk)
        elif last is not None:  # after the last one: a later value, or the same one and a later id
            page = works.filter(Q(**{f"{field}__gt": getattr(last, field)})
                                | Q(**{field: getattr(last, field), "pk__gt": last.pk}))
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        yield chunk
        if len(chunk) < CHUNK:
            return
        last = chunk[-1]


def _review_rows(run: list, work: Work) -> list[list]:
    """The rows of one review's versions, oldest first (the last is the latest)."""
    return [[work.pk, staff_name(work), work.url, number, reviewer_username or reviewer_student_id, version,
             version == len(run), schedule.format_datetime(created_at), total, best_work, comment]
            for version, (_assignment, _work, number, reviewer_username, reviewer_student_id, created_at, total,
                          best_work, comment) in enumerate(run, start=1)]


def _review_chunks(task: TaskRef):
    """Rows of the reviews export, the reviews of CHUNK works at a time (two queries a chunk).

    The versions of one review are consecutive (by work, reviewer number, time), so "latest" is
    the last of each run, and a chunk holds every version of its works' reviews. The reviews are
    read as plain values (no model objects, their checklists left unread): 40,000 of them.
    """
    for works in _work_chunks(task, ("pk", "pk")):
        by_id = {work.pk: work for work in works}
        # The reviewer as staff_name shows them: the username, else the anonymous id.
        reviews = (Review.objects.filter(assignment__work_id__in=list(by_id))
                   .order_by("assignment__work_id", "assignment__reviewer_number", "created_at", "id")
                   .values_list("assignment_id", "assignment__work_id", "assignment__reviewer_number",
                                "assignment__reviewer__username", "assignment__reviewer__student_id",
                                "created_at", "total", "best_work", "comment"))
        rows, run = [], []
        for review in reviews:
            if run and run[-1][0] != review[0]:
                rows += _review_rows(run, by_id[run[-1][1]])
                run = []
            run.append(review)
        yield rows + (_review_rows(run, by_id[run[-1][1]]) if run else [])


@guarded
def reviews_csv(task: TaskRef, keys: bool = False) -> str:
    """Every version of every review of the task, one row each."""
    return "".join(reviews_stream(task, keys))


@guarded
def reviews_stream(task: TaskRef, keys: bool = False):
    """reviews_csv as text pieces, read CHUNK works at a time (two queries a chunk). The pieces
    after the header are read when the runtime reads the answer, past the guard."""
    return csv_stream(REVIEW_COLUMNS, _review_chunks(task), keys)


def _grade_chunks(task: TaskRef):
    """Rows of the grades export, CHUNK works at a time (four queries a chunk)."""
    settings = task.settings
    for works in _work_chunks(task, ("submitted_at", "pk")):
        ids = [work.pk for work in works]
        self_checks = latest.latest_self_checks(task, ids)
        # Reviews received: the assignments with a submitted version (each counts once, as its
        # latest version does), counted in SQL, their checklists left unread.
        received = dict(Review.objects.filter(assignment__work_id__in=ids).order_by()
                        .values("assignment__work_id").annotate(n=Count("assignment_id", distinct=True))
                        .values_list("assignment__work_id", "n"))
        grades = {grade.work_id: grade for grade in Grade.objects.filter(work_id__in=ids).defer("detail")}
        rows = []
        for work in works:
            grade = grades.get(work.pk)
            rows.append([work.pk, staff_name(work), work.url, schedule.format_datetime(work.submitted_at),
                         self_checks.get(work.pk), received.get(work.pk, 0),
                         grade.status if grade else "", grade.points if grade else None,
                         grade.exact_points if grade else None,
                         grade.max_points if grade else settings.max_score,
                         grade.policy if grade else settings.grading_policy])
        yield rows


@guarded
def grades_csv(task: TaskRef, keys: bool = False) -> str:
    """One row per work: the latest self-check, reviews received and the grade."""
    return "".join(grades_stream(task, keys))


@guarded
def grades_stream(task: TaskRef, keys: bool = False):
    """grades_csv as text pieces, read CHUNK works at a time (four queries a chunk). The pieces
    after the header are read when the runtime reads the answer, past the guard."""
    return csv_stream(GRADE_COLUMNS, _grade_chunks(task), keys)


@guarded
def reviewer_ratings_csv(task: TaskRef, now: datetime, keys: bool = False) -> str:
    """One row per learner of the task's course: their rating as a reviewer and its parts, the
    shares as they count in the rating, so the rating can be recomputed from a row (five queries;
    see services/reviewer_rating.py)."""
    rows = []
    for row in reviewer_rating.course_ratings(task, now):
        parts = row["components"]
        rows.append([row["learner"], row["student_id"], row["rating"], row["reviews"],
                     parts["compared_reviews"], parts["agreement"], parts["bias"], parts["scatter"],
                     parts["due_reviews"], parts["on_time_reviews"], parts["on_time"], parts["thanks"],
                     parts["complaints_upheld"], parts["extra_reviews"], len(row["tasks"])])
    return csv_text(RATING_COLUMNS, rows, keys)
