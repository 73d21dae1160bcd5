"""Writing grades to the LMS gradebook: the only code that calls edx-submissions' `set_score`.

`set_score` stores a Score row and fires `score_set`, which the LMS's grades app receives. Each
write runs in a savepoint of its own: when it raises (edx-submissions, or any receiver of
`score_set`), only that grade's Score rows are taken back, the grade is marked failed with the
error and a time to try again (exponential backoff), and the other grades go on. The sweep and
`crosscheck_tick` retry failed writes when their time comes; staff see them in the overview.

Several processes write one task's grades at once (issue 15: the chunks of the Celery task
`write_scores` on several workers, a page view, cron), so each batch locks the grade rows it
writes (`SELECT … FOR UPDATE SKIP LOCKED`) and takes only grades still unwritten: `set_score`
itself never notices a repeat (every call adds a Score row and fires `score_set`), so this lock
is what writes each score once. A second writer of the same grades skips the locked rows and,
after their commit, no longer finds them unwritten.
"""
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from submissions import api as submissions_api

from ..models import Grade, Work

log = logging.getLogger(__name__)

# Grades written to the gradebook per transaction: set_score takes ~5–13 ms, so a batch holds
# the task row for about a second, and a crash loses (rolls back) at most one batch.
SCORE_BATCH_SIZE = 100
RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=12)
MAX_ERROR_CHARS = 2000
_STATE_FIELDS = ["score_written", "score_error", "score_attempts", "score_retry_at"]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed write: 5 min, 10, 20, … at most 12 h."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MAX)


def write_score(grade: Grade, now: datetime, submission_uuid: str | None = None) -> bool:
    """Write one grade to the gradebook; True when it went through. `submission_uuid` is its
    work's (read from `grade.work` when not given).

    Never raises for a failed write: the grade is marked failed instead (not saved here; the
    caller saves the `score_*` fields with the rest of its transaction).
    """
    grade.score_attempts += 1
    uuid = submission_uuid if submission_uuid is not None else grade.work.submission_uuid
    try:
        with transaction.atomic():  # a savepoint: a failure takes back this grade's Score rows only
            submissions_api.set_score(uuid, grade.points, grade.max_points)
    except Exception as err:  # noqa: BLE001 - the LMS's receivers of score_set may raise anything
        grade.score_written = False
        grade.score_error = f"{type(err).__name__}: {err}"[:MAX_ERROR_CHARS]
        grade.score_retry_at = now + retry_delay(grade.score_attempts)
        log.warning("crosscheck: gradebook write of grade %s failed (attempt %s), retrying at %s: %s",
                    grade.pk, grade.score_attempts, grade.score_retry_at, grade.score_error)
        return False
    grade.score_written, grade.score_error, grade.score_retry_at = True, "", None
    return True


def save_score_state(grades: list[Grade]) -> None:
    """Store what `write_score` decided for these grades: one UPDATE for those written (the
    common case: the same four fields for all), and the failed ones' own values after it."""
    written = [grade.pk for grade in grades if grade.score_written]
    if written:
        # Every written grade had its attempts counted up by one from the value read under the
        # row lock, so F() + 1 stores the same number as the instance holds.
        Grade.objects.filter(pk__in=written).update(score_written=True, score_error="", score_retry_at=None,
                                                    score_attempts=F("score_attempts") + 1)
    failed = [grade for grade in grades if not grade.score_written]
    if failed:
        Grade.objects.bulk_update(failed, _STATE_FIELDS)


def unwritten(task_id: int, now: datetime):
    """Grades of the task still to write now: never tried, or failed and due again."""
    return (Grade.objects.filter(work__task_id=task_id, points__isnull=False, score_written=False)
            .filter(Q(score_retry_at__isnull=True) | Q(score_retry_at__lte=now)))


def write_batch(task_id: int, now: datetime, pks: tuple[int, int] | None = None) -> int:
    """Write up to SCORE_BATCH_SIZE due grades of the task (those with a pk in the inclusive
    range `pks`, if given); how many were tried. Call inside `transaction.atomic()`: the grade
    rows stay locked until it ends, and a crash rolls back the batch, Score rows and marks alike.

    Grades another transaction holds are skipped (they are being written), so any number of
    writers share the work and none writes a score twice. Three queries, and the set_score calls.
    """
    due = unwritten(task_id, now)
    if pks is not None:
        due = due.filter(pk__gte=pks[0], pk__lte=pks[1])
    # Only what a write needs: the details (the scores and their story, a few kB of JSON per
    # grade) are not read here.
    batch = list(due.select_for_update(skip_locked=True).only("pk", "work_id", "points", "max_points",
                                                              *_STATE_FIELDS).order_by("pk")[:SCORE_BATCH_SIZE])
    uuids = dict(Work.objects.filter(pk__in=[grade.work_id for grade in batch])
                 .values_list("pk", "submission_uuid"))
    for grade in batch:
        write_score(grade, now, uuids[grade.work_id])
    if batch:
        save_score_state(batch)
    return len(batch)


def chunks(task_id: int, size: int) -> list[tuple[int, int]]:
    """The grades of the task still never tried, as inclusive pk ranges of at most `size`
    grades each, in pk order (one query): what the Celery fan-out queues, one task per range."""
    pks = list(Grade.objects.filter(work__task_id=task_id, points__isnull=False, score_written=False,
                                    score_retry_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    return [(part[0], part[-1]) for part in (pks[i:i + size] for i in range(0, len(pks), size))]


def first_writes_left(task_id: int) -> bool:
    """True while some grade of the task was never tried (a failed one waits for its retry)."""
    return Grade.objects.filter(work__task_id=task_id, points__isnull=False, score_written=False,
                                score_retry_at__isnull=True).exists()


def tasks_with_due_retries(now: datetime, limit: int) -> list[str]:
    """Usage keys of tasks with a failed gradebook write whose retry is due (the index on
    (score_written, score_retry_at) finds them)."""
    return list(Grade.objects.filter(score_written=False, score_retry_at__lte=now)
                .order_by().values_list("work__task__usage_key", flat=True).distinct()[:limit])


def counts(task_id: int) -> dict:
    """How the task's grades stand in the gradebook, for staff (two queries)."""
    grades = Grade.objects.filter(work__task_id=task_id, points__isnull=False)
    written = grades.filter(score_written=True).count()
    failures = list(grades.filter(score_written=False).exclude(score_error="")
                    .select_related("work").order_by("score_retry_at", "pk"))
    return {"written": written, "failed": failures}
