"""grade_all over a whole task: the same numbers as apply_policy, bounds, and its structure."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import POLICIES, apply_policy, batch, grade_all, round_half_up

PER_WORK = ["mean", "median", "drop_min", "drop_discordant"]

# A task as (reviewer, author, points): up to 12 authors, up to 7 scores each.
two_decimals = st.integers(min_value=0, max_value=10_000).map(lambda x: x / 100)


@st.composite
def tasks(draw: st.DrawFn, points: st.SearchStrategy = two_decimals) -> list[tuple]:
    n_authors = draw(st.integers(min_value=1, max_value=12))
    reviews = []
    for author in range(n_authors):
        count = draw(st.integers(min_value=1, max_value=7))
        for _ in range(count):
            reviewer = draw(st.integers(min_value=0, max_value=15))
            reviews.append((f"r{reviewer}", f"a{author}", draw(points)))
    return draw(st.permutations(reviews))


def per_work_reference(reviews: list[tuple], policy: str, max_score: float) -> dict:
    """apply_policy on each author's scores in input order, clipped: what grade_all must give."""
    received: dict = {}
    for _reviewer, author, points in reviews:
        received.setdefault(author, []).append(points)
    return {a: min(max(apply_policy(policy, s).points, 0.0), float(max_score))
            for a, s in received.items()}


@settings(max_examples=200, deadline=None)
@given(reviews=tasks(), policy=st.sampled_from(PER_WORK))
def test_vectorised_per_work_policies_equal_apply_policy_exactly(reviews: list[tuple],
                                                                  policy: str) -> None:
    # Exact equality (not approx): the gradebook rounds half up, so one ulp can matter.
    assert grade_all(reviews, policy=policy, max_score=100) == per_work_reference(
        reviews, policy, 100)


odd_floats = st.floats(min_value=0, max_value=100, allow_nan=False, allow_infinity=False)


def test_long_decimals_leave_the_integer_path() -> None:
    ints, scale = batch.scale_to_integers(np.array([12.25, 3.3]))
    assert ints.tolist() == [1225, 330] and scale == 100
    assert batch.scale_to_integers(np.array([0.1234567891234, 3.3])) is None


@settings(max_examples=100, deadline=None)
@given(reviews=tasks(points=odd_floats), policy=st.sampled_from(PER_WORK))
def test_arbitrary_floats_take_the_exact_fallback(reviews: list[tuple], policy: str) -> None:
    assert grade_all(reviews, policy=policy, max_score=100) == per_work_reference(
        reviews, policy, 100)


@settings(max_examples=150, deadline=None)
@given(reviews=tasks(), policy=st.sampled_from(list(POLICIES)),
       max_score=st.sampled_from([1, 40, 100, 250.5]))
def test_every_policy_stays_within_zero_and_max(reviews: list[tuple], policy: str,
                                                max_score: float) -> None:
    grades = grade_all(reviews, policy=policy, max_score=max_score)
    assert set(grades) == {author for _, author, _ in reviews}
    assert all(0.0 <= g <= max_score for g in grades.values())


def test_rounding_boundary_is_exact() -> None:
    # In floats (65.82 + 11.85 + 25.83) / 3 is 34.49999999999999, which would round to 34; the
    # exact mean is 34.5, which the gradebook rounds to 35.
    assert sum([65.82, 11.85, 25.83]) / 3 < 34.5
    reviews = [("r1", "a", 65.82), ("r2", "a", 11.85), ("r3", "a", 25.83)]
    assert grade_all(reviews, policy="mean", max_score=100) == {"a": 34.5}
    assert round_half_up(grade_all(reviews, policy="mean", max_score=100)["a"]) == 35


def test_ties_follow_input_order_like_apply_policy() -> None:
    reviews = [("r1", "a", 5), ("r2", "a", 10), ("r3", "a", 15), ("r4", "a", 10)]
    assert grade_all(reviews, policy="drop_discordant", max_score=100)["a"] == pytest.approx(35 / 3)
    decimals = [("r1", "a", 0.1), ("r2", "a", 0.3), ("r3", "a", 0.5), ("r4", "a", 0.3)]
    # 0.1 and 0.5 are equally far from the others: the lower one (0.1) is dropped.
    assert grade_all(decimals, policy="drop_discordant", max_score=1)["a"] == pytest.approx(
        1.1 / 3)


@pytest.mark.parametrize("policy", list(POLICIES))
def test_all_equal_scores(policy: str) -> None:
    reviews = [(f"r{r}", f"a{a}", 42.0) for a in range(10) for r in range(a, a + 4)]
    assert set(grade_all(reviews, policy=policy, max_score=100).values()) == {42.0}


def test_bad_input_rejected() -> None:
    with pytest.raises(ValueError):
        grade_all([("r", "a", 1)], policy="best", max_score=10)
    with pytest.raises(ValueError):
        grade_all([("r", "a", float("nan"))], policy="mean", max_score=10)
    with pytest.raises(ValueError):
        grade_all([("r", "a", "7")], policy="mean", max_score=10)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        grade_all([("r", "a", 1)], policy="mean", max_score=0)


def test_grouping_is_per_count_not_per_work() -> None:
    # 20,000 works with 3 to 5 reviews: three blocks, i.e. three passes of whole-array numpy
    # code, whatever the number of works (no per-work Python loop).
    rng = np.random.default_rng(0)
    counts = rng.integers(3, 6, 20_000)
    work = np.repeat(np.arange(20_000), counts)
    groups = batch.group_reviews(rng.permutation(work), 20_000)
    assert [c for c, _, _ in groups.blocks] == [3, 4, 5]
    assert sum(len(works) for _, works, _ in groups.blocks) == 20_000


@settings(max_examples=100, deadline=None)
@given(reviews=tasks(), policy=st.sampled_from(PER_WORK), data=st.data())
def test_grades_do_not_depend_on_review_order(reviews: list[tuple], policy: str,
                                              data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(reviews))
    assert grade_all(shuffled, policy=policy, max_score=100) == grade_all(
        reviews, policy=policy, max_score=100)
