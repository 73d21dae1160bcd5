"""The gradebook writes of a finished grading fan out as Celery chunks (issue 15).

`complete_cross_check(fan_out=True)` (the Celery task advance_task, the staff button) queues
one `write_scores` per CROSSCHECK_SCORE_CHUNK grades once its transaction commits; each chunk
is idempotent. Here Celery is eager (the workbench's app) unless a test turns that off and
collects the queued chunks itself, to run them out of order, twice, or not at all. The grades
are computed before the task row lock is taken; a change in between makes it compute again.
"""
from collections import Counter
from datetime import timedelta

import pytest
from submissions.models import Score

from cc_workbench.models import GradebookEntry
from crosscheck_xblock import tasks
from crosscheck_xblock.models import Grade, Review, Task
from crosscheck_xblock.services import gradebook, grading, lifecycle, registry

from ..factories import CLOSES, DEADLINE, advance, complete, make_task, review_all, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def graded_task(key: str, n: int, skip: int = 1):
    make_task(key, n, k=2)
    start(key, DEADLINE)
    review_all(key, DEADLINE + timedelta(minutes=1), skip=skip)  # `skip` learners leave theirs undone
    return task(key)


def assert_each_score_once(key: str, n: int) -> None:
    """Every learner with points has one Score row and one gradebook entry: nothing twice."""
    scored = Grade.objects.filter(work__task__usage_key=key, points__isnull=False).count()
    assert scored == n
    scores = Counter(Score.objects.filter(student_item__item_id=key).values_list("student_item__student_id",
                                                                                flat=True))
    assert len(scores) == n and set(scores.values()) == {1}
    entries = Counter(GradebookEntry.objects.filter(item_id=key).values_list("anonymous_user_id", flat=True))
    assert entries == scores


@pytest.fixture
def queued(monkeypatch, django_capture_on_commit_callbacks):
    """Celery not eager: the chunks `write_scores.delay` would send are collected in this list
    (usage key, first pk, last pk). `queued.fan_out(step, …)` runs a step with fan_out=True and
    then the on-commit callbacks, as the commit of the test's own transaction would."""

    class Sent(list):
        def fan_out(self, step, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return step(*args, fan_out=True, **kwargs)

    sent = Sent()
    conf = tasks.write_scores.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    monkeypatch.setattr(tasks.write_scores, "delay", lambda *args: sent.append(args))
    yield sent
    conf.task_always_eager = eager


def test_the_chunks_cover_every_grade_once(settings):
    graded_task("chunks-cover", 11)
    complete("chunks-cover", CLOSES, max_batches=0)  # grades stored, nothing written yet
    grades = list(Grade.objects.filter(points__isnull=False).order_by("pk").values_list("pk", flat=True))
    chunks = gradebook.chunks(task("chunks-cover").id, 4)
    assert [size for size in (sum(1 for pk in grades if first <= pk <= last) for first, last in chunks)] == [4, 4, 3]
    covered = [pk for pk in grades for first, last in chunks if first <= pk <= last]
    assert covered == grades  # each grade in exactly one chunk, in order


def test_eager_fan_out_writes_every_score_once_in_chunks(settings, monkeypatch):
    settings.CROSSCHECK_SCORE_CHUNK = 3
    calls = []
    real = lifecycle.write_score_chunk
    monkeypatch.setattr(lifecycle, "write_score_chunk",
                        lambda *args, **kwargs: calls.append(args[1:3]) or real(*args, **kwargs))
    monkeypatch.setattr("crosscheck_xblock.services.write_score_chunk", lifecycle.write_score_chunk)
    graded_task("chunks-eager", 8)
    result = complete("chunks-eager", CLOSES, fan_out=True)
    assert result["completed"] is True and result["message"] == "7 of 8 learners graded."
    assert len(calls) == 3  # 8 grades in chunks of 3, each its own Celery task
    row = Task.objects.get()
    assert row.status == Task.COMPLETED and row.scores_queued_at == CLOSES
    assert_each_score_once("chunks-eager", 8)


def test_chunks_are_queued_on_commit_and_each_runs_idempotently(settings, queued, clock,
                                                                django_capture_on_commit_callbacks):
    settings.CROSSCHECK_SCORE_CHUNK = 4
    graded_task("chunks-queued", 10)
    clock.current = CLOSES + timedelta(minutes=5)  # the workers' clock
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = complete("chunks-queued", CLOSES, fan_out=True)
        assert queued == []  # nothing goes to the broker before the grades are committed
    assert len(callbacks) == 1 and len(queued) == 3
    assert result["completed"] is False and result["status"] == Task.GRADING
    assert "10 grades are still being written" in result["message"]
    # The chunks run in any order: the task completes with the last one.
    for chunk in reversed(queued):
        assert Task.objects.get().status == Task.GRADING
        tasks.write_scores(*chunk)
    row = Task.objects.get()
    assert row.status == Task.COMPLETED and row.completed_at == clock.current
    # Each again (a redelivery, a second worker): nothing is written twice.
    assert [tasks.write_scores(*chunk) for chunk in queued] == [0, 0, 0]
    assert_each_score_once("chunks-queued", 10)


def test_the_task_completes_with_the_chunk_that_writes_the_last_grade(settings, queued):
    settings.CROSSCHECK_SCORE_CHUNK = 5
    graded_task("chunks-last", 10)
    queued.fan_out(complete, "chunks-last", CLOSES)
    (_, first1, last1), (_, first2, last2) = queued
    current = task("chunks-last")
    assert lifecycle.write_score_chunk(current, first2, last2, CLOSES) == {"written": 5, "status": Task.GRADING}
    assert lifecycle.write_score_chunk(current, first2, last2, CLOSES) == {"written": 0, "status": Task.GRADING}
    assert lifecycle.write_score_chunk(current, first1, last1, CLOSES) == {"written": 5, "status": Task.COMPLETED}
    assert_each_score_once("chunks-last", 10)


def test_the_sweep_queues_again_only_unwritten_chunks_and_only_after_the_requeue_time(settings, queued):
    settings.CROSSCHECK_SCORE_CHUNK = 4
    settings.CROSSCHECK_SCORE_REQUEUE_SECONDS = 300
    graded_task("chunks-requeue", 10)
    queued.fan_out(complete, "chunks-requeue", CLOSES)
    assert len(queued) == 3
    tasks.write_scores(*queued[0])  # one chunk is written; the worker of the others died
    queued.clear()
    queued.fan_out(advance, "chunks-requeue", CLOSES + timedelta(seconds=60))  # in flight still
    assert queued == []
    assert Task.objects.get().status == Task.GRADING
    later = CLOSES + timedelta(seconds=301)
    result = queued.fan_out(advance, "chunks-requeue", later)
    assert [chunk[1:] for chunk in queued] == gradebook.chunks(task("chunks-requeue").id, 4)
    assert len(queued) == 2 and result["status"] == Task.GRADING  # the two unwritten ones only
    assert Task.objects.get().scores_queued_at == later
    for chunk in queued:
        tasks.write_scores(*chunk)
    assert Task.objects.get().status == Task.COMPLETED
    assert_each_score_once("chunks-requeue", 10)


def test_a_serial_writer_and_chunks_share_the_grades(settings, queued, monkeypatch):
    """A page view (one batch, in its own process) while the chunks are queued: each score once."""
    settings.CROSSCHECK_SCORE_CHUNK = 5
    monkeypatch.setattr(gradebook, "SCORE_BATCH_SIZE", 3)
    graded_task("chunks-shared", 10)
    queued.fan_out(complete, "chunks-shared", CLOSES)
    complete("chunks-shared", CLOSES, max_batches=1)  # writes 3 grades of the first chunk
    assert Grade.objects.filter(score_written=True).count() == 3
    assert [tasks.write_scores(*chunk) for chunk in queued] == [2, 5]
    assert Task.objects.get().status == Task.COMPLETED
    assert_each_score_once("chunks-shared", 10)


def test_the_grades_are_computed_before_the_task_row_lock(monkeypatch):
    graded_task("compute-first", 6)
    events = []
    real_compute, real_lock = grading.grade_rows, registry.lock_row  # what the grading computes with
    monkeypatch.setattr(grading, "grade_rows", lambda *a, **k: events.append("compute") or real_compute(*a, **k))

    def lock_row(task_ref, *, wait=True):
        events.append("lock")
        return real_lock(task_ref, wait=wait)

    monkeypatch.setattr(registry, "lock_row", lock_row)
    assert complete("compute-first", CLOSES)["completed"] is True
    assert events[:2] == ["compute", "lock"]  # computed once, outside the lock
    assert events.count("compute") == 1


def test_a_review_landing_between_the_computation_and_the_lock_is_counted(monkeypatch):
    """The inputs changed after the grades were computed: they are computed again under the lock."""
    graded_task("compute-again", 6, skip=0)  # nobody's grade is a 0 for unfinished reviews
    calls = []
    real_compute = grading.grade_rows  # what the grading computes with
    latest = Review.objects.order_by("-pk").first()
    author = latest.assignment.work_id

    def compute_then_a_review_lands(*args, **kwargs):
        result = real_compute(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # a new version of a review, committed before the lock is taken
            Review.objects.create(assignment=latest.assignment, items=latest.items, total=0.0,
                                  checklist_version=latest.checklist_version, created_at=latest.created_at,
                                  comment="changed")
        return result

    before = grading.compute_grades(task("compute-again"), CLOSES)[0]
    monkeypatch.setattr(grading, "grade_rows", compute_then_a_review_lands)
    assert complete("compute-again", CLOSES)["completed"] is True
    assert len(calls) == 2
    stored = Grade.objects.get(work_id=author)
    stale = next(grade for grade in before if grade.work_id == author)
    monkeypatch.undo()
    fresh = next(grade for grade in grading.compute_grades(task("compute-again"), CLOSES)[0]
                 if grade.work_id == author)
    assert stored.exact_points == fresh.exact_points < stale.exact_points  # the new version's 0 counts
