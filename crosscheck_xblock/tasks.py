"""Celery tasks of the automatic steps (T3 distribution, T4 grading and its gradebook writes in
chunks; P3) and of publishing.

Each task takes primitive arguments, calls into `services` and is idempotent: running it
twice, or in several workers at once, does the work once (the task row lock in the services).

Open edX runs no celery beat, and Redis redelivers a task scheduled far ahead (ETA/countdown)
after its visibility timeout, so nothing here is scheduled for the due time itself. The dates
live in the database; `sweep_due_tasks` looks for due tasks every CROSSCHECK_SWEEP_SECONDS
(default 60, at most 300) and re-queues itself with that short countdown. Start it once
(`manage.py lms crosscheck_tick --start-sweep`); starting it again replaces the running chain.
With the setting CROSSCHECK_SWEEP_ON_WORKER_START = True every worker that starts also starts
the sweep when none ran lately, which brings it back after a worker was killed holding the next
sweep message (Redis would only redeliver that one after its visibility timeout).

They are `shared_task`s, so they run on whatever Celery app the process has: the LMS's workers
in Open edX, an eager app in the workbench.
"""
import logging
import threading

from celery import shared_task
from django import db
from django.conf import settings

from . import clock, publishing, services

log = logging.getLogger(__name__)
DEFAULT_SWEEP_SECONDS = 60
MAX_SWEEP_SECONDS = 300  # well under Redis' visibility timeout (1 h), so no redelivery


def sweep_seconds() -> int:
    """Seconds between two sweeps (setting CROSSCHECK_SWEEP_SECONDS, kept within 1…300)."""
    seconds = int(getattr(settings, "CROSSCHECK_SWEEP_SECONDS", DEFAULT_SWEEP_SECONDS))
    return max(1, min(seconds, MAX_SWEEP_SECONDS))


@shared_task(name="crosscheck_xblock.advance_task", ignore_result=True)
def advance_task(usage_key: str) -> None:
    """Run the step due for one block now (distribute, grade, retry failed gradebook writes)."""
    try:
        task = services.find_task(usage_key)
    except services.NotFound:
        log.info("crosscheck: advance_task for %s, which has no task row; nothing to do", usage_key)
        return
    services.advance_task(task, clock.now(), fan_out=True)


@shared_task(name="crosscheck_xblock.write_scores", ignore_result=True)
def write_scores(usage_key: str, first: int, last: int) -> int:
    """Write one chunk of a finished grading to the gradebook: the grades with a pk in
    first…last still unwritten (issue 15). Queued by the grading, one per CROSSCHECK_SCORE_CHUNK
    grades, so several workers share the writes; idempotent, so a chunk run twice or by two
    workers at once writes each score once, and one a killed worker left is queued again by
    the sweep. The chunk that writes the last grade completes the task."""
    try:
        task = services.find_task(usage_key)
    except services.NotFound:
        log.info("crosscheck: write_scores for %s, which has no task row; nothing to do", usage_key)
        return 0
    return services.write_score_chunk(task, first, last, clock.now())["written"]


@shared_task(bind=True, name="crosscheck_xblock.sweep_due_tasks", ignore_result=True)
def sweep_due_tasks(self, chain: str | None = None, step: int = 0) -> int:
    """Queue `advance_task` for every due block, after re-queuing this sweep.

    Re-queuing comes first, so a worker that dies during the work does not end the chain. A
    message of a replaced chain, or a duplicate delivery, stops here (services.sweep_turn). Run
    eagerly (workbench, tests) the sweep runs once and does not re-queue itself. Each due block
    is a task of its own, so one that fails holds up no other.
    """
    turn = services.sweep_turn(chain, step, clock.now())
    if turn is None:
        return 0
    if not self.request.is_eager:
        self.apply_async(kwargs={"chain": turn.chain, "step": turn.step}, countdown=sweep_seconds())
    try:
        services.due_notices(clock.now())  # N1, N2, N3, N6: each once, however many sweeps race
        if services.has_pending(clock.now()):  # what the event-queued deliveries left (issue 14)
            deliver_notices.delay()
    except Exception:  # a failing notice run must not stop the steps
        log.exception("crosscheck: the timed notices failed in the sweep")
    for usage_key in turn.due:
        advance_task.delay(usage_key)
    return len(turn.due)


@shared_task(name="crosscheck_xblock.deliver_notices", ignore_result=True)
def deliver_notices() -> dict:
    """Send the Telegram outbox (services/outbox.py): queued when notices are created, and by the
    sweep for what is left. Several at once are harmless: one holds the outbox, the others leave."""
    return services.deliver_outbox(clock.now())


def deliver_if_eager() -> None:
    """Without a broker (the workbench: tasks run eagerly) nothing retries a failed send in the
    background, so a page view does: when the outbox holds something, a thread sends it (the
    page does not wait for Telegram's one message a second per chat; the outbox lease keeps it
    to one sender)."""
    if not (deliver_notices.app.conf.task_always_eager and services.has_pending(clock.now())):
        return
    threading.Thread(target=_deliver_in_thread, name="crosscheck-outbox", daemon=True).start()


def _deliver_in_thread() -> None:
    try:
        deliver_notices.delay()
    except Exception:  # nobody waits for this thread: its failure goes to the log
        log.exception("crosscheck: the Telegram outbox failed on a page view")
    finally:
        db.connection.close()


@shared_task(name="crosscheck_xblock.sync_published_course", ignore_result=True)
def sync_published_course(course_key: str) -> int:
    """Refresh the task rows of a course's published cross-check blocks (after a publish)."""
    return publishing.sync_published_course(course_key)


def start_sweep_if_stale(**_signal_kwargs) -> bool:
    """Start the sweep unless one ran in the last three intervals (Celery's worker_ready signal
    calls this when CROSSCHECK_SWEEP_ON_WORKER_START is set)."""
    if not services.sweep_is_stale(clock.now(), 3 * sweep_seconds()):
        return False
    sweep_due_tasks.delay()
    return True
