"""Per-criterion grading: each checklist item is aggregated across the reviews first (with a
per-work policy, e.g. the median per item as edx-ora2 and Coursera do), then the items are
totalled, penalties subtracting, floored at 0 and capped at the task's maximum.

An item where one reviewer was careless then costs or gains only that item's points, not a whole
review's. Pure code: standard library and numpy.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import batch

from .policies import POLICIES, PolicyResult, apply_policy, exact, unknown_policy

__all__ = ["ItemGrade", "grade_all_by_item", "grade_by_item"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ItemGrade:
    """A work's grade by item: the total (floored at 0, capped at the maximum) and, per item,
    the policy's result over that item's points (indexes are positions in the reviews given)."""

    points: float
    items: dict[Hashable, PolicyResult]


def _per_item_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise ValueError(unknown_policy(policy))
    # The model needs whole reviews across the task; per item it is the median (as apply_policy).
    return "median" if policy == "reliability" else policy


def _check_items(reviews: Sequence[Mapping[Hashable, float]]) -> list:
    names = list(reviews[0])
    expected = set(names)
    for review in reviews[1:]:
        if set(review) != expected:
            raise ValueError("Every review must score the same checklist items.")
    return names


def _item_result(per_item: str, scores: tuple, cache: dict | None) -> tuple[PolicyResult, Fraction]:
    """The policy over one item's scores and its exact value (the mean of the counted scores),
    memoised in ``cache`` when given: a task repeats the same few tuples of item points (every
    reviewer giving full marks, say) thousands of times, and exact arithmetic is what costs."""
    key = (per_item, scores)
    found = cache.get(key) if cache is not None else None
    if found is None:
        result = apply_policy(per_item, scores)
        values = [exact(scores[i]) for i in result.counted]
        found = (result, sum(values, Fraction(0)) / len(values))
        if cache is not None:
            cache[key] = found
    return found


def grade_by_item(reviews: Sequence[Mapping[Hashable, float]], *, policy: str,
                  max_score: float, cache: dict | None = None) -> ItemGrade:
    """Grade one work item by item. ``reviews`` holds one {item_id: points} per review (points =
    fraction x the item's max; penalties negative), all with the same items. Exact arithmetic;
    ``reliability`` is the median per item. ``cache``: a dict shared by the calls for one task,
    to reuse the results of item scores seen before (the results are the same either way).
    Raises ValueError for no reviews, differing items, an unknown policy or a score that is not
    a finite number."""
    per_item = _per_item_policy(policy)
    if not reviews:
        raise ValueError("No reviews to grade.")
    names = _check_items(reviews)
    results = {}
    # Each item's exact value from its counted scores, so the total is exact too.
    total = Fraction(0)
    for name in names:
        results[name], value = _item_result(per_item, tuple(review[name] for review in reviews),
                                            cache)
        total += value
    total = min(max(total, Fraction(0)), exact(max_score))
    return ItemGrade(points=float(total), items=results)


def grade_all_by_item(reviews: Iterable[tuple[Hashable, K, Mapping[Hashable, float]]], *,
                      policy: str, max_score: float) -> dict[K, float]:
    """``grade_by_item`` for every author in (reviewer_id, author_id, {item_id: points}) triples,
    vectorised: the same numbers, for a whole task at once."""
    per_item = _per_item_policy(policy)
    authors: dict = {}
    item_names: dict = {}
    keys, values, received = [], [], []
    for _reviewer, author, items in reviews:
        a = authors.setdefault(author, len(authors))
        received.append(a)
        for name, points in items.items():
            keys.append((a, item_names.setdefault(name, len(item_names))))
            values.append(points)
    if not authors:
        return {}
    n_items = len(item_names)
    key = np.asarray([a * n_items + i for a, i in keys], dtype=np.intp)
    points = np.asarray(values, dtype=float)
    groups = batch.group_reviews(key, len(authors) * n_items)
    per_author = np.bincount(np.asarray(received, dtype=np.intp), minlength=len(authors))
    counts = groups.counts.reshape(len(authors), n_items)
    # Authors may differ (a checklist edited between them), the reviews of one work may not.
    if np.any((counts != 0) & (counts != per_author[:, None])):
        raise ValueError("Every review of a work must score the same checklist items.")
    cap = exact(max_score)
    found = batch.exact_points(groups, points, per_item)
    if found is not None:
        numerators, denominator = found
        # Per-item numerators share one denominator, so the totals are exact integer sums.
        sums = [int(n) for n in numerators.reshape(len(authors), n_items).astype(object)
                .sum(axis=1)]
        totals = [min(max(Fraction(s, denominator), Fraction(0)), cap) for s in sums]
        return {author: float(t) for author, t in zip(authors, totals)}
    item_points = batch.policy_points(groups, points, per_item).reshape(len(authors), n_items)
    totals = np.clip(np.nansum(item_points, axis=1), 0.0, float(max_score))
    return dict(zip(authors, totals.tolist()))
