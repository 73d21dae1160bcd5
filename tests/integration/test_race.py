"""Many sweeps, workers, page views, cron runs and staff clicks at once: one distribution, one grading.

Each racer is a thread with its own database connection, released together by a barrier, so
they really contend for the task row. Needs row locks: runs on MariaDB.
"""
import threading
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from submissions.models import Score

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services, tasks
from crosscheck_xblock.errors import CrossCheckError
from crosscheck_xblock.models import Appeal, Assignment, Grade, LearnerWarning, Review, Work
from crosscheck_xblock.services import gradebook

from .conftest import (
    CLOSES,
    DEADLINE,
    END,
    advance,
    assert_distributed_once,
    assert_graded_once,
    complete,
    full_items,
    make_task,
    review_all,
    start,
    task,
)

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
        except Exception as err:  # noqa: BLE001 - reported below
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
        lambda: advance(usage_key, now),                                  # a worker's task (sweep)
        lambda: tasks.advance_task.delay(usage_key),                      # the Celery task (eager here)
        lambda: services.run_due_transitions(task(usage_key), now),       # a learner opens the page
        lambda: advance(usage_key, now, wait=True),                       # a worker that waits
        lambda: call_command("crosscheck_tick", stdout=StringIO()),       # cron
        lambda: services.sweep_turn(None, 0, now) and advance(usage_key, now),  # a sweep
    ] * 2


def test_racing_triggers_distribute_once_and_grade_once(shared_database, clock, monkeypatch):
    make_task("race", N, k=K)

    clock.current = DEADLINE + timedelta(minutes=1)
    race(racers("race", clock.current) + [lambda: start("race", clock.current)])
    assert_distributed_once("race", N, K)

    review_all("race", clock.current, skip=3)
    monkeypatch.setattr(gradebook, "SCORE_BATCH_SIZE", 7)  # several gradebook batches to fight over
    clock.current = CLOSES
    race(racers("race", clock.current) + [lambda: complete("race", clock.current)])
    # Racers that found the task busy left; the waiting ones (a worker, staff) finished every batch.
    assert_graded_once("race", N)


def test_reviews_racing_the_grading_are_counted_or_refused_never_lost(shared_database, clock):
    """Reviews submitted while staff press "Complete now": every review answered 200 is in the
    grades (its score counted, its reviewer not graded 0 for unfinished reviews), every other
    one was answered 409 and left nothing behind."""
    make_task("edge", 30, k=3)
    clock.current = DEADLINE + timedelta(minutes=1)
    start("edge", clock.current)
    current = task("edge")
    items = full_items(current)
    pending = list(Assignment.objects.filter(task_id=current.id).select_related("reviewer")
                   .order_by("pk"))
    answers = {}

    def review(assignment):
        def submit():
            try:
                services.submit_review(current, assignment.reviewer.student_id, assignment.token,
                                       {"items": items, "comment": "in time?"}, clock.current)
                answers[assignment.pk] = 200
            except CrossCheckError as err:
                answers[assignment.pk] = err.status
        return submit

    # 90 reviews from 30 threads at once with the grading: each racer submits three reviews.
    def reviewer(batch):
        return lambda: [review(assignment)() for assignment in batch]

    batches = [pending[i::30] for i in range(30)]
    race([reviewer(batch) for batch in batches] + [lambda: complete("edge", clock.current)])
    assert set(answers.values()) <= {200, 409} and len(answers) == len(pending)
    accepted = {pk for pk, status in answers.items() if status == 200}
    reviewed = set(Review.objects.filter(assignment__task_id=current.id).values_list("assignment_id", flat=True))
    assert reviewed == accepted  # a refused review left no version behind
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task_id=current.id)}
    for assignment in pending:
        counted = {score["reviewer"] for score in grades[assignment.work_id].detail["scores"]}
        assert (assignment.reviewer_number in counted) == (assignment.pk in accepted)
    for work_id, grade in grades.items():
        mine = [a for a in pending if a.reviewer_id == work_id]
        finished = all(a.pk in accepted for a in mine)
        assert (grade.status != Grade.REVIEWS_UNFINISHED) == finished
    # The grading landed in the middle of the reviews (the race really happened).
    assert accepted and set(answers) - accepted


def test_racing_appeals_and_rechecks_settle_once(shared_database, clock):
    """Double clicks on "Send appeal" give one appeal; racing staff re-checks leave one consistent
    result: the grade row, the latest gradebook score and the warnings all belong to the same one."""
    make_task("appeal-race", 8, k=3)
    clock.current = DEADLINE + timedelta(minutes=1)
    start("appeal-race", clock.current)
    review_all("appeal-race", clock.current, skip=0)
    clock.current = CLOSES
    complete("appeal-race", clock.current)
    current = task("appeal-race")
    work = Work.objects.filter(task_id=current.id).order_by("pk").first()
    items = full_items(current)
    refused = []

    def appeal():
        try:
            services.submit_appeal(current, work.student_id, "item one", list(items)[:1], clock.current)
        except CrossCheckError as err:
            refused.append(err.code)

    race([appeal] * 6)
    assert Appeal.objects.filter(work=work).count() == 1 and refused == ["already_appealed"] * 5

    def recheck(share):
        form = {"items": {key: (share if value == 1.0 else 0) for key, value in items.items()}}
        return lambda: services.staff_recheck(current, work.pk, form, f"staff{share}", clock.current)

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
    warned = LearnerWarning.objects.filter(work__task_id=current.id, kind__in=[LearnerWarning.APPEAL_REVIEW,
                                                                               LearnerWarning.APPEAL_SELF_CHECK])
    assert all(w.appeal_id == appeal.pk and w.detail["recheck_total"] == appeal.recheck_total for w in warned)
    assert warned.count() == (3 if abs(appeal.recheck_total - 100) > 15 else 0)


def test_eight_learners_taking_extra_reviews_at_once_never_overfill_a_work(shared_database, clock):
    """D4, C4: the leases eight racing takers get never give a work more reviews than it lacks."""
    make_task("extras", 20, k=3)
    clock.current = DEADLINE + timedelta(minutes=1)
    start("extras", clock.current)
    review_all("extras", clock.current, skip=2)  # two no-shows: six reviews missing
    clock.current = DEADLINE + (END - DEADLINE) / 2 + timedelta(minutes=1)  # past the middle
    takers = [anonymous_id(f"w{i:03d}") for i in range(2, 10)]
    answers = []

    def take(student_id):
        try:
            answers.append(services.take_extra_review(task("extras"), student_id, clock.current))
        except CrossCheckError as err:
            answers.append(err.code)

    race([lambda s=student_id: take(s) for student_id in takers])
    leases = list(Assignment.objects.filter(task__usage_key="extras", extra=True)
                  .values_list("reviewer_id", "work_id"))
    submitted = Counter(Assignment.objects.filter(task__usage_key="extras", submitted_at__isnull=False)
                        .values_list("work_id", flat=True))
    per_work = Counter(work for _reviewer, work in leases)
    assert len(leases) == sum(1 for a in answers if a not in ("no_extra_needed",)) >= 1
    assert set(answers) - {"no_extra_needed"} == {a for a in answers if len(a) == 24}  # tokens or that code
    assert all(submitted[work] + count <= 3 for work, count in per_work.items()), (per_work, submitted)
    assert len({reviewer for reviewer, _work in leases}) == len(leases)  # one open extra per learner
    assert all(reviewer != work for reviewer, work in leases)
