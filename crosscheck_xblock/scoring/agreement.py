"""How far self-checks and reviews agree (A1, A2): per work, the spread between the author's
self-check and each reviewer's score; "ideal" when every one is within 10 % of the maximum.

Staff sort works by the largest spread to pick the ones to re-check (A4). Pure code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["IDEAL_WITHIN", "Agreement", "agreement", "agreement_all"]

IDEAL_WITHIN = 0.10
# Floats: a spread within this share of the limit counts as "within" (10 of 100 is ideal).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Agreement:
    """Agreement on one work.

    spreads: per reviewer score (in order), its distance to the self-check; empty without one.
    largest: the largest of those, or without a self-check the range of the reviewers' scores.
    reviewer_range: highest minus lowest reviewer score (0 with one score).
    ideal: every spread within IDEAL_WITHIN of the maximum (without a self-check: the reviewers'
        range within it); False for a work without scores.
    """

    spreads: tuple[float, ...]
    largest: float
    reviewer_range: float
    ideal: bool


def agreement(scores: Sequence[float], *, max_score: float, self_check: float | None = None,
              within: float = IDEAL_WITHIN) -> Agreement:
    """Agreement between a work's self-check and the scores it received."""
    if not scores:
        return Agreement((), 0.0, 0.0, False)
    spread = float(max(scores) - min(scores))
    spreads = () if self_check is None else tuple(abs(float(s) - self_check) for s in scores)
    largest = max(spreads) if spreads else spread
    return Agreement(spreads=spreads, largest=largest, reviewer_range=spread,
                     ideal=largest <= within * max_score * (1 + _TOLERANCE))


def agreement_all(reviews: Iterable[tuple[Hashable, Hashable, float]],
                  self_checks: Mapping[Hashable, float], *, max_score: float,
                  within: float = IDEAL_WITHIN) -> dict[Hashable, Agreement]:
    """``agreement`` for every author in (reviewer_id, author_id, points) triples; self_checks
    maps authors to their self-check total (authors without one are left out of it)."""
    received: dict = defaultdict(list)
    for _reviewer, author, points in reviews:
        received[author].append(points)
    return {author: agreement(scores, max_score=max_score, self_check=self_checks.get(author),
                              within=within)
            for author, scores in received.items()}
