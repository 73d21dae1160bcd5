"""Many sweeps, workers, page views, cron runs and staff clicks at once: one distribution, one grading.

Each racer is a thread with its own database connection, released together by a barrier, so
they really contend for the task row. Needs row locks: runs on MariaDB.
"""
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from crosscheck_xblock import api, tasks

from .conftest import CLOSES, DEADLINE, assert_distributed_once, assert_graded_once, make_task, review_all

pytestmark = [pytest.mark.db, pytest.mark.shared_db, pytest.mark.django_db(transaction=True)]
N, K = 40, 4


def race(racers) -> None:
    """Run every callable in its own thread, all released at once; fail on any error."""
    barrier = threading.Barrier(len(racers))
    errors = []

    def run(racer):
        try:
            barrier.wait(timeout=30)
            racer()
        except Exception as err:  # pylint: disable=broad-except  (reported below)
            errors.append(err)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    assert not errors, errors


def racers(usage_key: str, now) -> list:
    """Twelve ways the same due step gets triggered."""
    return [
        lambda: api.advance_task(usage_key, now),                         # a worker's task (sweep)
        lambda: tasks.advance_task.delay(usage_key),                      # the Celery task (eager here)
        lambda: api.run_due_transitions(api.get_task(usage_key), now),    # a learner opens the page
        lambda: api.advance_task(usage_key, now, wait=True),              # a worker that waits
        lambda: call_command("crosscheck_tick", stdout=StringIO()),       # cron
        lambda: api.sweep_turn(None, 0, now) and api.advance_task(usage_key, now),  # a sweep
    ] * 2


def test_racing_triggers_distribute_once_and_grade_once(shared_database, clock, monkeypatch):  # pylint: disable=unused-argument
    make_task("race", N, k=K)

    clock.current = DEADLINE + timedelta(minutes=1)
    race(racers("race", clock.current) + [lambda: api.start_cross_check("race", clock.current)])
    assert_distributed_once("race", N, K)

    review_all("race", clock.current, skip=3)
    monkeypatch.setattr(api, "SCORE_BATCH_SIZE", 7)  # several gradebook batches to fight over
    clock.current = CLOSES
    race(racers("race", clock.current) + [lambda: api.complete_cross_check("race", clock.current)])
    # Racers that found the task busy left; the waiting ones (a worker, staff) finished every batch.
    assert_graded_once("race", N)
