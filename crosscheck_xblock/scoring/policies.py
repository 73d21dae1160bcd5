"""Grading policies: how the scores a work received become its grade.

Pure domain code (standard library only). Arithmetic is exact (scores are read as the decimals
people see, so 0.1 is 1/10) and only the final float is inexact.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

__all__ = [
    "DEFAULT_POLICY",
    "DROP_FROM",
    "POLICIES",
    "PolicyResult",
    "apply_policy",
    "grade_all",
    "round_half_up",
]

K = TypeVar("K", bound=Hashable)

# Plain explanations shown to staff next to the choice; the order is the order of the menu.
POLICIES: dict[str, str] = {
    "mean": "The grade is the average of all the scores the work received.",
    "drop_min": "With 4 or more scores, the lowest score is left out and the rest are averaged.",
    "drop_discordant": ("With 4 or more scores, the score that agrees least with the others "
                        "is left out and the rest are averaged."),
}
DEFAULT_POLICY = "drop_discordant"
# Dropping a score only makes sense when enough remain to average.
DROP_FROM = 4


@dataclass(frozen=True)
class PolicyResult:
    """Outcome of a policy: exact points, which scores counted, which were dropped and why."""

    points: float
    counted: tuple[int, ...]
    dropped: tuple[tuple[int, str], ...] = ()


def _unknown_policy(policy: str) -> str:
    return f"Unknown grading policy {policy!r}; expected one of {', '.join(POLICIES)}."


def _exact(value: float) -> Fraction:
    """Exact value of a score as people read it (repr of a float), so 0.1 means 1/10."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ValueError(f"A score must be a number, not {value!r}.")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"A score must be a finite number, not {value!r}.")
        return Fraction(repr(value))
    return Fraction(value)


def _mean(values: Iterable[Fraction]) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


def _format_points(value: Fraction) -> str:
    """'12.5 points', '1 point', '0.33 points': at most two decimals, no trailing zeros."""
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.2f}".rstrip("0").rstrip(".")
    return f"{text} point" if text == "1" else f"{text} points"


def _average(exact: list[Fraction], dropped: tuple[tuple[int, str], ...]) -> PolicyResult:
    gone = {index for index, _ in dropped}
    counted = tuple(i for i in range(len(exact)) if i not in gone)
    return PolicyResult(points=float(_mean(exact[i] for i in counted)), counted=counted,
                        dropped=dropped)


def apply_policy(policy: str, scores: Sequence[float]) -> PolicyResult:
    """Apply a grading policy to the scores one work received (in the order given).

    mean: the average of all scores. drop_min: with 4 or more scores, drop the lowest (one only,
    the first if tied). drop_discordant: with 4 or more scores, drop the one farthest from the
    mean of the others (a tie drops the lower score, then the first), then average the rest.
    Raises ValueError for an unknown policy, no scores, or a score that is not a finite number.
    """
    if policy not in POLICIES:
        raise ValueError(_unknown_policy(policy))
    if not scores:
        raise ValueError("No scores to grade.")
    exact = [_exact(s) for s in scores]
    n = len(exact)
    if policy == "mean" or n < DROP_FROM:
        return _average(exact, ())

    if policy == "drop_min":
        lowest = min(range(n), key=lambda i: (exact[i], i))
        return _average(exact, ((lowest, f"lowest of {n} scores"),))

    total = sum(exact, Fraction(0))
    distance = [abs(exact[i] - (total - exact[i]) / (n - 1)) for i in range(n)]
    # Farthest first; among equally far, the lower score; then the earlier one, for determinism.
    worst = min(range(n), key=lambda i: (-distance[i], exact[i], i))
    reason = f"farthest from the mean of the others ({_format_points(distance[worst])} away)"
    return _average(exact, ((worst, reason),))


def round_half_up(x: float) -> int:
    """Round to a whole number, halves away from zero: 2.5 -> 3, 0.5 -> 1, 2.4999 -> 2.

    Uses the repr of x, so a float that prints as 2.5 is treated as exactly 2.5 (the gradebook
    gets whole points; the exact value is kept for analytics).
    """
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"Cannot round {x!r}.")
    source = repr(x) if isinstance(x, float) else x
    return int(Decimal(source).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def grade_all(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
              max_score: float) -> dict[K, float]:
    """Grade every author who received reviews: the policy over their points, in input order,
    clipped to [0, max_score]. ``reviews`` holds (reviewer_id, author_id, points) triples."""
    if policy not in POLICIES:
        raise ValueError(_unknown_policy(policy))
    received: dict[K, list[float]] = defaultdict(list)
    for _reviewer, author, points in reviews:
        received[author].append(points)
    return {author: min(max(apply_policy(policy, points).points, 0.0), float(max_score))
            for author, points in received.items()}
