"""Thanks and complaints about a review through the handlers (issue 11, F1–F4)."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import services
from crosscheck_xblock.models import Assignment, LearnerWarning, Rating

from .conftest import full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
# Names no page text contains by accident (they are checked for leaks).
NAMES = ["amaranth", "bartholomew", "cordelia", "desdemona", "evangeline"]
# The clock starts at 2026-03-02 10:00 UTC: the cross-check runs 03-03 10:00 → 03-05 10:00, no
# adjustment period; appeals close 3 days after the grades (03-08 10:00).
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="2" grading_policy="mean" warning_rule="none" max_score="100"')
ITEM_COMMENT = "The tests fail on a fresh clone, so this item gets half."


class Rated:
    """A running cross-check where every learner reviewed: each review takes half of the first
    item (with an item comment) and keeps the others; the overall comment says "ok"."""

    def __init__(self, block, clock):
        self.block, self.clock = block, clock
        block.submit_all(NAMES, url_pattern="https://site-{name}0.example.org/")
        clock.advance(days=1)
        state = block.state(NAMES[0])
        self.items = [item["id"] for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")]
        self.first, self.kept = self.items[0], self.items[1]
        for name in NAMES:
            self.review(name)
        self.author = NAMES[0]
        self.thread = self.received()["thread"]["id"]
        assignment = Assignment.objects.select_related("reviewer").get(token=self.thread)
        self.reviewer, self.number, self.position = (assignment.reviewer.username, assignment.reviewer_number,
                                                     assignment.position)

    def review(self, name, index=None, value=0.5, comment="ok", item_comment=ITEM_COMMENT):
        state = self.block.state(name)
        for number in range(len(state["reviews"])):
            if index is not None and number != index:
                continue
            body = full_review(state, number)
            body["items"][self.first] = value
            body["item_comments"] = {self.first: item_comment} if item_comment else {}
            body["comment"] = comment
            self.block.ok("submit_review", name, body)

    def received(self, index=0):
        return self.block.state(self.author)["received"][index]

    def rate(self, body, student=None, status=200, thread=None):
        got, answer = self.block.call("rate_review", student or self.author, {"thread": thread or self.thread, **body})
        assert got == status, answer
        return answer

    def complaint_id(self):
        return Rating.objects.get(kind="complaint", assignment__token=self.thread).pk


@pytest.fixture
def rated(make_block, clock):
    return Rated(make_block(DATES), clock)


def test_the_author_thanks_for_an_item_comment_once_per_version(rated):
    entry = rated.received()
    assert entry["can_rate"] == {"thanks": True, "complaint": True} and entry["ratings"] == []
    thread = rated.rate({"kind": "thanks", "for": rated.first, "note": "Helped me fix it."})
    thanks = thread["messages"][-1]
    assert thanks["kind"] == "thanks" and thanks["from"] == "You" and thanks["mine"] is True
    assert thanks["for"] == rated.first and thanks["note"] == "Helped me fix it." and thanks["status"] == "sent"
    assert thanks["text"].startswith("Thank you for the useful comment on “") and thanks["version"] == 1
    assert thread["rate"]["thanks"] is False and "already thanked" in thread["rate"]["why_not"]["thanks"]
    assert rated.received()["can_rate"]["thanks"] is False
    assert [r["kind"] for r in rated.received()["ratings"]] == ["thanks"]
    again = rated.rate({"kind": "thanks", "for": "comment"}, status=409)
    assert again["code"] == "already_rated"

    seen = rated.block.ok("get_thread", rated.reviewer, {"thread": rated.thread})
    entry = seen["messages"][-1]
    assert (entry["kind"], entry["from"], entry["mine"]) == ("thanks", f"Work {rated.position}", False)
    assert seen["rate"] is None
    reviewer_state = rated.block.state(rated.reviewer)
    given = next(r for r in reviewer_state["reviews"] if r["id"] == rated.thread)
    assert [r["kind"] for r in given["ratings"]] == ["thanks"]

    rated.clock.advance(minutes=5)  # a corrected review is a new version: it can be thanked again
    rated.review(rated.reviewer, index=[r["id"] for r in reviewer_state["reviews"]].index(rated.thread), value=0.75)
    thread = rated.rate({"kind": "thanks", "for": "comment"})
    assert [(m["kind"], m.get("version")) for m in thread["messages"]] == [
        ("review_version", 1), ("thanks", 1), ("review_version", 2), ("thanks", 2)]
    assert thread["messages"][-1]["text"] == "Thank you for the useful overall comment."


def test_thanks_need_a_comment(rated):
    status_body = rated.rate({"kind": "thanks", "for": rated.kept}, status=409)
    assert status_body["code"] == "no_comment"  # that item has no comment
    rated.clock.advance(minutes=5)
    reviewer_state = rated.block.state(rated.reviewer)
    index = [r["id"] for r in reviewer_state["reviews"]].index(rated.thread)
    rated.review(rated.reviewer, index=index, value=1, comment="", item_comment="")  # no comment at all
    thread = rated.block.ok("get_thread", rated.author, {"thread": rated.thread})
    assert thread["rate"]["thanks"] is False and thread["rate"]["comments"] == []
    assert "no comment" in thread["rate"]["why_not"]["thanks"]
    assert rated.received()["can_rate"] == {"thanks": False, "complaint": False}  # and nothing was deducted
    assert rated.rate({"kind": "thanks", "for": "comment"}, status=409)["code"] == "no_comment"
    assert rated.rate({"kind": "complaint", "items": [rated.first]}, status=400)["code"] == "item_not_deducted"


def test_a_complaint_names_deducted_items_only(rated):
    assert rated.rate({"kind": "complaint", "items": [rated.kept]}, status=400)["code"] == "item_not_deducted"
    thread = rated.rate({"kind": "complaint", "items": [rated.first], "note": "It passes on CI."})
    complaint = thread["messages"][-1]
    assert complaint["kind"] == "complaint" and complaint["status"] == "pending" and complaint["items"] == [rated.first]
    assert complaint["text"].startswith("The deductions for items “") and "Waiting" in complaint["outcome"]
    assert rated.rate({"kind": "complaint", "items": [rated.first]}, status=409)["code"] == "already_rated"
    assert rated.received()["can_rate"] == {"thanks": True, "complaint": False}


@pytest.mark.parametrize("body, code, status", [
    ({"kind": "like"}, "bad_rating", 400),
    ({}, "bad_rating", 400),
    ({"kind": "thanks"}, "bad_rating", 400),
    ({"kind": "thanks", "for": 3}, "bad_rating", 400),
    ({"kind": "thanks", "for": "c_nope"}, "unknown_item", 400),
    ({"kind": "complaint", "items": []}, "bad_rating", 400),
    ({"kind": "complaint", "items": "c1"}, "bad_rating", 400),
    ({"kind": "complaint", "items": ["zz"]}, "unknown_item", 400),
    ({"kind": "thanks", "for": "comment", "note": "x" * 2001}, "bad_rating", 400),
    ({"kind": "thanks", "for": "comment", "note": 5}, "bad_rating", 400),
    ({"kind": "thanks", "for": "comment", "note": "I am amaranth, by the way"}, "bad_rating", 400),
])
def test_bad_ratings_are_refused_and_change_nothing(rated, body, code, status):
    before = table_snapshot()
    assert rated.rate(body, status=status)["code"] == code
    assert table_snapshot() == before


@pytest.mark.parametrize("student, status, code", [
    ("reviewer", 403, "not_author"), ("staff", 403, "not_author"), ("other", 404, "unknown_thread"),
    ("staff-as-author", 403, "masquerade"),
])
def test_only_the_author_rates(rated, student, status, code):
    other = next(n for n in NAMES if n not in (rated.author, rated.reviewer))
    name = {"reviewer": rated.reviewer, "staff": "staff", "other": other,
            "staff-as-author": f"staff-as-{rated.author}"}[student]
    before = table_snapshot()
    assert rated.rate({"kind": "thanks", "for": "comment"}, student=name, status=status)["code"] == code
    assert table_snapshot() == before
    assert rated.rate({"kind": "thanks", "for": "comment"}, thread="0" * 24, status=404)["code"] == "unknown_thread"


def _settle(rated, verdict, comment="", status=200, complaint=None):
    got, body = rated.block.call("staff_settle_complaint", "staff", {
        "complaint": rated.complaint_id() if complaint is None else complaint, "verdict": verdict, "comment": comment})
    assert got == status, body
    return body


def test_staff_settle_a_complaint_and_both_sides_are_told(rated):
    rated.rate({"kind": "complaint", "items": [rated.first], "note": "It passes on CI."})
    listed = rated.block.ok("staff_appeals", "staff")
    assert listed["complaints_pending"] == 1
    complaint = listed["complaints"][0]
    assert (complaint["author"], complaint["reviewer"]) == (rated.author, rated.reviewer)
    assert complaint["status"] == "pending" and complaint["thread"] == rated.thread and complaint["version"] == 1
    assert complaint["items"][0]["id"] == rated.first and complaint["note"] == "It passes on CI."
    assert rated.block.ok("staff_overview", "staff")["complaints_pending"] == 1

    answer = _settle(rated, "upheld", "The CI run is green.")
    assert rated.reviewer in answer["result"]["message"] and answer["appeals"]["complaints_pending"] == 0
    warned = rated.block.state(rated.reviewer)["warnings"]
    assert [w["kind"] for w in warned] == ["complaint_upheld"]
    assert f"Work {rated.position}" in warned[0]["message"] and rated.author not in json.dumps(warned)
    for student in (rated.author, rated.reviewer):
        entry = rated.block.ok("get_thread", student, {"thread": rated.thread})["messages"][-1]
        assert entry["status"] == "upheld" and entry["outcome"].startswith("Course staff upheld")
        assert entry["staff_comment"] == "The CI run is green."

    _settle(rated, "rejected")  # settled again: the verdict and its warning are replaced
    assert rated.block.state(rated.reviewer)["warnings"] == []
    author_warnings = rated.block.state(rated.author)["warnings"]
    assert [w["kind"] for w in author_warnings] == ["complaint_rejected"]
    assert f"Reviewer {rated.number}" in author_warnings[0]["message"]
    assert LearnerWarning.objects.count() == 1


@pytest.mark.parametrize("body, status, code", [
    ({"verdict": "maybe"}, 400, "bad_verdict"),
    ({"verdict": "upheld", "complaint": "1"}, 400, "bad_complaint"),
    ({"verdict": "upheld", "complaint": True}, 400, "bad_complaint"),
    ({"verdict": "upheld", "complaint": 10 ** 20}, 400, "bad_complaint"),
    ({"verdict": "upheld", "complaint": 999999}, 404, "unknown_complaint"),
    ({"verdict": "upheld", "comment": ["x"]}, 400, "bad_comment"),
])
def test_bad_settlements_are_refused_and_change_nothing(rated, body, status, code):
    rated.rate({"kind": "complaint", "items": [rated.first]})
    before = table_snapshot()
    got, answer = rated.block.call("staff_settle_complaint", "staff", {"complaint": rated.complaint_id(), **body})
    assert (got, answer["code"]) == (status, code)
    assert table_snapshot() == before
    thanks = rated.rate({"kind": "thanks", "for": "comment"})["messages"][-1]
    assert thanks["kind"] == "thanks"
    thanks_id = Rating.objects.get(kind="thanks").pk  # a thanks is not a complaint
    got, answer = rated.block.call("staff_settle_complaint", "staff", {"complaint": thanks_id, "verdict": "upheld"})
    assert (got, answer["code"]) == (404, "unknown_complaint")
    got, answer = rated.block.call("staff_settle_complaint", rated.author,
                                   {"complaint": thanks_id, "verdict": "upheld"})
    assert (got, answer["code"]) == (403, "staff_only")


def test_the_appeal_of_the_work_settles_its_complaints(rated):
    second = rated.received(1)["thread"]["id"]
    rated.rate({"kind": "complaint", "items": [rated.first]})
    rated.rate({"kind": "complaint", "items": [rated.first]}, thread=second)
    rated.clock.advance(days=2)  # the end: grades are published, appeals open
    assert rated.block.state(rated.author)["phase"] == "closed"
    rated.block.ok("submit_appeal", rated.author, {"reason": "Item one works.", "items": [rated.first]})
    work_id = rated.block.ok("staff_appeals", "staff")["appeals"][0]["work_id"]
    items = {item: (1 if item == rated.first else 0) for item in rated.items}
    items.update({item: 1 for item in rated.items if item != rated.first and rated.block.state(rated.author)[
        "checklist"]["items"][rated.items.index(item)]["type"] == "subtask"})
    result = rated.block.ok("staff_recheck", "staff", {"work_id": work_id, "items": items})["result"]
    assert result["complaints_settled"] == 2 and "2 complaints" in result["message"]
    settled = rated.block.ok("staff_appeals", "staff")["complaints"]
    assert {(c["status"], c["by_appeal"]) for c in settled} == {("upheld", True)}
    entry = rated.block.ok("get_thread", rated.author, {"thread": rated.thread})["messages"][-1]
    assert "re-check of this work" in entry["outcome"]
    # A re-check that agrees with the reviewers rejects them instead (the earlier verdict was the appeal's).
    items[rated.first] = 0.5
    rated.block.ok("staff_recheck", "staff", {"work_id": work_id, "items": items})
    assert {c["status"] for c in rated.block.ok("staff_appeals", "staff")["complaints"]} == {"rejected"}
    # A verdict staff gave by hand is not overridden by a later re-check.
    _settle(rated, "upheld")
    rated.block.ok("staff_recheck", "staff", {"work_id": work_id, "items": items})
    statuses = {c["thread"]: c["status"] for c in rated.block.ok("staff_appeals", "staff")["complaints"]}
    assert statuses == {rated.thread: "upheld", second: "rejected"}


def test_ratings_close_with_the_appeals(rated):
    rated.clock.advance(days=2)
    assert rated.block.state(rated.author)["phase"] == "closed"
    rated.rate({"kind": "thanks", "for": "comment"})  # after the grades, until appeals close
    rated.clock.advance(days=3, seconds=1)
    assert rated.rate({"kind": "complaint", "items": [rated.first]}, status=409)["code"] == "rating_closed"
    assert rated.received()["can_rate"] == {"thanks": False, "complaint": False}


def test_no_learner_payload_names_anyone(rated):
    rated.rate({"kind": "thanks", "for": rated.first})
    rated.rate({"kind": "complaint", "items": [rated.first]})
    _settle(rated, "upheld")
    for student in (rated.author, rated.reviewer):
        state = rated.block.state(student)
        for review in state["reviews"]:
            review.pop("url")  # the link of a work one reviews is the work itself (it may hold a name)
        # The learner's own notices carry their row ids (what mark_notices_read names); the rest
        # of each notice is checked like everything else.
        for notice in state["notices"]:
            assert isinstance(notice.pop("id"), int)
        text = json.dumps([state, rated.block.ok("get_thread", student, {"thread": rated.thread})])
        for name in NAMES:
            if name != student:
                assert name not in text, (student, name)
        assert '"username"' not in text and '"settled_by"' not in text and '"id": ' not in text.replace(
            '"id": "', "")


def test_get_thread_queries_do_not_grow_with_ratings(rated):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            rated.block.ok("get_thread", rated.author, {"thread": rated.thread})
        return len(queries)

    cost()
    few = cost()
    rated.rate({"kind": "thanks", "for": rated.first})
    rated.rate({"kind": "complaint", "items": [rated.first]})
    assert cost() == few


def test_retirement_empties_the_notes(rated):
    rated.rate({"kind": "thanks", "for": "comment", "note": "Very helpful."})
    assert services.forget_username(rated.author) >= 2
    assert Rating.objects.get().note == ""
