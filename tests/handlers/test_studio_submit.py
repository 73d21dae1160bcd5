"""The Studio editor's handlers: studio_submit validates everything and saves all or nothing;
studio_preview shows the learner's form; studio_view starts the editor with the block's values."""
import json
import re
from xml.sax.saxutils import quoteattr

import pytest
from workbench.runtime import WorkbenchRuntime

pytestmark = [pytest.mark.db, pytest.mark.django_db]

RS = {"taskName": "Tiny task", "criteria": [
    {"type": "title", "title": "Basics"},
    {"type": "subtask", "text": "It <b>works</b>", "max": 60},
    {"type": "sub-title", "title": "Style"},
    {"type": "subtask", "text": "Code is <code>clean</code>", "max": 40},
    {"type": "penalty", "text": "Late", "max": -10},
]}
YAML = """taskName: Tiny task
criteria:
  - type: title
    title: Basics
  - type: subtask
    text: It <b>works</b>
    max: 60
  - type: sub-title
    title: Style
  - type: subtask
    text: Code is <code>clean</code>
    max: 40
  - type: penalty
    text: Late
    max: -10
"""
GOOD = {
    "display_name": "Week 3 cross-check", "submission_kind": "pull_request", "reviews_per_work": 3,
    "max_score": 100, "grading_policy": "drop_min", "submission_start": "2026-03-20T08:00:00Z",
    "submission_due": "2026-04-01T12:00:00Z",
    "review_start": "2026-04-02T09:30:00Z", "review_due": "2026-04-05T09:30:00Z",
    "adjustment_days": 2, "outlier_threshold": 20, "warning_rule": "fixed", "aggregation": "per_item",
    "appeal_days": 5, "comment_rule": "overall", "comment_min_chars": 25, "checklist": json.dumps(RS),
    "extra_lease_hours": 6, "extra_reviews_limit": 3, "extra_window_hours": 24, "calibration_works": 5,
}


def rs_with(*criteria):
    return json.dumps({"taskName": "T", "criteria": list(criteria)})


def editor_init(block, student="staff"):
    """The JSON the studio_view page starts the editor with."""
    response = block.client.get(f"/scenario/{block.scenario}/studio_view/?student={student}")
    assert response.status_code == 200
    match = re.search(r'<script type="application/json" class="ccs-init">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "the editor's init data is missing"
    return json.loads(match.group(1))


def values_of(block):
    return editor_init(block)["values"]


@pytest.fixture
def block(make_block):
    return make_block('display_name="Original" reviews_per_work="4" max_score="100" grading_policy="mean"')


# ---------------------------------------------------------------- success

def test_save_everything(block):
    status, body = block.call("studio_submit", "staff", {"values": GOOD})
    assert status == 200, body
    assert body["saved"] is True
    assert body["values"] == {**GOOD, "adjustment_days": 2.0, "outlier_threshold": 20.0, "appeal_days": 5.0}
    assert values_of(block) == body["values"]
    # The simulated rates of the two warning rules for what was just saved (k 3, 20 %, max 100).
    rates = body["warning_rates"]
    assert (rates["k"], rates["threshold"], rates["max_score"]) == (3, 0.2, 100)
    assert set(rates["rules"]) == {"fixed", "evidence", "none"}
    settings = block.state("alice")["settings"]
    assert settings["display_name"] == "Week 3 cross-check"
    assert settings["reviews_per_work"] == 3 and settings["grading_policy"] == "drop_min"
    assert settings["review_due"] == "2026-04-05T09:30:00Z"


def test_save_fills_the_cross_check_dates_from_the_deadline(block):
    """T1: start = deadline, end = start + 3 days; a date with an offset is stored in UTC."""
    values = {**GOOD, "submission_due": "2026-04-01T14:00:00+02:00", "review_start": "", "review_due": None}
    body = block.ok("studio_submit", "staff", {"values": values})
    assert body["values"]["submission_due"] == "2026-04-01T12:00:00Z"
    assert body["values"]["review_start"] == "2026-04-01T12:00:00Z"
    assert body["values"]["review_due"] == "2026-04-04T12:00:00Z"


def test_partial_values_keep_the_others(block):
    before = values_of(block)
    body = block.ok("studio_submit", "staff", {"values": {"display_name": "  Renamed  "}})
    assert body["values"] == {**before, "display_name": "Renamed"}


def test_grading_options_reach_the_settings_copy(block):
    """The four options are stored as typed and copied into the task config grading reads."""
    from crosscheck_xblock.models import Task
    values = {"outlier_threshold": "17.5", "warning_rule": "none", "aggregation": "per_item",
              "appeal_days": 0}
    body = block.ok("studio_submit", "staff", {"values": values})
    assert {name: body["values"][name] for name in values} == {
        "outlier_threshold": 17.5, "warning_rule": "none", "aggregation": "per_item", "appeal_days": 0.0}
    block.state("alice")  # the page view refreshes the settings copy
    config = Task.objects.get().config
    assert config["outlier_threshold"] == pytest.approx(0.175)
    assert (config["warning_rule"], config["aggregation"], config["appeal_days"]) == ("none", "per_item", 0.0)


def test_whole_numbers_may_come_as_text(block):
    body = block.ok("studio_submit", "staff", {"values": {"reviews_per_work": "5", "max_score": 80.0,
                                                          "adjustment_days": "0.5"}})
    assert (body["values"]["reviews_per_work"], body["values"]["max_score"]) == (5, 80)
    assert body["values"]["adjustment_days"] == 0.5


def test_an_unchanged_checklist_keeps_its_yaml_text(block):
    block.ok("studio_submit", "staff", {"values": {"checklist": YAML}})
    # The editor always sends JSON; meaning the same, it must not replace the hand-written YAML.
    body = block.ok("studio_submit", "staff", {"values": {"checklist": json.dumps(RS, indent=2)}})
    assert body["values"]["checklist"] == YAML
    changed = {**RS, "criteria": [*RS["criteria"][:3], {"type": "subtask", "text": "Tidy", "max": 40},
                                  RS["criteria"][4]]}
    body = block.ok("studio_submit", "staff", {"values": {"checklist": json.dumps(changed)}})
    assert json.loads(body["values"]["checklist"]) == changed
    assert block.state("alice")["checklist"]["items"][3]["text"] == "Tidy"


# ---------------------------------------------------------------- refusals: nothing is saved

REFUSALS = [
    # (values, code, field, words in the message)
    ({"colour": "red"}, "unknown_field", "colour", "Unknown setting 'colour'"),
    ({"max_points": 50}, "unknown_field", "max_points", "Unknown setting 'max_points'"),
    ({"display_name": ""}, "bad_value", "display_name", "Display name"),
    ({"display_name": 7}, "bad_value", "display_name", "Display name"),
    ({"display_name": "x" * 256}, "bad_value", "display_name", "at most 255"),
    ({"submission_kind": "video"}, "unknown_kind", "submission_kind", "pull_request, deploy, any"),
    ({"reviews_per_work": 0}, "bad_value", "reviews_per_work", "from 1 to 10"),
    ({"reviews_per_work": 11}, "bad_value", "reviews_per_work", "from 1 to 10"),
    ({"reviews_per_work": 2.5}, "bad_value", "reviews_per_work", "whole number"),
    ({"reviews_per_work": True}, "bad_value", "reviews_per_work", "whole number"),
    ({"reviews_per_work": "four"}, "bad_value", "reviews_per_work", "whole number"),
    ({"max_score": 0}, "bad_value", "max_score", "Maximum score must be a whole number from 1 to 10000"),
    ({"max_score": 10_001}, "bad_value", "max_score", "from 1 to 10000"),
    ({"max_score": None}, "bad_value", "max_score", "Maximum score"),
    ({"grading_policy": "trimmed"}, "unknown_policy", "grading_policy",
     "mean, median, drop_min, drop_discordant, reliability"),
    ({"adjustment_days": -1}, "bad_value", "adjustment_days", "from 0 to 30"),
    ({"adjustment_days": 31}, "bad_value", "adjustment_days", "from 0 to 30"),
    ({"adjustment_days": "NaN"}, "bad_value", "adjustment_days", "Adjustment period"),
    ({"adjustment_days": "soon"}, "bad_value", "adjustment_days", "Adjustment period"),
    ({"submission_due": "next Friday"}, "bad_date", "submission_due", "Submission deadline: 'next Friday'"),
    ({"review_start": "2026-13-01T00:00:00Z"}, "bad_date", "review_start", "ISO 8601"),
    ({"review_due": 1775000000}, "bad_date", "review_due", "Cross-check end"),
    ({"submission_due": "2026-04-02T00:00:00Z", "review_start": "2026-04-01T00:00:00Z", "review_due": ""},
     "bad_dates", "review_due", "cannot start before the submission deadline"),
    ({"review_start": "2026-04-02T00:00:00Z", "review_due": "2026-04-02T00:00:00Z"},
     "bad_dates", "review_due", "must end after it starts"),
    ({"submission_due": "", "review_start": "", "review_due": "2026-04-02T00:00:00Z"},
     "bad_dates", "review_due", "Set the submission deadline"),
    ({"checklist": "{not json"}, "bad_checklist", "checklist", "not valid JSON"),
    ({"checklist": "- just\n- a list"}, "bad_checklist", "checklist", "must be a mapping"),
    ({"checklist": {"taskName": "object, not text"}}, "bad_checklist", "checklist", "as rs JSON or YAML text"),
    ({"checklist": rs_with({"type": "title", "title": "A"}, {"type": "box", "text": "B", "max": 1})},
     "bad_checklist", "checklist", "item 2 (“B”): unknown type \"box\""),
    ({"checklist": rs_with({"type": "subtask", "text": "Fine", "max": 1},
                           {"type": "penalty", "text": "Positive penalty", "max": 5})},
     "bad_checklist", "checklist", "item 2 (“Positive penalty”): a penalty must have a negative"),
    ({"checklist": rs_with({"type": "subtask", "text": "No max"})}, "bad_checklist", "checklist", 'missing "max"'),
    ({"checklist": rs_with(*[{"type": "subtask", "text": f"Item {n}", "max": 1} for n in range(501)])},
     "bad_checklist", "checklist", "at most 500"),
    ({"checklist": json.dumps({"taskName": "x" * 1_000_001, "criteria": []})},
     "bad_checklist", "checklist", "the limit is 1 MB"),
    ({"outlier_threshold": 4.9}, "bad_value", "outlier_threshold",
     "Outlier threshold must be a percentage of the maximum score from 5 to 50, not 4.9"),
    ({"outlier_threshold": 51}, "bad_value", "outlier_threshold", "from 5 to 50"),
    ({"outlier_threshold": 0.15}, "bad_value", "outlier_threshold", "from 5 to 50"),
    ({"outlier_threshold": "fifteen"}, "bad_value", "outlier_threshold", "Outlier threshold"),
    ({"outlier_threshold": None}, "bad_value", "outlier_threshold", "Outlier threshold"),
    ({"outlier_threshold": True}, "bad_value", "outlier_threshold", "Outlier threshold"),
    ({"warning_rule": "strict"}, "unknown_warning_rule", "warning_rule",
     "Warning rule: unknown choice 'strict'; choose one of fixed, evidence, none."),
    ({"warning_rule": None}, "unknown_warning_rule", "warning_rule", "Warning rule"),
    ({"aggregation": "items"}, "unknown_aggregation", "aggregation",
     "Aggregation: unknown choice 'items'; choose one of total, per_item."),
    ({"aggregation": ["total"]}, "unknown_aggregation", "aggregation", "Aggregation"),
    ({"appeal_days": -0.5}, "bad_value", "appeal_days", "Appeal window must be a number of days from 0 to 30"),
    ({"appeal_days": 30.5}, "bad_value", "appeal_days", "from 0 to 30"),
    ({"appeal_days": "a week"}, "bad_value", "appeal_days", "Appeal window"),
    ({"extra_lease_hours": 0}, "bad_value", "extra_lease_hours", "Extra review lease"),
    ({"extra_lease_hours": 2.5}, "bad_value", "extra_lease_hours", "Extra review lease"),
    ({"extra_reviews_limit": 21}, "bad_value", "extra_reviews_limit", "from 0 to 20"),
    # A valid change next to an invalid one: neither is saved.
    ({"display_name": "Valid new name", "reviews_per_work": 11}, "bad_value", "reviews_per_work", "from 1 to 10"),
]


@pytest.mark.parametrize("values, code, field, words", REFUSALS,
                         ids=[f"{code}-{n}" for n, (_, code, _, _) in enumerate(REFUSALS)])
def test_refusal_names_the_field_and_saves_nothing(block, values, code, field, words):
    before = values_of(block)
    status, body = block.call("studio_submit", "staff", {"values": {**GOOD, **values}})
    assert status == 400, body
    assert body["code"] == code and body["field"] == field
    assert words in body["error"]
    assert values_of(block) == before


def test_checklist_refusal_gives_the_item_position_and_text(block):
    bad = rs_with({"type": "subtask", "text": "Fine", "max": 1},
                  {"type": "penalty", "text": "A rather long penalty text that the message will cut short", "max": 5})
    status, body = block.call("studio_submit", "staff", {"values": {"checklist": bad}})
    assert status == 400
    assert body["position"] == 2
    assert body["item_text"].startswith("A rather long penalty") and body["item_text"].endswith("…")
    assert body["error"].startswith("Checklist: item 2 (“A rather long penalty")


@pytest.mark.parametrize("body", [{}, {"values": []}, {"values": "display_name=x"}])
def test_values_must_be_an_object(block, body):
    before = values_of(block)
    status, answer = block.call("studio_submit", "staff", body)
    assert (status, answer["code"]) == (400, "bad_values")
    assert values_of(block) == before


def test_body_must_be_json(block):
    status, answer = block.call("studio_submit", "staff", raw="values=1")
    assert (status, answer["code"]) == (400, "bad_json")


def test_get_is_refused(block):
    status, answer = block.call("studio_submit", "staff", method="get")
    assert (status, answer["code"]) == (405, "method_not_allowed")


def test_learners_cannot_save_in_the_lms(block):
    """In the LMS (and the workbench) the block is bound to the user: only staff may save."""
    before = values_of(block)
    status, body = block.call("studio_submit", "alice", {"values": {"display_name": "Hacked"}})
    assert (status, body["code"]) == (403, "staff_only")
    assert block.call("studio_preview", "alice", {"checklist": YAML})[0] == 403
    assert values_of(block) == before


def test_studio_authoring_is_allowed_in_author_mode_without_staff_flag(block):
    """Studio's user service may not say "staff": in author mode the editor's handlers are
    allowed, because Studio checks course write access before it calls them."""
    body = block.ok("studio_submit", "studio", {"values": {"display_name": "Edited in Studio"}})
    assert body["values"]["display_name"] == "Edited in Studio"
    assert block.ok("studio_preview", "studio", {"checklist": YAML})["error"] is None


def test_anonymous_visitors_cannot_reach_the_editor(block):
    """An LMS visitor who is not signed in (no user id) is not Studio: refused, nothing saved."""
    before = values_of(block)
    for handler, body in [("studio_submit", {"values": {"display_name": "Hacked"}}),
                          ("studio_preview", {"checklist": YAML})]:
        status, answer = block.call(handler, "anonymous", body)
        assert (status, answer["code"]) == (403, "staff_only")
    assert values_of(block) == before


# ---------------------------------------------------------------- preview

def test_preview_sanitizes_items_and_totals(block):
    text = rs_with({"type": "title", "title": "<i>Part</i> one"},
                   {"type": "subtask", "text": "Has <b>bold</b> <script>alert(1)</script>", "max": 70},
                   {"type": "penalty", "text": "Late <img src=x onerror=alert(1)>", "max": -20})
    body = block.ok("studio_preview", "staff", {"checklist": text, "max_score": 100})
    assert body["error"] is None
    items = body["checklist"]["items"]
    assert items[0]["html"] == "<i>Part</i> one"
    assert "<b>bold</b>" in items[1]["html"] and "<script>" not in items[1]["html"]
    assert "&lt;script&gt;" in items[1]["html"]
    assert "<img" not in items[2]["html"]
    assert body["totals"]["scored"] == 70 and body["totals"]["penalties"] == -20
    assert body["totals"]["status"] == "below" and "nobody can get full marks" in body["totals"]["message"]


@pytest.mark.parametrize("max_score, status, words", [
    (100, "equal", "add up to the maximum score of 100"),
    (80, "capped", "capped at 80"),
    (120, "below", "less than the maximum score of 120"),
])
def test_preview_compares_the_sum_with_the_max_score(block, max_score, status, words):
    body = block.ok("studio_preview", "staff", {"checklist": YAML, "max_score": max_score})
    assert body["totals"]["status"] == status and words in body["totals"]["message"]


def test_preview_reports_the_servers_error(block):
    bad = rs_with({"type": "subtask", "text": "Negative subtask", "max": -3})
    body = block.ok("studio_preview", "staff", {"checklist": bad, "max_score": 100})
    assert body["checklist"] is None
    assert body["error"]["code"] == "bad_checklist" and body["error"]["position"] == 1
    assert "use a penalty item" in body["error"]["error"]


def test_preview_parses_uploaded_yaml(block):
    body = block.ok("studio_preview", "staff", {"checklist": YAML, "max_score": "not a number"})
    assert [i["type"] for i in body["checklist"]["items"]] == ["title", "subtask", "subtitle", "subtask", "penalty"]
    assert body["totals"] is None  # no usable maximum to compare with


# ---------------------------------------------------------------- the editor page

def test_editor_starts_with_the_blocks_values(make_block):
    tricky = rs_with({"type": "subtask", "text": "Ends the script? </script><b>no</b>", "max": 5})
    block = make_block(f'display_name="Editor" checklist={quoteattr(tricky)}')
    init = editor_init(block)
    assert init["values"]["display_name"] == "Editor" and init["values"]["checklist"] == tricky
    assert init["preview"]["checklist"]["items"][0]["text"] == "Ends the script? </script><b>no</b>"
    assert [p["value"] for p in init["policies"]] == ["mean", "median", "drop_min", "drop_discordant",
                                                      "reliability"]
    assert init["started"] is False and init["review_days"] == 3
    assert [r["value"] for r in init["warning_rules"]] == ["fixed", "evidence", "none"]
    assert [a["value"] for a in init["aggregations"]] == ["total", "per_item"]
    assert all(choice["help"] for choice in init["warning_rules"] + init["aggregations"])
    assert init["ranges"]["outlier_threshold"] == [5, 50] and init["ranges"]["appeal_days"] == [0, 30]
    assert (init["values"]["outlier_threshold"], init["values"]["warning_rule"],
            init["values"]["aggregation"], init["values"]["appeal_days"]) == (15.0, "evidence", "total", 3.0)


def test_editor_shows_the_simulated_rates_for_the_saved_settings(make_block):
    """Next to the warning rule: the simulation's share of honest reviewers each rule warns and
    of careless ones it catches, for the task's k, threshold and maximum."""
    block = make_block('reviews_per_work="4" max_score="100" outlier_threshold="15"')
    rates = editor_init(block)["warning_rates"]
    assert (rates["k"], rates["threshold"], rates["max_score"]) == (4, 0.15, 100)
    assert rates["classes"] == 10 and rates["learners"] == 200 and rates["honest_reviewers"] > 1000
    fixed, evidence = rates["rules"]["fixed"], rates["rules"]["evidence"]
    # What the bench measures (README): the fixed rule warns most honest reviewers.
    assert fixed["honest_warned"] > 0.5 > 0.15 > evidence["honest_warned"]
    assert fixed["careless_caught"] > evidence["careless_caught"] > 0.3
    assert rates["rules"]["none"] == {"honest_warned": 0.0, "careless_caught": 0.0}
    assert rates["note"] == ""
    # A higher threshold warns fewer honest reviewers; k = 2 cannot warn anybody.
    higher = block.ok("studio_submit", "staff", {"values": {"outlier_threshold": 25}})["warning_rates"]
    assert higher["rules"]["fixed"]["honest_warned"] < fixed["honest_warned"]
    two = block.ok("studio_submit", "staff", {"values": {"reviews_per_work": 2}})["warning_rates"]
    assert two["rules"]["fixed"]["honest_warned"] == 0 and "fewer than 3 reviews" in two["note"]


def test_editor_warns_once_the_cross_check_started(block):
    block.submit_all(["alice", "bob", "carol"])
    block.ok("staff_start", "staff")
    init = editor_init(block)
    assert init["started"] is True
    assert init["started_warning"].startswith("The cross-check has started: the changed checklist applies")
    # Saving is still allowed: reviews already submitted keep their checklist version.
    assert block.call("studio_submit", "staff", {"values": {"checklist": YAML}})[0] == 200


def test_validate_lists_every_problem_for_the_unit_page():
    runtime = WorkbenchRuntime("staff")
    usage_id = runtime.parse_xml_string(
        '<crosscheck reviews_per_work="11" grading_policy="trimmed" review_due="2026-04-01T00:00:00Z"/>')
    messages = [m.text for m in runtime.get_block(usage_id).validate().messages]
    assert len(messages) == 3, messages
    assert any("Reviews per work" in m for m in messages)
    assert any("trimmed" in m for m in messages)
    assert any("Set the submission deadline" in m for m in messages)


def test_validate_names_bad_grading_options_from_olx():
    """OLX written by hand (a threshold as a share, a misspelt rule) shows up on the unit page."""
    runtime = WorkbenchRuntime("staff")
    usage_id = runtime.parse_xml_string(
        '<crosscheck outlier_threshold="0.15" warning_rule="strict" aggregation="items" appeal_days="40"/>')
    messages = [m.text for m in runtime.get_block(usage_id).validate().messages]
    assert len(messages) == 4, messages
    assert any("Outlier threshold must be a percentage of the maximum score from 5 to 50, not 0.15" in m
               for m in messages)
    assert any("Warning rule: unknown choice 'strict'" in m for m in messages)
    assert any("Aggregation: unknown choice 'items'" in m for m in messages)
    assert any("Appeal window must be a number of days from 0 to 30" in m for m in messages)


# ---------------------------------------------------------------- hostile values (found by test_fuzz.py)

@pytest.mark.parametrize("values, code", [
    ({"reviews_per_work": "--5"}, "bad_value"), ({"reviews_per_work": "²"}, "bad_value"),
    ({"max_score": "-²"}, "bad_value"), ({"max_score": "9" * 30}, "bad_value"),
    ({"submission_due": "9999-12-31T23:59:59-01:00"}, "bad_date"),
    ({"submission_due": "0001-01-01T00:00:00+01:00"}, "bad_date"),
    ({"submission_due": "9999-12-31T23:59:59Z"}, "bad_date"),
    ({"submission_due": "2026-04-01T12:00:00Z", "review_due": "9999-12-31T23:59:59Z"}, "bad_date"),
    ({"checklist": "[" * 100_000}, "bad_checklist"), ({"checklist": '{"a":' * 5000}, "bad_checklist"),
    ({"checklist": "- " * 3000 + "x"}, "bad_checklist"),
    ({"checklist": '{"taskName": "T", "criteria": [{"type": "subtask", "text": "t", "max": 1' + "0" * 5000 + "}]}"},
     "bad_checklist"),
    ({"checklist": "taskName: T\ncriteria:\n  - type: subtask\n    text: t\n    max: 1" + "0" * 5000},
     "bad_checklist"),
    ({"checklist": '{"taskName": "T", "criteria": [{"type": "subtask", "text": "\\ud800", "max": 1}]}'},
     "bad_checklist"),
    ({"checklist": 'taskName: T\ncriteria:\n  - type: subtask\n    text: "\\ud800"\n    max: 1'}, "bad_checklist"),
])
def test_hostile_values_are_refused_and_the_block_keeps_working(block, values, code):
    before = values_of(block)
    status, body = block.call("studio_submit", "staff", {"values": values})
    assert (status, body["code"]) == (400, code), body
    assert values_of(block) == before
    if "checklist" in values:
        preview = block.ok("studio_preview", "staff", {"checklist": values["checklist"], "max_score": 100})
        assert preview["error"]["code"] == "bad_checklist"
    assert block.call("get_state", "alice")[0] == 200


def test_saving_the_deadline_sets_the_blocks_due_date(block):
    """T2: the LMS lists `due` in the course dates; it follows the submission deadline on save."""
    from datetime import UTC, datetime

    block.ok("studio_submit", "staff", {"values": {"submission_due": "2026-04-01T12:00:00Z"}})
    saved = WorkbenchRuntime("staff").get_block(block.usage_id)
    assert saved.due == datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    block.ok("studio_submit", "staff", {"values": {"submission_due": "", "review_start": "", "review_due": ""}})
    assert WorkbenchRuntime("staff").get_block(block.usage_id).due is None


def test_submission_start_must_come_before_the_deadline(block):
    before = block.ok("studio_submit", "staff", {"values": GOOD})["values"]
    status, body = block.call("studio_submit", "staff",
                              {"values": {**GOOD, "submission_start": "2026-04-01T12:00:00Z"}})
    assert (status, body["code"], body["field"]) == (400, "bad_dates", "submission_start")
    assert block.ok("studio_submit", "staff", {"values": {}})["values"] == before  # nothing was saved
