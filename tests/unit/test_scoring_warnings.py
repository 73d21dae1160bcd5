"""Warning rules (A3, A5) and agreement analytics (A1, A2) on hand-made cases."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import model
from crosscheck_xblock.scoring.agreement import agreement, agreement_all
from crosscheck_xblock.scoring.warning_rules import (
    EvidenceLimits,
    evidence_flags,
    flag_reviewers,
    outlier_check,
    outlier_check_all,
)

# --------------------------------------------------------------------------- A3: fixed threshold


def test_far_score_is_left_out_and_its_reviewer_warned() -> None:
    check = outlier_check([70, 72, 68, 100], max_score=100)
    # 100 is 30 from the median of the others (70); the others are within 2.
    assert check.excluded == (3,) and check.warned == (3,)
    assert check.points == 70.0
    assert not check.needs_staff and not check.author_warned


def test_threshold_is_configurable_and_exactly_at_it_stays() -> None:
    assert outlier_check([70, 70, 70, 85], max_score=100).excluded == ()  # 15 is not > 15
    assert outlier_check([70, 70, 70, 85.01], max_score=100).excluded == (3,)
    assert outlier_check([70, 70, 70, 88], max_score=100, threshold=0.20).excluded == ()
    assert outlier_check([7, 7, 7, 8.6], max_score=10).excluded == (3,)
    with pytest.raises(ValueError):
        outlier_check([1, 2, 3], max_score=10, threshold=0)


def test_fewer_than_three_scores_exclude_nothing() -> None:
    check = outlier_check([10, 90], max_score=100, self_check=50)
    assert check.excluded == () and check.warned == ()
    assert check.points == 50.0
    # The self-check is compared with the median of the reviews (50): not far.
    assert not check.author_warned


def test_all_far_means_staff_not_exclusion() -> None:
    # 0 is 65 from 30 and 100 (median), 30 is 20 from 50, 100 is 85 from 15: all far.
    check = outlier_check([0, 30, 100], max_score=100)
    assert check.needs_staff
    assert check.excluded == () and check.warned == (0, 1, 2)
    assert check.points == pytest.approx(130 / 3)


def test_author_warned_for_a_far_self_check() -> None:
    assert outlier_check([60, 62, 64], max_score=100, self_check=80).author_warned
    assert not outlier_check([60, 62, 64], max_score=100, self_check=77).author_warned
    assert not outlier_check([], max_score=100, self_check=80).author_warned


def test_all_equal_scores_warn_nobody() -> None:
    check = outlier_check([40, 40, 40, 40], max_score=100, self_check=40)
    assert check == outlier_check([40] * 4, max_score=100, self_check=40)
    assert check.excluded == () and check.warned == () and not check.author_warned


scores = st.lists(st.integers(0, 100), min_size=0, max_size=7)


@settings(max_examples=200, deadline=None)
@given(works=st.lists(scores, min_size=1, max_size=8),
       threshold=st.sampled_from([0.15, 0.2]))
def test_cohort_rule_matches_the_one_work_rule(works: list[list[int]], threshold: float) -> None:
    work = np.asarray([u for u, s in enumerate(works) for _ in s], dtype=np.intp)
    points = np.asarray([p for s in works for p in s], dtype=float)
    self_check = np.full(len(works), 75.0)
    found = outlier_check_all(work, points, n_works=len(works), max_score=100,
                              threshold=threshold, self_check=self_check)
    start = 0
    for u, s in enumerate(works):
        one = outlier_check(s, max_score=100, threshold=threshold, self_check=75)
        far = np.flatnonzero(found.far[start:start + len(s)]).tolist()
        excluded = np.flatnonzero(found.excluded[start:start + len(s)]).tolist()
        assert far == list(one.warned) and excluded == list(one.excluded)
        assert bool(found.needs_staff[u]) == (bool(s) and one.needs_staff)
        assert bool(found.author_warned[u]) == one.author_warned
        if s:
            assert found.points[u] == pytest.approx(one.points)
        start += len(s)


# --------------------------------------------------------------------------- A5: evidence


def _task_with(kinds: dict[int, str], works: int = 120, reviewers: int = 60, seed: int = 5):
    """Ring of reviews (8 per reviewer); reviewers named in `kinds` are careless of that kind."""
    rng = np.random.default_rng(seed)
    true = np.clip(rng.normal(65, 15, works), 0, 100)
    reviewer = ((np.arange(works)[:, None] + np.array([0, 13, 29, 41])) % reviewers).ravel()
    work = np.repeat(np.arange(works), 4)
    points = np.clip(np.round(true[work] + rng.normal(0, 5, len(work))), 0, 100)
    for v, kind in kinds.items():
        mine = reviewer == v
        points[mine] = {"always_max": 100.0, "harsh": np.clip(points[mine] - 25, 0, 100),
                        "random": rng.integers(0, 101, mine.sum())}[kind]
    return reviewer, work, points


def test_evidence_rule_flags_careless_reviewers_only() -> None:
    reviewer, work, points = _task_with({0: "always_max", 1: "harsh", 2: "random"})
    fit = model.fit_reviews(reviewer, work, points, n_reviewers=60, n_works=120, max_score=100)
    reasons = [str(reason) for reason in evidence_flags(fit, max_score=100)]
    flagged = [v for v, reason in enumerate(reasons) if reason]
    assert flagged == [0, 1, 2]
    assert "above the other reviewers" in reasons[0] and "over 8 reviews" in reasons[0]
    assert "below the other reviewers" in reasons[1]
    assert "scatter" in reasons[2]


def test_evidence_rule_needs_enough_reviews() -> None:
    reviewer, work, points = _task_with({0: "always_max"})
    fit = model.fit_reviews(reviewer, work, points, n_reviewers=60, n_works=120, max_score=100)
    assert not evidence_flags(fit, max_score=100, limits=EvidenceLimits(min_reviews=9))[0]


def test_flag_reviewers_by_id() -> None:
    reviewer, work, points = _task_with({7: "always_max"})
    reviews = [(f"learner{r}", f"work{u}", float(p)) for r, u, p in zip(reviewer, work, points)]
    flags = flag_reviewers(reviews, max_score=100)
    assert list(flags) == ["learner7"]
    assert flag_reviewers([], max_score=100) == {}


# --------------------------------------------------------------------------- A1, A2: agreement


def test_agreement_with_a_self_check() -> None:
    a = agreement([80, 75, 90], max_score=100, self_check=82)
    assert a.spreads == (2.0, 7.0, 8.0)
    assert a.largest == 8.0 and a.reviewer_range == 15.0
    assert a.ideal
    assert not agreement([80, 70], max_score=100, self_check=82).ideal  # 12 > 10
    assert agreement([80, 72], max_score=100, self_check=82).ideal  # exactly 10 is within


def test_agreement_without_a_self_check_and_without_scores() -> None:
    a = agreement([60, 68], max_score=100)
    assert a.spreads == () and a.largest == 8.0 and a.ideal
    assert not agreement([], max_score=100).ideal
    assert agreement([4, 4.9], max_score=10, self_check=4.5).ideal


def test_agreement_for_a_task() -> None:
    reviews = [("r1", "a", 80), ("r2", "a", 95), ("r1", "b", 50)]
    result = agreement_all(reviews, {"a": 80, "b": 50}, max_score=100)
    assert not result["a"].ideal and result["a"].largest == 15.0
    assert result["b"].ideal
