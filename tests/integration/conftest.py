"""Checks that a step happened exactly once, and the shared-database fixture.

The tests here call `services` directly (no block, no modulestore), as the Celery tasks and the
cron command do; tests/factories.py builds their tasks. The checks read the tables themselves.
"""
from collections import Counter

import pytest
from django.db import connection
from submissions.models import Score

from cc_workbench.models import GradebookEntry
from crosscheck_xblock.models import Assignment, Grade, Task

from ..factories import (  # noqa: F401
    CLOSES,
    COURSE,
    DEADLINE,
    END,
    T0,
    advance,
    complete,
    full_items,
    learners,
    make_task,
    review_all,
    start,
    task,
    task_config,
)


def assert_distributed_once(usage_key: str, n: int, k: int) -> None:
    """One distribution: n·k assignments, k each way, nobody reviews themselves."""
    row = Task.objects.get(usage_key=usage_key)
    assert row.status in (Task.DISTRIBUTED, Task.GRADING, Task.COMPLETED)
    rows = list(Assignment.objects.filter(task=row).values_list("reviewer_id", "work_id"))
    assert len(rows) == n * k
    assert all(reviewer != work for reviewer, work in rows)
    assert set(Counter(r for r, _ in rows).values()) == {k}
    assert set(Counter(w for _, w in rows).values()) == {k}


def assert_graded_once(usage_key: str, n: int) -> None:
    """One grading: a grade per learner, every score in edx-submissions and the gradebook once."""
    row = Task.objects.get(usage_key=usage_key)
    assert row.status == Task.COMPLETED and row.completed_at is not None
    grades = Grade.objects.filter(work__task=row)
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
