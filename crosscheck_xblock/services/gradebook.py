"""Writing grades to the LMS gradebook: the only code that calls edx-submissions' `set_score`.

`set_score` stores a Score row and fires `score_set`, which the LMS's grades app receives. Each
write runs in a savepoint of its own: when it raises (edx-submissions, or any receiver of
`score_set`), only that grade's Score rows are taken back, the grade is marked failed with the
error and a time to try again (exponential backoff), and the other grades go on. The sweep and
`crosscheck_tick` retry failed writes when their time comes; staff see them in the overview.
"""
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from submissions import api as submissions_api

from ..models import Grade

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


def write_score(grade: Grade, now: datetime) -> bool:
    """Write one grade (with its `work` loaded) to the gradebook; True when it went through.

    Never raises for a failed write: the grade is marked failed instead (not saved here; the
    caller saves the `score_*` fields with the rest of its transaction).
    """
    grade.score_attempts += 1
    try:
        with transaction.atomic():  # a savepoint: a failure takes back this grade's Score rows only
            submissions_api.set_score(grade.work.submission_uuid, grade.points, grade.max_points)
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
    """Store what `write_score` decided for these grades (one query)."""
    Grade.objects.bulk_update(grades, _STATE_FIELDS)


def unwritten(task_id: int, now: datetime):
    """Grades of the task still to write now: never tried, or failed and due again."""
    return (Grade.objects.filter(work__task_id=task_id, points__isnull=False, score_written=False)
            .filter(Q(score_retry_at__isnull=True) | Q(score_retry_at__lte=now)))


def write_batch(task_id: int, now: datetime) -> int:
    """Write up to SCORE_BATCH_SIZE due grades of the task; how many were tried. The caller
    holds the task row lock and owns the transaction."""
    batch = list(unwritten(task_id, now).select_related("work").order_by("pk")[:SCORE_BATCH_SIZE])
    for grade in batch:
        write_score(grade, now)
    save_score_state(batch)
    return len(batch)


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
