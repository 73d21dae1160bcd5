"""Comments that justify the points (issue 11): the comment rule through the handlers, Studio,
OLX and the staff analytics.

The rule binds reviews (submit_review) only: drafts, self-checks and staff re-checks are never
refused for missing comments.
"""
import json

import pytest
from lxml import etree
from workbench.runtime import WorkbenchRuntime

from crosscheck_xblock.models import Review, Work
from crosscheck_xblock.services.task_settings import TaskSettings

from .conftest import anon, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
THREE = ["a", "b", "c"]
CHECKLIST = json.dumps({"taskName": "T", "criteria": [
    {"type": "subtask", "text": "Part one", "max": 60},
    {"type": "subtask", "text": "Part two", "max": 40},
    {"type": "penalty", "text": "Late", "max": -10},
]})
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="1" ')


def running(make_block, attributes=""):
    """Three learners, k=2, the cross-check started."""
    block = make_block(f'reviews_per_work="2" max_score="100" {attributes}',
                       f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(THREE)
    block.ok("staff_start", "staff")
    return block


def review(block, name, index=0, **fields):
    state = block.state(name)
    return {"review_id": state["reviews"][index]["id"], **fields}


# ---------------------------------------------------------------- the rules

def test_deducted_is_the_default_and_names_the_items_that_lost_points(make_block):
    block = running(make_block)
    assert block.state("a")["settings"]["comment_rule"]["rule"] == "deducted"
    body = review(block, "a", items={"c1": 0.5, "c2": 1, "c3": 1})
    before = table_snapshot()
    status, answer = block.call("submit_review", "a", body)
    assert (status, answer["code"]) == (400, "comment_required")
    assert answer["items"] == ["c1", "c3"] and answer["overall"] is False  # the full subtask needs none
    assert "“Part one”" in answer["error"] and "“Late”" in answer["error"] and "Part two" not in answer["error"]
    assert "at least 10 characters" in answer["error"]
    assert table_snapshot() == before  # nothing written, not even the draft removed

    # An overall comment does not stand in for the item comments.
    status, answer = block.call("submit_review", "a", {**body, "comment": "A long overall comment here."})
    assert answer["code"] == "comment_required" and answer["items"] == ["c1", "c3"]
    # Whitespace does not count: 9 characters padded to 15 are still too short.
    status, answer = block.call("submit_review", "a", {**body, "item_comments": {
        "c1": "   123456789   ", "c3": "Submitted two days late."}})
    assert (status, answer["items"]) == (400, ["c1"])
    state = block.ok("submit_review", "a", {**body, "item_comments": {
        "c1": "  1234567890  ", "c3": "Submitted two days late."}})
    assert state["reviews"][0]["status"] == "submitted" and Review.objects.count() == 1


def test_full_marks_need_no_comment_under_any_rule(make_block):
    for rule in ("deducted", "overall"):
        block = running(make_block, f'comment_rule="{rule}"')
        block.ok("submit_review", "a", review(block, "a", items={"c1": 1, "c2": 1, "c3": 0}))


def test_overall_asks_for_an_overall_comment_when_the_total_is_below_the_maximum(make_block):
    block = running(make_block, 'comment_rule="overall" comment_min_chars="5"')
    assert block.state("a")["settings"]["comment_rule"]["min_chars"] == 5
    body = review(block, "a", items={"c1": 0.5, "c2": 1, "c3": 0},
                  item_comments={"c1": "Item comments do not count here."})
    for comment in ("", "  abcd  "):
        status, answer = block.call("submit_review", "a", {**body, "comment": comment})
        assert (status, answer["code"], answer["overall"], answer["items"]) == (400, "comment_required", True, [])
        assert "overall comment of at least 5 characters" in answer["error"]
    assert not Review.objects.exists()
    block.ok("submit_review", "a", {**body, "comment": " abcde "})
    # A penalty alone takes the total below the maximum too.
    status, answer = block.call("submit_review", "a", review(block, "a", 1, items={"c1": 1, "c2": 1, "c3": 1}))
    assert (status, answer["overall"]) == (400, True)


def test_none_accepts_reviews_without_comments(make_block):
    block = running(make_block, 'comment_rule="none"')
    block.ok("submit_review", "a", review(block, "a", items={"c1": 0, "c2": 0, "c3": 1}))


def test_drafts_self_checks_and_staff_rechecks_are_not_bound_by_the_rule(make_block, clock):
    block = make_block(f'reviews_per_work="2" {DATES}', f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(THREE)
    thin = {"c1": 0.2, "c2": 0.2, "c3": 1}
    block.ok("submit_self_check", "a", {"items": thin})  # a self-check is the author's own estimate
    clock.advance(days=1)  # the start
    token = block.state("a")["reviews"][0]["id"]
    assert block.ok("save_draft", "a", {"form": token, "data": {"items": thin}})["saved_at"]
    for name in THREE:
        for index in (0, 1):
            block.ok("submit_review", name, review(block, name, index, items={"c1": 1, "c2": 1, "c3": 0}))
    clock.advance(days=4)  # past the end and the adjustment period: the next page view grades
    assert block.state("a")["grade"]["points"] == 100
    work_id = Work.objects.get(student_id=anon("a")).pk
    result = block.ok("staff_recheck", "staff", {"work_id": work_id, "items": thin})
    assert result["result"]["points"] == 10  # 12 + 8 − 10, with no comment


def test_the_adjustment_period_judges_the_points_that_change(make_block, clock):
    block = make_block(f'reviews_per_work="2" comment_rule="none" {DATES}',
                       f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(THREE)
    clock.advance(days=1)
    # Submitted while no comments were required: part two lost points without one.
    body = review(block, "a", items={"c1": 0.8, "c2": 0.5, "c3": 0}, comment="ok")
    block.ok("submit_review", "a", body)
    assert block.call("studio_submit", "staff", {"values": {"comment_rule": "deducted"}})[0] == 200
    clock.advance(days=2)  # the end: only points may change, comments may not
    assert block.state("a")["phase"] == "adjustment"
    # Lowering part one (or changing part two to another share below its maximum) needs a
    # comment, which cannot be written now: refused.
    for items, named in [({"c1": 0.5, "c2": 0.5, "c3": 0}, ["c1"]), ({"c1": 0.8, "c2": 0.7, "c3": 0}, ["c2"]),
                         ({"c1": 0.8, "c2": 0.5, "c3": 1}, ["c3"])]:
        status, answer = block.call("submit_review", "a", {**body, "items": items})
        assert (status, answer["code"], answer["items"]) == (400, "comment_required", named), items
        assert "adjustment period" in answer["error"]
    assert Review.objects.count() == 1
    # Giving part one full marks is accepted: part two kept its points, so it is not judged again.
    after = block.ok("submit_review", "a", {**body, "items": {"c1": 1, "c2": 0.5, "c3": 0}})
    assert after["reviews"][0]["total"] == 80.0 and Review.objects.count() == 2


def test_the_overall_rule_in_the_adjustment_period_judges_a_changed_total(make_block, clock):
    block = make_block(f'reviews_per_work="2" comment_rule="overall" {DATES}',
                       f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(THREE)
    clock.advance(days=1)
    body = review(block, "a", items={"c1": 1, "c2": 1, "c3": 0}, comment="ok")
    block.ok("submit_review", "a", body)
    clock.advance(days=2)
    status, answer = block.call("submit_review", "a", {**body, "items": {"c1": 0.5, "c2": 1, "c3": 0}})
    assert (status, answer["overall"]) == (400, True)


# ---------------------------------------------------------------- settings: Studio, OLX, the copy

def test_studio_saves_and_refuses_the_comment_settings(make_block):
    block = make_block()
    body = block.ok("studio_submit", "staff", {"values": {"comment_rule": "overall", "comment_min_chars": "25"}})
    assert (body["values"]["comment_rule"], body["values"]["comment_min_chars"]) == ("overall", 25)
    for values, code in [({"comment_rule": "all"}, "unknown_comment_rule"),
                         ({"comment_rule": 1}, "unknown_comment_rule"),
                         ({"comment_min_chars": 0}, "bad_value"), ({"comment_min_chars": 1001}, "bad_value"),
                         ({"comment_min_chars": 2.5}, "bad_value"), ({"comment_min_chars": "ten"}, "bad_value"),
                         ({"comment_min_chars": True}, "bad_value")]:
        status, answer = block.call("studio_submit", "staff", {"values": {"display_name": "Changed", **values}})
        assert (status, answer["code"], answer["field"]) == (400, code, next(iter(values))), values
    saved = block.ok("studio_submit", "staff", {"values": {}})["values"]  # all or nothing: none of those saved
    assert (saved["display_name"], saved["comment_rule"], saved["comment_min_chars"]) == ("Cross-check", "overall", 25)


def test_the_editor_offers_the_rules_with_labels_and_help(make_block):
    block = make_block()
    response = block.client.get(f"/scenario/{block.scenario}/studio_view/?student=staff")
    page = response.content.decode()
    start = page.index('class="ccs-init">') + len('class="ccs-init">')
    init = json.loads(page[start:page.index("</script>", start)])
    assert [rule["value"] for rule in init["comment_rules"]] == ["none", "deducted", "overall"]
    assert all(rule["label"] and rule["help"] for rule in init["comment_rules"])
    assert init["ranges"]["comment_min_chars"] == [1, 1000]
    assert (init["values"]["comment_rule"], init["values"]["comment_min_chars"]) == ("deducted", 10)


def test_olx_round_trip_keeps_the_comment_settings():
    runtime = WorkbenchRuntime("staff")
    block = runtime.get_block(runtime.parse_xml_string(
        '<crosscheck comment_rule="overall" comment_min_chars="30"/>'))
    assert (block.comment_rule, block.comment_min_chars) == ("overall", 30)
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    assert (node.get("comment_rule"), node.get("comment_min_chars")) == ("overall", "30")
    again = runtime.get_block(runtime.parse_xml_string(etree.tostring(node, encoding="unicode")))
    assert (again.comment_rule, again.comment_min_chars) == ("overall", 30)
    assert block.task_config()["comment_rule"] == "overall" and block.task_config()["comment_min_chars"] == 30


def test_bad_olx_values_fall_back_to_the_defaults_and_studio_flags_them(make_block):
    for rule, chars in [("all", 0), (None, 1001), (3, "x"), ("none", True)]:
        settings = TaskSettings.from_config({"comment_rule": rule, "comment_min_chars": chars})
        assert settings.comment_min_chars == 10
        assert settings.comment_rule == ("none" if rule == "none" else "deducted")
    assert TaskSettings.from_config({"comment_min_chars": "1000"}).comment_min_chars == 1000
    block = make_block('comment_rule="sometimes" comment_min_chars="0"')
    # The task still runs on the defaults; Studio's validation names both settings.
    assert block.state("a")["settings"]["comment_rule"]["rule"] == "deducted"
    runtime = WorkbenchRuntime("staff")
    bad = runtime.get_block(runtime.parse_xml_string('<crosscheck comment_rule="sometimes" comment_min_chars="0"/>'))
    messages = [message.text for message in bad.validate().messages]
    assert any("Comments required" in text for text in messages)
    assert any("Minimum comment length" in text for text in messages)


# ---------------------------------------------------------------- staff analytics

def test_analytics_flag_thin_reviews_and_a_pasted_comment(make_block):
    block = running(make_block, 'comment_rule="none"')
    low = {"c1": 0.5, "c2": 0.5, "c3": 0}
    full = {"c1": 1, "c2": 1, "c3": 0}
    for index in (0, 1):
        # a pastes one short comment into both reviews and takes points: thin and pasted.
        block.ok("submit_review", "a", review(block, "a", index, items=low, comment="  Needs  work. "))
        # b takes points and explains them per item: neither.
        block.ok("submit_review", "b", review(block, "b", index, items=low, comment=f"Review {index}", item_comments={
            "c1": "The first part misses the form validation.", "c2": "The second part has no tests."}))
        # c gives full marks with a word each: not thin (nothing taken), comments differ.
        block.ok("submit_review", "c", review(block, "c", index, items=full, comment=f"Fine {index}"))
    data = block.ok("staff_analytics", "staff")
    rows = {row["reviewer_learner"]: row for row in data["reviewers"]}
    assert (rows["a"]["thin_reviews"], rows["a"]["pasted_comment"]) == (2, True)
    assert (rows["b"]["thin_reviews"], rows["b"]["pasted_comment"]) == (0, False)
    assert (rows["c"]["thin_reviews"], rows["c"]["pasted_comment"]) == (0, False)
    warnings = data["warnings"]
    assert (warnings["thin_reviews"], warnings["thin_reviewers"], warnings["pasted_comment_reviewers"]) == (2, 1, 1)
    assert warnings["thin_comment_chars"] == 40
    by_reviewer = [r for work in data["works"] for r in work["reviews"] if r["reviewer_learner"] == "a"]
    assert len(by_reviewer) == 2 and all(r["thin_comment"] for r in by_reviewer)
    assert not any(r["thin_comment"] for work in data["works"] for r in work["reviews"]
                   if r["reviewer_learner"] != "a")


def test_one_review_is_not_a_pasted_comment(make_block):
    block = running(make_block, 'comment_rule="none"')
    block.ok("submit_review", "a", review(block, "a", 0, items={"c1": 1, "c2": 1, "c3": 0}, comment="Same"))
    block.ok("submit_review", "b", review(block, "b", 0, items={"c1": 1, "c2": 1, "c3": 0}, comment="Same"))
    rows = block.ok("staff_analytics", "staff")["reviewers"]
    assert not any(row["pasted_comment"] for row in rows)
