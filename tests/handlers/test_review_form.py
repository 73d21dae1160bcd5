"""The review form's server side: self-check (R6), visibility (R7, R8), history (R10), drafts (R4),
per-item comments, best work (R5) and checklist versions (R9)."""
import json

import pytest
from workbench.runtime import WorkbenchRuntime

from crosscheck_xblock.models import Draft, Review, SelfCheck

from .conftest import full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FIVE = ["m1", "m2", "m3", "m4", "m5"]


def _form(state, value=1.0, **extra):
    items = {i["id"]: (value if i["type"] == "subtask" else 0)
             for i in state["checklist"]["items"] if i["type"] in ("subtask", "penalty")}
    return {"items": items, "comment": "self", **extra}


def _reviewers_of(block, author_url):
    """(name, review_id) of everyone who reviews the work at author_url."""
    found = []
    for name in FIVE:
        for review in block.state(name)["reviews"]:
            if review["url"] == author_url:
                found.append((name, review["id"]))
    return found


def test_self_check_needs_a_submission_and_closes_at_the_start(make_block):
    block = make_block('reviews_per_work="2"')
    state = block.state("m1")
    status, body = block.call("submit_self_check", "m1", _form(state))
    assert (status, body["code"]) == (409, "no_submission")
    block.submit_all(FIVE)
    first = block.ok("submit_self_check", "m1", _form(state, 0.5))
    second = block.ok("submit_self_check", "m1", _form(state, 0.8))
    assert [v["total"] for v in second["self_check"]["history"]] == [50.0, 80.0]
    assert first["self_check"]["open"] is True
    block.ok("staff_start", "staff")
    status, body = block.call("submit_self_check", "m1", _form(state))
    assert (status, body["code"]) == (409, "self_check_closed")
    assert SelfCheck.objects.count() == 2


def test_visibility_of_self_check_and_other_reviews(make_block, clock):
    # About who sees what: one item comment only, so no comment rule.
    block = make_block('reviews_per_work="2" review_due="2026-03-10T00:00:00Z" comment_rule="none"')
    block.submit_all(FIVE)
    state = block.state("m1")
    block.ok("submit_self_check", "m1", _form(state, 0.9))
    block.ok("staff_start", "staff")
    (first, first_id), (second, second_id) = _reviewers_of(block, "https://m1.example.org/")

    review = next(r for r in block.state(first)["reviews"] if r["id"] == first_id)
    assert review["author_self_check"] is None  # not before their own review is in (R8)
    form = full_review(block.state(first), 0, value=0.5)
    form["review_id"] = first_id
    form["item_comments"] = {"c2": "The footer is missing."}
    after = block.ok("submit_review", first, form)
    review = next(r for r in after["reviews"] if r["id"] == first_id)
    assert review["author_self_check"]["total"] == 90.0
    assert review["other_reviews"] == []  # the others' points only after the end

    author = block.state("m1")  # R7: the author sees the review per item as it arrives
    assert len(author["received"]) == 1
    received = author["received"][0]
    assert received["title"].startswith("Reviewer ") and received["total"] == 50.0
    assert received["item_comments"] == {"c2": "The footer is missing."}
    assert received["items"]["c2"] == 0.5

    form2 = full_review(block.state(second), 0, value=1.0)
    form2["review_id"] = second_id
    block.ok("submit_review", second, form2)
    clock.advance(days=9)  # past review_due
    review = next(r for r in block.state(first)["reviews"] if r["id"] == first_id)
    assert [o["total"] for o in review["other_reviews"]] == [100.0]
    assert review["other_reviews"][0]["title"].startswith("Reviewer ")


def test_history_is_the_same_for_author_and_reviewer(make_block):
    block = make_block('reviews_per_work="2"')
    block.submit_all(FIVE)
    block.ok("staff_start", "staff")
    (reviewer, review_id), _ = _reviewers_of(block, "https://m2.example.org/")
    for value in (0.3, 0.6, 0.9):
        form = full_review(block.state(reviewer), 0, value=value)
        form["review_id"] = review_id
        block.ok("submit_review", reviewer, form)
    mine = next(r for r in block.state(reviewer)["reviews"] if r["id"] == review_id)["history"]
    theirs = block.state("m2")["received"][0]["history"]
    assert [v["total"] for v in mine] == [30.0, 60.0, 90.0]
    assert mine == theirs
    assert Review.objects.count() == 3


def test_best_work_and_item_comment_validation(make_block):
    block = make_block('reviews_per_work="2"')
    block.submit_all(FIVE)
    block.ok("staff_start", "staff")
    state = block.state("m1")
    base = full_review(state, 0)
    for extra, code in [({"item_comments": {"zz": "x"}}, "unknown_item"),
                        ({"item_comments": {"c2": 5}}, "bad_comment"),
                        ({"item_comments": ["c2"]}, "bad_comment"),
                        ({"item_comments": {"c2": "x" * 5001}}, "bad_comment"),
                        ({"best_work": "yes"}, "bad_best_work")]:
        status, body = block.call("submit_review", "m1", {**base, **extra})
        assert (status, body["code"]) == (400, code), extra
    assert not Review.objects.exists()
    marked = block.ok("submit_review", "m1", {**base, "best_work": True})
    assert marked["reviews"][0]["latest"]["best_work"] is True
    assert Review.objects.get().best_work is True


def test_drafts_are_kept_per_form_and_dropped_on_submit(make_block):
    block = make_block('reviews_per_work="2"')
    block.submit_all(FIVE)
    block.ok("save_draft", "m1", {"form": "self", "data": {"items": {"c2": 0.4}, "comment": "half"}})
    assert block.state("m1")["self_check"]["draft"] == {"items": {"c2": 0.4}, "comment": "half"}
    block.ok("staff_start", "staff")
    state = block.state("m1")
    mine, theirs = state["reviews"][0]["id"], block.state("m2")["reviews"][0]["id"]
    block.ok("save_draft", "m1", {"form": mine, "data": {"comment": "v1"}})
    block.ok("save_draft", "m1", {"form": mine, "data": {"comment": "v2"}})
    assert block.state("m1")["reviews"][0]["draft"] == {"comment": "v2"}
    assert Draft.objects.filter(form=mine).count() == 1
    for body, expected in [({"form": theirs, "data": {}}, (403, "not_assigned")),
                           ({"form": mine, "data": [1]}, (400, "bad_draft")),
                           ({"form": mine, "data": {"comment": "x" * 200_001}}, (413, "too_large")),
                           ({"data": {}}, (400, "bad_review_id"))]:
        status, answer = block.call("save_draft", "m1", body)
        assert (status, answer["code"]) == expected, body
    assert block.state("m1")["reviews"][0]["draft"] == {"comment": "v2"}
    block.ok("submit_review", "m1", full_review(state, 0))
    assert block.state("m1")["reviews"][0]["draft"] is None


def test_reviews_keep_the_checklist_version_they_were_made_with(make_block):
    block = make_block('reviews_per_work="2"')
    block.submit_all(FIVE)
    block.ok("staff_start", "staff")
    old_state = block.state("m1")
    block.ok("submit_review", "m1", full_review(old_state, 0, value=1.0))

    # Staff change one item after the start: c2 is now worth 20 points.
    runtime = WorkbenchRuntime("staff")
    xblock = runtime.get_block(block.usage_id)
    rs = json.loads(xblock.checklist)
    rs["criteria"][1]["max"] = 20
    xblock.checklist = json.dumps(rs)
    xblock.save()

    new_state = block.state("m1")
    assert new_state["checklist"]["version"] == old_state["checklist"]["version"] + 1
    old_review = new_state["reviews"][0]
    assert old_review["latest"]["checklist_version"] == old_state["checklist"]["version"]
    assert old_review["total"] == 100.0  # unchanged by the edit
    assert new_state["checklist_versions"][str(old_state["checklist"]["version"])]["items"][1]["max"] == 10
    assert block.ok("submit_review", "m1", full_review(new_state, 1, value=1.0))["reviews"][1]["total"] == 100.0
    assert new_state["checklist"]["items"][1]["max"] == 20


def test_checklist_text_is_sanitized_for_the_page(make_block):
    rs = {"taskName": "t", "criteria": [
        {"type": "subtask", "text": "Use <code>flex</code> <script>alert(1)</script>", "max": 10}]}
    from xml.sax.saxutils import quoteattr
    block = make_block(f"checklist={quoteattr(json.dumps(rs))}")
    item = block.state("m1")["checklist"]["items"][0]
    assert item["html"] == "Use <code>flex</code> &lt;script&gt;alert(1)&lt;/script&gt;"
    assert item["text"] == rs["criteria"][0]["text"]
