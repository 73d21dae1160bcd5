"""Start → review → complete through the handlers: distribution, review validation, grades (D, R, A)."""
import pytest
from submissions import api as submissions_api

from cc_workbench.models import GradebookEntry
from crosscheck_xblock.models import Assignment, Grade, Review, Task

from .conftest import anon, full_review, justify

pytestmark = [pytest.mark.db, pytest.mark.django_db]
NINE = [f"l{i}" for i in range(9)]


@pytest.fixture
def running(make_block):
    """Nine learners submitted to a k=4 task and staff started the cross-check."""
    block = make_block('reviews_per_work="4" grading_policy="mean"')
    block.submit_all(NINE)
    result = block.ok("staff_start", "staff")["result"]
    assert result["started"] is True
    return block


def test_only_staff_may_start_or_complete(make_block):
    block = make_block()
    block.submit_all(NINE[:3])
    for handler in ("staff_start", "staff_complete", "staff_overview"):
        status, body = block.call(handler, "l0")
        assert status == 403 and body["code"] == "staff_only"
    assert Task.objects.get().status == Task.OPEN and not Assignment.objects.exists()


def test_distribution_gives_k_works_each_way(running):
    received = {}
    for name in NINE:
        state = running.state(name)
        assert state["phase"] == "review"
        assert [r["title"] for r in state["reviews"]] == ["Work 1", "Work 2", "Work 3", "Work 4"]
        urls = [r["url"] for r in state["reviews"]]
        assert f"https://{name}.example.org/" not in urls
        for url in urls:
            received[url] = received.get(url, 0) + 1
    assert sorted(received.values()) == [4] * 9
    overview = running.ok("staff_overview", "staff")
    assert overview["reviewers_per_work"] == 4 and overview["distribution_note"] == ""
    assert running.ok("staff_start", "staff")["result"]["started"] is False  # idempotent
    assert Assignment.objects.count() == 36


@pytest.mark.parametrize("mutate, code, status", [
    (lambda r: r["items"].update({"nope": 1}), "unknown_item", 400),
    (lambda r: r["items"].pop(next(iter(r["items"]))), "missing_item", 400),
    (lambda r: r["items"].update({"c2": 1.5}), "bad_value", 400),
    (lambda r: r["items"].update({"c2": -0.1}), "bad_value", 400),
    (lambda r: r["items"].update({"c2": True}), "bad_value", 400),
    (lambda r: r["items"].update({"c2": "1"}), "bad_value", 400),
    (lambda r: r["items"].update({"c15": 0.5}), "bad_value", 400),
    (lambda r: r.update({"items": [1, 2]}), "bad_items", 400),
    (lambda r: r.update({"comment": {"x": 1}}), "bad_comment", 400),
    (lambda r: r.update({"review_id": "0" * 24}), "not_assigned", 403),
    (lambda r: r.update({"review_id": None}), "bad_review_id", 400),
])
def test_invalid_reviews_are_refused_and_change_nothing(running, mutate, code, status):
    review = full_review(running.state("l0"))
    mutate(review)
    got_status, body = running.call("submit_review", "l0", review)
    assert (got_status, body["code"]) == (status, code), body
    assert body["error"]
    assert not Review.objects.exists() and not Assignment.objects.filter(submitted_at__isnull=False).exists()


def test_a_reviewer_cannot_review_someone_elses_assignment(running):
    others = running.state("l1")
    review = full_review(others)
    status, body = running.call("submit_review", "l0", review)
    assert (status, body["code"]) == (403, "not_assigned")
    assert not Review.objects.exists()


def test_review_total_and_resubmission_keep_history(running):
    state = running.state("l0")
    review = full_review(state, value=0.5, penalties=0)
    review["items"]["c16"] = 1  # -20
    review = justify(state, review)  # the applied penalty says why
    after = running.ok("submit_review", "l0", review)
    assert after["reviews"][0]["status"] == "submitted"
    assert after["reviews"][0]["total"] == 30.0  # 100 × 0.5 − 20
    assert after["progress"] == {"reviews_done": 1, "reviews_assigned": 4}
    review["items"]["c16"] = 0
    again = running.ok("submit_review", "l0", review)
    assert again["reviews"][0]["total"] == 50.0
    assert Review.objects.count() == 2  # both versions kept (R10)
    review["items"]["c15"] = 1  # -100: floored at 0
    assert running.ok("submit_review", "l0", justify(state, review))["reviews"][0]["total"] == 0.0


def test_reviews_are_refused_before_start_and_after_completion(make_block):
    block = make_block()
    block.submit_all(NINE[:5])
    status, body = block.call("submit_review", "l0", {"review_id": "x", "items": {}})
    assert (status, body["code"]) == (409, "review_closed")
    block.ok("staff_start", "staff")
    review = full_review(block.state("l0"))
    block.ok("staff_complete", "staff")
    status, body = block.call("submit_review", "l0", review)
    assert (status, body["code"]) == (409, "review_closed")


def test_complete_grades_finishers_and_zeroes_the_rest(running):
    totals_given = {}
    for index, name in enumerate(NINE):
        state = running.state(name)
        if name == "l8":  # does only one of four reviews
            running.ok("submit_review", name, full_review(state, 0, value=1.0))
            continue
        for review_index in range(4):
            running.ok("submit_review", name, full_review(state, review_index, value=(index + 1) / 10))
        totals_given[name] = (index + 1) * 10
    result = running.ok("staff_complete", "staff")["result"]
    assert result["completed"] is True and result["message"] == "8 of 9 learners graded."
    assert running.ok("staff_complete", "staff")["result"]["completed"] is False

    lazy = running.state("l8")["grade"]
    assert lazy["status"] == "reviews_unfinished" and lazy["points"] == 0 and "did not finish" in lazy["message"]
    grades = {g.work.student_id: g for g in Grade.objects.select_related("work")}
    assert len(grades) == 9
    received_counts = [len(running.state(name)["grade"]["scores"]) for name in NINE]
    assert sum(received_counts) == 8 * 4 + 1  # l8's three missing reviews are simply absent
    for name in NINE[:8]:
        grade = running.state(name)["grade"]
        assert grade["status"] == "graded" and grade["max"] == 100
        received = [s["total"] for s in grade["scores"]]
        assert len(received) in (3, 4) and all(s["counted"] for s in grade["scores"])  # policy mean
        expected = sum(received) / len(received)
        assert grade["exact"] == pytest.approx(expected)
        assert grade["points"] == int(expected + 0.5)
        # The LMS side: edx-submissions holds the score, and score_set reached the gradebook.
        work = grades[anon(name)].work
        score = submissions_api.get_score({"student_id": anon(name), "course_id": work.task.course_id,
                                           "item_id": work.task.usage_key, "item_type": "crosscheck"})
        assert (score["points_earned"], score["points_possible"]) == (grade["points"], 100)
    entries = {e.anonymous_user_id: e for e in GradebookEntry.objects.all()}
    assert len(entries) == 9 and entries[anon("l8")].points_earned == 0
    overview = running.ok("staff_overview", "staff")
    assert sum(1 for row in overview["learners"] if row["grade"]["status"] == "graded") == 8


def test_drop_discordant_explains_the_dropped_score(make_block):
    block = make_block('reviews_per_work="4" grading_policy="drop_discordant"')
    block.submit_all(NINE)
    block.ok("staff_start", "staff")
    target = "https://l0.example.org/"
    low_given = False
    for name in NINE:
        state = block.state(name)
        for index, review in enumerate(state["reviews"]):
            value = 0.8
            if review["url"] == target and not low_given:
                value, low_given = 0.1, True  # l0's reviewers give 10, 80, 80, 80
            block.ok("submit_review", name, full_review(state, index, value=value))
    block.ok("staff_complete", "staff")
    grade = block.state("l0")["grade"]
    assert grade["points"] == 80
    dropped = [s for s in grade["scores"] if not s["counted"]]
    assert len(dropped) == 1 and dropped[0]["total"] == 10.0 and dropped[0]["reason"]


def test_small_cohort_and_single_learner(make_block):
    block = make_block('reviews_per_work="4"')
    block.submit_all(["solo"])
    result = block.ok("staff_start", "staff")["result"]
    assert result["started"] is False and "Fewer than 2" in result["message"]
    assert Task.objects.get().status == Task.OPEN  # never stuck: can start later
    block.submit_all(["duo", "trio"])
    assert block.ok("staff_start", "staff")["result"]["started"] is True
    overview = block.ok("staff_overview", "staff")
    assert overview["reviewers_per_work"] == 2 and "2 reviewers instead of 4" in overview["distribution_note"]
    for name in ("solo", "duo", "trio"):
        assert len(block.state(name)["reviews"]) == 2


def test_reliability_policy_grades_the_whole_task_at_once(make_block):
    block = make_block('reviews_per_work="4" grading_policy="reliability"')
    block.submit_all(NINE)
    block.ok("staff_start", "staff")
    for name in NINE:
        state = block.state(name)
        for review_index in range(4):
            # l0 is a harsh reviewer (−30 points); everyone else agrees on 70.
            value = 0.4 if name == "l0" else 0.7
            block.ok("submit_review", name, full_review(state, review_index, value=value))
    block.ok("staff_complete", "staff")
    for name in NINE[1:]:
        grade = block.state(name)["grade"]
        assert grade["policy"] == "reliability" and grade["status"] == "graded"
        assert len(grade["scores"]) == 4 and all(s["weight"] is not None for s in grade["scores"])
    # A work l0 reviewed is not dragged down by l0's harshness as a plain mean would be (62.5).
    graded = [block.state(name)["grade"]["exact"] for name in NINE[1:]]
    assert min(graded) > 64
