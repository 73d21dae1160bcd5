"""Grading policies, rounding for the gradebook, and grading a whole cohort."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import (
    DEFAULT_POLICY,
    POLICIES,
    PolicyResult,
    apply_policy,
    grade_all,
    round_half_up,
)


def test_policy_menu() -> None:
    assert list(POLICIES) == ["mean", "median", "drop_min", "drop_discordant", "reliability"]
    assert DEFAULT_POLICY == "drop_discordant"
    # One plain sentence each: staff see it in Studio, learners under their grade.
    assert all(isinstance(text, str) and text and "\n" not in text for text in POLICIES.values())


# --------------------------------------------------------------------------- mean


def test_mean_counts_everything() -> None:
    result = apply_policy("mean", [10, 20, 0, 30, 40])
    assert result == PolicyResult(points=20.0, counted=(0, 1, 2, 3, 4), dropped=())


def test_mean_is_exact_and_unrounded() -> None:
    assert apply_policy("mean", [0.1, 0.2]).points == 0.15
    assert apply_policy("mean", [1, 2, 2]).points == pytest.approx(5 / 3)


# --------------------------------------------------------------------------- median


def said(result) -> tuple:
    """The dropped scores with their reasons in words (English: no language is active)."""
    return tuple((index, str(reason)) for index, reason in result.dropped)


def test_median_odd_count_takes_the_middle_score() -> None:
    result = apply_policy("median", [90, 10, 50])
    assert result.points == 50.0
    assert result.counted == (2,)
    assert said(result) == ((0, "above the middle score"), (1, "below the middle score"))


def test_median_even_count_averages_the_two_middle_scores() -> None:
    result = apply_policy("median", [10, 40, 100, 60])
    assert result.points == 50.0
    assert result.counted == (1, 3)
    assert [index for index, _ in result.dropped] == [0, 2]


def test_median_is_exact() -> None:
    assert apply_policy("median", [0.1, 0.2]).points == 0.15
    assert apply_policy("median", [0.1, 0.2, 0.7, 0.3]).points == 0.25


def test_median_ties_count_the_first_of_equal_scores() -> None:
    result = apply_policy("median", [7, 3, 7, 9, 7])
    assert result.points == 7.0
    assert result.counted == (2,)
    assert said(result) == ((0, "same as the middle score"), (1, "below the middle score"),
                              (3, "above the middle score"), (4, "same as the middle score"))


@pytest.mark.parametrize("scores", [[5], [5, 5], [5, 5, 5], [5, 5, 5, 5, 5]])
def test_median_all_equal_and_few_scores(scores: list[float]) -> None:
    assert apply_policy("median", scores).points == 5.0


def test_median_ignores_one_wild_score() -> None:
    assert apply_policy("median", [70, 72, 100, 68]).points == 71.0


# --------------------------------------------------------------------------- reliability


@pytest.mark.parametrize("scores", [[80], [40, 90], [10, 20, 90], [60, 61, 62, 100], [3, 3, 3]])
def test_reliability_for_one_work_alone_is_the_median(scores: list[float]) -> None:
    # The model needs the whole task (grade_all); one work on its own gets the median.
    assert apply_policy("reliability", scores) == apply_policy("median", scores)


# --------------------------------------------------------------------------- drop_min


def test_drop_min_with_three_scores_averages_all() -> None:
    result = apply_policy("drop_min", [1, 5, 9])
    assert result.points == 5.0 and result.counted == (0, 1, 2) and result.dropped == ()


def test_drop_min_with_four_scores_drops_the_lowest() -> None:
    result = apply_policy("drop_min", [8, 2, 6, 10])
    assert result.points == 8.0
    assert result.counted == (0, 2, 3)
    assert said(result) == ((1, "lowest of 4 scores"),)


def test_drop_min_with_five_scores() -> None:
    result = apply_policy("drop_min", [5, 6, 7, 8, 1])
    assert result.points == 6.5
    assert said(result) == ((4, "lowest of 5 scores"),)


def test_drop_min_drops_only_one_of_tied_lowest() -> None:
    result = apply_policy("drop_min", [3, 9, 3, 9])
    assert result.dropped[0][0] == 0
    assert result.counted == (1, 2, 3)
    assert result.points == 7.0


def test_drop_min_all_equal() -> None:
    result = apply_policy("drop_min", [4, 4, 4, 4])
    assert result.points == 4.0 and len(result.counted) == 3


# --------------------------------------------------------------------------- drop_discordant


def test_discordant_with_three_scores_averages_all() -> None:
    result = apply_policy("drop_discordant", [0, 10, 20])
    assert result.points == 10.0 and result.dropped == ()


def test_discordant_drops_an_outlier_high_score() -> None:
    # drop_min would drop 10; the odd one out is the 40.
    result = apply_policy("drop_discordant", [10, 12, 14, 40])
    assert result.counted == (0, 1, 2)
    assert result.points == 12.0
    index, reason = result.dropped[0]
    assert index == 3
    # Mean of the others is 12, so 40 is 28 points away.
    assert str(reason) == "farthest from the mean of the others (a distance of 28)"


def test_discordant_with_five_scores() -> None:
    result = apply_policy("drop_discordant", [20, 21, 19, 20, 5])
    assert result.dropped[0][0] == 4
    assert result.points == 20.0
    assert str(result.dropped[0][1]) == "farthest from the mean of the others (a distance of 15)"


def test_discordant_tie_drops_the_lower_score() -> None:
    # 5 and 15 are both 6.67 points from the mean of the others: the lower one goes.
    result = apply_policy("drop_discordant", [5, 10, 15, 10])
    assert result.dropped[0][0] == 0
    assert result.points == pytest.approx(35 / 3)
    result = apply_policy("drop_discordant", [15, 10, 5, 10])
    assert result.dropped[0][0] == 2


def test_discordant_tie_with_decimal_scores_is_exact() -> None:
    # 0.1 and 0.5 are equally far from the others; naive float arithmetic puts 0.5 farther.
    result = apply_policy("drop_discordant", [0.1, 0.3, 0.5, 0.3])
    assert result.dropped[0][0] == 0


def test_discordant_all_equal() -> None:
    result = apply_policy("drop_discordant", [7, 7, 7, 7])
    assert result.points == 7.0
    assert len(result.counted) == 3
    assert "(a distance of 0)" in str(result.dropped[0][1])


def test_discordant_reason_rounds_distance() -> None:
    result = apply_policy("drop_discordant", [10, 10, 10, 22.5])
    assert str(result.dropped[0][1]) == "farthest from the mean of the others (a distance of 12.5)"
    result = apply_policy("drop_discordant", [10, 10, 10, 11])
    assert str(result.dropped[0][1]) == "farthest from the mean of the others (a distance of 1)"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("policy", list(POLICIES))
def test_empty_scores_rejected(policy: str) -> None:
    with pytest.raises(ValueError):
        apply_policy(policy, [])


def test_unknown_policy_rejected() -> None:
    with pytest.raises(ValueError, match="reliability"):
        apply_policy("trimmed_mean", [1, 2])


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "3"])
def test_bad_scores_rejected(bad: object) -> None:
    with pytest.raises(ValueError):
        apply_policy("mean", [1, bad])  # type: ignore[list-item]


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(("value", "expected"), [
    (2.5, 3), (0.5, 1), (2.4999, 2), (1.5, 2), (3.5, 4), (0.49, 0), (0, 0), (7, 7),
    (99.99, 100), (12.0, 12), (-2.5, -3), (2.675, 3),
])
def test_round_half_up(value: float, expected: int) -> None:
    assert round_half_up(value) == expected
    assert type(round_half_up(value)) is int


# --------------------------------------------------------------------------- grade_all


def test_grade_all_groups_by_author_and_clips() -> None:
    reviews = [
        ("r1", "alice", 10), ("r2", "alice", 12), ("r3", "alice", 14), ("r4", "alice", 40),
        ("r1", "bob", 30), ("r2", "bob", 35),
        ("r5", "carol", -5),
    ]
    grades = grade_all(reviews, policy="drop_discordant", max_score=30)
    assert grades == {"alice": 12.0, "bob": 30.0, "carol": 0.0}
    assert grade_all(reviews, policy="mean", max_score=100)["alice"] == 19.0
    assert grade_all(reviews, policy="drop_min", max_score=100)["alice"] == 22.0
    assert grade_all(reviews, policy="median", max_score=100)["alice"] == 13.0
    # Too few reviews per reviewer for the model: every work gets its median.
    assert grade_all(reviews, policy="reliability", max_score=100) == {
        "alice": 13.0, "bob": 32.5, "carol": 0.0}


def test_grade_all_empty_and_unknown_policy() -> None:
    assert grade_all([], policy="mean", max_score=10) == {}
    with pytest.raises(ValueError):
        grade_all([], policy="best", max_score=10)


# --------------------------------------------------------------------------- properties

# Scores as reviews produce them: non-negative, two decimals.
two_decimals = st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 2))
score_lists = st.lists(two_decimals, min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(scores=score_lists, policy=st.sampled_from(list(POLICIES)))
def test_result_between_min_and_max(scores: list[float], policy: str) -> None:
    result = apply_policy(policy, scores)
    assert min(scores) <= result.points <= max(scores)
    assert len(result.counted) + len(result.dropped) == len(scores)
    assert sorted([*result.counted, *(i for i, _ in result.dropped)]) == list(range(len(scores)))
    if policy in ("median", "reliability"):
        assert len(result.counted) == (1 if len(scores) % 2 else 2)
    else:
        assert len(result.dropped) == (0 if policy == "mean" or len(scores) < 4 else 1)


@settings(max_examples=300, deadline=None)
@given(scores=score_lists, policy=st.sampled_from(list(POLICIES)), data=st.data())
def test_points_do_not_depend_on_order(scores: list[float], policy: str,
                                       data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(scores))
    assert apply_policy(policy, shuffled).points == apply_policy(policy, scores).points
