"""Finding due tasks and running their steps: api, eager Celery tasks, the cron command (T3, T4)."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from crosscheck_xblock import services, tasks
from crosscheck_xblock.models import Assignment, Grade, SweepState, Task

from .conftest import (
    CLOSES,
    COURSE,
    DEADLINE,
    END,
    T0,
    advance,
    assert_distributed_once,
    assert_graded_once,
    complete,
    make_task,
    review_all,
    score_rows,
    start,
    task_config,
)

pytestmark = [pytest.mark.db, pytest.mark.django_db]
MINUTE = timedelta(minutes=1)


def _set_status(usage_key, status):
    Task.objects.filter(usage_key=usage_key).update(status=status)


def test_due_tasks_are_found_by_status_and_dates():
    for key in ("open-due", "open-early", "open-over", "running-due", "running-early", "grading", "done"):
        make_task(key, 0)
    _set_status("running-due", Task.DISTRIBUTED)
    _set_status("running-early", Task.DISTRIBUTED)
    _set_status("grading", Task.GRADING)
    _set_status("done", Task.COMPLETED)
    Task.objects.filter(usage_key="open-early").update(starts_at=DEADLINE + timedelta(days=1))
    Task.objects.filter(usage_key="running-early").update(closes_at=CLOSES + timedelta(days=1))
    Task.objects.filter(usage_key="open-over").update(closes_at=DEADLINE)
    assert sorted(services.due_tasks(CLOSES)) == ["grading", "running-due"]
    assert sorted(services.due_tasks(DEADLINE)) == ["grading", "open-due"]  # "open-over" closed at DEADLINE
    assert sorted(services.due_tasks(T0)) == ["grading"]


def test_dates_edited_later_move_the_due_columns():
    make_task("moved", 2)
    config = task_config(submission_due=(DEADLINE + timedelta(days=2)).isoformat(), review_due="")
    task = services.sync_task("moved", COURSE, config)
    assert task.settings.timeline.review_start == DEADLINE + timedelta(days=2)
    row = Task.objects.get(pk=task.id)
    assert row.starts_at == DEADLINE + timedelta(days=2)
    assert row.closes_at == DEADLINE + timedelta(days=5.5)  # start + 3 d + 0.5 d
    assert services.due_tasks(DEADLINE + MINUTE) == []


def test_advance_runs_the_due_step_only():
    make_task("steps", 5, k=2)
    assert advance("steps", T0) is None                     # nothing due
    assert advance("steps", DEADLINE)["started"] is True
    assert_distributed_once("steps", 5, 2)
    review_all("steps", DEADLINE + MINUTE)
    assert advance("steps", END) is None                    # the adjustment period runs
    assert advance("steps", CLOSES)["completed"] is True
    assert_graded_once("steps", 5)
    assert advance("steps", CLOSES + timedelta(days=9)) is None


def test_rerunning_a_finished_step_changes_nothing():
    make_task("again", 4, k=2)
    start("again", DEADLINE)
    review_all("again", DEADLINE + MINUTE)
    complete("again", CLOSES)
    counts = (Assignment.objects.count(), Grade.objects.count(), score_rows("again"))
    assert start("again", CLOSES)["started"] is False
    assert complete("again", CLOSES)["completed"] is False
    assert tasks.advance_task.delay("again") is not None  # eager
    assert (Assignment.objects.count(), Grade.objects.count(), score_rows("again")) == counts
    assert_graded_once("again", 4)


def test_staff_completing_early_leaves_nothing_for_the_sweep():
    make_task("early", 3, k=2)
    start("early", T0)  # staff start before the deadline: allowed, as before
    complete("early", T0 + MINUTE)
    assert services.due_tasks(CLOSES) == []
    assert_graded_once("early", 3)


def test_the_cron_command_runs_every_due_step(clock):
    make_task("cron-a", 4, k=2)
    make_task("cron-b", 1)  # one work: cannot start, stays open and says why
    out = StringIO()
    call_command("crosscheck_tick", stdout=out)
    assert "0 due block(s)" in out.getvalue()
    clock.current = DEADLINE
    call_command("crosscheck_tick", stdout=out)
    assert "cron-a: 4 works distributed" in out.getvalue() and "2 due block(s)" in out.getvalue()
    assert Task.objects.get(usage_key="cron-b").status == Task.OPEN
    clock.current = CLOSES
    call_command("crosscheck_tick", "--enqueue", stdout=out)  # eager here: runs in this process
    assert_graded_once("cron-a", 4)


def test_the_sweep_started_eagerly_runs_once_and_advances_due_tasks(clock):
    make_task("swept", 3, k=2)
    clock.current = DEADLINE
    out = StringIO()
    call_command("crosscheck_tick", "--start-sweep", stdout=out)  # eager: no endless re-queue
    assert_distributed_once("swept", 3, 2)
    assert SweepState.objects.get().step == 1
    call_command("crosscheck_tick", "--status", stdout=out)
    assert "step 1, last run 2026-03-03T10:00:00Z" in out.getvalue()


def test_one_sweep_chain_at_a_time():
    first = services.sweep_turn(None, 0, T0)
    assert (first.step, first.due) == (1, [])
    second = services.sweep_turn(first.chain, 1, T0 + MINUTE)
    assert second.step == 2
    assert services.sweep_turn(first.chain, 1, T0 + MINUTE) is None       # the same message delivered twice
    restarted = services.sweep_turn(None, 0, T0 + 2 * MINUTE)             # started again: replaces the chain
    assert restarted.chain != first.chain
    assert services.sweep_turn(first.chain, 2, T0 + 2 * MINUTE) is None   # the old chain stops
    assert services.sweep_turn(restarted.chain, 1, T0 + 3 * MINUTE).step == 2
    assert not services.sweep_is_stale(T0 + 4 * MINUTE, 180)
    assert services.sweep_is_stale(T0 + 10 * MINUTE, 180)


def test_a_worker_start_restarts_a_stale_sweep(clock):
    assert tasks.start_sweep_if_stale() is True      # never ran: started (eagerly, once)
    assert tasks.start_sweep_if_stale() is False     # just ran
    clock.advance(minutes=10)
    assert tasks.start_sweep_if_stale() is True
