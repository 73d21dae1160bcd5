"""Grading policies for one work: how the scores a work received become its grade.

Pure domain code (standard library only). Arithmetic is exact (scores are read as the decimals
people see, so 0.1 is 1/10) and only the final float is inexact.

These are the *per-work* rules. The ``reliability`` policy needs every review of the task at once
(it estimates each reviewer's habits from all their reviews), so it lives in ``model.py`` and is
reached through ``grade_all``/``explain_all`` (``cohort.py``); asked about one work alone, it falls
back to the median.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from crosscheck_xblock.i18n import N_, Text

__all__ = [
    "DEFAULT_POLICY",
    "DROP_FROM",
    "POLICIES",
    "PolicyResult",
    "apply_policy",
    "exact",
    "round_half_up",
    "unknown_policy",
]

# Plain explanations shown to staff next to the choice and to learners under their grade; the
# order is the order of the menu.
# English msgids: translate them where they are shown (gettext(POLICIES[name]), Text(...)).
POLICIES: dict[str, str] = {
    "mean": N_("The grade is the average of all the scores the work received."),
    "median": N_("The grade is the middle score (with an even number of scores, the average of "
                 "the two middle ones), so one very high or very low score changes little."),
    "drop_min": N_("With 4 or more scores, the lowest score is left out and the rest are averaged."),
    "drop_discordant": N_("With 4 or more scores, the score that agrees least with the others "
                          "is left out and the rest are averaged."),
    "reliability": N_("Each reviewer's habit of scoring above or below the others is measured over "
                      "all their reviews in this task and taken out, and reviewers who agree with "
                      "the others more count more; with too few reviews, the middle score is used."),
}
# What the course team asked for (A6); see the README for when another policy is the better choice.
DEFAULT_POLICY = "drop_discordant"
# Dropping a score only makes sense when enough remain to average.
DROP_FROM = 4


@dataclass(frozen=True)
class PolicyResult:
    """Outcome of a policy: exact points, which scores counted, which were dropped and why."""

    points: float
    counted: tuple[int, ...]
    dropped: tuple[tuple[int, Text], ...] = ()  # (score index, why it was dropped)


def unknown_policy(policy: str) -> str:
    """The error sentence for a policy name that is not in POLICIES."""
    return f"Unknown grading policy {policy!r}; expected one of {', '.join(POLICIES)}."  # i18n: code (ValueError)


def exact(value: float) -> Fraction:
    """Exact value of a score as people read it (repr of a float), so 0.1 means 1/10.

    Raises ValueError for a bool, a non-number or a non-finite float.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ValueError(f"A score must be a number, not {value!r}.")
    # A task's 40,000 scores take a few hundred values: parsing each repr again was a good part
    # of grading it (issue 15). Equal numbers have equal exact values (1, 1.0 and Fraction(1)
    # alike), and a Fraction never changes, so one per value serves them all.
    found = _EXACT.get(value)
    if found is not None:
        return found
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"A score must be a finite number, not {value!r}.")
        found = Fraction(repr(value))
    else:
        found = Fraction(value)
    if len(_EXACT) < _EXACT_LIMIT:
        _EXACT[value] = found
    return found


_EXACT: dict = {}
_EXACT_LIMIT = 100_000  # bounded: a long-lived worker grades many tasks


def _mean(values: Iterable[Fraction]) -> Fraction:
    values = list(values)
    return sum(values, Fraction(0)) / len(values)


def _average(scores: list[Fraction], dropped: tuple[tuple[int, Text], ...]) -> PolicyResult:
    gone = {index for index, _ in dropped}
    counted = tuple(i for i in range(len(scores)) if i not in gone)
    return PolicyResult(points=float(_mean(scores[i] for i in counted)), counted=counted,
                        dropped=dropped)


def _median(scores: list[Fraction]) -> PolicyResult:
    n = len(scores)
    # Sorted by value, then position, so equal scores are told apart deterministically.
    order = sorted(range(n), key=lambda i: (scores[i], i))
    middle = order[(n - 1) // 2:n // 2 + 1]
    value = _mean(scores[i] for i in middle)
    dropped = tuple(
        (i, Text(N_("same as the middle score")) if scores[i] == value
         else Text(N_("below the middle score")) if scores[i] < value else Text(N_("above the middle score")))
        for i in range(n) if i not in middle)
    return PolicyResult(points=float(value), counted=tuple(sorted(middle)), dropped=dropped)


def apply_policy(policy: str, scores: Sequence[float]) -> PolicyResult:
    """Apply a grading policy to the scores one work received (in the order given).

    mean: the average of all scores. median: the middle score, or the average of the two middle
    ones (the others are reported as dropped, "below/above the middle score"). drop_min: with 4 or
    more scores, drop the lowest (one only, the first if tied). drop_discordant: with 4 or more
    scores, drop the one farthest from the mean of the others (a tie drops the lower score, then
    the first), then average the rest. reliability: needs the whole task (see ``grade_all``);
    for one work on its own it is the median.
    Raises ValueError for an unknown policy, no scores, or a score that is not a finite number.
    """
    if policy not in POLICIES:
        raise ValueError(unknown_policy(policy))
    if not scores:
        raise ValueError("No scores to grade.")
    values = [exact(s) for s in scores]
    n = len(values)
    if policy in ("median", "reliability"):
        return _median(values)
    if policy == "mean" or n < DROP_FROM:
        return _average(values, ())

    if policy == "drop_min":
        lowest = min(range(n), key=lambda i: (values[i], i))
        return _average(values, ((lowest, Text(N_("lowest of %(count)s scores"), {"count": n})),))

    total = sum(values, Fraction(0))
    distance = [abs(values[i] - (total - values[i]) / (n - 1)) for i in range(n)]
    # Farthest first; among equally far, the lower score; then the earlier one, for determinism.
    worst = min(range(n), key=lambda i: (-distance[i], values[i], i))
    reason = Text(N_("farthest from the mean of the others (a distance of %(distance)s)"),
                  {"distance": float(distance[worst])})
    return _average(values, ((worst, reason),))


def round_half_up(x: float) -> int:
    """Round to a whole number, halves away from zero: 2.5 -> 3, 0.5 -> 1, 2.4999 -> 2.

    Uses the repr of x, so a float that prints as 2.5 is treated as exactly 2.5 (the gradebook
    gets whole points; the exact value is kept for analytics).
    """
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"Cannot round {x!r}.")
    source = repr(x) if isinstance(x, float) else x
    return int(Decimal(source).quantize(Decimal(1), rounding=ROUND_HALF_UP))
