"""A cross-check whose end passed before it started cannot be started: everyone would get 0."""
from datetime import timedelta

import pytest

from crosscheck_xblock import services
from crosscheck_xblock.errors import Conflict
from crosscheck_xblock.models import Assignment, Task

from ..factories import CLOSES, END, make_task, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.mark.parametrize("when", [END, END + timedelta(hours=1), CLOSES + timedelta(days=3)])
def test_start_now_after_the_end_is_refused_and_says_why(when):
    make_task("late", 6, k=2)
    with pytest.raises(Conflict) as raised:
        start("late", when)
    assert raised.value.code == "review_period_over" and "Move the cross-check end" in raised.value.message
    assert Assignment.objects.count() == 0 and Task.objects.get().status == Task.OPEN
    overview = services.staff_overview(task("late"), when)
    assert overview["can_start"] is False and "move the cross-check end" in overview["start_blocked"]


def test_no_automatic_start_in_the_adjustment_period():
    make_task("late-auto", 6, k=2)
    assert services.advance_task(task("late-auto"), END + timedelta(hours=1)) is None
    assert Task.objects.get().status == Task.OPEN


def test_a_start_before_the_end_is_allowed():
    make_task("in-time", 6, k=2)
    assert start("in-time", END - timedelta(minutes=1))["started"] is True
    assert services.staff_overview(task("in-time"), END)["start_blocked"] == ""
