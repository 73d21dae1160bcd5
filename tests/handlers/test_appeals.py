"""Appeals and staff re-checks through the handlers (A4, F4), with the clock under test control."""
import json

import pytest

from cc_workbench.models import GradebookEntry
from crosscheck_xblock.models import Appeal, Grade, LearnerWarning, Task

from .conftest import anon, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
# Names no page text contains by accident (they are checked for leaks).
NAMES = ["amaranth", "bartholomew", "cordelia", "desdemona", "evangeline"]
# The clock starts at 2026-03-02 10:00 UTC: submission until 03-03, review until 03-05, no
# adjustment period, so the first view after 03-05 10:00 grades; appeals close 3 days later.
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="2" grading_policy="mean" warning_rule="none" max_score="100"')
APPEALS_CLOSE = "2026-03-08T10:00:00Z"
APPEALS_CLOSE_WORDS = "8 March 2026, 10:00 UTC"  # the same moment in an English sentence


def _url(name):
    return f"https://site-{name}0.example.org/"


def _items(block, value, name=NAMES[0]):
    state = block.state(name)
    return {item["id"]: (value if item["type"] == "subtask" else 0)
            for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}


def _review_all(block, low_for=None, low=0.2, value=0.9, skip=()):
    """Everyone reviews their works at `value`; reviews of `low_for`'s work get `low`."""
    for name in NAMES:
        if name in skip:
            continue
        state = block.state(name)
        for index, review in enumerate(state["reviews"]):
            score = low if low_for and review["url"] == _url(low_for) else value
            block.ok("submit_review", name, full_review(state, index, value=score))


def _setup(make_block, clock, self_check=1.0, **review_args):
    block = make_block(DATES)
    block.submit_all(NAMES, url_pattern="https://site-{name}0.example.org/")
    block.ok("submit_self_check", NAMES[0], {"items": _items(block, self_check), "comment": "mine"})
    clock.advance(days=1)  # the start: the first view distributes
    _review_all(block, **review_args)
    return block


@pytest.fixture
def graded(make_block, clock):
    """Graded task: amaranth's reviewers gave 20 % (others 90 %), her self-check says 100 %."""
    block = _setup(make_block, clock, low_for=NAMES[0])
    clock.advance(days=2)  # the end: the next view grades
    assert block.state(NAMES[0])["phase"] == "closed"
    return block


def _appeal(block, name=NAMES[0], **overrides):
    items = list(_items(block, 1))
    body = {"reason": "Item one is done: see the deployed page.", "items": items[:2], **overrides}
    return block.call("submit_appeal", name, body)


def test_a_graded_learner_appeals_within_the_window(graded):
    appeal = graded.state(NAMES[0])["appeal"]
    assert appeal["open"] is True and appeal["deadline"] == APPEALS_CLOSE and appeal["submitted"] is None
    status, state = _appeal(graded)
    assert status == 200, state
    sent = state["appeal"]["submitted"]
    assert sent["status"] == "pending" and sent["origin"] == "learner" and len(sent["items"]) == 2
    assert sent["recheck"] is None and state["appeal"]["open"] is False
    status, body = _appeal(graded)
    assert (status, body["code"]) == (409, "already_appealed")
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("overrides, code", [
    ({"reason": ""}, "bad_reason"),
    ({"reason": "   "}, "bad_reason"),
    ({"reason": None}, "bad_reason"),
    ({"reason": ["x"]}, "bad_reason"),
    ({"reason": "x" * 5001}, "bad_reason"),
    ({"items": []}, "bad_appeal_items"),
    ({"items": "c1"}, "bad_appeal_items"),
    ({"items": [1]}, "bad_appeal_items"),
    ({"items": ["no-such-item"]}, "unknown_item"),
])
def test_bad_appeals_get_400_and_change_nothing(graded, overrides, code):
    status, body = _appeal(graded, **overrides)
    assert (status, body["code"]) == (400, code) and body["error"]
    assert not Appeal.objects.exists()


def test_no_appeal_before_grades_or_after_the_window(make_block, clock):
    block = _setup(make_block, clock, low_for=NAMES[0])
    status, body = _appeal(block)
    assert (status, body["code"]) == (409, "not_graded")
    clock.advance(days=2)
    block.state(NAMES[1])  # grades
    clock.advance(days=3, minutes=1)
    assert block.state(NAMES[0])["appeal"]["code"] == "appeal_closed"
    status, body = _appeal(block)
    assert (status, body["code"]) == (409, "appeal_closed") and APPEALS_CLOSE_WORDS in body["error"]
    assert not Appeal.objects.exists()


def test_a_link_changed_after_the_deadline_forfeits_the_appeal(make_block, clock):
    block = _setup(make_block, clock)
    block.ok("submit_work", NAMES[0], {"url": _url(NAMES[0]) + "fixed", "confirm_late": True})
    clock.advance(days=2)
    assert block.state(NAMES[0])["appeal"]["code"] == "late_link_change"
    status, body = _appeal(block)
    assert (status, body["code"]) == (409, "late_link_change")
    overview = block.ok("staff_appeals", "staff")
    assert [row["late_link_change"] for row in overview["candidates"] if row["learner"] == NAMES[0]] == [True]


def test_unfinished_reviews_or_appeals_off_mean_no_appeal(make_block, clock):
    block = _setup(make_block, clock, skip=(NAMES[1],))
    clock.advance(days=2)
    assert block.state(NAMES[1])["grade"]["status"] == "reviews_unfinished"
    status, body = _appeal(block, NAMES[1])
    assert (status, body["code"]) == (409, "not_appealable")

    off = make_block('reviews_per_work="1" appeal_days="0"')  # no dates: staff start and complete
    off.submit_all(["pat", "sam"])
    off.ok("staff_start", "staff")
    for name in ("pat", "sam"):
        off.ok("submit_review", name, full_review(off.state(name)))
    off.ok("staff_complete", "staff")
    assert off.state("pat")["grade"]["status"] == "graded" and off.state("pat")["appeal"] is None
    status, body = off.call("submit_appeal", "pat", {"reason": "why", "items": list(_items(off, 1, "pat"))[:1]})
    assert (status, body["code"]) == (409, "appeals_off")


def test_only_staff_see_and_settle_appeals(graded):
    _appeal(graded)
    for handler in ("staff_appeals", "staff_recheck"):
        status, body = graded.call(handler, NAMES[1], {"work_id": 1, "items": {}})
        assert (status, body["code"]) == (403, "staff_only")
    assert Appeal.objects.get().status == Appeal.PENDING


def test_a_recheck_replaces_the_grade_and_warns_those_far_from_it(graded):
    before = graded.state(NAMES[0])["grade"]["points"]
    assert before == 20
    _appeal(graded)
    listing = graded.ok("staff_appeals", "staff")
    assert listing["pending"] == 1 and listing["can_recheck"] is True
    row = listing["appeals"][0]
    assert row["learner"] == NAMES[0] and row["spread"] == 80 and row["self_check"] == 100
    assert sorted(r["total"] for r in row["reviews"]) == [20, 20]
    assert row["reason"].startswith("Item one") and row["items"][0]["title"]

    result = graded.ok("staff_recheck", "staff", {"work_id": row["work_id"], "items": _items(graded, 0.9),
                                                  "comment": "Done as described."})
    assert result["result"]["points"] == 90 and result["result"]["previous_points"] == 20
    assert result["appeals"]["pending"] == 0
    assert result["appeals"]["appeals"][0]["recheck"]["total"] == 90
    grade = Grade.objects.get(work__student_id=anon(NAMES[0]))
    assert (grade.points, grade.status, grade.score_written) == (90, Grade.GRADED, True)
    latest = GradebookEntry.objects.filter(anonymous_user_id=anon(NAMES[0])).first()
    assert (latest.points_earned, latest.points_possible) == (90, 100)

    # Both reviewers gave 20, 70 from the re-check (> 15): warned. The self-check (100) is 10 away: not.
    warned = LearnerWarning.objects.filter(kind=LearnerWarning.APPEAL_REVIEW)
    assert warned.count() == 2 and not LearnerWarning.objects.filter(kind=LearnerWarning.APPEAL_SELF_CHECK)
    reviewer = warned.first().work.student_id
    name = next(n for n in NAMES if anon(n) == reviewer)
    state = graded.state(name)
    assert len(state["warnings"]) == 1
    message = state["warnings"][0]["message"]
    assert "gave 20 of 100, the re-check 90" in message and "Work " in message

    mine = graded.state(NAMES[0])
    assert mine["appeal"]["submitted"]["status"] == "resolved"
    recheck = mine["appeal"]["submitted"]["recheck"]
    assert recheck["total"] == 90 and recheck["previous_points"] == 20 and recheck["comment"] == "Done as described."
    assert mine["grade"]["points"] == 90 and mine["warnings"] == []
    assert mine["grade"]["rechecked"] is True
    assert mine["grade"]["message"].startswith("Your grade is 90 of 100, from a re-check by course staff "
                                               "(the reviewers' grade was 20)")


def test_a_second_recheck_corrects_the_first(graded):
    _appeal(graded)
    work_id = graded.ok("staff_appeals", "staff")["appeals"][0]["work_id"]
    graded.ok("staff_recheck", "staff", {"work_id": work_id, "items": _items(graded, 0.5)})
    # 50: reviewers (20) are 30 away, the self-check (100) is 50 away: three warnings.
    assert LearnerWarning.objects.count() == 3
    assert LearnerWarning.objects.filter(kind=LearnerWarning.APPEAL_SELF_CHECK).count() == 1
    again = graded.ok("staff_recheck", "staff", {"work_id": work_id, "items": _items(graded, 0.3)})
    assert again["result"]["previous_points"] == 20  # still the grade before any re-check
    assert again["result"]["points"] == 30
    # 30: reviewers 10 away (not warned), the self-check 70 away: the old warnings are replaced.
    assert list(LearnerWarning.objects.values_list("kind", flat=True)) == [LearnerWarning.APPEAL_SELF_CHECK]
    assert "re-check 30" in graded.state(NAMES[0])["warnings"][0]["message"]


def test_staff_recheck_a_work_nobody_appealed_largest_spread_first(graded):
    listing = graded.ok("staff_appeals", "staff")
    assert listing["appeals"] == []
    spreads = [row["spread"] for row in listing["candidates"]]
    assert spreads == sorted(spreads, reverse=True) and listing["candidates"][0]["learner"] == NAMES[0]
    work_id = listing["candidates"][-1]["work_id"]
    result = graded.ok("staff_recheck", "staff", {"work_id": work_id, "items": _items(graded, 0.9)})
    appeal = Appeal.objects.get()
    assert appeal.origin == Appeal.STAFF and appeal.status == Appeal.RESOLVED and appeal.reason == ""
    assert result["result"]["points"] == 90 and result["result"]["warnings"] == 0
    assert work_id not in [row["work_id"] for row in result["appeals"]["candidates"]]


@pytest.mark.parametrize("body, status, code", [
    ({"work_id": "1"}, 400, "bad_work"),
    ({"work_id": True}, 400, "bad_work"),
    ({"work_id": None}, 400, "bad_work"),
    ({"work_id": 999999}, 404, "unknown_work"),
])
def test_bad_rechecks_change_nothing(graded, body, status, code):
    got, answer = graded.call("staff_recheck", "staff", {**body, "items": _items(graded, 0.5)})
    assert (got, answer["code"]) == (status, code)
    assert not Appeal.objects.exists() and not LearnerWarning.objects.exists()


def test_a_recheck_with_a_bad_checklist_changes_nothing(graded):
    work_id = graded.ok("staff_appeals", "staff")["candidates"][0]["work_id"]
    items = _items(graded, 0.5)
    items[next(iter(items))] = 2
    status, body = graded.call("staff_recheck", "staff", {"work_id": work_id, "items": items})
    assert (status, body["code"]) == (400, "bad_value")
    status, body = graded.call("staff_recheck", "staff", {"work_id": work_id, "items": {}})
    assert (status, body["code"]) == (400, "missing_item")
    assert not Appeal.objects.exists()
    assert Grade.objects.get(work_id=work_id).points == 20


def test_no_recheck_before_grades_or_of_a_learner_who_left_reviews_undone(make_block, clock):
    block = _setup(make_block, clock, skip=(NAMES[1],))
    work_id = Task.objects.get().works.get(student_id=anon(NAMES[1])).pk
    status, body = block.call("staff_recheck", "staff", {"work_id": work_id, "items": _items(block, 1)})
    assert (status, body["code"]) == (409, "not_graded")
    clock.advance(days=2)
    block.state(NAMES[0])
    status, body = block.call("staff_recheck", "staff", {"work_id": work_id, "items": _items(block, 1)})
    assert (status, body["code"]) == (409, "reviews_unfinished")
    assert Grade.objects.get(work_id=work_id).points == 0


def test_staff_grade_a_work_that_received_no_reviews(make_block, clock):
    """Both reviewers of amaranth's work skip it: her work has no grade, and comes first for staff."""
    block = make_block(DATES)
    block.submit_all(NAMES, url_pattern="https://site-{name}0.example.org/")
    clock.advance(days=1)
    for name in NAMES:
        state = block.state(name)
        for index, review in enumerate(state["reviews"]):
            if review["url"] != _url(NAMES[0]):
                block.ok("submit_review", name, full_review(state, index, value=0.8))
    clock.advance(days=2)
    assert block.state(NAMES[0])["grade"]["status"] == "no_reviews"
    assert block.state(NAMES[0])["appeal"]["code"] == "not_appealable"
    first = block.ok("staff_appeals", "staff")["candidates"][0]
    assert first["learner"] == NAMES[0] and first["grade"]["points"] is None
    block.ok("staff_recheck", "staff", {"work_id": first["work_id"], "items": _items(block, 0.7)})
    grade = block.state(NAMES[0])["grade"]
    assert (grade["status"], grade["points"]) == ("graded", 70)


def test_appeal_and_warning_texts_name_nobody(graded):
    _appeal(graded, reason="<script>alert(1)</script> see item 1")
    work_id = graded.ok("staff_appeals", "staff")["appeals"][0]["work_id"]
    graded.ok("staff_recheck", "staff", {"work_id": work_id, "items": _items(graded, 0.5)})
    for name in NAMES:
        texts = [json.dumps(graded.state(name)), graded.page(name)]
        for other in set(NAMES) - {name}:
            for text in texts:
                leaked = text.replace(f"site-{other}0", "")
                assert other not in leaked and anon(other) not in leaked, (name, other)
    page = graded.page(NAMES[0])
    assert "<script>alert(1)" not in page  # the reason travels escaped in the JSON script element


def _graded_without_dates(make_block, names):
    block = make_block('reviews_per_work="2" grading_policy="mean" warning_rule="none"')
    block.submit_all(names)
    block.ok("staff_start", "staff")
    for name in names:
        state = block.state(name)
        for index in range(len(state["reviews"])):
            block.ok("submit_review", name, full_review(state, index, value=0.5 + 0.05 * (index % 3)))
    block.ok("staff_complete", "staff")
    block.ok("submit_appeal", names[0], {"reason": "item one", "items": list(_items(block, 1, names[0]))[:1]})
    return block


def test_the_staff_list_costs_the_same_queries_for_any_class_size(make_block):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    costs = []
    for size in (6, 24):
        block = _graded_without_dates(make_block, [f"q{size}-{n}" for n in range(size)])
        with CaptureQueriesContext(connection) as queries:
            listing = block.ok("staff_appeals", "staff")
        assert len(listing["appeals"]) == 1 and len(listing["candidates"]) == min(size - 1, 10)
        costs.append(len(queries))
    assert costs[0] == costs[1], f"staff_appeals queries: {costs[0]} with 6 works, {costs[1]} with 24"
