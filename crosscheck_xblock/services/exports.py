"""CSV downloads for staff: one row per work (grades), one row per review version (reviews),
one row per learner of the course as a reviewer (reviewer ratings).

Every field is quoted, and a text cell that a spreadsheet would run as a formula (=, +, -, @, a
tab or a carriage return at the start) gets a leading apostrophe, so learner text stays text.
The header row is in the reader's language; with `keys=True` it is the stable column names
(for scripts), which never change. The columns' order is the same either way.
"""
import csv
import io
from collections import defaultdict
from datetime import datetime

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


def _cell(value):
    """A spreadsheet must not run learner text as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def csv_text(columns: list[str], rows, keys: bool) -> str:
    """The rows as CSV with a header row (translated, or the stable `columns` names), every cell hardened."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(columns if keys else [gettext(HEADINGS[column]) for column in columns])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


@guarded
def reviews_csv(task: TaskRef, keys: bool = False) -> str:
    """Every version of every review of the task, one row each (one query)."""
    reviews = list(Review.objects.filter(assignment__task_id=task.id)
                   .select_related("assignment__work", "assignment__reviewer")
                   .order_by("assignment__work_id", "assignment__reviewer_number", "created_at", "id"))
    version_count = defaultdict(int)
    for review in reviews:
        version_count[review.assignment_id] += 1
    seen = defaultdict(int)
    rows = []
    for review in reviews:
        seen[review.assignment_id] += 1
        assignment = review.assignment
        rows.append([assignment.work_id, staff_name(assignment.work), assignment.work.url,
                     assignment.reviewer_number, staff_name(assignment.reviewer), seen[review.assignment_id],
                     seen[review.assignment_id] == version_count[review.assignment_id],
                     schedule.format_datetime(review.created_at), review.total, review.best_work,
                     review.comment])
    return csv_text(REVIEW_COLUMNS, rows, keys)


@guarded
def grades_csv(task: TaskRef, keys: bool = False) -> str:
    """One row per work: the latest self-check, reviews received and the grade (four queries)."""
    works = list(Work.objects.filter(task_id=task.id).order_by("submitted_at", "pk"))
    self_checks = latest.latest_self_checks(task)
    received = defaultdict(int)
    for review in latest.latest_reviews(task):
        received[review.work_id] += 1
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task_id=task.id)}
    settings = task.settings
    rows = []
    for work in works:
        grade = grades.get(work.pk)
        rows.append([work.pk, staff_name(work), work.url, schedule.format_datetime(work.submitted_at),
                     self_checks.get(work.pk), received[work.pk],
                     grade.status if grade else "", grade.points if grade else None,
                     grade.exact_points if grade else None,
                     grade.max_points if grade else settings.max_score,
                     grade.policy if grade else settings.grading_policy])
    return csv_text(GRADE_COLUMNS, rows, keys)


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
