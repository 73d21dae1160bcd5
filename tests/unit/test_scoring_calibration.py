"""Calibration against staff grades (issue 16): nothing moves without anchors or with anchors
that agree with the peers, a class offset is found within its interval, and the learner is told
how far the grade moved."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import POLICIES, calibration, cohort, explain_all, grade_all
from crosscheck_xblock.scoring import simulation as sim
from crosscheck_xblock.scoring.grading import ReviewInput, grade_task

from .test_scoring_cohort import tasks


def simulated(scenario: str = "harsh-class", seed: int = 5, k: int = 4, n: int = 200):
    """A simulated class as review triples, its true (staff) scores and its works."""
    c = sim.generate(sim.SCENARIOS[scenario], k=k, n=n, true_scores="normal", seed=seed)
    reviews = [(f"r{r}", f"a{u}", float(p)) for r, u, p in zip(c.reviewer, c.work, c.points)]
    return reviews, {f"a{u}": float(c.true[u]) for u in range(c.n_works)}, c


@settings(max_examples=60, deadline=None)
@given(reviews=tasks(), policy=st.sampled_from(list(POLICIES)))
def test_no_anchors_change_nothing(reviews: list[tuple], policy: str) -> None:
    plain = grade_all(reviews, policy=policy, max_score=100)
    assert grade_all(reviews, policy=policy, max_score=100, anchors=None) == plain
    assert grade_all(reviews, policy=policy, max_score=100, anchors={}) == plain
    # Staff grades of works nobody reviewed say nothing about the peers.
    assert grade_all(reviews, policy=policy, max_score=100, anchors={"nobody": 12.0}) == plain


@settings(max_examples=60, deadline=None)
@given(reviews=tasks(), policy=st.sampled_from(list(POLICIES)), data=st.data())
def test_anchors_that_agree_with_the_peers_change_nothing(reviews: list[tuple], policy: str,
                                                          data: st.DataObject) -> None:
    plain = grade_all(reviews, policy=policy, max_score=100)
    chosen = data.draw(st.lists(st.sampled_from(sorted(plain)), min_size=1, unique=True))
    anchors = {a: plain[a] for a in chosen}
    assert grade_all(reviews, policy=policy, max_score=100, anchors=anchors) == plain
    explained = explain_all(reviews, policy=policy, max_score=100, anchors=anchors)
    before = explain_all(reviews, policy=policy, max_score=100)
    assert {a: e.points for a, e in explained.items()} == plain
    assert all(e.calibration == 0.0 for e in explained.values())
    assert all(str(e.summary) == str(before[a].summary) for a, e in explained.items())


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.floats(-40, 40), st.floats(0.5, 400)), min_size=1,
                      max_size=30))
def test_the_estimate_is_shrunk_towards_zero(pairs: list[tuple[float, float]]) -> None:
    """Between 0 and the residuals' weighted mean, never beyond: grades move only as far as
    the anchors support."""
    residuals, variances = zip(*pairs)
    estimate, scatter = calibration.estimate_offset(residuals, variances, prior_sd=10.0)
    w = 1 / np.asarray(variances)
    mean = float(np.sum(w * np.asarray(residuals)) / np.sum(w))
    assert scatter >= 1.0
    assert estimate.anchors == len(pairs)
    assert 0 < estimate.sd <= 10.0
    assert abs(estimate.value) <= abs(mean) + 1e-9
    assert estimate.value * mean >= 0
    assert estimate.low < estimate.value < estimate.high


def test_many_agreeing_anchors_are_believed_nearly_fully() -> None:
    estimate, _ = calibration.estimate_offset([-6.0] * 50, [25.0] * 50, prior_sd=10.0)
    assert -6.0 < estimate.value < -5.9
    few, _ = calibration.estimate_offset([-6.0] * 2, [25.0] * 2, prior_sd=10.0)
    assert estimate.value < few.value < 0  # two anchors move the grades less
    assert few.sd > estimate.sd


def test_the_offset_is_recovered_within_its_interval() -> None:
    """In classes 6 points harsher than staff, 5 staff grades per 100 works: the 95 % interval
    holds the true offset in most classes, and the estimate is close on average."""
    estimates, inside = [], 0
    for seed in range(8):
        reviews, staff, c = simulated(seed=100 + seed)
        picked = sim.pick_anchors(c, 5.0, seed)
        anchors = {f"a{u}": staff[f"a{u}"] for u in picked.tolist()}
        found = cohort.explain_task(reviews, policy="reliability", max_score=100,
                                    anchors=anchors).calibration
        assert found.anchors == len(anchors) == 9
        estimates.append(found.offset.value)
        inside += found.offset.low <= -6.0 <= found.offset.high
    assert inside >= 6
    assert -8.0 < np.mean(estimates) < -4.0
    assert all(e < 0 for e in estimates)  # peers harsher: grades go up


@pytest.mark.parametrize("policy", ["mean", "median", "reliability"])
def test_calibration_brings_grades_closer_to_staff(policy: str) -> None:
    reviews, staff, c = simulated(seed=7)
    anchors = {f"a{u}": staff[f"a{u}"] for u in sim.pick_anchors(c, 5.0, 7).tolist()}
    plain = grade_all(reviews, policy=policy, max_score=100)
    moved = grade_all(reviews, policy=policy, max_score=100, anchors=anchors)

    def rmse(grades: dict) -> float:
        return float(np.sqrt(np.mean([(g - staff[a]) ** 2 for a, g in grades.items()])))

    assert rmse(moved) < 0.95 * rmse(plain)
    assert np.mean([moved[a] - plain[a] for a in plain]) > 2  # raised, as staff are kinder


def test_the_explanation_says_how_far_the_grade_moved() -> None:
    reviews = [(f"r{r % 12}", f"a{a}", 50.0 + a) for a in range(12) for r in range(a, a + 3)]
    anchors = {"a0": 60.0, "a1": 61.0, "a2": 62.0}  # staff 10 points kinder
    explained = explain_all(reviews, policy="mean", max_score=100, anchors=anchors)
    e = explained["a5"]
    assert e.calibration > 0 and e.points == pytest.approx(55.0 + e.calibration)
    text = str(e.summary)
    assert text.startswith(POLICIES["mean"])
    assert "Staff graded 3 works of this task themselves" in text
    assert "below staff's, so this grade was raised by" in text
    assert f"(from 55 to {round(e.points, 2)})" in text
    # Harsher staff: the grades go down, and the sentence says so.
    lowered = explain_all(reviews, policy="mean", max_score=100, anchors={"a0": 40.0})["a5"]
    assert lowered.calibration < 0
    assert "Staff graded 1 work of this task themselves; from it" in str(lowered.summary)
    assert "above staff's, so this grade was lowered by" in str(lowered.summary)


def test_grades_stay_within_the_scale() -> None:
    reviews = [(f"r{r % 10}", f"a{a}", 98.0) for a in range(10) for r in range(a, a + 3)]
    grades = grade_all(reviews, policy="median", max_score=100, anchors={"a0": 100.0,
                                                                         "a1": 100.0})
    assert all(98.0 < g <= 100.0 for g in grades.values())
    capped = explain_all(reviews, policy="median", max_score=100,
                         anchors={a: 100.0 for a in ("a0", "a1", "a2", "a3")})
    assert all(e.points <= 100.0 for e in capped.values())


def test_reviewer_bias_against_staff() -> None:
    reviews, staff, c = simulated(seed=11)
    anchors = {f"a{u}": staff[f"a{u}"] for u in range(0, c.n_works, 10)}
    found = cohort.explain_task(reviews, policy="reliability", max_score=100,
                                anchors=anchors).calibration
    assert found.reviewers
    # The class is harsher than staff, so the typical reviewer's bias against staff is negative.
    assert np.median([e.value for e in found.reviewers.values()]) < -2
    scored = [e for e in found.reviewers.values() if e.anchors]
    assert scored and all(e.sd > 0 for e in scored)


def test_bad_anchor_rejected() -> None:
    with pytest.raises(ValueError):
        grade_all([("r", "a", 1.0)], policy="mean", max_score=10, anchors={"a": "7"})
    with pytest.raises(ValueError):
        grade_all([("r", "a", 1.0)], policy="mean", max_score=10, anchors={"a": float("nan")})


def test_grade_task_calibrates_and_reports_for_staff() -> None:
    inputs = []
    for a in range(12):
        for r in range(a + 1, a + 4):
            points = 40.0 + a
            inputs.append(ReviewInput(reviewer=f"r{r % 13}", author=f"a{a}", points=points,
                                      items={"c1": points / 2, "c2": points / 2}, version=1))
    anchors = {"a0": calibration.Anchor(50.0, {"c1": 22.0, "c2": 28.0}),
               "a1": calibration.Anchor(51.0, {"c1": 23.0, "c2": 28.0}), "a2": 52.0}
    plain = grade_task(inputs, policy="median", max_score=100, aggregation="per_item")
    outcome = grade_task(inputs, policy="median", max_score=100, aggregation="per_item",
                         anchors=anchors)
    assert plain.calibration is None and plain.rule == "median" and plain.model_check is None
    cal = outcome.calibration
    assert cal.anchors == 3 and cal.offset.value < -5
    for author, work in outcome.works.items():
        assert work.aggregation == "per_item"
        assert work.points == pytest.approx(plain.works[author].points + work.calibration)
        assert work.calibration > 5 and "Staff graded 3 works" in str(work.summary)
    # Per item: peers gave c1 about 20.25 where staff gave 22.5, c2 20.25 against 28.
    assert set(cal.items) == {"c1", "c2"}
    assert cal.items["c2"].value < cal.items["c1"].value < 0
    data = outcome.analytics()
    assert json.loads(json.dumps(data)) == data
    assert data["calibration"]["anchors"] == 3 and data["rule"] == "median"
    assert data["calibration"]["offset"]["low"] < data["calibration"]["offset"]["high"]


def test_grade_task_without_anchors_is_unchanged() -> None:
    inputs = [ReviewInput(reviewer=f"r{(a + j) % 9}", author=f"a{a}", points=30.0 + 5 * j + a)
              for a in range(9) for j in range(1, 4)]
    for policy in POLICIES:
        plain = grade_task(inputs, policy=policy, max_score=100)
        again = grade_task(inputs, policy=policy, max_score=100, anchors={})
        assert {a: w.points for a, w in again.works.items()} == {
            a: w.points for a, w in plain.works.items()}
        assert again.calibration is None
        assert all(w.calibration == 0.0 for w in again.works.values())


def test_calibration_does_not_depend_on_the_scale() -> None:
    reviews, staff, c = simulated(seed=13)
    anchors = {f"a{u}": staff[f"a{u}"] for u in sim.pick_anchors(c, 5.0, 13).tolist()}
    on_100 = cohort.explain_task(reviews, policy="reliability", max_score=100, anchors=anchors)
    on_40 = cohort.explain_task([(r, a, p * 0.4) for r, a, p in reviews], policy="reliability",
                                max_score=40, anchors={a: v * 0.4 for a, v in anchors.items()})
    assert on_40.calibration.offset.value == pytest.approx(0.4 * on_100.calibration.offset.value)
    assert on_40.calibration.offset.sd == pytest.approx(0.4 * on_100.calibration.offset.sd)
    assert {a: e.points for a, e in on_40.works.items()} == pytest.approx(
        {a: 0.4 * e.points for a, e in on_100.works.items()}, abs=1e-6)


def test_a_reviewer_far_from_staff_on_the_anchors_is_seen() -> None:
    # r0 scores every work 12 below what the others and staff give; staff agree with the others.
    reviews = []
    for a in range(30):
        for r in (1 + a % 10, 1 + (a + 3) % 10, 1 + (a + 6) % 10):
            reviews.append((f"r{r}", f"a{a}", 60.0 + a % 7))
        if a % 3 == 0:
            reviews.append(("r0", f"a{a}", 48.0 + a % 7))
    anchors = {f"a{a}": 60.0 + a % 7 for a in range(0, 30, 3)}
    found = cohort.explain_task(reviews, policy="mean", max_score=100,
                                anchors=anchors).calibration
    r0 = found.reviewers["r0"]
    assert r0.anchors == 10 and r0.value < -8 and r0.high < 0
    assert all(abs(e.value) < 4 for name, e in found.reviewers.items() if name != "r0")


def test_the_calibration_set_spreads_over_the_review_graph():
    from crosscheck_xblock.scoring.calibration import pick_anchor_works

    # Works 0-3 share reviewers a, b; works 4-7 share c, d: two works, one from each side.
    graph = {w: ("a", "b") if w < 4 else ("c", "d") for w in range(8)}
    picked = pick_anchor_works(graph, 2, seed="s")
    assert len(picked) == 2 and {w < 4 for w in picked} == {True, False}
    assert pick_anchor_works(graph, 2, seed="s") == picked  # fixed per seed
    assert sorted(pick_anchor_works(graph, 20, seed="s")) == list(range(8))  # fewer works than asked
    assert pick_anchor_works({}, 3, seed="s") == []
