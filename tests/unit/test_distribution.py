"""Reviewer assignment: shape, fairness, connectivity and determinism."""

from collections import Counter, deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck_xblock.distribution import assign_reviewers, reviews_per_work, shortfall_message

sizes = st.integers(min_value=0, max_value=60)
ks = st.integers(min_value=1, max_value=10)
seeds = st.one_of(st.integers(min_value=0, max_value=2**64), st.text(max_size=10))


def authors_of(n: int) -> list[str]:
    return [f"learner-{i}" for i in range(n)]


def is_connected(assignment: dict, authors: list) -> bool:
    neighbours: dict = {a: set() for a in authors}
    for reviewer, works in assignment.items():
        for author in works:
            neighbours[reviewer].add(author)
            neighbours[author].add(reviewer)
    seen = {authors[0]}
    queue = deque(seen)
    while queue:
        for other in neighbours[queue.popleft()] - seen:
            seen.add(other)
            queue.append(other)
    return len(seen) == len(authors)


@settings(max_examples=300, deadline=None)
@given(n=sizes, k=ks, seed=seeds)
def test_assignment_properties(n: int, k: int, seed: int | str) -> None:
    authors = authors_of(n)
    result = assign_reviewers(authors, k=k, seed=seed)
    if n < 2:
        assert result == {}
        return
    m = min(k, n - 1)
    assert m == reviews_per_work(n, k)
    # Every author reviews, and only the given authors appear.
    assert set(result) == set(authors)
    received = Counter(a for works in result.values() for a in works)
    assert set(received) <= set(authors)
    for reviewer, works in result.items():
        assert reviewer not in works
        assert len(works) == len(set(works)) == m
    assert all(received[a] == m for a in authors)
    if n >= 2 * k + 1:
        assert m == k
        pairs = {(r, a) for r, works in result.items() for a in works}
        assert not any((a, r) in pairs for r, a in pairs), "mutual review pair"
    assert is_connected(result, authors)


@settings(max_examples=100, deadline=None)
@given(n=sizes, k=ks, seed=seeds, data=st.data())
def test_same_seed_and_set_give_the_same_result(n: int, k: int, seed: int | str,
                                                 data: st.DataObject) -> None:
    authors = authors_of(n)
    shuffled = data.draw(st.permutations(authors))
    assert assign_reviewers(authors, k, seed) == assign_reviewers(shuffled, k, seed)


def test_different_seeds_give_different_results() -> None:
    authors = list(range(50))
    assert assign_reviewers(authors, 4, 1) != assign_reviewers(authors, 4, 2)


def test_reviewer_lists_are_not_always_in_ring_order() -> None:
    # Unshuffled, each list would start at the same ring offset, so every author would be
    # "work 1" for exactly one reviewer. Shuffled, some authors are first for several reviewers.
    authors = list(range(200))
    result = assign_reviewers(authors, 4, seed="course-1")
    firsts = Counter(works[0] for works in result.values())
    assert max(firsts.values()) > 1
    assert len(firsts) < len(authors)


def test_unorderable_authors_are_deterministic() -> None:
    authors = [1, "1", (1,), 2.5, "b"]
    assert assign_reviewers(authors, 2, 7) == assign_reviewers(list(reversed(authors)), 2, 7)


@pytest.mark.parametrize("k", [0, 11, -1, 2.0, True, "4"])
def test_bad_k(k: object) -> None:
    with pytest.raises(ValueError):
        assign_reviewers(authors_of(20), k=k)  # type: ignore[arg-type]


def test_duplicate_authors() -> None:
    with pytest.raises(ValueError):
        assign_reviewers(["a", "b", "a"], k=1)


def test_large_cohort_has_the_right_shape() -> None:
    n = 100_000
    result = assign_reviewers(range(n), k=4, seed=2024)
    assert len(result) == n
    assert all(len(works) == 4 for works in result.values())
    received = Counter(a for works in result.values() for a in works)
    assert len(received) == n and set(received.values()) == {4}
    assert all(r not in works for r, works in result.items())


def test_reviews_per_work() -> None:
    assert [reviews_per_work(n, 4) for n in range(7)] == [0, 0, 1, 2, 3, 4, 4]
    assert reviews_per_work(100, 4) == 4


def said(n: int, k: int) -> str | None:
    """The shortfall sentence in English (no language is active), None when there is none."""
    text = shortfall_message(n, k)
    return None if text is None else str(text)


def test_said() -> None:
    assert said(3, 4) == ("Only 3 works were submitted, so each work gets 2 reviewers "
                                       "instead of 4, and some learners review each other.")
    assert said(2, 4) == ("Only 2 works were submitted, so each work gets 1 reviewer "
                                       "instead of 4, and some learners review each other.")
    expected_none = "Fewer than 2 works were submitted: nothing can be distributed yet."
    assert said(0, 4) == said(1, 4) == expected_none
    assert "review each other; each work still gets 4 reviewers" in said(5, 4)
    assert "at least 9 are needed" in said(8, 4)
    assert said(9, 4) is None
    assert said(3, 1) is None
    assert "review each other" in said(2, 1)
