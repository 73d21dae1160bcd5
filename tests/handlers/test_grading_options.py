"""Grading with the task's options through the handlers (issue 5): the fixed rule leaves far
scores out and warns (A3), the evidence rule warns and changes no grade (A5), "none" warns
nobody, per-item aggregation where the checklist allows it; warnings are written with the
grades, name nobody, and grading costs the same number of queries for any number of works."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import clock, services
from crosscheck_xblock.models import Grade, LearnerWarning, Task
from crosscheck_xblock.services import bulk
from crosscheck_xblock.services.grading import compute_grades
from crosscheck_xblock.services.task_settings import TaskSettings
from crosscheck_xblock.services.warnings import warning_text

from .conftest import anon, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
# Names that occur nowhere else in a page or a message (see test_anonymity.py).
NAMES = ["amaranth", "bartholomew", "cordelia", "desdemona", "evangeline", "fitzgerald"]
A, B, C, D, E, F = NAMES
URL = "https://site-{name}0.example.org/"  # a neutral link: it names nobody


def author_of(review):
    """The learner whose work a review (in a reviewer's state) is about, from its neutral link."""
    return review["url"].split("site-")[1].split("0.example.org")[0]


def review_everything(block, names, value):
    """Every learner reviews every work assigned to them; value(reviewer, author) → the share
    of every subtask given (penalties 0)."""
    for reviewer in names:
        state = block.state(reviewer)
        for index, review in enumerate(state["reviews"]):
            block.ok("submit_review", reviewer, full_review(state, index, value(reviewer, author_of(review))))


def self_check(block, name, value):
    state = block.state(name)
    items = {item["id"]: (value if item["type"] == "subtask" else 0)
             for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
    block.ok("submit_self_check", name, {"items": items, "comment": "mine"})


def position_of(block, reviewer, author):
    """"Work N": where `author`'s work is in `reviewer`'s list."""
    for review in block.state(reviewer)["reviews"]:
        if author_of(review) == author:
            return int(review["title"].split()[1])
    raise AssertionError(f"{reviewer} does not review {author}")


def warnings_of(name):
    return list(LearnerWarning.objects.filter(work__student_id=anon(name)).order_by("kind", "id"))


def message(warning):
    """The sentence the warned learner reads."""
    return warning_text(warning.kind, warning.detail)


def assert_names_nobody_else(block, names):
    """No learner's JSON, page or warning names another learner (username or anonymous id)."""
    for name in names:
        texts = [json.dumps(block.state(name)), block.page(name),
                 *(message(warning) for warning in warnings_of(name))]
        for other in names:
            if other == name:
                continue
            for identity in (other, anon(other)):
                for text in texts:
                    assert identity not in text.replace(f"site-{other}0", ""), (name, other)


# ---------------------------------------------------------------- the fixed rule (A3)

FIXED_GIVEN = {(B, A): 0.8, (C, A): 0.8, (E, A): 0.8, (D, A): 0.4}


@pytest.fixture
def fixed(make_block):
    """Five learners, k=4 (everyone reviews the four others) under the fixed 15 % rule: A gets
    80, 80, 80 and D's 40; C's self-check says 100 where everyone gave C 60."""
    block = make_block('reviews_per_work="4" grading_policy="mean" warning_rule="fixed" '
                       'outlier_threshold="15"')
    block.submit_all(NAMES[:5], url_pattern=URL)
    self_check(block, A, 0.85)
    self_check(block, C, 1.0)
    block.ok("staff_start", "staff")
    review_everything(block, NAMES[:5], lambda r, a: FIXED_GIVEN.get((r, a), 0.6))
    block.ok("staff_complete", "staff")
    return block


def test_fixed_rule_leaves_the_far_score_out_of_the_grade(fixed):
    grade = fixed.state(A)["grade"]
    assert grade["points"] == 80 and grade["exact"] == pytest.approx(80)  # not the mean 70
    left_out = [s for s in grade["scores"] if not s["counted"]]
    assert [(s["total"], s["reason"]) for s in left_out] == [
        (40.0, "more than 15 points from the other scores")]
    assert grade["message"].startswith("Your grade is 80 of 100: First, 1 score more than 15 points "
                                       "from the other scores of your work was left out.")
    assert grade["aggregation"] == "total" and grade["items"] == []
    # Works with no far score are graded as before.
    assert fixed.state(B)["grade"]["exact"] == pytest.approx(60)


def test_fixed_rule_warns_the_far_reviewer_and_the_far_self_check(fixed):
    [reviewer_warning] = warnings_of(D)
    assert reviewer_warning.kind == LearnerWarning.OUTLIER_REVIEW
    position = position_of(fixed, D, A)
    assert message(reviewer_warning).startswith(
        f"Your review of Work {position} gave 40 of 100; the other reviewers' median was 80, more "
        "than 15 points away, so your score was left out of that work's grade.")
    assert reviewer_warning.detail["excluded"] is True and reviewer_warning.detail["limit"] == 15
    [author_warning] = warnings_of(C)
    assert author_warning.kind == LearnerWarning.OUTLIER_SELF_CHECK
    assert message(author_warning).startswith(
        "Your self-check gave 100 of 100; the median of the reviews of your work was 60, more than "
        "15 points away.")
    # A's self-check (85) is 5 from the median of A's reviews (80): no warning; nor for B, E.
    assert warnings_of(A) == warnings_of(B) == warnings_of(E) == []
    assert LearnerWarning.objects.count() == 2
    assert {w.created_at for w in LearnerWarning.objects.all()} == {Grade.objects.first().created_at}


def test_no_learner_reads_another_learners_identity(fixed):
    assert_names_nobody_else(fixed, NAMES[:5])


def test_the_threshold_comes_from_the_settings(make_block):
    block = make_block('reviews_per_work="4" grading_policy="mean" warning_rule="fixed" '
                       'outlier_threshold="45"')
    block.submit_all(NAMES[:5], url_pattern=URL)
    block.ok("staff_start", "staff")
    review_everything(block, NAMES[:5], lambda r, a: FIXED_GIVEN.get((r, a), 0.6))
    block.ok("staff_complete", "staff")
    assert block.state(A)["grade"]["exact"] == pytest.approx(70)  # 40 is within 45 of 80
    assert not LearnerWarning.objects.exists()


# ---------------------------------------------------------------- evidence (A5) and none

TRUTH = {A: 0.5, B: 0.6, C: 0.7, D: 0.4, E: 0.55, F: 0.65}


def evidence_given(reviewer, author):
    """F gives everyone 30 points more than the truth; the others score the truth."""
    return TRUTH[author] + (0.3 if reviewer == F else 0)


@pytest.mark.parametrize("rule", ["evidence", "none"])
def test_evidence_rule_warns_the_generous_reviewer_and_changes_no_grade(make_block, rule):
    block = make_block(f'reviews_per_work="4" grading_policy="mean" warning_rule="{rule}"')
    block.submit_all(NAMES, url_pattern=URL)
    block.ok("staff_start", "staff")
    review_everything(block, NAMES, evidence_given)
    block.ok("staff_complete", "staff")
    for name in NAMES:
        grade = block.state(name)["grade"]
        received = [s["total"] for s in grade["scores"]]
        assert all(s["counted"] for s in grade["scores"])  # nothing left out under either rule
        assert grade["exact"] == pytest.approx(sum(received) / len(received))
    if rule == "none":
        assert not LearnerWarning.objects.exists()
        return
    [warning] = LearnerWarning.objects.all()
    assert warning.work.student_id == anon(F) and warning.kind == LearnerWarning.EVIDENCE_REVIEWER
    assert message(warning).startswith("Across your 4 reviews in this cross-check, your scores were "
                                      "on average ")
    assert "points above those of the other reviewers of the same works" in message(warning)
    assert warning.detail["biased"] is True and warning.detail["bias"] > 15
    assert_names_nobody_else(block, NAMES)


# ---------------------------------------------------------------- per item

CHECKLIST = ('{"taskName": "Two parts", "criteria": ['
             '{"type": "subtask", "text": "Part <code>one</code>", "max": 50},'
             '{"type": "subtask", "text": "Part two", "max": 50},'
             '{"type": "penalty", "text": "Late", "max": -10}]}')


def items_review(state, index, one, two):
    """A review giving parts one and two (1 or 0); a part given 0 says why (the comment rule)."""
    comments = {item: "This part is not done." for item, value in (("c1", one), ("c2", two)) if value < 1}
    return {"review_id": state["reviews"][index]["id"], "items": {"c1": one, "c2": two, "c3": 0},
            "item_comments": comments}


def per_item_reviews(block, names, split):
    """Reviews of A: by `split` reviewers part one only, by the next ones part two only, by the
    rest both; everything else gets both parts."""
    given = {}
    for reviewer in names:
        state = block.state(reviewer)
        for index, review in enumerate(state["reviews"]):
            parts = (1, 1)
            if author_of(review) == A:
                seen = len([1 for (r, a) in given if a == A])
                parts = (1, 0) if seen < split else (0, 1) if seen < 2 * split else (1, 1)
                given[(reviewer, A)] = parts
            block.ok("submit_review", reviewer, items_review(state, index, *parts))
    return given


def test_per_item_grades_each_item_then_totals(make_block):
    block = make_block('reviews_per_work="4" grading_policy="median" aggregation="per_item" '
                       'warning_rule="none" max_score="100"', body=f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(NAMES[:5], url_pattern=URL)
    block.ok("staff_start", "staff")
    per_item_reviews(block, NAMES[:5], split=1)  # A: 50 (one), 50 (two), 100, 100
    block.ok("staff_complete", "staff")
    grade = block.state(A)["grade"]
    # Per item: part one median(50, 0, 50, 50) = 50, part two 50 -> 100; the totals' median: 75.
    assert grade["points"] == 100 and grade["aggregation"] == "per_item"
    assert grade["message"].startswith("Your grade is 100 of 100: Each checklist item was graded on "
                                       "its own (the middle of the reviewers' points for it)")
    assert [item["id"] for item in grade["items"]] == ["c1", "c2", "c3"]
    one = grade["items"][0]
    assert (one["text"], one["max"], one["points"], one["type"]) == ("Part <code>one</code>", 50, 50, "subtask")
    assert one["html"] == "Part <code>one</code>"
    assert sorted(s["points"] for s in one["scores"]) == [0, 50, 50, 50]
    assert all(s["reviewer"].startswith("Reviewer ") for s in one["scores"])
    assert grade["items"][2]["points"] == 0 and grade["items"][2]["type"] == "penalty"
    assert len(grade["scores"]) == 4 and all(s["counted"] for s in grade["scores"])
    detail = Grade.objects.get(work__student_id=anon(A)).detail
    assert detail["aggregation"] == "per_item" and len(detail["items"]) == 3


def test_per_item_falls_back_to_totals_when_the_checklist_changed(make_block):
    block = make_block('reviews_per_work="4" grading_policy="median" aggregation="per_item" '
                       'warning_rule="none"', body=f"<checklist><![CDATA[{CHECKLIST}]]></checklist>")
    block.submit_all(NAMES[:5], url_pattern=URL)
    block.ok("staff_start", "staff")
    first, rest = NAMES[0], NAMES[1:5]
    state = block.state(first)
    for index in range(4):
        block.ok("submit_review", first, items_review(state, index, 1, 1))
    # Staff reword an item after the start: reviews from now on use checklist version 2.
    edited = CHECKLIST.replace("Part two", "Part two, reworded")
    assert block.call("studio_submit", "staff", {"values": {"checklist": edited}})[0] == 200
    for reviewer in rest:
        state = block.state(reviewer)
        for index in range(4):
            block.ok("submit_review", reviewer, items_review(state, index, 1, 0))
    block.ok("staff_complete", "staff")
    mixed = block.state(B)["grade"]  # reviewed by A (version 1) and three others (version 2)
    assert mixed["aggregation"] == "total" and mixed["items"] == []
    assert "different versions of the checklist" in mixed["message"]
    assert mixed["exact"] == pytest.approx(50)  # the median of 100, 50, 50, 50
    same = block.state(A)["grade"]  # reviewed only by the others, all with version 2
    assert same["aggregation"] == "per_item" and same["items"][1]["text"] == "Part two, reworded"


# ---------------------------------------------------------------- writes and costs

class Killed(Exception):
    """The worker 'dies' in the middle of writing the warnings."""


def test_grades_and_warnings_are_written_together(make_block, monkeypatch):
    block = make_block('reviews_per_work="4" grading_policy="mean" warning_rule="fixed"')
    block.submit_all(NAMES[:5], url_pattern=URL)
    block.ok("staff_start", "staff")
    review_everything(block, NAMES[:5], lambda r, a: FIXED_GIVEN.get((r, a), 0.6))
    task = Task.objects.order_by("-pk").first()
    real = bulk.insert_rows  # what the grading writes its rows with

    def insert_rows(model, *args, **kwargs):
        if model is LearnerWarning:
            raise Killed("killed while writing warnings")
        return real(model, *args, **kwargs)

    monkeypatch.setattr(bulk, "insert_rows", insert_rows)
    with pytest.raises(Killed):
        services.complete_cross_check(services.find_task(task.usage_key), clock.now())
    assert not Grade.objects.filter(work__task=task).exists()
    assert not LearnerWarning.objects.filter(task=task).exists()
    assert Task.objects.get(pk=task.pk).status == Task.DISTRIBUTED
    monkeypatch.undo()
    assert block.ok("staff_complete", "staff")["result"]["completed"] is True
    assert LearnerWarning.objects.filter(task=task).count() == 1  # D's review of A; once


def _grading_queries(make_block, n, rule, how):
    block = make_block(f'reviews_per_work="3" grading_policy="reliability" warning_rule="{rule}" '
                       f'aggregation="{how}"')
    names = [f"q{i}" for i in range(n)]
    block.submit_all(names)
    for name in names[:2]:
        self_check(block, name, 0.9)
    block.ok("staff_start", "staff")
    for index, name in enumerate(names):
        state = block.state(name)
        for review_index in range(3):
            value = 1.0 if index % 4 == 0 else 0.3 + (index + review_index) % 5 / 10
            block.ok("submit_review", name, full_review(state, review_index, value))
    row = Task.objects.order_by("-pk").first()
    task = services.find_task(row.usage_key)
    with CaptureQueriesContext(connection) as queries:
        compute_grades(task, row.created_at)
    return len(queries)


@pytest.mark.parametrize("rule, how", [("fixed", "per_item"), ("evidence", "total"), ("none", "per_item")])
def test_grading_queries_do_not_grow_with_works(make_block, rule, how):
    small, large = _grading_queries(make_block, 8, rule, how), _grading_queries(make_block, 30, rule, how)
    assert small == large, f"grading queries: {small} with 8 works, {large} with 30"
    assert small <= 7  # issue 16: +1, the course's earlier tasks (history_priors; 5 with history)


@pytest.mark.parametrize("config, expected", [
    ({}, ("evidence", "total", 0.15)),  # a settings copy from before the options: the defaults
    ({"warning_rule": "fixed", "aggregation": "per_item", "outlier_threshold": 0.2}, ("fixed", "per_item", 0.2)),
    ({"warning_rule": ["fixed"], "aggregation": "items", "outlier_threshold": 15}, ("evidence", "total", 0.15)),
    ({"warning_rule": None, "aggregation": None, "outlier_threshold": True}, ("evidence", "total", 0.15)),
])
def test_the_options_read_from_a_settings_copy(config, expected):
    settings = TaskSettings.from_config(config)
    assert (settings.warning_rule, settings.aggregation, settings.threshold) == expected
