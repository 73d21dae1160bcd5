"""The service layer's public API: what it names, that no Django exception leaves it, and that
what it answers are plain values."""
import inspect
import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, OperationalError

from crosscheck_xblock import services
from crosscheck_xblock.errors import BadRequest, Conflict, NotFound
from crosscheck_xblock.models import Task
from crosscheck_xblock.services.guard import guarded

from ..factories import CLOSES, DEADLINE, T0, make_task, review_all, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def public_functions():
    return [(name, getattr(services, name)) for name in services.__all__
            if inspect.isfunction(getattr(services, name))]


def test_every_public_function_is_guarded_and_documented():
    functions = public_functions()
    assert len(functions) > 25
    assert [name for name, func in functions if not getattr(func, "guarded", False)] == []
    assert [name for name, func in functions if not (func.__doc__ or "").strip()] == []


def test_per_task_functions_take_the_task_first():
    """One kind of first argument: a TaskRef (the lookups, the sweep and the course-level reads,
    which the plugin's course page calls with a course id and no block, take none)."""
    taskless = {"sync_task", "find_task", "read_task", "task_started", "delete_task", "due_tasks", "sweep_turn",
                "sweep_is_stale", "sweep_status", "forget_username", "usernames", "simulated_rates",
                "course_overview", "course_has_tasks", "due_notices",
                # Telegram and the reader's zone are the user's, site-wide, not a task's.
                "reader_zone", "reader_zones", "deliver_outbox", "has_pending", "handle_update",
                "telegram_part", "token_owner", "unlink"}
    firsts = {name: next(iter(inspect.signature(func).parameters)) for name, func in public_functions()
              if name not in taskless}
    assert set(firsts.values()) == {"task"}, firsts


def test_a_block_nobody_opened_is_not_found():
    with pytest.raises(NotFound) as raised:
        services.find_task("block-v1:nobody+opened+this")
    assert (raised.value.status, raised.value.code) == (404, "unknown_task")


def test_a_task_deleted_under_a_request_is_not_found_not_a_server_error():
    ref = make_task("vanishing", 3)
    Task.objects.filter(pk=ref.id).delete()
    for call in (lambda: services.start_cross_check(ref, DEADLINE),
                 lambda: services.complete_cross_check(ref, CLOSES),
                 lambda: services.submit_work(ref, "someone", "https://x.example.org/", T0)):
        with pytest.raises(NotFound):
            call()


@pytest.mark.parametrize("error, expected, code", [
    (IntegrityError("duplicate"), Conflict, "concurrent_change"),
    (OperationalError(1213, "Deadlock found"), Conflict, "busy"),
    (OperationalError("database is locked"), Conflict, "busy"),
    (Task.DoesNotExist(), NotFound, "not_found"),
])
def test_guarded_turns_database_exceptions_into_refusals(error, expected, code):
    @guarded
    def failing():
        raise error

    with pytest.raises(expected) as raised:
        failing()
    assert raised.value.code == code


def test_guarded_leaves_a_real_outage_alone():
    @guarded
    def outage():
        raise OperationalError(2006, "MySQL server has gone away")

    with pytest.raises(OperationalError):
        outage()


def test_guarded_lets_refusals_through_unchanged():
    refusal = BadRequest("No.", "bad_thing")

    @guarded
    def refusing():
        raise refusal

    with pytest.raises(BadRequest) as raised:
        refusing()
    assert raised.value is refusal


def test_answers_are_plain_values():
    """What the read models answer is JSON as it is (no model rows, no dates objects)."""
    make_task("plain", 5, k=2)
    start("plain", DEADLINE)
    review_all("plain", DEADLINE + timedelta(minutes=1), skip=0)
    current = task("plain")
    for answer in (services.staff_overview(current, CLOSES), services.staff_appeals(current, CLOSES),
                   services.task_analytics(current, CLOSES),
                   services.learner_state(current, "nobody", CLOSES)):
        assert json.loads(json.dumps(answer)) == answer
    assert isinstance(current, services.TaskRef)


def test_a_task_with_reviews_and_grades_can_be_deleted():
    """`crosscheck_demo --reset` deletes a demo whose learners reviewed and were graded."""
    from crosscheck_xblock.models import ChecklistVersion, Review, Work

    make_task("reset-me", 5, k=2)
    start("reset-me", DEADLINE)
    review_all("reset-me", DEADLINE + timedelta(minutes=1), skip=0)
    services.complete_cross_check(task("reset-me"), CLOSES)
    assert Review.objects.exists()
    assert services.delete_task("reset-me") is True
    assert not (Task.objects.exists() or Work.objects.exists() or Review.objects.exists()
                or ChecklistVersion.objects.exists())
    assert services.delete_task("reset-me") is False
