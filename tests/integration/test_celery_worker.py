"""A real Celery worker process on the Redis broker runs the timeline by itself (T3, T4, P3).

The worker (`celery worker --pool=solo`, a subprocess) shares the MariaDB test database with
the test; its clock is a file the test writes (tests/integration/worker_app.py). Nobody calls a
step here: the sweep, started once like an operator would, finds the due steps when the clock
passes the dates. Each test uses its own queue on the broker and removes it afterwards.
"""
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from crosscheck_xblock.models import Grade, SweepState, Task

from ..conftest import port_open, service_missing
from .conftest import (
    CLOSES,
    DEADLINE,
    END,
    T0,
    assert_distributed_once,
    assert_graded_once,
    make_task,
    review_all,
    score_rows,
    start,
)

pytestmark = [pytest.mark.db, pytest.mark.shared_db, pytest.mark.celery,
              pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
MINUTE = timedelta(minutes=1)


def wait_for(predicate, what: str, timeout: float = 45.0, worker=None):
    """Poll `predicate` (it reads the shared database) until it is true, or fail saying `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if worker is not None and worker.proc.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.log_text()}")
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}"
                + (f"\nworker log:\n{worker.log_text()[-4000:]}" if worker else ""))


class Worker:
    """One `celery worker` subprocess."""

    def __init__(self, env: dict, log: Path, queue: str):
        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.integration.worker_app", "worker", "--pool=solo",
             "-Q", queue, "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_for(lambda: "ready." in self.log_text(), "the worker to start", worker=self)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, the open transaction is cut off."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def celery_env(shared_database, tmp_path):
    """Environment for worker and command subprocesses: the broker, a fresh queue, the test
    database, a one-second sweep and the clock file. Removes the queue afterwards."""
    if not port_open(REDIS_HOST, REDIS_PORT):
        service_missing(f"Redis on {REDIS_HOST}:{REDIS_PORT}")
    import redis
    broker = f"redis://{REDIS_HOST}:{REDIS_PORT}/{os.environ.get('CROSSCHECK_TEST_REDIS_DB', '15')}"
    queue = f"crosscheck-test-{uuid.uuid4().hex[:10]}"
    clock_file = tmp_path / "now"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cc_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "workbench"), str(ROOT)]),
        "CROSSCHECK_DB": "mariadb",
        "CROSSCHECK_DB_NAME": connection.settings_dict["NAME"],  # the test database
        "CROSSCHECK_CELERY_BROKER": broker,
        "CROSSCHECK_CELERY_QUEUE": queue,
        "CROSSCHECK_SWEEP_SECONDS": "1",
        "CROSSCHECK_TEST_CLOCK_FILE": str(clock_file),
        "CROSSCHECK_VAR_DIR": str(tmp_path / "var"),
    }
    workers = []

    class Env(dict):
        def set_clock(self, when):
            clock_file.write_text(when.isoformat())

        def worker(self, **extra) -> Worker:
            worker = Worker({**self, **extra}, tmp_path / f"worker{len(workers)}.log", queue)
            workers.append(worker)
            return worker

        def manage(self, *args) -> str:
            done = subprocess.run([sys.executable, "workbench/manage.py", *args], cwd=ROOT, env=self,
                                  capture_output=True, text=True, timeout=60, check=True)
            return done.stdout

    yield Env(env)

    for worker in workers:  # before the database is flushed
        worker.stop()
    client = redis.Redis.from_url(broker)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    for tag, payload in client.hscan_iter("unacked"):  # messages a killed worker still held
        if json.loads(payload)[-1] == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)


def test_the_worker_distributes_and_grades_when_the_clock_passes_the_dates(celery_env):
    make_task("celery", 12, k=3)
    celery_env.set_clock(T0)
    worker = celery_env.worker()
    assert "Sweep queued" in celery_env.manage("crosscheck_tick", "--start-sweep")  # what an operator runs
    wait_for(lambda: SweepState.objects.filter(step__gte=3).exists(), "the sweep to re-queue itself", worker=worker)
    assert Task.objects.get().status == Task.OPEN  # before the deadline nothing is due

    celery_env.set_clock(DEADLINE + MINUTE)
    wait_for(lambda: Task.objects.get().status == Task.DISTRIBUTED, "the distribution", worker=worker)
    assert_distributed_once("celery", 12, 3)
    review_all("celery", DEADLINE + 2 * MINUTE)

    celery_env.set_clock(END + MINUTE)  # the adjustment period: nothing due
    step = SweepState.objects.get().step
    wait_for(lambda: SweepState.objects.get().step >= step + 2, "two more sweeps", worker=worker)
    assert Task.objects.get().status == Task.DISTRIBUTED

    celery_env.set_clock(CLOSES + MINUTE)
    wait_for(lambda: Task.objects.get().status == Task.COMPLETED, "the grading", worker=worker)
    assert_graded_once("celery", 12)
    assert Grade.objects.filter(status=Grade.GRADED).count() == 11  # one reviewer left reviews undone


def test_a_worker_killed_while_grading_leaves_whole_batches_and_the_next_worker_finishes(celery_env):
    make_task("killed", 30, k=2)
    start("killed", DEADLINE)
    review_all("killed", DEADLINE + MINUTE)
    celery_env.set_clock(CLOSES + MINUTE)
    # Slow gradebook writes in batches of 4, and the sweep starts with the worker.
    slow = celery_env.worker(CROSSCHECK_TEST_SCORE_BATCH="4", CROSSCHECK_TEST_SET_SCORE_DELAY="0.1",
                             CROSSCHECK_SWEEP_ON_WORKER_START="1")
    wait_for(lambda: Grade.objects.filter(score_written=True).count() >= 4, "the first gradebook batch",
             worker=slow)
    slow.kill()

    task = Task.objects.get()
    written = Grade.objects.filter(score_written=True).count()
    assert task.status == Task.GRADING and Grade.objects.count() == 30
    assert written == score_rows("killed") and written % 4 == 0 and written < 30  # whole batches only

    # The killed worker took the next sweep message with it; time passes, a worker starts again
    # and, finding no recent sweep, starts one, which finishes the grading.
    celery_env.set_clock(CLOSES + timedelta(hours=2))
    fresh = celery_env.worker(CROSSCHECK_SWEEP_ON_WORKER_START="1")
    wait_for(lambda: Task.objects.get().status == Task.COMPLETED, "the resumed grading", worker=fresh)
    assert_graded_once("killed", 30)
