"""The workbench demo (`manage.py crosscheck_demo`): what a newcomer sees at once."""
import json

import pytest
from django.core.management import call_command
from workbench.scenarios import add_xml_scenario, get_scenarios

from cc_workbench.demo import EXTRA_REVIEWER, LEARNERS, NO_SHOW_COUNT
from cc_workbench.management.commands.crosscheck_demo import scenario_usage_id
from crosscheck_xblock.block import DEMO_SCENARIO, GRADED_SCENARIO, RUNNING_SCENARIO, CrossCheckXBlock
from crosscheck_xblock.models import Grade, Message, Rating, Work

from .conftest import Block

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def demo(client, db):
    # Other handler tests add throwaway scenarios, after which the workbench no longer loads the
    # block's own: add the demos if they are missing.
    known = {scenario.description for scenario in get_scenarios().values()}
    for number, (description, xml) in enumerate(CrossCheckXBlock.workbench_scenarios()):
        if description not in known:
            add_xml_scenario(f"demo-{number}", description, xml)
    call_command("crosscheck_demo", stdout=open("/dev/null", "w"))
    return Block(client, scenario_usage_id(RUNNING_SCENARIO))


def test_the_demo_under_review_shows_the_social_half(demo):
    assert Work.objects.filter(task__usage_key=scenario_usage_id(DEMO_SCENARIO)).count() == len(LEARNERS)
    alice = demo.state("alice")
    assert alice["phase"] == "review"
    talked = [entry for entry in alice["received"] if entry["thread"]]
    thread = demo.ok("get_thread", "alice", {"thread": talked[0]["thread"]["id"]})
    froms = {m["from"] for m in thread["messages"] if m["kind"] == "message"}
    assert "You" in froms and "Course staff" in froms and any(f.startswith("Reviewer ") for f in froms)
    assert any(m["kind"] == "message" and m["phrase"] for m in thread["messages"])
    assert {(r.kind, r.status) for r in Rating.objects.all()} == {("thanks", "sent"), ("complaint", "pending")}
    assert demo.ok("staff_appeals", "staff")["complaints_pending"] == 1
    assert len(demo.ok("staff_threads", "staff")["threads"]) == 3 * (len(LEARNERS) - NO_SHOW_COUNT) + 1  # + the extra
    assert Message.objects.count() >= 6
    # D4: dave did an extra review of a work lacking reviews; alice is offered one.
    assert demo.state(EXTRA_REVIEWER)["extra"]["done"] == 1 and alice["extra"]["available"] is True
    overview = demo.ok("staff_overview", "staff")
    assert sum(row["reviews_received_extra"] for row in overview["learners"]) == 1
    assert overview["extra_pool"]["size"] >= 1 and overview["extra_pool"]["samples"]
    # The demo's reviewers marked works as best (issue 12): the staff's Best works tab is not empty.
    assert [row for row in demo.ok("staff_best_works", "staff")["works"] if row["marks"] > 0]
    carol_reviewer = demo.ok("staff_threads", "staff")["threads"]
    assert any(t["unread"] for t in carol_reviewer)
    for name in LEARNERS:  # nobody's page names another learner (the links of works one reviews aside)
        state = demo.state(name)
        for review in state["reviews"]:
            review.pop("url")
        text = json.dumps(state)
        assert not [other for other in LEARNERS if other != name and other in text], name


def test_the_demo_loads_once(demo):
    works, grades = Work.objects.count(), Grade.objects.count()
    call_command("crosscheck_demo", stdout=open("/dev/null", "w"))
    assert Work.objects.count() == works and Rating.objects.count() == 2 and Grade.objects.count() == grades


def test_the_demo_course_shows_three_phases_in_the_overview(demo):
    """The three demos are one course: a newcomer's overview has a task open for submission, one
    under review and one graded, newest first, each linking to its scenario's page."""
    graded = Block(demo.client, scenario_usage_id(GRADED_SCENARIO))
    assert Grade.objects.filter(work__task__usage_key=graded.usage_id, status=Grade.GRADED).count() == len(LEARNERS)
    tasks = demo.ok("course_overview", "alice")["tasks"]
    assert [task["phase"] for task in tasks] == ["submission", "review", "closed"]
    assert [task["open_for_submission"] for task in tasks] == [True, False, False]
    assert all(task["submitted"] for task in tasks) and tasks[2]["grade"]["status"] == "graded"
    # (k is the scenario's 3, or the default 4 once an earlier test's rollback took the
    # workbench's stored field values: the demo is the same either way.)
    assert tasks[1]["reviews_done"] == tasks[1]["reviews_assigned"] > 0
    pages = {scenario.usage_id: name for name, scenario in get_scenarios().items()}
    expected = [f"/scenario/{pages[scenario_usage_id(d)]}/?student=alice"
                for d in (DEMO_SCENARIO, RUNNING_SCENARIO, GRADED_SCENARIO)]
    assert [task["url"] for task in tasks] == expected
