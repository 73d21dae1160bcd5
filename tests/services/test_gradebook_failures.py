"""One failing gradebook write holds up nothing: its grade is marked failed and retried later
with a backoff, the other grades go on, staff see it, and the cron command handles each task on
its own. The failure is a receiver of edx-submissions' score_set that raises for one learner, as
a broken LMS receiver would."""
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from submissions.models import score_set

from cc_workbench.models import GradebookEntry
from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.models import Grade, Task
from crosscheck_xblock.services import gradebook

from ..factories import CLOSES, DEADLINE, advance, complete, full_items, make_task, review_all, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FAILING = anonymous_id("w002")


class GradebookDown(RuntimeError):
    """What the broken receiver raises."""


@pytest.fixture
def broken_receiver():
    """A score_set receiver that raises for learner w002; `broken_receiver.fixed()` mends it."""
    def receiver(sender, anonymous_user_id, **kwargs):
        if anonymous_user_id == FAILING:
            raise GradebookDown("the grades app is down for this learner")

    score_set.connect(receiver, weak=False, dispatch_uid="test-broken-receiver")

    class Control:
        @staticmethod
        def fixed():
            score_set.disconnect(dispatch_uid="test-broken-receiver")

    yield Control
    score_set.disconnect(dispatch_uid="test-broken-receiver")


def graded_task(key: str, n: int = 6):
    make_task(key, n, k=2)
    start(key, DEADLINE)
    review_all(key, DEADLINE + timedelta(minutes=1), skip=0)
    return task(key)


def entries(key: str) -> set[str]:
    return set(GradebookEntry.objects.filter(item_id=key).values_list("anonymous_user_id", flat=True))


def test_one_failing_write_is_marked_and_the_rest_are_written(broken_receiver):
    graded_task("gb-fail")
    result = complete("gb-fail", CLOSES)
    assert result["completed"] is True and "1 gradebook write failed and will be retried." in result["message"]
    assert Task.objects.get(usage_key="gb-fail").status == Task.COMPLETED  # the grades are published
    assert len(entries("gb-fail")) == 5 and FAILING not in entries("gb-fail")
    failed = Grade.objects.get(work__student_id=FAILING)
    assert (failed.score_written, failed.score_attempts) == (False, 1)
    assert "GradebookDown: the grades app is down" in failed.score_error
    assert failed.score_retry_at == CLOSES + gradebook.RETRY_FIRST
    # Staff see it in the overview, with the learner's name and the error.
    overview = services.staff_overview(task("gb-fail"), CLOSES)
    assert overview["gradebook"]["written"] == 5
    assert [(row["learner"], row["attempts"]) for row in overview["gradebook"]["failed"]] == [("w002", 1)]
    assert next(r for r in overview["learners"] if r["learner"] == "w002")["grade"]["gradebook_error"]
    # Its Score row went with the failed savepoint: edx-submissions holds only what reached the LMS.
    assert not failed.work.grade.score_written


def test_a_failed_write_is_retried_with_a_backoff_until_it_goes_through(broken_receiver):
    graded_task("gb-retry")
    complete("gb-retry", CLOSES)
    assert services.due_tasks(CLOSES + timedelta(minutes=4)) == []  # not before its time
    first_retry = CLOSES + gradebook.RETRY_FIRST
    assert services.due_tasks(first_retry) == ["gb-retry"]
    assert advance("gb-retry", first_retry)["retried"] == 1
    failed = Grade.objects.get(work__student_id=FAILING)
    assert failed.score_attempts == 2 and failed.score_retry_at == first_retry + 2 * gradebook.RETRY_FIRST
    broken_receiver.fixed()
    second_retry = failed.score_retry_at
    assert advance("gb-retry", second_retry)["retried"] == 1
    failed.refresh_from_db()
    assert (failed.score_written, failed.score_error, failed.score_retry_at) == (True, "", None)
    assert FAILING in entries("gb-retry") and services.due_tasks(second_retry + timedelta(days=1)) == []
    assert services.staff_overview(task("gb-retry"), second_retry)["gradebook"]["failed"] == []


def test_the_backoff_doubles_and_stops_growing():
    delays = [gradebook.retry_delay(attempt) for attempt in range(1, 12)]
    assert delays[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert max(delays) == gradebook.RETRY_MAX and delays == sorted(delays)


def test_the_cron_command_handles_each_task_on_its_own(monkeypatch):
    graded_task("tick-broken")
    graded_task("tick-fine")
    real = services.advance_task

    def advance_or_break(current, now, **kwargs):
        if current.usage_key == "tick-broken":
            raise GradebookDown("this task's step breaks")
        return real(current, now, **kwargs)

    monkeypatch.setattr(services, "advance_task", advance_or_break)
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 due block"):
        call_command("crosscheck_tick", stdout=out)
    assert "tick-broken: failed: GradebookDown" in out.getvalue()
    assert Task.objects.get(usage_key="tick-fine").status == Task.COMPLETED
    assert Task.objects.get(usage_key="tick-broken").status == Task.DISTRIBUTED


def test_a_recheck_whose_write_fails_keeps_the_new_grade_and_retries(broken_receiver):
    graded_task("gb-recheck")
    complete("gb-recheck", CLOSES)
    broken_receiver.fixed()
    current = task("gb-recheck")
    work_id = Grade.objects.get(work__student_id=FAILING).work_id
    services.advance_task(current, CLOSES + gradebook.RETRY_FIRST)  # the first write goes through

    def down_again(sender, **kwargs):
        raise GradebookDown("down again")

    score_set.connect(down_again, weak=False, dispatch_uid="test-broken-receiver")
    result = services.staff_recheck(current, work_id, {"items": full_items(current, 0.5)}, "staff", CLOSES)
    assert result["gradebook_written"] is False and "as soon as it can be" in result["message"]
    grade = Grade.objects.get(work_id=work_id)
    assert (grade.points, grade.score_written, grade.score_attempts) == (result["points"], False, 1)
    assert grade.score_retry_at == CLOSES + gradebook.RETRY_FIRST
