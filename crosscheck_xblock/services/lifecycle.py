"""The automatic steps of a task (T3, T4, P3): distribute at the start, grade at the end.

The schedule lives in the database (Task.starts_at / closes_at and the status), not in the
broker: Open edX runs no celery beat, and Redis redelivers a task scheduled hours ahead after
its visibility timeout. Four drivers find what is due and run the same idempotent steps: the
self-re-queuing sweep (tasks.sweep_due_tasks), the cron command `crosscheck_tick`, any page view
of the block after a due time (run_due_transitions), and the staff buttons.

Every step takes the task row lock and re-reads the status under it, so however many drivers
race, one distribution and one grading happen.
"""
import logging
import random
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from .. import i18n, schedule
from ..distribution import assign_reviewers, reviews_per_work, shortfall_message
from ..errors import Conflict
from ..i18n import N_, Text, gettext, plural_text
from ..models import Assignment, Grade, LearnerWarning, SweepState, Task, Work
from . import anchors, best_works, bulk, extras, gradebook, grading, notices, registry
from .guard import guarded
from .registry import TaskRef

log = logging.getLogger(__name__)
SWEEP_NAME = "default"
DEFAULT_SCORE_CHUNK = 500
DEFAULT_SCORE_REQUEUE_SECONDS = 300
BUSY = N_("Another process is working on this cross-check right now.")


# ---------------------------------------------------------------- distribution (D1–D3, T3)

@guarded
def start_cross_check(task: TaskRef, now: datetime, wait: bool = True) -> dict:
    """Distribute the works for review. Idempotent: a started task is left as it is.

    One transaction under the task row lock: however many workers, sweeps, page views and
    staff clicks race, one distribution happens, and a crash in the middle leaves none.
    With fewer than two works nothing is distributed and the task stays open, so it can be
    started later (the rs app marked such a task distributed and it stayed stuck). A task whose
    cross-check end has passed is refused (409 review_period_over): nobody could review any
    more, so starting it would grade everyone 0; staff move the end in Studio first.
    `wait=False` answers `busy` at once when another process holds the task.
    """
    with transaction.atomic():
        row = registry.lock_row(task, wait=wait)
        if row is None:
            return {"started": False, "status": None, "busy": True, "message": gettext(BUSY)}
        if row.status != Task.OPEN:
            return {"started": False, "status": row.status, "message": gettext("The cross-check has already started.")}
        review_due = task.settings.timeline.review_due
        if review_due is not None and now >= review_due:
            raise Conflict(Text(N_("The cross-check end (%(end)s) has passed, so nobody could review any "
                                   "more and everyone would get 0. Move the cross-check end in Studio and "
                                   "publish, then start it."), {"end": review_due}).render(),
                           "review_period_over")
        work_ids = list(Work.objects.filter(task_id=task.id).values_list("pk", flat=True))
        k = task.settings.reviews_per_work
        shortfall = shortfall_message(len(work_ids), k)
        note = i18n.dumps(shortfall)  # stored as a Text: staff read it in their own language
        if len(work_ids) < 2:
            Task.objects.filter(pk=task.id).update(distribution_note=note)
            return {"started": False, "status": row.status, "message": i18n.render(shortfall)}
        plan = assign_reviewers(work_ids, k=k, seed=row.seed)
        # Rows, not model instances (issue 15: 40,000 of them at 10,000 works; services/bulk.py).
        bulk.insert_rows(Assignment, ASSIGNMENT_FIELDS, assignment_rows(task.id, plan, row.seed))
        row.status = Task.DISTRIBUTED
        row.distributed_at = now
        row.reviewers_per_work = reviews_per_work(len(work_ids), k)
        row.distribution_note = note
        row.save(update_fields=["status", "distributed_at", "reviewers_per_work", "distribution_note"])
        anchors.pick_at_start(task, row, now)  # issue 16: the works staff grade, if the task has a set
        notices.on_distribution(task, plan, work_ids, now)  # N4, N5: with the distribution or not at all
    return {"started": True, "status": row.status,
            "message": plural_text("%(count)s works distributed, %(n)s reviewer each.",
                                   "%(count)s works distributed, %(n)s reviewers each.",
                                   row.reviewers_per_work, {"count": len(work_ids)}).render()}


ASSIGNMENT_FIELDS = ("task_id", "reviewer_id", "work_id", "position", "reviewer_number", "token")


def assignment_rows(task_id: int, plan: dict, seed: str) -> list[tuple]:
    """The assignments of a plan {reviewer: [work, …]}, as tuples of ASSIGNMENT_FIELDS (the
    others take their defaults: not extra, not submitted): "Work N" is the position in the
    reviewer's (already random) list; "Reviewer N" is drawn at random per work from the task's
    secret seed, so the numbers tell an author nothing about who submitted first."""
    reviewers_of = defaultdict(list)
    for reviewer_id in sorted(plan):
        for work_id in plan[reviewer_id]:
            reviewers_of[work_id].append(reviewer_id)
    rng = random.Random(f"{seed}:reviewer-numbers")
    number = {}
    for work_id in sorted(reviewers_of):
        reviewers = reviewers_of[work_id]
        rng.shuffle(reviewers)
        for n, reviewer_id in enumerate(reviewers, start=1):
            number[reviewer_id, work_id] = n
    return [(task_id, reviewer_id, work_id, position, number[reviewer_id, work_id], secrets.token_hex(12))
            for reviewer_id in sorted(plan)
            for position, work_id in enumerate(plan[reviewer_id], start=1)]


# ---------------------------------------------------------------- grading (A6, A7, T4)

@dataclass(frozen=True)
class _Computed:
    """The grades of a task computed from what `inputs` sums up (grading.inputs_version)."""

    inputs: tuple
    grades: list
    warnings: list
    best_marks: dict


def _compute(task: TaskRef, now: datetime) -> _Computed:
    inputs = grading.inputs_version(task)
    grades, warnings = grading.grade_rows(task, now)
    return _Computed(inputs, grades, warnings, best_works.marks(task)[0])


def _is_held(task: TaskRef) -> bool:
    """True when another transaction holds the task row now (one query, no waiting)."""
    with transaction.atomic():
        return registry.lock_row(task, wait=False) is None


@guarded
def complete_cross_check(task: TaskRef, now: datetime, wait: bool = True,
                         max_batches: int | None = None, fan_out: bool = False) -> dict:
    """Compute every grade and write it to the gradebook (T4). Idempotent and resumable.

    Two steps, each safe to interrupt anywhere:
    1. the grades are computed first, without any lock (issue 15: 10,000 works take seconds),
       then one transaction under the task row lock checks that nothing grading reads changed
       meanwhile (grading.inputs_version; if something did, it computes again under the lock),
       stores every grade with the warnings of the task's rule and sets the status to
       `grading`; a crash leaves nothing and the next run starts over. Reviews wait for this
       lock (registry.lock_status), so a review is either in the grades or refused, never lost
       in between;
    2. the gradebook writes, in batches (services/gradebook.py) that lock the grade rows they
       write, not the task: a write that fails is marked and retried later, the others go on;
       once every grade was tried the task is `completed`. A crash rolls back the batch in
       flight (its Score rows too) and the next run goes on from there.
    With `fan_out` (the Celery task advance_task, the staff button) the writes are queued as
    Celery tasks `write_scores`, one per CROSSCHECK_SCORE_CHUNK grades, when the transaction
    commits, so several workers write them side by side; a task whose chunks were queued less
    than CROSSCHECK_SCORE_REQUEUE_SECONDS ago is left to them, an older one is queued again
    (a killed worker's chunk). Without it (cron, page views, tests) this process writes them.
    `max_batches` bounds one call's writes (a page view writes one batch);
    `wait=False` answers `busy` at once when another process holds the task.
    """
    computed = None
    if task.status == Task.DISTRIBUTED:
        if not wait and _is_held(task):  # someone else grades it: spare the computation
            return {"completed": False, "status": None, "busy": True, "message": gettext(BUSY)}
        computed = _compute(task, now)
    chunks = []
    with transaction.atomic():
        row = registry.lock_row(task, wait=wait)
        if row is None:
            return {"completed": False, "status": None, "busy": True, "message": gettext(BUSY)}
        if row.status in (Task.OPEN, Task.COMPLETED):
            message = (gettext("The cross-check is already complete.") if row.status == Task.COMPLETED
                       else gettext("The cross-check has not started yet."))
            return {"completed": False, "status": row.status, "message": message}
        if row.status == Task.DISTRIBUTED:
            extras.drop_unsubmitted(task)  # D4: leases nobody submitted held nothing (grading skips them)
            if computed is None or computed.inputs != grading.inputs_version(task):
                computed = _compute(task, now)  # a review came in meanwhile: again, under the lock
            # Rows without bulk_create's per-value preparation (issue 15: 10,000 grades; bulk.py).
            bulk.insert_rows(Grade, grading.GRADE_FIELDS, computed.grades)
            # The warnings of the task's rule (A3, A5) belong to these grades: both or neither.
            bulk.insert_objects(LearnerWarning, computed.warnings)
            notices.on_grading(task, computed.best_marks, now)  # N12, with the grades
            row.status = Task.GRADING
            row.save(update_fields=["status"])
        if fan_out and row.status == Task.GRADING:
            chunks = _claim_chunks(task, row, now)
    status = row.status
    if chunks:
        _queue_chunks(task, chunks)
    if fan_out and status == Task.GRADING:
        # Eager chunks ran already; and a grading whose last write committed just before its
        # process died has nothing left to queue, only the status to set.
        status = finish_grading(task, now)
    batches, waited = 0, 0.0
    while not fan_out and status == Task.GRADING and (max_batches is None or batches < max_batches):
        tried = _write_one_batch(task, now)
        batches += 1
        status = finish_grading(task, now)
        if tried:
            waited = 0.0
        elif wait and status == Task.GRADING and _others_hold_the_rest(task, waited):
            time.sleep(HELD_POLL_SECONDS)
            waited += HELD_POLL_SECONDS
        else:
            break  # nothing left but failed writes waiting for their retry (or not ours to wait for)
    return _grading_result(task, status)


def _grading_result(task: TaskRef, status: str) -> dict:
    counts = Grade.objects.filter(work__task_id=task.id).aggregate(
        total=Count("pk"), graded=Count("pk", filter=Q(status=Grade.GRADED)),
        failed=Count("pk", filter=Q(score_written=False) & ~Q(score_error="")),
        waiting=Count("pk", filter=Q(points__isnull=False, score_written=False, score_retry_at__isnull=True)))
    total, graded, failed, waiting = counts["total"], counts["graded"], counts["failed"], counts["waiting"]
    if status == Task.COMPLETED:
        message = plural_text("%(graded)s of %(n)s learner graded.", "%(graded)s of %(n)s learners graded.",
                              total, {"graded": graded})
    else:
        message = plural_text("%(graded)s of %(n)s learner graded; %(waiting)s grades are still being "
                              "written to the gradebook.",
                              "%(graded)s of %(n)s learners graded; %(waiting)s grades are still being "
                              "written to the gradebook.", total, {"graded": graded, "waiting": waiting})
    text = message.render()
    if failed:
        text += " " + plural_text("%(n)s gradebook write failed and will be retried.",
                                  "%(n)s gradebook writes failed and will be retried.", failed).render()
    return {"completed": status == Task.COMPLETED, "status": status, "message": text}


# A waiting writer that finds the rest of the grades held by other writers looks again this often,
# for at most HELD_WAIT_SECONDS in a row (a stuck writer's rows are the sweep's to redo).
HELD_POLL_SECONDS = 0.05
HELD_WAIT_SECONDS = 30.0


def _others_hold_the_rest(task: TaskRef, waited: float) -> bool:
    """Whether a waiting writer should look again: grades never tried are left, held by other
    writers' batches (MariaDB's locking read also locks rows it only scanned, so one batch in
    flight can hide them all). One of those writers may write a single batch and stop (a page
    view), so leaving here could leave them unwritten: a race test saw 33 of 40 so."""
    return waited < HELD_WAIT_SECONDS and gradebook.first_writes_left(task.id)


def _write_one_batch(task: TaskRef, now: datetime, pks: tuple[int, int] | None = None) -> int:
    """One transaction of gradebook writes (grade rows locked, not the task); how many were tried."""
    with transaction.atomic():
        return gradebook.write_batch(task.id, now, pks)


def finish_grading(task: TaskRef, now: datetime) -> str:
    """Set `completed` once every grade was tried (a failed write waits for its retry, and
    learners see their grades); the task's status. Under the task row lock, held for two queries,
    so of all the writers finishing together one sets it."""
    if gradebook.first_writes_left(task.id):
        return Task.GRADING
    with transaction.atomic():
        row = registry.lock_row(task)
        if row.status == Task.GRADING and not gradebook.first_writes_left(task.id):
            row.status = Task.COMPLETED
            row.completed_at = now
            row.save(update_fields=["status", "completed_at"])
        return row.status


def score_chunk_size() -> int:
    """Grades per Celery task `write_scores` (setting CROSSCHECK_SCORE_CHUNK, default 500)."""
    return max(1, int(getattr(settings, "CROSSCHECK_SCORE_CHUNK", DEFAULT_SCORE_CHUNK)))


def score_requeue_seconds() -> float:
    """Seconds after which unwritten chunks are queued again (CROSSCHECK_SCORE_REQUEUE_SECONDS)."""
    return float(getattr(settings, "CROSSCHECK_SCORE_REQUEUE_SECONDS", DEFAULT_SCORE_REQUEUE_SECONDS))


def _claim_chunks(task: TaskRef, row: Task, now: datetime) -> list[tuple[int, int]]:
    """The chunks to queue now (the caller holds the task row): every range of grades never
    tried, unless chunks were queued less than CROSSCHECK_SCORE_REQUEUE_SECONDS ago."""
    if row.scores_queued_at is not None and (now - row.scores_queued_at).total_seconds() < score_requeue_seconds():
        return []
    chunks = gradebook.chunks(task.id, score_chunk_size())
    if chunks:
        row.scores_queued_at = now
        row.save(update_fields=["scores_queued_at"])
    return chunks


def _queue_chunks(task: TaskRef, chunks: list[tuple[int, int]]) -> None:
    """Queue one `write_scores` per chunk once the grades are committed (a worker must see them).

    Eager Celery (workbench, tests) runs the tasks right here, in this process and on this
    connection, which sees the grades whether or not an outer transaction is still open.
    """
    from .. import tasks  # noqa: PLC0415 - tasks imports services: a cycle at module load

    def send():
        for first, last in chunks:
            tasks.write_scores.delay(task.usage_key, first, last)

    if tasks.write_scores.app.conf.task_always_eager:
        send()
    else:
        transaction.on_commit(send)


@guarded
def write_score_chunk(task: TaskRef, first: int, last: int, now: datetime) -> dict:
    """Write the grades of one chunk (pk range first…last) to the gradebook: the Celery task
    `write_scores`. Idempotent: a grade written already, or being written by another process,
    is skipped, so running a chunk twice, or in two workers at once, writes each score once.
    Goes in transactions of gradebook.SCORE_BATCH_SIZE; then sets `completed` if it was the last."""
    written = 0
    while True:
        tried = _write_one_batch(task, now, (first, last))
        written += tried
        if tried < gradebook.SCORE_BATCH_SIZE:
            break
    return {"written": written, "status": finish_grading(task, now)}


@guarded
def retry_scores(task: TaskRef, now: datetime, wait: bool = False) -> dict:
    """Try again the failed gradebook writes of a completed task whose time has come."""
    tried = 0
    while True:
        with transaction.atomic():
            row = registry.lock_row(task, wait=wait)
            if row is None:
                return {"retried": tried, "busy": True, "message": gettext(BUSY)}
            if row.status != Task.COMPLETED:
                break
            batch = gradebook.write_batch(task.id, now)
        tried += batch
        if batch < gradebook.SCORE_BATCH_SIZE:
            break
    failed = Grade.objects.filter(work__task_id=task.id, score_written=False).exclude(score_error="").count()
    return {"retried": tried, "message": plural_text("%(n)s gradebook write retried; %(failed)s still failing.",
                                                     "%(n)s gradebook writes retried; %(failed)s still failing.",
                                                     tried, {"failed": failed}).render()}


# ---------------------------------------------------------------- what is due, and the drivers

@guarded
def due_tasks(now: datetime, limit: int = 1000) -> list[str]:
    """Usage keys of tasks with a step due (see schedule.due_step): interrupted gradings, then
    gradings due, then starts due, each oldest first, then failed gradebook writes due again.

    Each query is a range scan of an index ((status, starts_at), (status, closes_at), or the
    grades' (score_written, score_retry_at)); an OR of them would tempt the database into a full
    scan. advance_task checks the exact rule again per task, so this only has to find them.
    """
    keys = Task.objects.order_by().values_list("usage_key", flat=True)
    grading_ = keys.filter(status=Task.GRADING).order_by("closes_at")
    finishing = keys.filter(status=Task.DISTRIBUTED, closes_at__lte=now).order_by("closes_at")
    starting = (keys.filter(status=Task.OPEN, starts_at__lte=now)
                .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now)).order_by("starts_at"))
    due = []
    for query in (grading_, finishing, starting):
        due.extend(query[:limit - len(due)])
        if len(due) >= limit:
            return due
    seen = set(due)
    due.extend(key for key in gradebook.tasks_with_due_retries(now, limit - len(due)) if key not in seen)
    return due


@guarded
def advance_task(task: TaskRef, now: datetime, wait: bool = False,
                 max_batches: int | None = None, fan_out: bool = False) -> dict | None:
    """Run the step that is due for this task now, if any: distribute, grade, or retry failed
    gradebook writes. Idempotent: the step re-checks the status under the task row lock, so
    racing callers do the work once. `fan_out`: the gradebook writes go to Celery chunks
    (see complete_cross_check)."""
    step = schedule.due_step(task.status, now, task.settings.timeline)
    if step == schedule.START:
        return start_cross_check(task, now, wait=wait)
    if step == schedule.FINISH:
        return complete_cross_check(task, now, wait=wait, max_batches=max_batches, fan_out=fan_out)
    if task.status == Task.COMPLETED and gradebook.unwritten(task.id, now).exists():
        return retry_scores(task, now, wait=wait)
    return None


@guarded
def run_due_transitions(task: TaskRef, now: datetime) -> TaskRef:
    """The lazy check when someone opens the block: run a due step, answer the current task.

    Costs no query when nothing is due (the common case). When something is, it runs here,
    without waiting for a worker that holds the task, and with at most one batch of gradebook
    writes, so a page view stays short; the sweep or cron writes the rest of a large task.
    Failed gradebook writes are left to the sweep and cron.
    """
    if schedule.due_step(task.status, now, task.settings.timeline) is None:
        return task
    try:
        advance_task(task, now, wait=False, max_batches=1)
    except Exception:  # a failing step must not break the learner's page
        # It rolled back; the sweep, cron or the next view tries again.
        log.exception("crosscheck: the due step of %s failed in a page view", task.usage_key)
    return registry.refresh(task)


# ---------------------------------------------------------------- the sweep chain

@dataclass(frozen=True)
class SweepTurn:
    """What one sweep message may do: go on as `step` of `chain`, and advance the `due` tasks."""

    chain: str
    step: int
    due: list


@guarded
def sweep_turn(chain: str | None, step: int, now: datetime) -> SweepTurn | None:
    """Claim one turn of the self-re-queuing sweep; None when this message must stop.

    `chain=None` starts a new chain that replaces any running one (so starting the sweep again
    never doubles it). A message of an old chain, or a second delivery of the same step,
    gets None and is not re-queued: one sweep message is alive at a time.
    """
    SweepState.objects.get_or_create(name=SWEEP_NAME, defaults={"chain": "", "beat_at": now})
    with transaction.atomic():
        state = SweepState.objects.select_for_update().get(name=SWEEP_NAME)
        if chain is None:
            state.chain, state.step = secrets.token_hex(8), 0
        elif chain != state.chain or step != state.step:
            return None
        state.step += 1
        state.beat_at = now
        state.save()
    return SweepTurn(state.chain, state.step, due_tasks(now))


@guarded
def sweep_is_stale(now: datetime, seconds: float) -> bool:
    """True when no sweep ran in the last `seconds` (never started, or its chain was lost)."""
    state = SweepState.objects.filter(name=SWEEP_NAME).first()
    return state is None or not state.chain or (now - state.beat_at).total_seconds() > seconds


@guarded
def sweep_status() -> dict | None:
    """When the sweep last ran, for operators (None: it never ran)."""
    state = SweepState.objects.filter(name=SWEEP_NAME).first()
    if state is None:
        return None
    return {"chain": state.chain, "step": state.step, "beat_at": schedule.format_datetime(state.beat_at)}
