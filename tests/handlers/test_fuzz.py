"""Fuzz every handler of the block over HTTP (hypothesis): hostile requests never crash it, and a
refusal is always a 4xx `{"error", "code"}` that changed nothing in the database.

Each test builds one block in a phase worth reaching (submission open; cross-check running;
graded), then hypothesis sends requests to all fifteen handlers as learners, staff, visitors who
are not signed in, Studio, and staff viewing as a learner. The bodies mix the handlers' real field
names and real ids (review ids, item ids, work ids) with values of the wrong type, edge numbers,
malformed links and dates, raw JSON text no encoder writes (NaN, lone surrogates, deep nesting,
huge integers), bodies around the 2 MB limit, bytes that are not UTF-8, other content types and
other methods. Many bodies are valid ones with one field spoiled, so the fuzz gets past the first
check of each handler.

Every call is checked: status < 500; a 4xx answer is JSON `{"error": <text>, "code": <text>}`;
after a 4xx every row of our tables, edx-submissions' tables, the workbench gradebook and the
workbench's field store is as before. `test_fuzz_studio_saves` also checks that settings Studio
accepted (200) leave the block working (get_state answers 200).

A test does not stop at the first problem: it collects one example of each distinct problem and
fails at the end listing all of them. Runs are reproducible (`derandomize`) and write nothing
(`database=None`).
"""
import json
import logging
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import Phase as HypothesisPhase
from hypothesis import strategies as st

from crosscheck_xblock import studio
from crosscheck_xblock.models import Task, Work

from .conftest import full_review

# Transactional: each request then runs as in the LMS, in autocommit, so a database error outside
# the block's own transactions gives the answer learners would get, instead of breaking a
# transaction around the whole test (and every request after it).
pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

LEARNER_HANDLERS = ("get_state", "submit_work", "submit_review", "submit_self_check", "save_draft",
                    "submit_appeal", "get_thread", "post_message")
STAFF_HANDLERS = ("staff_overview", "staff_start", "staff_complete", "staff_analytics", "staff_appeals",
                  "staff_recheck", "staff_threads")
STUDIO_HANDLERS = ("studio_submit", "studio_preview")
JSON_HANDLERS = LEARNER_HANDLERS + STAFF_HANDLERS + STUDIO_HANDLERS
EXPORT = "staff_export"  # the one GET handler: a CSV download
HANDLERS = (*JSON_HANDLERS, EXPORT)
# A round of the fuzz: each handler that reads its body, and the export, which reads its query
# string (then two drawn from all; see run_fuzz).
ROUND = ("submit_work", "submit_review", "submit_self_check", "save_draft", "submit_appeal", "staff_recheck",
         "studio_submit", "studio_preview", EXPORT)

LEARNERS = ("l0", "l1", "l2", "l3", "l4")
NEWCOMER = "newbie"  # signed in, never submitted
UNAUTH = "(unauth_handler)"  # xblock-sdk's handler URL without a user, like the LMS's handler_noauth
USERS = (*LEARNERS[:2], NEWCOMER, "staff", "anonymous", "studio", "staff-as-l0", UNAUTH)

# The tables a refusal must leave alone: ours, edx-submissions', the stand-in gradebook, and the
# workbench's field store (a refused studio_submit must not save part of its values).
SNAPSHOT_APPS = ("crosscheck_xblock", "submissions", "cc_workbench", "workbench")
PROJECT = str(Path(__file__).resolve().parents[2])

CHECKLIST = {"taskName": "Fuzz task", "criteria": [
    {"type": "title", "title": "Basics"},
    {"type": "subtask", "text": "It <b>works</b>", "max": 60},
    {"type": "subtask", "text": "It is tidy", "max": 40},
    {"type": "penalty", "text": "Late", "max": -10},
]}
CHECKLIST_YAML = ("taskName: Fuzz task\ncriteria:\n  - type: title\n    title: Basics\n  - type: subtask\n"
                  "    text: It works\n    max: 100\n  - type: penalty\n    text: Late\n    max: -10\n")
BLOCK_ATTRIBUTES = 'reviews_per_work="2" grading_policy="mean" max_score="100" warning_rule="fixed"'

MAX_BODY = 2_000_000  # handlers.MAX_BODY_BYTES
BIG_STRING = "x" * 1_900_000


# ---------------------------------------------------------------- the phases

@dataclass
class PhaseBlock:
    """A block in one phase, and the real ids the strategies mix with garbage."""

    name: str
    block: object
    item_ids: list  # every checklist item (the title too)
    scored: dict  # scored item id → "subtask" | "penalty"
    reviews_of: dict  # learner → their reviews[].id
    work_ids: list
    original_values: dict  # the block's Studio values, to undo a fuzzed save that went through
    status: str  # the task's status in this phase (it must still be this at the end)
    moving: set = field(default_factory=set)  # handlers that, called by staff, would end the phase

    @property
    def review_ids(self) -> list:
        """Every learner's review ids, pooled."""
        return [token for tokens in self.reviews_of.values() for token in tokens]


def _make_phase(make_block, name: str, start: bool = False, complete: bool = False) -> PhaseBlock:
    """Five learners submit to a k=2 task, l0 checks itself; then optionally start, review (all
    but l4, who is then graded 0 for unfinished reviews) and grade."""
    block = make_block(BLOCK_ATTRIBUTES, f"<checklist><![CDATA[{json.dumps(CHECKLIST)}]]></checklist>")
    block.submit_all(LEARNERS)
    state = block.state(LEARNERS[0])
    scored = {item["id"]: item["type"] for item in state["checklist"]["items"] if item["type"] != "title"}
    block.ok("submit_self_check", LEARNERS[0], {"items": {item_id: 1 for item_id in scored}})
    # Saving the values unchanged sets every field explicitly, so undoing a fuzzed save restores them.
    original = block.ok("studio_submit", "staff", {"values": {}})["values"]
    if start:
        assert block.ok("staff_start", "staff")["result"]["started"] is True
    if complete:
        for learner in LEARNERS[:-1]:
            learner_state = block.state(learner)
            for index in range(len(learner_state["reviews"])):
                block.ok("submit_review", learner, full_review(learner_state, index, value=0.8))
        assert block.ok("staff_complete", "staff")["result"]["completed"] is True
    reviews_of = {learner: [review["id"] for review in block.state(learner)["reviews"]] for learner in LEARNERS}
    return PhaseBlock(name=name, block=block, item_ids=[item["id"] for item in state["checklist"]["items"]],
                      scored=scored, reviews_of=reviews_of, work_ids=list(Work.objects.values_list("pk", flat=True)),
                      original_values=original, status=Task.objects.get().status,
                      # Before the grades, staff's start or complete would take the block to the next phase.
                      moving=set() if complete else {"staff_start", "staff_complete"})


# Each phase asks for `clock`: the time stands still (2026-03-02 10:00 UTC), so runs are alike and
# the appeal window stays open.

@pytest.fixture
def submission_phase(make_block, clock):
    """Submission open: five works, one self-check."""
    return _make_phase(make_block, "submission")


@pytest.fixture
def review_phase(make_block, clock):
    """The cross-check is running: every learner has two works to review."""
    return _make_phase(make_block, "review", start=True)


@pytest.fixture
def graded_phase(make_block, clock):
    """Graded: l0…l3 reviewed everything, l4 nothing (graded 0); appeals are open."""
    return _make_phase(make_block, "graded", start=True, complete=True)


# ---------------------------------------------------------------- values

def pick(values):
    """Like `st.sampled_from(values)`, but the strategy's repr does not hold the values: hypothesis
    writes reprs of strategies, and some of these values are up to a megabyte."""
    values = tuple(values)
    return st.integers(0, len(values) - 1).map(lambda index: values[index])


json_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                | st.text(max_size=20))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
# Lists or objects where text is expected, text where objects are expected, and so on.
wrong_type = (st.lists(json_scalars, max_size=3) | st.dictionaries(st.text(max_size=6), json_scalars, max_size=3)
              | json_values)
edge_numbers = st.sampled_from([
    0, 1, -1, 0.5, 1.0, -0.0, 1.5, 2, 1e308, -1e308, 5e-324, 10 ** 399 + 7, -(10 ** 399), 2 ** 63 - 1, 2 ** 63,
    2 ** 64, True, False])
# Text that looks like a number to one parser and not to another, and other awkward strings.
TRICKY_TEXTS = (
    "", " ", "\u0000", "\n\t", "<script>alert(1)</script>", "=1+2", "--5", "-²", "²", "٣", "1_000", "1e3", " 5 ",
    "5.0", "nan", "Infinity", "-", "0x10", "\u202e", "😀" * 5, "x" * 5001, "x" * 20_001, "null")
tricky_texts = pick(TRICKY_TEXTS)
# The ones a number parser may take for a number (or half take).
NUMBER_LIKE_TEXTS = ("", " 5 ", "5.0", "--5", "-²", "²", "٣", "1_000", "1e3", "nan", "Infinity", "-", "0x10")
texts = st.text(max_size=40) | tricky_texts
numbers = edge_numbers | st.integers(-20, 20) | st.floats(-100, 10_000) | tricky_texts

good_urls = st.builds("https://site{}.example.org/page".format, st.integers(0, 10 ** 6))
bad_urls = pick([
    "https://[x.y", "http://[::1", "http://", "https://", "javascript:alert(1)", "data:text/html,<b>x</b>",
    "ftp://example.org/", "//example.org/", "https://" + "a" * 3000 + ".org/", "https://example.org/" + "p" * 1981,
    "https://example.org/" + "p" * 1980, "https://exa mple.org/", "https://example.org/\u0000", "https://.org/",
    "https://example./", "https://localhost/", "https://github.com/a/b", "https://github.com/a/b/pull/1",
    "https://gitlab.com/g/p/-/merge_requests/3", "http://user:pw@example.org:99999/", "https://example.org:x/",
    "https://例え.テスト/", "https://xn--/", "https://[::1]/", "HTTPS://EXAMPLE.ORG/", "https://%zz.org/",
    " https://site.example.org/ ", "https://site.example.org/\u2028"])
urls = good_urls | bad_urls | texts | wrong_type

# Dates at the ends of the calendar (in UTC or once converted to it), and ones that are no date.
EDGE_DATES = ("9999-12-31T23:59:59Z", "9999-12-31T00:00:00Z", "9999-12-29T00:00:00Z", "9999-12-31T23:59:59-01:00",
              "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "2026-13-01T00:00:00Z", "2026-02-30",
              "2026-04-01T12:00:00+24:00", "2026-04-01T25:00:00Z", "20260401T120000Z", "2026-W14-3", "not a date")
dates = (st.sampled_from(["", "  ", "2026-04-01T12:00:00Z", "2026-04-01", "2026-04-01T12:00:00+05:00",
                          "2026-04-05T12:00:00z", *EDGE_DATES]) | texts | st.none() | wrong_type)


def checklist_json(criteria) -> str:
    """An rs checklist with these criteria, as JSON text."""
    return json.dumps({"taskName": "T", "criteria": criteria})


checklist_items = st.fixed_dictionaries(
    {"type": st.sampled_from(["title", "sub-title", "subtitle", "subtask", "penalty", "heading"]) | wrong_type},
    optional={"text": texts | wrong_type, "title": texts | wrong_type, "max": numbers | wrong_type,
              "id": st.sampled_from(["c1", "c2", "x" * 41, "a b", ""]) | texts | wrong_type})
good_checklists = st.sampled_from([json.dumps(CHECKLIST), CHECKLIST_YAML, json.dumps(CHECKLIST, indent=2)])
HOSTILE_CHECKLISTS = (
    # Nested deeper than any parser's recursion, as JSON and as YAML.
    "[" * 100_000, "[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000, "- " * 3000 + "x",
    # Integers past Python's 4300-digit conversion limit, as JSON and as YAML.
    '{"taskName": "T", "criteria": [{"type": "subtask", "text": "t", "max": 1' + "0" * 5000 + "}]}",
    "taskName: T\ncriteria:\n  - type: subtask\n    text: t\n    max: 1" + "0" * 5000 + "\n",
    # Lone surrogates written as escapes inside the text, which the body's own check cannot see.
    '{"taskName": "T", "criteria": [{"type": "subtask", "text": "\\ud800", "max": 1}]}',
    '{"taskName": "\\udfff", "criteria": [{"type": "subtask", "text": "t", "max": 1}]}',
    'taskName: T\ncriteria:\n  - type: subtask\n    text: "\\ud800"\n    max: 1\n',
    # Numbers at the float's edge, YAML's own kinds of values, and sizes at the limits.
    checklist_json([{"type": "subtask", "text": "t", "max": 1e308}, {"type": "subtask", "text": "u", "max": 1e308}]),
    checklist_json([{"type": "subtask", "text": "t", "max": 10 ** 300}]),
    '{"taskName": "T", "criteria": [{"type": "subtask", "text": "t", "max": NaN}]}',
    "taskName: T\ncriteria:\n  - type: subtask\n    text: t\n    max: .inf\n",
    "taskName: 2026-04-01\ncriteria: []\n", "taskName: T\ncriteria: &c [*c]\n",
    "!!python/object/apply:os.system ['true']", "? [a]\n: b\n", "taskName: T\ncriteria: [1, 2]\n",
    "taskName: T\nexternalLink: https://example.org/\n",
    checklist_json([{"type": "subtask", "text": f"t{i}", "max": 1} for i in range(501)]),
    "\ufeff" + json.dumps(CHECKLIST), "x" * 1_000_001)
hostile_checklists = pick(HOSTILE_CHECKLISTS)
checklist_texts = (good_checklists | hostile_checklists | hostile_checklists | texts | wrong_type
                   | st.lists(checklist_items, max_size=5).map(checklist_json))

# Studio's fields (OLX names): values it should take, and values of every other sort.
# (Few values of k, the maximum and the threshold: a save with a new combination runs a simulation.)
STUDIO_GOOD = {
    "display_name": st.text(min_size=1, max_size=30).filter(str.strip),
    "submission_kind": st.sampled_from(["pull_request", "deploy", "any"]),
    "max_score": st.sampled_from([1, 100, "100", 100.0, 10_000]), "reviews_per_work": st.sampled_from([1, 3, 4, 10]),
    "grading_policy": st.sampled_from(["mean", "median", "drop_min", "drop_discordant", "reliability"]),
    "adjustment_days": st.floats(0, 30), "appeal_days": st.floats(0, 30),
    "outlier_threshold": st.sampled_from([5, 15, "17.5", 50.0]),
    "warning_rule": st.sampled_from(["fixed", "evidence", "none"]),
    "aggregation": st.sampled_from(["total", "per_item"]), "checklist": good_checklists,
    "comment_rule": st.sampled_from(["none", "deducted", "overall"]),
    "comment_min_chars": st.sampled_from([1, 10, "25", 1000]),
    "extra_lease_hours": st.sampled_from([1, 4, "12", 72]), "extra_reviews_limit": st.sampled_from([0, 2, 20]),
    "extra_window_hours": st.sampled_from([0, 24, "12"]), "calibration_works": st.sampled_from([0, 3, 10]),
    # A deadline (the clock stands at 2026-03-02), so a spoiled start or end gets checked against it.
    "submission_due": st.sampled_from(["", "2026-04-01T12:00:00Z", "2026-03-05T00:00:00+02:00"]),
    # Before every deadline above (a start after the deadline is refused, as it should be).
    "submission_start": st.sampled_from(["", "2026-03-01T00:00:00Z"]),
}
STUDIO_ANY = {
    "display_name": texts | st.just("x" * 256) | wrong_type,
    "submission_kind": st.sampled_from(["pull_request", "deploy", "any", "video", ""]) | wrong_type,
    "max_score": numbers | wrong_type, "reviews_per_work": numbers | wrong_type,
    "grading_policy": st.sampled_from(["mean", "median", "drop_min", "max"]) | wrong_type,
    "submission_start": dates, "submission_due": dates, "review_start": dates, "review_due": dates,
    "adjustment_days": numbers | wrong_type, "outlier_threshold": numbers | wrong_type,
    "warning_rule": st.sampled_from(["fixed", "evidence", "none", "all"]) | wrong_type,
    "aggregation": st.sampled_from(["total", "per_item", "sum"]) | wrong_type,
    "appeal_days": numbers | wrong_type, "checklist": checklist_texts,
    "comment_rule": st.sampled_from(["none", "deducted", "overall", "all"]) | wrong_type,
    "comment_min_chars": numbers | wrong_type,
    "extra_lease_hours": numbers | wrong_type, "extra_reviews_limit": numbers | wrong_type,
    "extra_window_hours": numbers | wrong_type, "calibration_works": numbers | wrong_type,
}
assert set(STUDIO_ANY) == set(studio.FIELDS)


# ---------------------------------------------------------------- bodies per handler

def review_ids(phase: PhaseBlock):
    """Real review ids (often), and garbage that looks like one."""
    garbage = st.sampled_from(["", "self", "0" * 24, "0" * 32, "0" * 33, "f" * 64, "f" * 65]) | texts | wrong_type
    if not phase.review_ids:
        return garbage
    real = st.sampled_from(phase.review_ids)
    return real | real | real.map(str.upper) | real.map(lambda token: token + " ") | garbage


def item_ids(phase: PhaseBlock):
    """Item ids of the checklist (scored or not) and ids it does not have."""
    return st.sampled_from(phase.item_ids) | st.sampled_from(["c99", "C2", " c2", ""]) | st.text(max_size=45)


def good_score(item_type: str):
    """A score the item takes."""
    return st.floats(0, 1) | st.sampled_from([0, 1, 0.5]) if item_type == "subtask" else st.sampled_from([0, 1])


# Scores no item takes (0.5 is one for a penalty), and numbers of every other sort.
bad_scores = (st.sampled_from([1.5, -0.1, 2, 0.5, True, "1", None, 10 ** 399, 1e308, -1e308, 5e-324, [], {}])
              | st.floats(allow_nan=False, allow_infinity=False) | edge_numbers | tricky_texts | wrong_type)


def complete_items(phase: PhaseBlock, spoil: bool = False):
    """A score for every scored item; with `spoil`, any of them may be out of range or of another type."""
    def score(kind):
        return good_score(kind) | edge_numbers | tricky_texts | wrong_type if spoil else good_score(kind)
    return st.fixed_dictionaries({item_id: score(kind) for item_id, kind in phase.scored.items()})


def body_fields(handler: str, phase: PhaseBlock) -> dict:
    """Every field a handler's body may hold (name → values of every sort)."""
    items = (complete_items(phase) | complete_items(phase, spoil=True)
             | st.dictionaries(item_ids(phase), good_score("subtask") | edge_numbers, max_size=5) | wrong_type)
    justified = st.just({item_id: "Points taken for a reason." for item_id in phase.scored})
    form = {"items": items,
            # A comment on every scored item satisfies the default comment rule (deducted), so
            # reviews with lost points still reach 200; the others meet comment_required.
            "item_comments": justified | justified | justified | justified
                              | st.dictionaries(item_ids(phase), texts | wrong_type, max_size=3) | wrong_type,
            "comment": texts | wrong_type, "best_work": st.booleans() | wrong_type}
    if handler == "submit_work":
        return {"url": urls, "confirm_late": st.booleans() | wrong_type}
    if handler == "submit_review":
        return {"review_id": review_ids(phase), **form}
    if handler == "submit_self_check":
        return form
    if handler == "save_draft":
        return {"form": st.just("self") | review_ids(phase),
                "data": st.dictionaries(st.text(max_size=8), json_values, max_size=4) | wrong_type}
    if handler == "submit_appeal":
        return {"reason": texts | st.just("x" * 5001) | wrong_type,
                "items": st.lists(item_ids(phase), max_size=4) | wrong_type}
    if handler == "staff_recheck":
        real = st.sampled_from(phase.work_ids)
        work_ids = real | st.sampled_from([0, -1, 2 ** 63 - 1, 2 ** 63, 10 ** 399])
        floats = real.map(float) | st.sampled_from([0.5, 1e308, -0.0])
        return {"work_id": work_ids | floats | work_ids.map(str) | wrong_type, **form}
    if handler == "studio_submit":
        values = st.fixed_dictionaries({}, optional=STUDIO_ANY)
        unknown = st.dictionaries(st.sampled_from(["max_points", "colour", "due", ""]) | st.text(max_size=10),
                                  json_scalars, min_size=1, max_size=2)
        return {"values": values | st.builds(lambda v, u: {**v, **u}, values, unknown) | wrong_type}
    if handler == "studio_preview":
        return {"checklist": checklist_texts, "max_score": numbers | wrong_type}
    return {"junk": json_values}  # a handler that reads no body must ignore whatever it holds


def valid_body(handler: str, user: str, phase: PhaseBlock):
    """A body the handler should take from `user` (whether the phase allows it is another matter)."""
    own = phase.reviews_of.get(user) or phase.review_ids or ["none"]
    # Half the valid reviews say why on every item (the default comment rule, `deducted`, refuses
    # a review whose items lost points without a reason), so a valid review is not left to chance.
    comments = st.one_of(st.just({item_id: "Points taken for a reason." for item_id in phase.scored}),
                         st.dictionaries(st.sampled_from(list(phase.scored)), st.text(max_size=30), max_size=2))
    if handler == "submit_work":
        return st.fixed_dictionaries({"url": good_urls, "confirm_late": st.booleans()})
    if handler in ("submit_review", "submit_self_check", "staff_recheck"):
        fields = {"items": complete_items(phase), "item_comments": comments, "comment": st.text(max_size=30)}
        if handler == "submit_review":
            fields.update(review_id=st.sampled_from(own), best_work=st.booleans())
        if handler == "staff_recheck":
            fields.update(work_id=st.sampled_from(phase.work_ids))
        return st.fixed_dictionaries(fields)
    if handler == "save_draft":
        return st.fixed_dictionaries({"form": st.sampled_from(["self", *own]),
                                      "data": st.dictionaries(st.text(max_size=8), json_values, max_size=4)})
    if handler == "submit_appeal":
        return st.fixed_dictionaries({"reason": st.text(min_size=1, max_size=30).filter(str.strip),
                                      "items": st.lists(st.sampled_from(list(phase.scored)), min_size=1)})
    if handler == "studio_submit":
        return st.fixed_dictionaries({"values": st.fixed_dictionaries({}, optional=STUDIO_GOOD)})
    if handler == "studio_preview":
        return st.fixed_dictionaries({"checklist": good_checklists, "max_score": st.integers(1, 10_000)})
    return st.just({})


def spoiled_body(data, handler: str, user: str, phase: PhaseBlock) -> dict:
    """A valid body with one field replaced by a value of any sort, removed, or joined by junk."""
    body = data.draw(valid_body(handler, user, phase))
    if handler == "studio_submit":  # one setting of any sort, the others valid
        name = data.draw(st.sampled_from(sorted(STUDIO_ANY)))
        body["values"][name] = data.draw(STUDIO_ANY[name])
        return body
    # Most often one score: out of range or of another type, missing, or one item too many.
    if isinstance(body.get("items"), dict) and data.draw(st.sampled_from([True, True, False])):
        items = body["items"]
        item_id = data.draw(st.sampled_from(sorted(items)))
        action = data.draw(st.sampled_from(["bad score", "bad score", "missing", "unknown"]))
        if action == "bad score":
            items[item_id] = data.draw(bad_scores)
        elif action == "missing":
            del items[item_id]
        else:
            items[data.draw(item_ids(phase))] = data.draw(good_score("subtask"))
        return body
    fields = body_fields(handler, phase)
    name = data.draw(st.sampled_from(sorted(fields)))
    action = data.draw(st.sampled_from(["replace", "replace", "replace", "remove", "junk"]))
    if action == "replace":
        body[name] = data.draw(fields[name] | wrong_type)
    elif action == "remove":
        body.pop(name, None)
    else:
        body[data.draw(st.text(max_size=10))] = data.draw(json_values)
    return body


def raw_bodies(handler: str, phase: PhaseBlock) -> list[tuple[str, bytes]]:
    """Bodies no JSON encoder writes, around one of the handler's real field names."""
    key = json.dumps(next(iter(body_fields(handler, phase))))
    nested = [(f"{n} levels of [", ("{" + key + ": " + "[" * (n - 1) + "]" * (n - 1) + "}").encode())
              for n in (31, 32, 33, 100)]
    return [
        ("NaN", f"{{{key}: NaN}}".encode()), ("Infinity", f"{{{key}: Infinity}}".encode()),
        ("-Infinity", f"{{{key}: [1, -Infinity]}}".encode()), ("1e309", f"{{{key}: 1e309}}".encode()),
        ("1e308", f"{{{key}: 1e308}}".encode()), ("5000-digit integer", f"{{{key}: 1{'0' * 5000}}}".encode()),
        ("400-digit integer", f"{{{key}: {'9' * 400}}}".encode()),
        ("lone surrogate", f'{{{key}: "a\\ud800b"}}'.encode()),
        ("lone surrogate key", b'{"\\udfff": 1, ' + key.encode() + b': {"\\udc00": "x"}}'),
        ("surrogate pair", f'{{{key}: "\\ud83d\\ude00"}}'.encode()),
        *nested, ("10000 levels of [", b"[" * 10_000), ("10000 levels, closed", b"[" * 10_000 + b"]" * 10_000),
        ("10000 levels of {", b'{"a":' * 10_000 + b"1" + b"}" * 10_000),
        ("not UTF-8", f'{{{key}: "'.encode() + b"\xff\xfe" + b'"}'), ("not UTF-8", b"\x80\x81\x82"),
        ("UTF-8 surrogate bytes", f'{{{key}: "'.encode() + b"\xed\xa0\x80" + b'"}'),
        ("BOM", b"\xef\xbb\xbf{}"), ("empty", b""), ("blank", b" \r\n\t"), ("null", b"null"), ("list", b"[]"),
        ("string", b'"x"'), ("number", b"1"), ("duplicate keys", f"{{{key}: 1, {key}: 2}}".encode()),
        ("trailing garbage", f"{{{key}: 1}} x".encode()), ("truncated", f"{{{key}: ".encode()),
        ("NUL", b"{\x00}"),
    ]


BIG_KINDS = ("1.9 MB string", "1.9 MB of emoji", "exactly 2 MB", "2 MB + 1 byte", "2.6 MB", "3 MB")


def big_body(kind: str, handler: str, phase: PhaseBlock) -> bytes:
    """A body around the 2 MB limit (one of BIG_KINDS): a 1.9 MB string in a real field, or a body
    of exactly the limit, just over it, and over Django's own limit (2.5 MB)."""
    name = next(iter(body_fields(handler, phase)))
    if kind == "1.9 MB string":
        # Where the first field is not text, the big string goes where the handler reads text.
        placed = {"submit_appeal": {"reason": BIG_STRING, "items": list(phase.scored)[:1]},
                  "save_draft": {"form": "self", "data": {"t": BIG_STRING}},
                  "studio_submit": {"values": {"checklist": BIG_STRING}},
                  "submit_review": {"review_id": (phase.review_ids or ["x"])[0], "comment": BIG_STRING}}
        return json.dumps(placed.get(handler, {name: BIG_STRING})).encode()
    if kind == "1.9 MB of emoji":
        return json.dumps({name: "😀" * 475_000}, ensure_ascii=False).encode()
    size = {"exactly 2 MB": MAX_BODY, "2 MB + 1 byte": MAX_BODY + 1, "2.6 MB": 2_600_000, "3 MB": 3_000_000}[kind]
    head, tail = json.dumps({name: ""})[:-2].encode(), b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


query_values = (pick(["grades", "reviews", "", "GRADES", "grades ", "csv", "x" * 3000]) | texts).map(
    lambda value: quote(value, safe=""))
export_queries = st.sampled_from(["kind=grades", "kind=reviews", "kind=bogus&kind=grades", "kind=grades&kind="])
query_strings = export_queries | st.lists(
    st.tuples(st.sampled_from(["kind", "kind", "format", ""]) | st.text(max_size=6).map(quote), query_values)
    .map("=".join)
    | st.sampled_from(["kind=%ff%fe", "kind=%zz", "kind", "=", "&&", "kind=%00", "kind=grades%00", "%"]),
    max_size=3).map("&".join)


# ---------------------------------------------------------------- requests

@dataclass
class Request:
    """One HTTP request to a handler, and what kind of input it is (for the report)."""

    handler: str
    user: str
    kind: str
    body: bytes = b""
    method: str = "POST"
    content_type: str = "application/json"
    query: str = ""


# How often each kind of request comes (a weighted list: sampled_from draws evenly).
KINDS = (["valid"] * 3 + ["one field spoiled"] * 6 + ["any fields"] * 3 + ["random JSON"]
         + ["raw"] * 3 + ["big"] + ["content type"] + ["method"])
EDGE_KINDS = ("raw", "big", "content type", "method")
# Raw bodies and big ones that are JSON objects within every limit: they get past the edge.
PASS_THE_EDGE = {"1e308", "400-digit integer", "surrogate pair", "31 levels of [", "32 levels of [", "empty",
                 "blank", "duplicate keys", "1.9 MB string", "1.9 MB of emoji", "exactly 2 MB"}
NOT_JSON_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "",
                  "APPLICATION/JSON", "application/json-patch+json")
OTHER_TYPES = (*NOT_JSON_TYPES, "application/json; charset=utf-16")
OTHER_TYPE_BODIES = (b"{}", b"url=https%3A%2F%2Fx.example.org%2F&items=1", b'{"url": "https://x.example.org/"}',
                     "{}".encode("utf-16"))


def draw_user(data, handler: str) -> str:
    """Mostly someone the handler is for (so its checks run), else anyone."""
    if data.draw(st.sampled_from(["fitting", "fitting", "anyone"])) == "anyone":
        return data.draw(st.sampled_from(USERS))
    if handler in LEARNER_HANDLERS:
        return data.draw(st.sampled_from(LEARNERS[:4]))
    return data.draw(st.sampled_from(["staff", "studio"])) if handler in STUDIO_HANDLERS else "staff"


def draw_request(data, phase: PhaseBlock, handler: str, kinds=KINDS) -> Request:
    """Any request to `handler` of the phase's block. A staff call that would end the phase
    (start, complete) only gets requests refused at the edge, so each test stays in its phase."""
    user = draw_user(data, handler)
    if handler == EXPORT:
        return Request(EXPORT, user, "query string", query=data.draw(query_strings),
                       method=data.draw(st.sampled_from(["GET", "GET", "GET", "POST"])), content_type="")
    edge_only = user == "staff" and handler in phase.moving
    kind = data.draw(st.sampled_from(EDGE_KINDS if edge_only else kinds))
    if kind == "content type":
        return Request(handler, user, kind, body=data.draw(st.sampled_from(OTHER_TYPE_BODIES)),
                       content_type=data.draw(st.sampled_from(NOT_JSON_TYPES if edge_only else OTHER_TYPES)))
    if kind == "method":
        return Request(handler, user, kind, method=data.draw(st.sampled_from(["GET", "GET", "PUT", "DELETE"])),
                       query=data.draw(query_strings), content_type="")
    if kind == "raw":
        bodies = [(label, body) for label, body in raw_bodies(handler, phase)
                  if not (edge_only and label in PASS_THE_EDGE)]
        kind, body = data.draw(pick(bodies))
        return Request(handler, user, kind, body=body)
    if kind == "big":
        kind = data.draw(st.sampled_from([label for label in BIG_KINDS if not (edge_only and label in PASS_THE_EDGE)]))
        return Request(handler, user, kind, body=big_body(kind, handler, phase))
    if kind == "valid":
        value = data.draw(valid_body(handler, user, phase))
    elif kind == "one field spoiled":
        value = spoiled_body(data, handler, user, phase)
    elif kind == "any fields":
        value = data.draw(st.fixed_dictionaries({}, optional=body_fields(handler, phase)))
    else:
        value = data.draw(json_values)
    return Request(handler, user, kind, body=json.dumps(value).encode())


# ---------------------------------------------------------------- calls and checks

@dataclass
class Answer:
    """What came back: status, the parsed JSON (None if not JSON), and any server traceback."""

    status: int
    payload: object
    content_type: str = ""
    traceback: str = ""

    @property
    def code(self):
        """The `code` of a JSON answer, else None."""
        return self.payload.get("code") if isinstance(self.payload, dict) else None


class _Errors(logging.Handler):
    """Collects the tracebacks the block logs when it answers 500."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.texts = []

    def emit(self, record):
        self.texts.append(self.format(record))


def send(block, request: Request) -> Answer:
    """Make the request through the workbench; an exception out of the view counts as a 500."""
    if request.user == UNAUTH:
        url = f"/unauth_handler/{block.usage_id}/{request.handler}/?{request.query}"
    else:  # the user comes last: it wins over any `student` the generated query string holds
        url = f"/handler/{block.usage_id}/{request.handler}/?{request.query}&student={quote(request.user)}"
    errors = _Errors()
    logger = logging.getLogger("crosscheck_xblock")
    logger.addHandler(errors)
    try:
        # CONTENT_TYPE is passed as well: the test client leaves it out of a request without a body.
        environ = {"CONTENT_TYPE": request.content_type} if request.content_type else {}
        response = block.client.generic(request.method, url, data=request.body, content_type=request.content_type,
                                        **environ)
        if response.status_code == 302 and request.handler == EXPORT:  # to its download link, read whole
            response = block.client.get(response["Location"])
        content = response.getvalue()
    except Exception:  # noqa: BLE001 - any exception leaving the view is a server error to report
        return Answer(500, None, traceback=traceback.format_exc())
    finally:
        logger.removeHandler(errors)
    try:
        payload = json.loads(content)
    except ValueError:
        payload = None
    return Answer(response.status_code, payload, response.get("Content-Type", ""), "\n".join(errors.texts))


def snapshot() -> dict:
    """Every row of every model of SNAPSHOT_APPS, by model label, in primary-key order.

    Plain SQL rather than `values_list()`: the same rows, at a fraction of the ORM's cost, which
    matters when every request takes a snapshot.
    """
    rows = {}
    quote_name = connection.ops.quote_name
    with connection.cursor() as cursor:
        for label in SNAPSHOT_APPS:
            for model in apps.get_app_config(label).get_models():
                meta = model._meta
                cursor.execute(f"SELECT * FROM {quote_name(meta.db_table)} ORDER BY {quote_name(meta.pk.column)}")
                rows[meta.label] = tuple(repr(row) for row in cursor.fetchall())
    return rows


def shorten(text, limit: int = 300) -> str:
    """`text` (str or bytes) cut to `limit` characters, saying how long it was."""
    if isinstance(text, bytes):
        text = repr(text)[2:-1]
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def describe_change(before: dict, after: dict) -> str:
    """Which tables changed, with a few of the rows added and removed."""
    lines = []
    for label in sorted(set(before) | set(after)):
        old, new = set(before.get(label, ())), set(after.get(label, ()))
        if old != new:
            added = [shorten(row, 200) for row in sorted(new - old)[:2]]
            removed = [shorten(row, 200) for row in sorted(old - new)[:2]]
            lines.append(f"{label}: {len(before.get(label, ()))} → {len(after.get(label, ()))} rows, "
                         f"added {added}, removed {removed}")
    return "; ".join(lines)


EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|TooBig|Interrupt)\b")


def server_error(answer: Answer) -> tuple[str, str]:
    """(where it broke: the innermost frame of the project's own code, and the exception's type),
    and the traceback's end."""
    lines = [line.strip() for line in answer.traceback.strip().splitlines() if line.strip()]
    frames = [line for line in lines if line.startswith("File ")]
    own = [line for line in frames if PROJECT in line and "/.venv/" not in line and __file__ not in line]
    where = (own or frames or ["no traceback"])[-1].replace(PROJECT + "/", "")
    errors = [match.group(0) for match in map(EXCEPTION_LINE.match, lines) if match]
    tail = "\n".join("        " + line for line in answer.traceback.strip().splitlines()[-14:])
    return f"{where}: {errors[-1] if errors else 'no exception'}", tail


def problems_of(request: Request, answer: Answer, before: dict, after: dict) -> list[tuple[str, str]]:
    """[(what kind of problem, what happened)] for this answer; empty when all is well."""
    found = []
    if answer.status >= 500:
        where, tail = server_error(answer)
        found.append((f"{answer.status} at {where}", f"status {answer.status} {answer.code}\n{tail}"))
    elif answer.status >= 400:
        payload = answer.payload
        if not (isinstance(payload, dict) and isinstance(payload.get("error"), str) and payload["error"].strip()
                and isinstance(payload.get("code"), str)):
            found.append((f"{request.handler}: {answer.status} is not {{error, code}}",
                          f"status {answer.status} ({answer.content_type}): {shorten(repr(payload), 200)}"))
        if before != after:
            found.append((f"{request.handler}: {answer.status} {answer.code} changed the database",
                          f"status {answer.status} {answer.code}, yet {describe_change(before, after)}"))
    return found


@dataclass
class Fuzz:
    """The fuzz of one phase: the last snapshot, the problems found, and what was answered."""

    phase: PhaseBlock
    before: dict
    check_saves: bool = False  # after a successful studio_submit, check the block still works
    problems: dict = field(default_factory=dict)  # kind of problem → [first example, handlers, count]
    seen: dict = field(default_factory=dict)  # (handler, status, code) → count

    def record(self, request: Request, found: list[tuple[str, str]]) -> None:
        """Keep the first example of each kind of problem, and where else it showed."""
        for kind, text in found:
            if kind not in self.problems:
                example = (f"{request.handler} as {request.user}: {request.method} "
                           f"{request.content_type or '(no content type)'}, {request.kind}, "
                           f"query {shorten(request.query, 80)!r}, body {shorten(request.body)}\n      → {text}")
                self.problems[kind] = [example, set(), 0]
            self.problems[kind][1].add(request.handler)
            self.problems[kind][2] += 1

    def call(self, request: Request) -> Answer:
        """Send and check; after a success the database may have changed, so snapshot again."""
        answer = send(self.phase.block, request)
        after = snapshot()
        self.record(request, problems_of(request, answer, self.before, after))
        key = (request.handler, answer.status, answer.code)
        self.seen[key] = self.seen.get(key, 0) + 1
        self.before = after
        if answer.status == 200 and request.handler == "studio_submit" and request.kind != "restore":
            self.after_save(request)
        return answer

    def after_save(self, save: Request) -> None:
        """A fuzzed studio_submit went through. With `check_saves`, the block must still answer
        get_state with the saved settings; then the save is undone, so the phase's task keeps its
        settings (without `check_saves` before anything reads them)."""
        if self.check_saves:
            for user in ("staff", LEARNERS[0]):
                answer = self.call(Request("get_state", user, "after a save"))
                if answer.status != 200:
                    saved = sorted(json.loads(save.body)["values"])
                    self.record(save, [(f"studio_submit: saving {', '.join(saved)} answered 200, then get_state "
                                        f"{answer.status} {answer.code}", f"get_state as {user}: {answer.status} "
                                        f"{shorten(json.dumps(answer.payload), 300)}")])
        restore = self.call(Request("studio_submit", "staff", "restore",
                                    json.dumps({"values": self.phase.original_values}).encode()))
        assert restore.status == 200, restore.payload
        if self.check_saves:
            self.call(Request("get_state", "staff", "after the restore"))

    def report(self) -> str:
        """Every kind of problem, with its first example."""
        lines = [f"[{self.phase.name} phase] {len(self.problems)} kinds of problem:"]
        for kind, (example, handlers, count) in self.problems.items():
            lines.append(f"  * {kind}\n    ({count}×, in {', '.join(sorted(handlers))}); first: {example}")
        return "\n".join(lines)


FUZZ_SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=False,
                     phases=(HypothesisPhase.explicit, HypothesisPhase.generate),
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.data_too_large])


def run_fuzz(phase: PhaseBlock, examples: int, rounds: int, check_saves: bool = False, handlers=ROUND,
             others: int = 2, **draw) -> Fuzz:
    """Send generated requests to the phase's block, collecting the problems.

    A round is a request to each of `handlers`, in order, then to `others` handlers drawn from all
    fifteen, so every handler that reads its body gets its share. One hypothesis example is
    `rounds` rounds: hypothesis tends to repeat and vary an example it has just run, so long
    examples keep those repeats from eating the budget. Hypothesis drives the generation only: a
    problem is recorded, not raised, so one run finds every kind of problem, and no shrinking
    replays requests against a database that has moved on.
    """
    fuzz = Fuzz(phase, snapshot(), check_saves=check_saves)

    @settings(max_examples=examples, **FUZZ_SETTINGS)
    @given(st.data())
    def some_rounds(data):
        for _ in range(rounds):
            drawn = [data.draw(st.sampled_from(HANDLERS)) for _ in range(others)]
            for handler in (*handlers, *drawn):
                fuzz.call(draw_request(data, phase, handler, **draw))

    some_rounds()
    return fuzz


def check(fuzz: Fuzz, reached: set, same_phase: bool = True) -> None:
    """No problems; the fuzz got as far as `reached` says ({(handler, status or code)}); and, with
    `same_phase`, the task is still in the phase the test is about."""
    if fuzz.problems:
        pytest.fail(fuzz.report(), pytrace=False)
    if same_phase:
        assert Task.objects.get().status == fuzz.phase.status, "the fuzz moved the task out of its phase"
    got = {(handler, status) for handler, status, _code in fuzz.seen} | {
        (handler, code) for handler, _status, code in fuzz.seen}
    assert reached <= got, (f"the fuzz did not reach {sorted(reached - got, key=str)}; "
                            f"it saw {sorted(fuzz.seen, key=str)}")


def sweep(fuzz: Fuzz, requests) -> None:
    """Send each of `requests` once, with the same checks: every value of the hostile dictionaries
    is tried whatever hypothesis happens to draw."""
    for request in requests:
        fuzz.call(request)


def edge_sweep(phase: PhaseBlock):
    """Every raw and every big body, to a learner's and a staff handler that read their body."""
    for handler, user in (("submit_review", LEARNERS[0]), ("staff_recheck", "staff")):
        for kind, body in raw_bodies(handler, phase):
            yield Request(handler, user, kind, body=body)
        for kind in BIG_KINDS:
            yield Request(handler, user, kind, body=big_body(kind, handler, phase))


def studio_sweep():
    """Every hostile checklist, edge date and number-like text, one setting at a time."""
    def save(values, kind):
        return Request("studio_submit", "staff", kind, body=json.dumps({"values": values}).encode())

    for text in HOSTILE_CHECKLISTS:
        yield save({"checklist": text}, "hostile checklist")
        yield Request("studio_preview", "studio", "hostile checklist",
                      body=json.dumps({"checklist": text, "max_score": 100}).encode())
    for date in EDGE_DATES:
        yield save({"submission_due": date}, "edge date")
        yield save({"submission_due": "2026-04-01T12:00:00Z", "review_due": date}, "edge date")
    for text in NUMBER_LIKE_TEXTS:
        yield save({"reviews_per_work": text}, "tricky number")
        yield save({"outlier_threshold": text}, "tricky number")
        yield Request("studio_preview", "staff", "tricky number",
                      body=json.dumps({"checklist": json.dumps(CHECKLIST), "max_score": text}).encode())


def test_fuzz_submission_phase(submission_phase):
    """Submission open: links, self-checks and drafts are taken; reviews, appeals, re-checks are not yet."""
    fuzz = run_fuzz(submission_phase, examples=6, rounds=6)
    check(fuzz, {("submit_work", 200), ("submit_work", "bad_link"), ("submit_self_check", 200),
                 ("submit_self_check", "bad_value"), ("save_draft", 200), ("submit_review", "review_closed")})


def test_fuzz_review_phase(review_phase):
    """The cross-check running: reviews with real review ids, late link changes, drafts. More rounds
    than the other phases: with the conversations' handlers and the comment rule, a valid review
    is a rarer draw."""
    fuzz = run_fuzz(review_phase, examples=6, rounds=9)
    check(fuzz, {("submit_review", 200), ("submit_review", "bad_value"), ("submit_review", "not_assigned"),
                 ("save_draft", 200), ("submit_work", "confirm_late_change"), ("staff_recheck", "not_graded")})


def test_fuzz_graded_phase(graded_phase):
    """Graded: appeals and staff re-checks with real work ids, exports; then every raw and big body."""
    fuzz = run_fuzz(graded_phase, examples=6, rounds=6)
    sweep(fuzz, edge_sweep(graded_phase))
    check(fuzz, {("staff_recheck", 200), ("staff_recheck", "bad_work"), ("submit_appeal", 200),
                 ("submit_appeal", "bad_appeal_items"), ("staff_export", 200), ("get_state", 200),
                 ("submit_review", "too_large"), ("staff_recheck", "bad_json")})


def test_fuzz_studio_saves(review_phase):
    """Studio's two handlers, mostly with one setting spoiled; every save that goes through must
    leave the block working for staff and learners (get_state 200) before it is undone."""
    studio_round = ("studio_submit", "studio_submit", "studio_preview")
    fuzz = run_fuzz(review_phase, examples=5, rounds=14, check_saves=True, handlers=studio_round, others=0,
                    kinds=["valid"] * 2 + ["one field spoiled"] * 8 + ["any fields", "raw", "big"])
    sweep(fuzz, studio_sweep())
    check(fuzz, {("studio_submit", 200), ("studio_submit", "bad_date"), ("studio_submit", "bad_checklist"),
                 ("studio_preview", 200)}, same_phase=False)  # saved dates may have moved it on
