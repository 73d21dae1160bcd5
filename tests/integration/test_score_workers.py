"""Two real Celery worker processes share the gradebook writes of one grading (issue 15).

The grading's chunks (`write_scores`, CROSSCHECK_SCORE_CHUNK grades each) go to the Redis
broker and both workers (`celery worker --pool=solo`, subprocesses on the MariaDB test database,
the fixture of test_celery_worker.py) take them. Each score reaches edx-submissions and the
gradebook once; a worker killed in the middle of a chunk leaves whole batches, and the next
sweep queues what it left again.
"""
import re
import time
from datetime import timedelta

import pytest

from crosscheck_xblock.models import Grade, Task

from . import test_celery_worker
from .conftest import CLOSES, DEADLINE, assert_graded_once, make_task, review_all, score_rows, start
from .test_celery_worker import wait_for

pytestmark = [pytest.mark.db, pytest.mark.shared_db, pytest.mark.celery,
              pytest.mark.django_db(transaction=True)]
MINUTE = timedelta(minutes=1)
celery_env = test_celery_worker.celery_env  # the worker fixture (broker, queue, clock), shared
CHUNKS_DONE = re.compile(r"Task crosscheck_xblock\.write_scores\[[^\]]+\] succeeded")


def graded_when_due(key: str, n: int, env) -> None:
    make_task(key, n, k=2)
    start(key, DEADLINE)
    review_all(key, DEADLINE + MINUTE)
    env.set_clock(CLOSES + MINUTE)


def written() -> int:
    return Grade.objects.filter(score_written=True).count()


def test_two_workers_write_the_chunks_and_each_score_once(celery_env):
    graded_when_due("fanout", 40, celery_env)
    slow = {"CROSSCHECK_TEST_SCORE_CHUNK": "4", "CROSSCHECK_TEST_SCORE_BATCH": "2",
            "CROSSCHECK_TEST_SET_SCORE_DELAY": "0.05"}
    first, second = celery_env.worker(**slow), celery_env.worker(**slow)
    assert "fanout: queued" in celery_env.manage("crosscheck_tick", "--enqueue")  # advance_task, once
    wait_for(lambda: Task.objects.get().status == Task.COMPLETED, "the grading", worker=first)
    assert_graded_once("fanout", 40)
    chunks = [len(CHUNKS_DONE.findall(worker.log_text())) for worker in (first, second)]
    assert sum(chunks) >= 10 and min(chunks) >= 1, chunks  # 40 grades in chunks of 4, both workers wrote


def test_a_worker_killed_in_a_chunk_leaves_whole_batches_and_the_next_sweep_finishes(celery_env):
    graded_when_due("fanout-kill", 40, celery_env)
    slow = {"CROSSCHECK_TEST_SCORE_CHUNK": "10", "CROSSCHECK_TEST_SCORE_BATCH": "2",
            "CROSSCHECK_TEST_SET_SCORE_DELAY": "0.1"}
    doomed, survivor = celery_env.worker(**slow), celery_env.worker(**slow)
    celery_env.manage("crosscheck_tick", "--enqueue")
    wait_for(lambda: written() >= 6, "the first batches", worker=survivor)
    doomed.kill()

    # The survivor writes its chunks; the killed worker's chunk (and any it held) stays unwritten.
    last, stable_since = -1, time.monotonic()
    while time.monotonic() - stable_since < 3:
        now_written = written()
        if now_written != last:
            last, stable_since = now_written, time.monotonic()
        time.sleep(0.2)
    assert Task.objects.get().status == Task.GRADING
    assert last == score_rows("fanout-kill") and last % 2 == 0 and last < 40  # whole batches only

    # Later, the sweep finds the grading unfinished and its chunks old: it queues what is left.
    celery_env.set_clock(CLOSES + timedelta(hours=2))
    celery_env.manage("crosscheck_tick", "--start-sweep")
    wait_for(lambda: Task.objects.get().status == Task.COMPLETED, "the resumed grading", worker=survivor)
    assert_graded_once("fanout-kill", 40)
