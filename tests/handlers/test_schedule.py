"""Timed phases through the handlers, with the clock under test control (T1–T6, S1, S3).

Nobody clicks a staff button here: the steps run because someone opens the block after their
time (the lazy check in student_view / get_state).
"""
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cc_workbench.models import GradebookEntry
from cc_workbench.runtime import CrossCheckWorkbenchRuntime
from crosscheck_xblock import services
from crosscheck_xblock.models import Assignment, Grade, LinkChange, Review, Task

from .conftest import full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FIVE = [f"p{i}" for i in range(5)]
# The clock fixture starts at 2026-03-02 10:00 UTC.
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="1" '
         'reviews_per_work="2" grading_policy="mean"')


@pytest.mark.usefixtures("clock")
def test_dates_fill_from_the_deadline_and_due_is_the_deadline(make_block):
    block = make_block('submission_due="2026-03-03T10:00:00Z"')
    settings = block.state("p0")["settings"]
    assert settings["review_start"] == "2026-03-03T10:00:00Z"          # T1: start = deadline
    assert settings["review_due"] == "2026-03-06T10:00:00Z"            # end = start + 3 days
    assert settings["adjustment_days"] == 1.0
    assert settings["adjustment_due"] == "2026-03-07T10:00:00Z"
    assert "appeal" in settings["late_change_warning"]
    # T2: the block's `due` (what the LMS lists in the course schedule) is the deadline, and the
    # workbench runtime, which sets `due = utcnow()` on every request, leaves it alone.
    block.ok("submit_work", "p0", {"url": "https://p0.example.org/"})
    loaded = CrossCheckWorkbenchRuntime("p0").get_block(block.usage_id)
    assert loaded.due == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    task = Task.objects.get()
    assert task.starts_at == datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
    assert task.closes_at == datetime(2026, 3, 7, 10, 0, tzinfo=UTC)


def test_a_block_without_deadline_has_no_due(make_block):
    block = make_block()
    block.state("p0")
    assert CrossCheckWorkbenchRuntime("p0").get_block(block.usage_id).due is None


def test_the_whole_timeline_runs_by_itself(make_block, clock):
    block = make_block(DATES)
    block.submit_all(FIVE)
    assert block.state("p0")["phase"] == "submission"

    clock.advance(days=1)  # the deadline = the start: the first page view distributes
    state = block.state("p3")
    assert state["phase"] == "review" and len(state["reviews"]) == 2
    assert Task.objects.get().status == Task.DISTRIBUTED
    assert Assignment.objects.count() == 10
    first = full_review(block.state("p0"), 0, value=0.5)
    block.ok("submit_review", "p0", first)
    for name in FIVE[1:]:
        for index in (0, 1):
            block.ok("submit_review", name, full_review(block.state(name), index))

    clock.advance(days=2)  # the end: the adjustment period (T6)
    assert block.state("p0")["phase"] == "adjustment"
    corrected = {**first, "items": {key: 1.0 if value == 0.5 else value for key, value in first["items"].items()}}
    assert block.ok("submit_review", "p0", corrected)["reviews"][0]["total"] > 0
    assert Review.objects.filter(assignment__token=first["review_id"]).count() == 2
    status, body = block.call("submit_review", "p0", full_review(block.state("p0"), 1))  # never submitted
    assert (status, body["code"]) == (409, "review_closed")
    status, body = block.call("submit_review", "p0", {**corrected, "comment": "changed my mind"})
    assert (status, body["code"]) == (409, "adjustment_points_only")
    status, body = block.call("submit_work", "p0", {"url": "https://p0.example.org/new", "confirm_late": True})
    assert (status, body["code"]) == (409, "submission_closed")
    assert Grade.objects.count() == 0

    clock.advance(days=1)  # end + adjustment: the next page view grades
    state = block.state("p4")
    assert state["phase"] == "closed" and state["grade"]["status"] == "graded"
    assert Task.objects.get().status == Task.COMPLETED
    assert Grade.objects.count() == 5 and not Grade.objects.filter(score_written=False, points__isnull=False)
    assert GradebookEntry.objects.count() == 5  # one score per learner, written once
    assert block.state("p0")["grade"]["status"] == "reviews_unfinished"  # p0 left a review undone
    status, body = block.call("submit_review", "p0", corrected)  # T5: nothing after the end
    assert (status, body["code"]) == (409, "review_closed")


def test_late_link_replacement_is_confirmed_and_flagged(make_block, clock):
    block = make_block('submission_due="2026-03-03T10:00:00Z" review_start="2026-03-04T10:00:00Z"')
    block.ok("submit_work", "p0", {"url": "https://p0.example.org/v1"})
    block.ok("submit_work", "p0", {"url": "https://p0.example.org/v2"})  # before the deadline: free
    clock.advance(days=1, hours=1)
    status, body = block.call("submit_work", "p0", {"url": "https://p0.example.org/v3"})
    assert (status, body["code"]) == (409, "confirm_late_change")
    state = block.ok("submit_work", "p0", {"url": "https://p0.example.org/v3", "confirm_late": True})
    assert state["submission"]["url"] == "https://p0.example.org/v3"
    changes = list(LinkChange.objects.values_list("old_url", "new_url", "after_deadline"))
    assert changes == [("https://p0.example.org/v1", "https://p0.example.org/v2", False),
                       ("https://p0.example.org/v2", "https://p0.example.org/v3", True)]
    learner = block.ok("staff_overview", "staff")["learners"][0]
    assert learner["late_link_change"] is True
    assert learner["link_changes"][-1] == {"old_url": "https://p0.example.org/v2",
                                           "new_url": "https://p0.example.org/v3",
                                           "changed_at": "2026-03-03T11:00:00Z", "after_deadline": True}
    # The same link again changes nothing and flags nothing.
    block.ok("submit_work", "p0", {"url": "https://p0.example.org/v3", "confirm_late": True})
    assert LinkChange.objects.count() == 2


def test_the_lazy_check_costs_no_query_when_nothing_is_due(make_block, clock):
    block = make_block(DATES)
    block.submit_all(FIVE)
    task = services.find_task(Task.objects.get().usage_key)
    with CaptureQueriesContext(connection) as queries:
        assert services.run_due_transitions(task, clock()) is task
    assert len(queries) == 0


def test_olx_export_leaves_due_out_and_import_derives_it():
    from lxml import etree
    runtime = CrossCheckWorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(
        '<crosscheck submission_due="2026-04-01T12:00:00Z" due="2020-01-01T00:00:00Z"/>'))
    assert block.due == datetime(2026, 4, 1, 12, 0, tzinfo=UTC)  # the deadline wins
    node = etree.Element("crosscheck")
    block.add_xml_to_node(node)
    assert node.get("due") is None and node.get("submission_due") == "2026-04-01T12:00:00Z"
