"""Tasks built through the service layer, and checks that a step happened exactly once.

The tests here call `api` directly (no block, no modulestore), as the Celery tasks and the
cron command do: everything they need is in the Task row's settings copy.
"""
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from cc_workbench.models import GradebookEntry
from cc_workbench.services import anonymous_id
from crosscheck_xblock import api
from crosscheck_xblock.block import DEFAULT_CHECKLIST
from crosscheck_xblock.checklist import parse_checklist
from crosscheck_xblock.models import Assignment, Grade, Task
from submissions.models import Score

COURSE = "course-v1:Test+CrossCheck+Schedule"
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)  # the `clock` fixture's start
DEADLINE = T0 + timedelta(days=1)                        # = the cross-check start (T1)
END = T0 + timedelta(days=3)
CLOSES = END + timedelta(days=0.5)                       # end + adjustment: grading is due


def task_config(k: int = 3) -> dict:
    """A settings copy like block.task_config() gives: deadline, end, half a day to adjust."""
    return {"display_name": "Scheduled cross-check", "submission_kind": "any", "reviews_per_work": k,
            "max_score": 100, "grading_policy": "mean",
            "submission_due": DEADLINE.isoformat(), "review_start": "", "review_due": END.isoformat(),
            "adjustment_days": 0.5, "checklist": parse_checklist(DEFAULT_CHECKLIST).to_rs()}


def learners(n: int) -> list[str]:
    return [f"w{i:03d}" for i in range(n)]


def make_task(usage_key: str, n: int, k: int = 3) -> Task:
    """A task with `n` submitted works, the clock at T0 (submission open)."""
    task = api.sync_task(usage_key, COURSE, task_config(k))
    for name in learners(n):
        api.submit_work(task, anonymous_id(name), f"https://{name}.example.org/", T0, username=name)
    return task


def review_all(usage_key: str, now: datetime, skip: int = 1) -> None:
    """Every reviewer submits every review, except the first `skip` reviewers (they stay unfinished)."""
    task = api.get_task(usage_key)
    items = {item.id: 1.0 if item.type == "subtask" else 0 for item in api.task_checklist(task).scored_items}
    assignments = (Assignment.objects.filter(task=task).select_related("reviewer")
                   .order_by("reviewer__student_id", "position"))
    skipped = sorted({a.reviewer.student_id for a in assignments})[:skip]
    for assignment in assignments:
        if assignment.reviewer.student_id not in skipped:
            api.submit_review(task, assignment.reviewer.student_id, assignment.token,
                              {"items": items, "comment": "ok"}, now)


def assert_distributed_once(usage_key: str, n: int, k: int) -> None:
    """One distribution: n·k assignments, k each way, nobody reviews themselves."""
    task = Task.objects.get(usage_key=usage_key)
    assert task.status in (Task.DISTRIBUTED, Task.GRADING, Task.COMPLETED)
    rows = list(Assignment.objects.filter(task=task).values_list("reviewer_id", "work_id"))
    assert len(rows) == n * k
    assert all(reviewer != work for reviewer, work in rows)
    assert set(Counter(r for r, _ in rows).values()) == {k}
    assert set(Counter(w for _, w in rows).values()) == {k}


def assert_graded_once(usage_key: str, n: int) -> None:
    """One grading: a grade per learner, every score in edx-submissions and the gradebook once."""
    task = Task.objects.get(usage_key=usage_key)
    assert task.status == Task.COMPLETED and task.completed_at is not None
    grades = Grade.objects.filter(work__task=task)
    assert grades.count() == n
    assert not grades.filter(points__isnull=False, score_written=False).exists()
    scored = grades.filter(points__isnull=False).count()
    per_learner = Counter(Score.objects.filter(student_item__item_id=usage_key)
                          .values_list("student_item__student_id", flat=True))
    assert len(per_learner) == scored and set(per_learner.values()) == {1}
    entries = Counter(GradebookEntry.objects.filter(item_id=usage_key).values_list("anonymous_user_id", flat=True))
    assert entries == per_learner


def score_rows(usage_key: str) -> int:
    return Score.objects.filter(student_item__item_id=usage_key).count()


@pytest.fixture
def shared_database():
    """Skip unless the test database is one other connections and processes can share."""
    if connection.vendor == "sqlite":
        pytest.skip("needs a database shared by several connections or processes with row locks: "
                    "runs on MariaDB (CROSSCHECK_DB=mariadb; the second pass of `make test`)")
