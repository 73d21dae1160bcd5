"""Reviewer-level calibration (issue 16): where the reliability model graded, the anchors refit
the model with each anchored reviewer's bias against staff and the staff as a known-unbiased
reviewer (cohort.staff_refit); calibration.staff_bias_priors gives those biases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import calibration, cohort, explain_all, grade_all
from crosscheck_xblock.scoring import simulation as sim
from crosscheck_xblock.scoring.grading import ReviewInput, grade_task

from .test_scoring_calibration import simulated


def test_staff_bias_priors_measure_each_reviewer_against_staff() -> None:
    offset = calibration.Estimate(-5.0, 2.0, 3)
    reviews = [("r1", "a", 50.0), ("r1", "b", 61.0), ("r2", "a", 60.0), ("r3", "c", 70.0)]
    priors = calibration.staff_bias_priors(reviews, {"a": 60.0, "b": calibration.Anchor(60.0)},
                                           offset, max_score=100, reviewer_noise={"r1": 6.0},
                                           noise=9.0)
    assert set(priors) == {"r1", "r2"}  # r3 scored no anchored work and has no history
    # r1: (50 + 5 - 60 + 61 + 5 - 60) / 2 = 0.5, variance 6^2 / 2 + 2^2.
    assert priors["r1"] == pytest.approx((0.5, math.sqrt(18 + 4)))
    # r2: the task's typical noise.
    assert priors["r2"] == pytest.approx((5.0, math.sqrt(81 + 4)))
    # Earlier tasks combine by precision; a reviewer with only a history keeps it.
    both = calibration.staff_bias_priors(reviews, {"a": 60.0}, offset, max_score=100, noise=9.0,
                                         history={"r2": (1.0, math.sqrt(85.0)), "r9": (-3.0, 4.0)})
    assert both["r2"] == pytest.approx((3.0, math.sqrt(85.0 / 2)))
    assert both["r9"] == pytest.approx((-3.0, 4.0))


@settings(max_examples=80, deadline=None)
@given(pairs=st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=1, max_size=12),
       d=st.floats(-20, 20), d_sd=st.floats(0.1, 10), noise=st.floats(0.5, 30))
def test_staff_bias_priors_lie_within_the_residuals(pairs, d, d_sd, noise) -> None:
    """The mean is the reviewer's mean residual against staff with the offset out (so between
    its smallest and largest), and the SD never below the offset's."""
    reviews = [("r", f"a{i}", z) for i, (z, _) in enumerate(pairs)]
    anchors = {f"a{i}": a for i, (_, a) in enumerate(pairs)}
    mean, sd = calibration.staff_bias_priors(reviews, anchors, calibration.Estimate(d, d_sd, 1),
                                             max_score=100, noise=noise)["r"]
    residuals = [z - d - a for z, a in pairs]
    assert min(residuals) - 1e-9 <= mean <= max(residuals) + 1e-9
    assert sd >= d_sd


def test_the_refit_corrects_reviewers_and_brings_grades_nearer_to_staff() -> None:
    errors = {"offset": [], "reviewers": [], "none": []}
    for seed in (21, 22, 23):
        reviews, staff, c = simulated(seed=seed)
        anchors = {f"a{u}": staff[f"a{u}"] for u in sim.pick_anchors(c, 5.0, seed).tolist()}
        task = cohort.explain_task(reviews, policy="reliability", max_score=100, anchors=anchors)
        assert task.rule == "reliability"
        cal = task.calibration
        assert cal.reviewer_level and set(cal.works) == set(task.works)
        assert cal.as_dict()["reviewer_level"] is True
        plain = grade_all(reviews, policy="reliability", max_score=100)
        # grade_all, explain_all and the refit agree.
        graded = grade_all(reviews, policy="reliability", max_score=100, anchors=anchors)
        assert graded == {a: e.points for a, e in task.works.items()} == cal.works
        for a, e in task.works.items():
            assert e.calibration == pytest.approx(e.points - plain[a])
            errors["reviewers"].append(e.points - staff[a])
            errors["offset"].append(cal.apply(plain[a], 100) - staff[a])
            errors["none"].append(plain[a] - staff[a])
    assert errors["none"]

    def rmse(key: str) -> float:
        return float(np.sqrt(np.mean(np.square(errors[key]))))

    assert rmse("reviewers") < rmse("offset") < rmse("none")


def test_the_learner_reads_that_the_scores_were_corrected_reviewer_by_reviewer() -> None:
    reviews, staff, c = simulated(seed=21)
    anchors = {f"a{u}": staff[f"a{u}"] for u in sim.pick_anchors(c, 5.0, 21).tolist()}
    explained = explain_all(reviews, policy="reliability", max_score=100, anchors=anchors)
    moved = [e for e in explained.values() if abs(e.calibration) >= 0.005]
    assert moved
    for e in moved[:20]:
        text = str(e.summary)
        assert f"Staff graded {len(anchors)} works of this task themselves" in text
        assert "corrected reviewer by reviewer" in text
        assert ("raised by" in text) == (e.calibration > 0)
        assert f"to {round(e.points, 2)})" in text


def test_grade_task_uses_the_refit_and_keeps_item_works_on_the_offset() -> None:
    reviews, staff, c = simulated(seed=22, n=80)
    inputs = [ReviewInput(reviewer=r, author=a, points=p) for r, a, p in reviews]
    anchors = {f"a{u}": staff[f"a{u}"] for u in range(0, c.n_works, 8)}
    outcome = grade_task(inputs, policy="reliability", max_score=100, anchors=anchors)
    assert outcome.rule == "reliability" and outcome.calibration.reviewer_level
    assert {a: w.points for a, w in outcome.works.items()} == pytest.approx(
        grade_all(reviews, policy="reliability", max_score=100, anchors=anchors))
    assert outcome.analytics()["calibration"]["reviewer_level"] is True
    # The per-work policies stay on the offset alone.
    mean = grade_task(inputs, policy="mean", max_score=100, anchors=anchors)
    assert not mean.calibration.reviewer_level
    assert len({round(w.calibration, 9) for w in mean.works.values()}) <= 2  # one shift (or clipped)


def test_the_score_lines_tell_the_refit_that_gave_the_grade() -> None:
    """With the reviewer-level refit the explanation's lines are the refit's (share, counted as,
    the reviewer's bias in it): they add up to the calibrated grade of a work staff did not
    grade, and to less in an anchored one (staff's grade has the rest) — in explain_task and in
    the block's grade_task alike."""
    reviews, staff, c = simulated(seed=22, n=80)
    anchors = {f"a{u}": staff[f"a{u}"] for u in range(0, c.n_works, 8)}
    plain = cohort.explain_task(reviews, policy="reliability", max_score=100)
    task = cohort.explain_task(reviews, policy="reliability", max_score=100, anchors=anchors)
    assert task.calibration.reviewer_level and task.rule == "reliability"
    inputs = [ReviewInput(reviewer=r, author=a, points=p) for r, a, p in reviews]
    outcome = grade_task(inputs, policy="reliability", max_score=100, anchors=anchors)
    changed = 0
    for author, e in task.works.items():
        total = sum(s.weight * s.adjusted for s in e.scores)
        block = outcome.works[author]
        assert [s.weight for s in block.scores] == pytest.approx([s.weight for s in e.scores])
        assert [s.adjusted for s in block.scores] == pytest.approx([s.adjusted for s in e.scores])
        assert [str(s.reason) for s in block.scores] == [str(s.reason) for s in e.scores]
        if author in anchors:
            assert sum(s.weight for s in e.scores) < 1
        elif 0 < e.points < 100:
            assert sum(s.weight for s in e.scores) == pytest.approx(1.0)
            assert total == pytest.approx(e.points, abs=1e-6)
        before = plain.works[author].scores
        changed += any(abs(s.adjusted - b.adjusted) > 0.5 for s, b in zip(e.scores, before))
        for s in e.scores:
            if s.reviewer_bias is not None:
                assert s.reason.params["adjusted"] == round(s.adjusted, 1)
                assert s.reason.params["bias"] == round(abs(s.reviewer_bias), 1)
    assert changed > len(task.works) // 2  # the lines moved with the grades
    # Without anchors the lines are the model's fit, unchanged.
    again = cohort.explain_task(reviews, policy="reliability", max_score=100)
    assert [s.adjusted for e in again.works.values() for s in e.scores] == [
        s.adjusted for e in plain.works.values() for s in e.scores]
