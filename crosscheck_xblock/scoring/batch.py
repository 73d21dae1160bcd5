"""The per-work policies for a whole cohort at once: vectorised, and still exact.

Grading 10,000 works one by one with exact fractions takes seconds; this module gives the same
numbers, bit for bit, in milliseconds. Scores are scaled to integers by the common denominator of
their decimals (review totals have at most two decimals), works are grouped by how many scores
they received, and each group is an (m, c) integer matrix the policy works on row by row. Every
result is an exact rational numerator / denominator, divided once at the end, so the float is the
correctly rounded value of the exact grade, just as ``apply_policy`` gives it. Scores whose
decimals have no small common denominator go through ``apply_policy`` instead.

Pure code: standard library and numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .policies import DROP_FROM, apply_policy, exact

__all__ = ["BATCH_POLICIES", "Groups", "exact_points", "group_reviews", "policy_points",
           "scale_to_integers"]

BATCH_POLICIES = ("mean", "median", "drop_min", "drop_discordant")
# Integer matrices stay well inside int64: every intermediate is below this bound.
_INT_LIMIT = 2 ** 62
# Above this common denominator the integer path is not worth it (and could overflow).
_MAX_DENOMINATOR = 10 ** 9
# Decimals tried by the fast path of scale_to_integers, and the magnitude it accepts (far below
# the 2**53 where neighbouring floats are more than one unit apart).
_FAST_DIGITS = 4
_FAST_LIMIT = 2 ** 40


@dataclass(frozen=True)
class Groups:
    """Reviews grouped by work.

    ``counts[u]`` is the number of scores work u received; ``blocks`` holds, for every distinct
    count c > 0, the works with c scores and an (m, c) matrix of indexes into the review arrays,
    each row in input order (tie rules such as "the first one" refer to it).
    """

    n_works: int
    counts: np.ndarray
    blocks: tuple[tuple[int, np.ndarray, np.ndarray], ...]


def group_reviews(work: np.ndarray, n_works: int) -> Groups:
    """Group review indexes by their work index (0 <= work < n_works), keeping input order."""
    work = np.asarray(work, dtype=np.intp)
    counts = np.bincount(work, minlength=n_works)
    order = np.argsort(work, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    blocks = []
    # One block per distinct count: a handful of loop turns, whatever the number of works.
    for c in np.unique(counts[counts > 0]).tolist():
        works = np.flatnonzero(counts == c)
        index = order[starts[works][:, None] + np.arange(c)]
        blocks.append((c, works, index))
    return Groups(n_works=n_works, counts=counts, blocks=tuple(blocks))


def scale_to_integers(points: np.ndarray) -> tuple[np.ndarray, int] | None:
    """(integers, L) with points == integers / L exactly (decimals as people read them), or None
    when the common denominator L is too large for the integer path."""
    points = np.asarray(points, dtype=float)
    if points.size == 0:
        return np.zeros(0, dtype=np.int64), 1
    if not np.all(np.isfinite(points)):
        raise ValueError("A score must be a finite number.")
    # Fast path: scores with at most a few decimals (review totals have two). m / 10^d == x with
    # m whole and small means x is the float nearest to m / 10^d, so m / 10^d is the decimal
    # people read (what exact() finds from the repr), without building a Fraction per value.
    for digits in range(_FAST_DIGITS + 1):
        scale = 10 ** digits
        whole = np.round(points * scale)
        if np.all(np.abs(whole) < _FAST_LIMIT) and np.array_equal(whole / scale, points):
            return whole.astype(np.int64), scale
    values, inverse = np.unique(points, return_inverse=True)
    fractions = [exact(v) for v in values.tolist()]
    scale = math.lcm(*(f.denominator for f in fractions))
    if scale > _MAX_DENOMINATOR:
        return None
    ints = [int(f * scale) for f in fractions]
    if max(abs(i) for i in ints) >= _INT_LIMIT:
        return None
    return np.asarray(ints, dtype=np.int64)[inverse.reshape(-1)], scale


def _block_numerators(policy: str, x: np.ndarray, c: int, common: int) -> np.ndarray:
    """Numerators over ``common`` (a multiple of every denominator used here) of the policy's
    result for each row of the integer matrix x with c columns."""
    total = x.sum(axis=1)
    if policy == "median":
        ordered = np.sort(x, axis=1)
        middle = ordered[:, (c - 1) // 2] + ordered[:, c // 2]
        return middle * (common // 2)
    if policy == "mean" or c < DROP_FROM:
        return total * (common // c)
    if policy == "drop_min":
        dropped = x.min(axis=1)
    else:
        # (c - 1) times the distance to the mean of the others, exact in integers.
        distance = np.abs(c * x - total[:, None])
        farthest = distance == distance.max(axis=1, keepdims=True)
        # Among the farthest the lower score; np.argmax then takes the first of equal ones.
        lowest = np.where(farthest, x, np.iinfo(np.int64).max).min(axis=1, keepdims=True)
        pick = np.argmax(farthest & (x == lowest), axis=1)
        dropped = x[np.arange(len(x)), pick]
    return (total - dropped) * (common // (c - 1))


def exact_points(groups: Groups, points: np.ndarray, policy: str) -> tuple[np.ndarray, int] | None:
    """Every work's grade as exact int64 numerators over one common denominator D.

    Works without scores get 0. Returns None when the scores cannot take the integer path (the
    caller then uses ``apply_policy``). D is L * lcm(1..max count), so numerators of different
    works (or of different checklist items of one work) can be added exactly.
    """
    if policy not in BATCH_POLICIES:
        raise ValueError(f"Not a per-work policy: {policy!r}.")
    scaled = scale_to_integers(points)
    if scaled is None:
        return None
    ints, scale = scaled
    most = max((c for c, _, _ in groups.blocks), default=1)
    multiplier = math.lcm(*range(1, most + 1), 2)
    if multiplier * most * int(np.abs(ints).max(initial=0)) >= _INT_LIMIT:
        return None
    numerators = np.zeros(groups.n_works, dtype=np.int64)
    for c, works, index in groups.blocks:
        numerators[works] = _block_numerators(policy, ints[index], c, multiplier)
    return numerators, scale * multiplier


def policy_points(groups: Groups, points: np.ndarray, policy: str) -> np.ndarray:
    """Every work's grade under a per-work policy, as floats equal to ``apply_policy(...).points``
    (NaN for works without scores)."""
    points = np.asarray(points, dtype=float)
    result = np.full(groups.n_works, np.nan)
    found = exact_points(groups, points, policy)
    if found is not None:
        numerators, denominator = found
        has = groups.counts > 0
        # Python's int / int is correctly rounded at any size, like float(Fraction(n, d)).
        result[has] = [n / denominator for n in numerators[has].tolist()]
        return result
    for _c, works, index in groups.blocks:
        for work, row in zip(works.tolist(), index.tolist()):
            result[work] = apply_policy(policy, points[row].tolist()).points
    return result

