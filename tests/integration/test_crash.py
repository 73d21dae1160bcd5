"""A step interrupted after part of its writes leaves nothing partial, and the next run finishes it.

The interruption is an exception raised from inside the step after some rows were written: the
same thing the database does with the open transaction of a worker that is killed.
"""
import pytest
from submissions import api as submissions_api

from crosscheck_xblock import services
from crosscheck_xblock.models import Assignment, Grade, Task
from crosscheck_xblock.services import bulk, gradebook

from .conftest import (
    CLOSES,
    DEADLINE,
    T0,
    advance,
    assert_distributed_once,
    assert_graded_once,
    complete,
    make_task,
    review_all,
    score_rows,
    start,
    task,
)

pytestmark = [pytest.mark.db, pytest.mark.django_db]


class Killed(BaseException):
    """The worker 'dies' here. Not an Exception: a failing gradebook write (an Exception) is
    caught and retried later; a dying process is not caught by anything and rolls back."""


class Broken(Exception):
    """A bug in a step: it raises, the step's transaction rolls back."""


def _insert_half_then_die(model, error=Killed):
    """services/bulk.insert_rows (what the steps write their many rows with), writing half of
    the model's rows and then dying."""
    real = bulk.insert_rows

    def insert_rows(target, names, rows, *args, **kwargs):
        if target is not model:
            return real(target, names, rows, *args, **kwargs)
        rows = list(rows)
        real(target, names, rows[: len(rows) // 2], *args, **kwargs)  # some rows are written…
        raise error(f"killed after {len(rows) // 2} {model.__name__} rows")
    return insert_rows


def test_an_interrupted_distribution_leaves_no_assignment(monkeypatch):
    make_task("crash-start", 7, k=3)
    monkeypatch.setattr(bulk, "insert_rows", _insert_half_then_die(Assignment))
    with pytest.raises(Killed):
        advance("crash-start", DEADLINE)
    assert Assignment.objects.count() == 0
    assert Task.objects.get().status == Task.OPEN
    assert services.due_tasks(DEADLINE) == ["crash-start"]  # still due
    monkeypatch.undo()
    assert advance("crash-start", DEADLINE)["started"] is True
    assert_distributed_once("crash-start", 7, 3)


def test_an_interrupted_grade_computation_leaves_no_grade(monkeypatch):
    make_task("crash-grades", 6, k=2)
    start("crash-grades", DEADLINE)
    review_all("crash-grades", DEADLINE)
    monkeypatch.setattr(bulk, "insert_rows", _insert_half_then_die(Grade))
    with pytest.raises(Killed):
        advance("crash-grades", CLOSES)
    assert Grade.objects.count() == 0 and score_rows("crash-grades") == 0
    assert Task.objects.get().status == Task.DISTRIBUTED
    monkeypatch.undo()
    assert advance("crash-grades", CLOSES)["completed"] is True
    assert_graded_once("crash-grades", 6)


def test_an_interrupted_gradebook_batch_is_rolled_back_and_resumed(monkeypatch):
    make_task("crash-scores", 8, k=2)
    start("crash-scores", T0)
    review_all("crash-scores", T0)
    monkeypatch.setattr(gradebook, "SCORE_BATCH_SIZE", 3)
    real_set_score, calls = submissions_api.set_score, []

    def set_score(*args, **kwargs):
        calls.append(args)
        if len(calls) == 5:  # the second gradebook batch, after one of its scores was written
            raise Killed("killed while writing grades")
        return real_set_score(*args, **kwargs)

    monkeypatch.setattr(submissions_api, "set_score", set_score)
    with pytest.raises(Killed):
        complete("crash-scores", CLOSES)
    # Every grade is stored; the first batch reached the gradebook, the second left no trace.
    assert Task.objects.get().status == Task.GRADING
    assert Grade.objects.count() == 8
    assert Grade.objects.filter(score_written=True).count() == 3 == score_rows("crash-scores")
    assert services.due_tasks(T0) == ["crash-scores"]  # an interrupted grading is always due
    monkeypatch.setattr(submissions_api, "set_score", real_set_score)
    result = advance("crash-scores", CLOSES)
    assert result["completed"] is True and result["message"] == "7 of 8 learners graded."
    assert_graded_once("crash-scores", 8)


def test_a_page_view_writes_one_batch_and_staff_complete_finishes(monkeypatch):
    make_task("paged", 7, k=2)
    start("paged", T0)
    monkeypatch.setattr(gradebook, "SCORE_BATCH_SIZE", 3)
    after = services.run_due_transitions(task("paged"), CLOSES)
    assert after.status == Task.GRADING and score_rows("paged") == 3
    result = complete("paged", CLOSES)  # the staff button: everything left
    assert result["completed"] is True
    assert_graded_once("paged", 7)


def test_a_failing_step_does_not_break_the_page_view(monkeypatch):
    make_task("page-crash", 5, k=2)
    monkeypatch.setattr(bulk, "insert_rows", _insert_half_then_die(Assignment, Broken))
    after = services.run_due_transitions(task("page-crash"), DEADLINE)  # logs, does not raise
    assert after.status == Task.OPEN and Assignment.objects.count() == 0
    monkeypatch.undo()
    assert services.run_due_transitions(after, DEADLINE).status == Task.DISTRIBUTED
