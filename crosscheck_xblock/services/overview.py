"""The learner's course overview (issue 13, S4): every cross-check block of a course in one list.

It reads the course's settings copies (`Task.config`, one query) and the learner's own rows only:
their works with their grades (one query) and the counts of their assigned reviews (one query;
extra reviews, D4, are not assigned ones, as in the block's progress), so it
costs three queries whatever the number of tasks (tests/handlers/test_course_overview.py). It runs
no automatic step: a task whose start has come but that nobody opened since shows the phase its
stored status gives (`waiting`), as the block's header would before its own view starts it.

Newest first: by the submission deadline (else the cross-check start, else when submission opens,
else when the task row was made), the task made later first on a tie. Another learner appears
nowhere: the answer has the caller's numbers and the tasks' own settings only.
"""
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count

from .. import schedule
from ..errors import NotAllowed
from ..i18n import gettext
from ..models import Assignment, Notice, Task, Work
from .guard import guarded
from .task_settings import TaskSettings


@guarded
def course_overview(course_id: str, student_id: str | None, now: datetime,
                    unit_url: Callable[[str], str]) -> dict:
    """`{"tasks": [...]}`: each cross-check of the course with its title, phase (and its text),
    the next date, whether the learner submitted, their reviews done of assigned, their grade,
    the link to its unit (`unit_url(usage_key)`) and whether it is open for submission."""
    if not student_id:
        raise NotAllowed(gettext("Sign in to see your cross-checks."), "not_signed_in")
    tasks = list(Task.objects.filter(course_id=course_id)
                 .only("id", "usage_key", "config", "status", "created_at"))
    works = {work.task_id: work for work in Work.objects.filter(task__course_id=course_id, student_id=student_id)
             .select_related("grade")}
    # The assigned reviews, as the block's progress counts them: extra ones (D4) are not assigned.
    counts = {row["reviewer_id"]: row for row in
              Assignment.objects.filter(reviewer__task__course_id=course_id, reviewer__student_id=student_id,
                                        extra=False)
              .values("reviewer_id").annotate(assigned=Count("id"), done=Count("submitted_at")).order_by()}
    # Issue 14: the learner's unread notices per task, for the badge beside each title.
    unread = dict(Notice.objects.filter(task__course_id=course_id, student_id=student_id, read_at__isnull=True)
                  .values("task_id").annotate(n=Count("id")).order_by().values_list("task_id", "n"))
    rows = []
    for task in tasks:
        settings = TaskSettings.from_config(task.config or {})
        work = works.get(task.id)
        row = _row(task, settings, work, counts.get(work.pk) if work else None, now, unit_url)
        row["unread_notices"] = unread.get(task.id, 0)
        rows.append((_newness(settings.timeline, task), task.id, row))
    rows.sort(key=lambda row: (row[0], row[1]), reverse=True)
    return {"tasks": [row for _key, _id, row in rows]}


@guarded
def course_has_tasks(course_id: str) -> bool:
    """True when the course has a cross-check block someone opened or the course published (the
    course tab shows only then)."""
    return Task.objects.filter(course_id=course_id).exists()


def _newness(timeline: schedule.Timeline, task: Task) -> datetime:
    return timeline.submission_due or timeline.review_start or timeline.opens or task.created_at


def _row(task: Task, settings: TaskSettings, work: Work | None, counts: dict | None, now: datetime,
         unit_url: Callable[[str], str]) -> dict:
    phase = settings.phase(task.status, now)
    grade = _grade(work)
    return {
        "title": settings.display_name,
        "phase": phase,
        "phase_text": gettext(schedule.PHASE_TEXT[phase]),
        "next_date": schedule.format_datetime(schedule.next_date(phase, settings.timeline)) or None,
        "submitted": work is not None,
        "reviews_done": counts["done"] if counts else 0,
        "reviews_assigned": counts["assigned"] if counts else 0,
        "grade": grade,
        "url": unit_url(task.usage_key),
        "open_for_submission": phase == schedule.SUBMISSION,
    }


def _grade(work: Work | None) -> dict | None:
    """The learner's grade in the task (as the block's header shows it), or None before grading."""
    if work is None:
        return None
    try:
        grade = work.grade
    except ObjectDoesNotExist:
        return None
    return {"status": grade.status, "points": grade.points, "max": grade.max_points}
