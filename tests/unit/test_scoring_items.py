"""Per-criterion grading: each checklist item aggregated across reviews, then totalled."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.scoring import apply_policy
from crosscheck_xblock.scoring.items import grade_all_by_item, grade_by_item

POLICIES = ["mean", "median", "drop_min", "drop_discordant", "reliability"]


def test_median_per_item_then_total() -> None:
    reviews = [{"layout": 10, "js": 5, "late": 0},
               {"layout": 10, "js": 0, "late": -10},
               {"layout": 2, "js": 5, "late": 0}]
    # Per item: layout 10, js 5, penalty 0 (two of three saw no late commits) -> 15.
    result = grade_by_item(reviews, policy="median", max_score=20)
    assert result.points == 15.0
    assert result.items["layout"].points == 10.0
    assert result.items["late"].points == 0.0
    # Per review totals are 15, 0, 7: their median would be 7.
    assert apply_policy("median", [15, 0, 7]).points == 7.0


def test_total_is_floored_and_capped() -> None:
    assert grade_by_item([{"a": 5, "p": -20}, {"a": 5, "p": -20}], policy="mean",
                         max_score=10).points == 0.0
    assert grade_by_item([{"a": 30, "b": 20}], policy="mean", max_score=40).points == 40.0


def test_exact_sum_of_items() -> None:
    # 0.1 + 0.2 per item, summed exactly: 0.3, not 0.30000000000000004.
    assert grade_by_item([{"a": 0.1, "b": 0.2}], policy="mean", max_score=1).points == 0.3
    assert grade_all_by_item([("r", "x", {"a": 0.1, "b": 0.2})], policy="mean",
                             max_score=1) == {"x": 0.3}


def test_reliability_per_item_is_the_median() -> None:
    reviews = [{"a": 1, "b": 9}, {"a": 5, "b": 3}, {"a": 9, "b": 4}]
    assert grade_by_item(reviews, policy="reliability", max_score=100) == grade_by_item(
        reviews, policy="median", max_score=100)


def test_differing_items_rejected() -> None:
    with pytest.raises(ValueError):
        grade_by_item([{"a": 1}, {"b": 1}], policy="mean", max_score=10)
    with pytest.raises(ValueError):
        grade_all_by_item([("r1", "x", {"a": 1}), ("r2", "x", {"b": 1})], policy="mean",
                          max_score=10)
    with pytest.raises(ValueError):
        grade_by_item([], policy="mean", max_score=10)
    with pytest.raises(ValueError):
        grade_by_item([{"a": 1}], policy="best", max_score=10)


item_points = st.integers(min_value=-100, max_value=1000).map(lambda x: x / 100)


@st.composite
def item_tasks(draw: st.DrawFn) -> list[tuple]:
    reviews = []
    for author in range(draw(st.integers(1, 6))):
        items = [f"i{j}" for j in range(draw(st.integers(1, 5)))]
        for r in range(draw(st.integers(1, 6))):
            reviews.append((f"r{r}", f"a{author}", {i: draw(item_points) for i in items}))
    return reviews


@settings(max_examples=150, deadline=None)
@given(reviews=item_tasks(), policy=st.sampled_from(POLICIES))
def test_cohort_version_equals_one_work_at_a_time(reviews: list[tuple], policy: str) -> None:
    by_author: dict = {}
    for _r, author, items in reviews:
        by_author.setdefault(author, []).append(items)
    expected = {a: grade_by_item(items, policy=policy, max_score=20).points
                for a, items in by_author.items()}
    grades = grade_all_by_item(reviews, policy=policy, max_score=20)
    assert grades == expected
    assert all(0 <= g <= 20 for g in grades.values())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 2.5, 5.0, 7.5, 10.0]), min_size=3, max_size=3),
                min_size=1, max_size=6),
       st.sampled_from(POLICIES))
def test_a_shared_cache_gives_the_same_grades(rows, policy) -> None:
    """grade_by_item(cache=…) reuses results of item scores seen before in the task: the same
    numbers and reasons as without it, work after work."""
    cache: dict = {}
    for shift in range(3):  # several works sharing one cache
        reviews = [{"a": r[(0 + shift) % 3], "b": r[(1 + shift) % 3], "p": -r[2]} for r in rows]
        assert grade_by_item(reviews, policy=policy, max_score=20, cache=cache) == \
            grade_by_item(reviews, policy=policy, max_score=20)
