"""The simulation behind bench/bench_scoring.py: a few fast runs with fixed seeds."""

import numpy as np
import pytest

from crosscheck_xblock.scoring import simulation as sim


def test_reliability_beats_median_in_the_mixed_scenario() -> None:
    result = sim.run_config("mixed", k=4, true_scores="normal", runs=4, n=200, seed=1)
    rmse = {rule: m.summary()["rmse"] for rule, m in result.errors.items()}
    assert rmse["reliability"] < rmse["median"]
    assert rmse["reliability"] < rmse["mean"]
    # Every run, not only the pooled number.
    assert all(a < b for a, b in zip(result.errors["reliability"].run_rmse,
                                     result.errors["median"].run_rmse))


def test_warning_rules_are_measured() -> None:
    result = sim.run_config("careless", k=4, true_scores="normal", runs=2, n=150, seed=2)
    fixed = result.warnings["outlier_15"].summary()
    evidence = result.warnings["evidence"].summary()
    assert 0 <= evidence["honest"] < fixed["honest"] <= 1
    assert 0 < evidence["careless"] <= fixed["careless"] <= 1
    assert 0 <= result.ideal_share <= 1 and 0 <= result.authors_warned <= 1


@pytest.mark.parametrize("true_scores", sim.TRUE_SCORES)
def test_generated_class_follows_the_protocol(true_scores: str) -> None:
    scenario = sim.SCENARIOS["mixed"]
    cohort = sim.generate(scenario, k=4, n=300, true_scores=true_scores, seed=3)
    again = sim.generate(scenario, k=4, n=300, true_scores=true_scores, seed=3)
    assert np.array_equal(cohort.points, again.points)  # fixed seeds, same data
    assert 240 <= cohort.n_works <= 300  # about 10 % late
    assert np.all(cohort.reviewer != cohort.work)
    assert np.all(np.bincount(cohort.work, minlength=cohort.n_works) <= 4)
    given = np.bincount(cohort.reviewer, minlength=cohort.n_works)
    assert set(given.tolist()) <= {0, 4}
    assert 0.08 <= np.mean(given == 0) <= 0.25  # about 15 % never review
    assert np.all((cohort.points >= 0) & (cohort.points <= 100))
    assert np.all((cohort.true >= 0) & (cohort.true <= 100))
    assert 0.15 <= np.mean(cohort.kind != sim.HONEST) <= 0.25
    assert set(cohort.kind[cohort.kind != sim.HONEST]) == set(sim.CARELESS_KINDS)
    always = cohort.kind[cohort.reviewer] == "always_max"
    assert np.all(cohort.points[always] == 100)
    if true_scores == "checklist":
        assert np.array_equal(cohort.items.sum(axis=1), cohort.points)
    else:
        assert cohort.items is None


def test_per_item_rules_in_checklist_classes() -> None:
    cohort = sim.generate(sim.SCENARIOS["careless"], k=4, n=120, true_scores="checklist", seed=4)
    grades = sim.grade(cohort, sim.ITEM_RULES + ("mean",))
    graded = ~np.isnan(grades["mean"])
    # The mean per item, totalled, is the mean of the totals.
    assert np.allclose(grades["item_mean"][graded], grades["mean"][graded])
    assert np.all((grades["item_median"][graded] >= 0) & (grades["item_median"][graded] <= 100))
    with pytest.raises(ValueError):
        sim.grade(sim.generate(sim.SCENARIOS["honest"], k=3, n=50, true_scores="normal", seed=0),
                  ("item_median",))


# --------------------------------------------------------------- the regimes of real classes


def test_sparse_graders_do_few_reviews_each() -> None:
    c = sim.generate(sim.SCENARIOS["sparse"], k=4, n=300, true_scores="normal", seed=3)
    loads = np.bincount(c.reviewer, minlength=c.reviewers)
    assert c.reviewers > c.n_works  # a pool of graders, not the authors
    assert np.mean(loads[loads > 0] <= 3) > 0.7
    assert loads.max() <= 10
    counts = np.bincount(c.work, minlength=c.n_works)
    assert np.mean(counts == 4) > 0.9 and counts.min() >= 2
    assert not np.any(np.unique(c.work * c.reviewers + c.reviewer, return_counts=True)[1] > 1)


def test_constant_reviewers_give_everyone_one_score() -> None:
    c = sim.generate(sim.SCENARIOS["constant"], k=4, n=200, true_scores="normal", seed=4)
    constant = np.flatnonzero(c.kind == sim.CONSTANT)
    assert 0.15 <= len(constant) / c.reviewers <= 0.25
    for v in constant[:10]:
        given = c.points[c.reviewer == v]
        if len(given):
            assert len(set(given.tolist())) == 1 and 50 <= given[0] <= 100


def test_a_harsh_class_scores_below_the_staff_grade() -> None:
    harsh = sim.generate(sim.SCENARIOS["harsh-class"], k=4, n=300, true_scores="normal", seed=5)
    fair = sim.generate(sim.SCENARIOS["heavy-tailed"], k=4, n=300, true_scores="normal", seed=5)
    honest = harsh.kind[harsh.reviewer] == sim.HONEST
    gap = np.mean(harsh.points[honest] - harsh.true[harsh.work[honest]])
    assert -8 < gap < -4
    assert fair.points.shape == harsh.points.shape
    # Student-t noise of unit SD: far more draws beyond 4 SD than normal noise (6e-5).
    rng = np.random.default_rng(0)
    t = sim._noise(rng, 3.0, 200_000)
    assert 0.9 < np.std(t) < 1.1
    assert np.mean(np.abs(t) > 4) > 0.002
    assert np.mean(np.abs(sim._noise(rng, None, 200_000)) > 4) < 0.0005


def test_anchored_runs_are_paired_and_measured() -> None:
    result = sim.run_config("harsh-class", k=4, true_scores="normal", runs=3, n=150, seed=6,
                            anchors=5.0)
    plain = sim.run_config("harsh-class", k=4, true_scores="normal", runs=3, n=150, seed=6)
    assert result.errors["median"].summary() == plain.errors["median"].summary()
    assert len(result.offsets) == 3 and all(t == -6.0 for _, _, t in result.offsets)
    for rule in ("reliability", "median"):
        assert (result.anchored[rule].summary()["rmse"]
                < result.errors[rule].summary()["rmse"])
    assert result.oracle.summary()["rmse"] < result.errors["reliability"].summary()["rmse"]
