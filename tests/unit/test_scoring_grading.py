"""Grading with a task's options (scoring/grading.py): per-item aggregation, the fixed rule's
exclusions and warnings (A3), the evidence rule (A5), and the simulated rates Studio shows."""

import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import apply_policy, explain_all, simulation
from crosscheck_xblock.scoring.calibration import Anchor
from crosscheck_xblock.scoring.grading import (
    VERSIONS_DIFFER,
    ReviewInput,
    evidence_message,
    far_review_message,
    far_self_check_message,
    format_points,
    grade_task,
    left_out_reason,
)
from crosscheck_xblock.scoring.warning_rules import EvidenceFinding

POLICIES = ["mean", "median", "drop_min", "drop_discordant", "reliability"]


def work(author, *totals, items=None, version=1):
    """Reviews of one work by reviewers r0, r1, … (items: one dict per review, or None)."""
    return [ReviewInput(reviewer=f"r{i}", author=author, points=total,
                        items=None if items is None else items[i], version=version)
            for i, total in enumerate(totals)]


# ---------------------------------------------------------------- totals, no warnings

@pytest.mark.parametrize("policy", POLICIES)
def test_without_options_it_is_explain_all(policy) -> None:
    reviews = work("a", 80, 70, 75, 20) + work("b", 50, 55, 60)
    outcome = grade_task(reviews, policy=policy, max_score=100)
    expected = explain_all([(r.reviewer, r.author, r.points) for r in reviews], policy=policy,
                           max_score=100)
    for author in ("a", "b"):
        got = outcome.works[author]
        assert got.points == expected[author].points and got.aggregation == "total"
        assert [s.weight for s in got.scores] == [s.weight for s in expected[author].scores]
        assert not any(s.excluded for s in got.scores) and got.items == ()
    assert outcome.far_reviews == () and outcome.far_self_checks == () and outcome.evidence == {}


# ---------------------------------------------------------------- the fixed rule (A3)

def test_fixed_rule_leaves_the_far_score_out_before_the_policy() -> None:
    # 40 is 40 from the others' median (80): left out; drop_discordant then has 3 scores: a mean.
    outcome = grade_task(work("a", 80, 82, 40, 78), policy="drop_discordant", max_score=100,
                         warning_rule="fixed", threshold=0.15)
    got = outcome.works["a"]
    assert got.points == pytest.approx(80.0)
    left_out = [s for s in got.scores if not s.counted]
    assert [(s.review, s.excluded, s.weight) for s in left_out] == [(2, True, 0.0)]
    assert str(left_out[0].reason) == "more than 15 points from the other scores"
    assert str(got.summary).startswith("First, 1 score more than 15 points from the other scores of "
                                  "your work was left out. ")
    assert [(f.review, f.others_median, f.excluded) for f in outcome.far_reviews] == [(2, 80.0, True)]
    assert outcome.limit == 15.0
    # Without the rule drop_discordant would have dropped 40 itself, among 4.
    assert apply_policy("drop_discordant", [80, 82, 40, 78]).points == pytest.approx(80.0)


def test_fixed_rule_threshold_is_read_as_a_share_of_the_maximum() -> None:
    reviews = work("a", 80, 80, 80, 62)  # 18 from the others
    assert grade_task(reviews, policy="mean", max_score=100, warning_rule="fixed",
                      threshold=0.15).works["a"].points == 80.0
    assert grade_task(reviews, policy="mean", max_score=100, warning_rule="fixed",
                      threshold=0.20).works["a"].points == pytest.approx(75.5)
    small = work("a", 8, 8, 8, 6.2)  # the same on a maximum of 10
    assert grade_task(small, policy="mean", max_score=10, warning_rule="fixed",
                      threshold=0.15).works["a"].points == 8.0
    assert str(left_out_reason(1.5)) == "more than 1.5 points from the other scores"


def test_fixed_rule_with_every_score_far_leaves_none_out_and_warns_all() -> None:
    outcome = grade_task(work("a", 0, 30, 100), policy="mean", max_score=100,
                         warning_rule="fixed")
    got = outcome.works["a"]
    assert got.needs_staff and all(s.counted for s in got.scores)
    assert got.points == pytest.approx(130 / 3)
    assert "so none was left out" in str(got.summary)
    assert [f.excluded for f in outcome.far_reviews] == [False, False, False]


def test_fixed_rule_warns_the_author_whose_self_check_is_far() -> None:
    reviews = work("a", 70, 72, 68) + work("b", 50, 52, 48) + work("c", 90, 90, 90)
    outcome = grade_task(reviews, policy="mean", max_score=100, warning_rule="fixed",
                         self_checks={"a": 95, "b": 60})  # c did not check their work
    assert [(f.author, f.self_check, f.median) for f in outcome.far_self_checks] == [("a", 95.0, 70.0)]
    # Self-checks never change a grade.
    assert outcome.works["a"].points == 70.0


def test_fewer_than_three_scores_are_never_far() -> None:
    outcome = grade_task(work("a", 10, 90), policy="mean", max_score=100, warning_rule="fixed")
    assert outcome.far_reviews == () and outcome.works["a"].points == 50.0


# ---------------------------------------------------------------- per item

ITEMS = [{"layout": 10, "js": 0, "late": 0}, {"layout": 0, "js": 10, "late": 0},
         {"layout": 10, "js": 10, "late": -5}]


def test_per_item_aggregates_each_item_then_totals() -> None:
    reviews = work("a", 10, 10, 15, items=ITEMS)
    outcome = grade_task(reviews, policy="median", max_score=20, aggregation="per_item")
    got = outcome.works["a"]
    # Per item: layout 10, js 10, late 0 -> 20; the median of the totals would be 10.
    assert got.points == 20.0 and got.aggregation == "per_item"
    assert str(got.summary).startswith("Each checklist item was graded on its own (the middle of the "
                                  "reviewers' points for it)")
    assert "at most 20" in str(got.summary)
    items = {item.item: item for item in got.items}
    assert items["layout"].points == 10.0 and items["late"].points == 0.0
    assert [(s.review, s.points) for s in items["js"].scores] == [(0, 0.0), (1, 10.0), (2, 10.0)]
    assert [s.counted for s in items["late"].scores] == [True, False, False]  # the middle one
    assert str(items["late"].scores[2].reason) == "below the middle score"
    assert all(s.counted and s.weight is None for s in got.scores)


def test_per_item_falls_back_to_totals_when_checklist_versions_differ() -> None:
    reviews = work("a", 10, 10, 15, items=ITEMS)
    reviews[2] = ReviewInput("r2", "a", 15, ITEMS[2], version=2)
    got = grade_task(reviews, policy="median", max_score=20, aggregation="per_item").works["a"]
    assert got.aggregation == "total" and got.items == () and got.points == 10.0
    assert str(got.summary).startswith(VERSIONS_DIFFER)
    unknown = work("b", 10, 10, items=None)
    got = grade_task(unknown, policy="mean", max_score=20, aggregation="per_item").works["b"]
    assert got.aggregation == "total"


def test_per_item_floors_at_zero_and_caps() -> None:
    heavy = [{"a": 5, "p": -20}, {"a": 5, "p": -20}]
    assert grade_task(work("x", 0, 0, items=heavy), policy="mean", max_score=10,
                      aggregation="per_item").works["x"].points == 0.0
    rich = [{"a": 30, "b": 20}]
    assert grade_task(work("x", 40, items=rich), policy="mean", max_score=40,
                      aggregation="per_item").works["x"].points == 40.0


def test_per_item_uses_only_the_scores_the_fixed_rule_kept() -> None:
    items = [{"a": 8, "b": 0}, {"a": 8, "b": 1}, {"a": 7, "b": 1}, {"a": 0, "b": 0}]
    reviews = work("w", 8, 9, 8, 0, items=items)
    got = grade_task(reviews, policy="mean", max_score=10, aggregation="per_item",
                     warning_rule="fixed").works["w"]
    assert got.aggregation == "per_item"
    assert [s.excluded for s in got.scores] == [False, False, False, True]
    assert all(len(item.scores) == 3 for item in got.items)  # the left-out review is not there
    assert got.points == pytest.approx(23 / 3 + 2 / 3)


# ---------------------------------------------------------------- the evidence rule (A5)

def _class_with_a_generous_reviewer():
    """Ten works; r0..r9 review the next four works each; "r0" gives 30 points more."""
    reviews = []
    for v in range(10):
        for step in range(1, 5):
            author = (v + step) % 10
            truth = 40 + 4 * author
            points = min(truth + 30, 100) if v == 0 else truth + (v % 3) - 1
            reviews.append(ReviewInput(f"r{v}", f"w{author}", float(points)))
    return reviews


def test_evidence_rule_flags_the_habit_and_changes_no_grade() -> None:
    reviews = _class_with_a_generous_reviewer()
    flagged = grade_task(reviews, policy="median", max_score=100, warning_rule="evidence")
    plain = grade_task(reviews, policy="median", max_score=100, warning_rule="none")
    assert list(flagged.evidence) == ["r0"]
    finding = flagged.evidence["r0"]
    assert finding.biased and finding.bias > 15 and finding.reviews == 4
    assert {a: w.points for a, w in flagged.works.items()} == {a: w.points for a, w in plain.works.items()}
    assert plain.evidence == {}


# ---------------------------------------------------------------- the words of the warnings

def test_far_review_message_names_only_the_reviewers_own_pseudonym() -> None:
    text = str(far_review_message(work_title="Work 3", points=40, max_score=100, others_median=80,
                              limit=15, excluded=True))
    assert text.startswith("Your review of Work 3 gave 40 of 100; the other reviewers' median "
                           "was 80, more than 15 points away, so your score was left out")
    kept = str(far_review_message(work_title="Work 1", points=0, max_score=10, others_median=6.5,
                              limit=1.5, excluded=False))
    assert "median was 6.5, more than 1.5 points away" in kept and "none was left out" in kept


def test_self_check_and_evidence_messages() -> None:
    text = str(far_self_check_message(self_check=95, max_score=100, median=70, limit=15))
    assert text.startswith("Your self-check gave 95 of 100; the median of the reviews of your "
                           "work was 70, more than 15 points away.")
    both = EvidenceFinding(bias=-17.26, noise=21.04, reviews=4, biased=True, noisy=True, reason="")
    words = str(evidence_message(both))
    assert words.startswith("Across your 4 reviews in this cross-check, your scores were on "
                            "average 17.3 points below those of the other reviewers of the same "
                            "works and your scores scattered by about 21 points around theirs.")
    assert "does not change anyone's grade" in words
    scatter = str(evidence_message(EvidenceFinding(3.0, 25.0, 5, False, True, "")))
    assert "above" not in scatter and "below" not in scatter and "scattered by about 25 points" in scatter


def test_format_points() -> None:
    assert [format_points(v) for v in (15.0, 1.5, 0.333, 80, -0.0001, 12.345)] == \
        ["15", "1.5", "0.33", "80", "0", "12.35"]
    assert format_points(17.26, 1) == "17.3"


@pytest.mark.parametrize("options", [{"policy": "trimmed"}, {"aggregation": "items"},
                                     {"warning_rule": "strict"}, {"threshold": 0},
                                     {"threshold": 15}, {"max_score": 0}])
def test_unknown_options_are_refused(options) -> None:
    kwargs = {"policy": "mean", "max_score": 100, **options}
    with pytest.raises(ValueError):
        grade_task(work("a", 1, 2, 3), **kwargs)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=50, allow_nan=False), min_size=1, max_size=6),
       st.sampled_from(POLICIES), st.sampled_from(["fixed", "evidence", "none"]),
       st.sampled_from(["total", "per_item"]))
def test_grades_stay_within_zero_and_the_maximum(points, policy, rule, how) -> None:
    items = [{"a": p, "pen": -5.0 if i % 2 else 0.0} for i, p in enumerate(points)]
    outcome = grade_task(work("a", *points, items=items), policy=policy, max_score=50,
                         warning_rule=rule, aggregation=how)
    assert 0 <= outcome.works["a"].points <= 50


# ---------------------------------------------------------------- the simulated rates

def test_warning_rates_are_measured_memoised_and_cheap() -> None:
    simulation.warning_rates.cache_clear()
    started = time.perf_counter()
    rates = simulation.warning_rates(4, 0.15, 100.0)
    first = time.perf_counter() - started
    assert first < 1.0, f"the first call took {first:.2f} s"
    again_started = time.perf_counter()
    assert simulation.warning_rates(4, 0.15, 100.0) is rates  # from the cache
    assert time.perf_counter() - again_started < 0.01
    assert rates.runs == simulation.RATE_RUNS and rates.honest_reviewers > 1000
    assert rates.careless_reviewers > 200
    # The bench's finding (README): the fixed rule warns most honest reviewers, the evidence
    # rule few, while the fixed rule catches more careless ones.
    assert rates.fixed_honest > 0.5 > 0.15 > rates.evidence_honest
    assert rates.fixed_careless > rates.evidence_careless > 0.3


def test_warning_rates_follow_threshold_and_k_not_the_maximum() -> None:
    base = simulation.warning_rates(4, 0.15, 100.0)
    assert simulation.warning_rates(4, 0.20, 100.0).fixed_honest < base.fixed_honest
    scaled = simulation.warning_rates(4, 0.15, 10.0)
    assert scaled.fixed_honest == pytest.approx(base.fixed_honest, abs=0.01)
    assert scaled.evidence_careless == pytest.approx(base.evidence_careless, abs=0.02)
    two = simulation.warning_rates(2, 0.15, 100.0)
    assert (two.fixed_honest, two.fixed_careless, two.evidence_honest) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        simulation.warning_rates(4, 0.0, 100.0)


# ---------------------------------------------------------------- without the stories (issue 15)

def _random_task(rng, n_works, k, *, items, versions=1):
    reviews = []
    for a in range(n_works):
        for j in range(k):
            reviewer = f"w{(a + j + 1) % n_works}"
            points = round(rng.choice([rng.uniform(0, 60), rng.choice([0, 30, 45, 60])]), rng.choice([0, 1, 2]))
            given = {"a": round(points * 0.5, 2), "b": round(points * 0.5, 2), "pen": -3.0 * (rng.random() < 0.2)}
            reviews.append(ReviewInput(reviewer=reviewer, author=f"w{a}", points=points,
                                       items=given if items else None, version=rng.randint(1, versions)))
    return reviews


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("rule", ["fixed", "evidence", "none"])
@pytest.mark.parametrize("how", ["total", "per_item"])
def test_without_the_stories_the_points_warnings_and_calibration_are_the_same(policy, rule, how) -> None:
    """The staff analytics preview grades with explain=False: the same numbers, bit for bit, as
    the grading whose grades are saved, with anchors, priors and every option."""
    rng = random.Random(f"{policy}-{rule}-{how}")
    for n_works, k, with_anchors in ((40, 4, True), (12, 3, False), (3, 2, True), (30, 5, False)):
        reviews = _random_task(rng, n_works, k, items=how == "per_item", versions=1 + (n_works == 30))
        anchors = ({"w0": 41.5, "w1": Anchor(20.0, {"a": 10.0, "b": 10.0, "pen": 0.0}), "w2": 55.0}
                   if with_anchors else None)
        priors = {"w3": (4.0, 2.0), "w5": (-6.0, 3.0)}
        options = {"policy": policy, "max_score": 60, "aggregation": how, "warning_rule": rule,
                   "self_checks": {"w0": 59.0, "w4": 1.0}, "anchors": anchors, "reviewer_priors": priors}
        full = grade_task(reviews, **options)
        quick = grade_task(reviews, explain=False, **options)
        assert {a: w.points for a, w in quick.works.items()} == {a: w.points for a, w in full.works.items()}
        assert {a: (w.calibration, w.needs_staff, w.aggregation, w.items) for a, w in quick.works.items()} == {
            a: (w.calibration, w.needs_staff, w.aggregation, w.items) for a, w in full.works.items()}
        assert (quick.far_reviews, quick.far_self_checks, quick.evidence, quick.limit, quick.rule,
                quick.model_check, quick.calibration) == (full.far_reviews, full.far_self_checks, full.evidence,
                                                          full.limit, full.rule, full.model_check,
                                                          full.calibration)
        assert all(not w.scores and not w.summary for w in quick.works.values())
