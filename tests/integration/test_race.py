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


def test_racing_appeals_and_rechecks_settle_once(shared_database, clock):  # pylint: disable=unused-argument
    """Double clicks on "Send appeal" give one appeal; racing staff re-checks leave one consistent
    result: the grade row, the latest gradebook score and the warnings all belong to the same one."""
    from crosscheck_xblock import appeals  # pylint: disable=import-outside-toplevel
    from crosscheck_xblock.errors import CrossCheckError  # pylint: disable=import-outside-toplevel
    from crosscheck_xblock.models import Appeal, LearnerWarning, Work  # pylint: disable=import-outside-toplevel
    from submissions.models import Score  # pylint: disable=import-outside-toplevel

    make_task("appeal-race", 8, k=3)
    clock.current = DEADLINE + timedelta(minutes=1)
    api.start_cross_check("appeal-race", clock.current)
    review_all("appeal-race", clock.current, skip=0)
    clock.current = CLOSES
    api.complete_cross_check("appeal-race", clock.current)
    task = api.get_task("appeal-race")
    work = Work.objects.filter(task=task).order_by("pk").first()
    items = {item.id: 1.0 if item.type == "subtask" else 0 for item in api.task_checklist(task).scored_items}
    refused = []

    def appeal():
        try:
            appeals.submit_appeal(task, work.student_id, "item one", list(items)[:1], clock.current)
        except CrossCheckError as err:
            refused.append(err.code)

    race([appeal] * 6)
    assert Appeal.objects.filter(work=work).count() == 1 and refused == ["already_appealed"] * 5

    def recheck(share):
        form = {"items": {key: (share if value == 1.0 else 0) for key, value in items.items()}}
        return lambda: appeals.staff_recheck(task, work.pk, form, f"staff{share}", clock.current)

    shares = [0.1, 0.3, 0.5, 0.7, 0.9]
    race([recheck(share) for share in shares])
    appeal = Appeal.objects.get(work=work)
    grade = work.grade
    grade.refresh_from_db()
    assert appeal.status == Appeal.RESOLVED and grade.points == round(appeal.recheck_total)
    assert appeal.previous_points == 100  # everyone gave full marks; no re-check overwrote it
    latest = Score.objects.filter(submission__uuid=work.submission_uuid).order_by("-created_at", "-id").first()
    assert latest.points_earned == grade.points
    assert Score.objects.filter(submission__uuid=work.submission_uuid).count() == 1 + len(shares)
    warned = LearnerWarning.objects.filter(work__task=task, kind__in=[LearnerWarning.APPEAL_REVIEW,
                                                                     LearnerWarning.APPEAL_SELF_CHECK])
    assert all(w.appeal_id == appeal.pk and w.detail["recheck_total"] == appeal.recheck_total for w in warned)
    assert warned.count() == (3 if abs(appeal.recheck_total - 100) > 15 else 0)
