"""Who gets warned: the proposal's fixed-threshold rule (A3) and a rule built on evidence (A5).

- ``outlier_check``: a score more than a threshold (15 % of the maximum by default; the proposal
  says 15-20 %) away from the median of the work's other scores is left out of the grade and its
  reviewer warned; the author is warned when their self-check is that far from the median of the
  reviews. Simple and immediate, but 15 % is about as large as ordinary honest disagreement, so it
  warns many honest reviewers (bench/bench_scoring.py measures how many).
- ``evidence_flags``: a reviewer is flagged only when the joint model (model.py), looking at all
  their reviews in the task, finds a bias or a scatter beyond a limit, with enough reviews to say
  so.

Pure code: standard library and numpy.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from statistics import median

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.i18n import EMPTY, N_, Text, plural_text
from crosscheck_xblock.scoring import model

from .policies import exact

__all__ = ["DEFAULT_THRESHOLD", "EvidenceFinding", "EvidenceLimits", "MIN_SCORES", "OutlierCheck",
           "evidence_findings", "evidence_flags", "flag_reviewers", "outlier_check",
           "outlier_check_all"]

DEFAULT_THRESHOLD = 0.15
# "Away from the others" needs others that can outvote a score: with 2 scores nobody can tell
# which one is off, so the rule starts at 3.
MIN_SCORES = 3
# The vectorised rule works in floats; a distance within this share of the maximum of the
# threshold counts as "not more than" it, like the exact rule (a score exactly 15 away stays).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class OutlierCheck:
    """The fixed-threshold rule on one work.

    excluded: indexes of scores left out of the grade (their reviewers are warned).
    needs_staff: every score was far from the others, so none was left out (nobody can tell who
        is right) and every reviewer is warned: a case for staff (A4).
    warned: indexes of the reviewers to warn. author_warned: the self-check was too far off.
    points: the mean of the scores kept (None when there were no scores).
    """

    excluded: tuple[int, ...]
    warned: tuple[int, ...]
    needs_staff: bool
    author_warned: bool
    points: float | None


def _check_threshold(threshold: float) -> None:
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a share of the maximum in (0, 1], not {threshold!r}.")


def outlier_check(scores: Sequence[float], *, max_score: float,
                  threshold: float = DEFAULT_THRESHOLD,
                  self_check: float | None = None) -> OutlierCheck:
    """Apply the proposal's rule to the scores one work received (exact arithmetic).

    A score is far when it is more than threshold * max_score away from the median of the other
    scores of the work; far scores are left out and their reviewers warned, but only with at least
    MIN_SCORES scores, and not when every score is far (then all are warned, none left out). The
    author is warned when self_check is more than threshold * max_score from the median of the
    scores.
    """
    _check_threshold(threshold)
    values = [exact(s) for s in scores]
    limit = exact(threshold) * exact(max_score)
    author_warned = (self_check is not None and bool(values)
                     and abs(exact(self_check) - median(values)) > limit)
    if not values:
        return OutlierCheck((), (), False, author_warned, None)
    far: tuple[int, ...] = ()
    if len(values) >= MIN_SCORES:
        far = tuple(i for i, v in enumerate(values)
                    if abs(v - median(values[:i] + values[i + 1:])) > limit)
    needs_staff = len(far) == len(values)
    kept = values if needs_staff else [v for i, v in enumerate(values) if i not in far]
    points = float(sum(kept, Fraction(0)) / len(kept))
    return OutlierCheck(excluded=() if needs_staff else far, warned=far, needs_staff=needs_staff,
                        author_warned=author_warned, points=points)


@dataclass(frozen=True)
class CohortOutliers:
    """``outlier_check`` over a whole task (arrays by review or by work).

    far: per review, more than the threshold from the median of the work's other scores (the
    reviewer is warned). excluded: per review, left out of the grade. needs_staff, author_warned,
    points: per work (points NaN without reviews, author_warned False without a self-check).
    """

    far: np.ndarray
    excluded: np.ndarray
    needs_staff: np.ndarray
    author_warned: np.ndarray
    points: np.ndarray


def outlier_check_all(work: np.ndarray, points: np.ndarray, *, n_works: int, max_score: float,
                      threshold: float = DEFAULT_THRESHOLD,
                      self_check: np.ndarray | None = None) -> CohortOutliers:
    """The same rule for every work at once (floats; vectorised per number of scores).

    ``work`` and ``points`` are parallel arrays (one entry per review); ``self_check`` has one
    entry per work, NaN where there is none.
    """
    _check_threshold(threshold)
    work = np.asarray(work, dtype=np.intp)
    points = np.asarray(points, dtype=float)
    limit = threshold * max_score * (1 + _TOLERANCE)
    counts = np.bincount(work, minlength=n_works)
    order = np.argsort(work, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    far = np.zeros(len(points), dtype=bool)
    middle = np.full(n_works, np.nan)
    for c in np.unique(counts[counts > 0]).tolist():
        works = np.flatnonzero(counts == c)
        index = order[starts[works][:, None] + np.arange(c)]
        x = points[index]
        middle[works] = np.median(x, axis=1)
        if c < MIN_SCORES:
            continue
        # Loop over the c positions (at most 10), never over works.
        for j in range(c):
            others = np.median(np.delete(x, j, axis=1), axis=1)
            far[index[:, j]] = np.abs(x[:, j] - others) > limit
    far_count = np.bincount(work, far, n_works)
    needs_staff = (counts > 0) & (far_count == counts)
    excluded = far & ~needs_staff[work]
    kept = ~excluded
    kept_count = np.bincount(work, kept, n_works)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_kept = np.bincount(work, points * kept, n_works) / kept_count
    author_warned = np.zeros(n_works, dtype=bool)
    if self_check is not None:
        self_check = np.asarray(self_check, dtype=float)
        with np.errstate(invalid="ignore"):
            author_warned = np.abs(self_check - middle) > limit
    return CohortOutliers(far=far, excluded=excluded, needs_staff=needs_staff,
                          author_warned=author_warned, points=mean_kept)


@dataclass(frozen=True)
class EvidenceLimits:
    """When the evidence rule flags a reviewer (shares of the maximum score).

    bias: the estimated bias beyond this, and beyond ``sure`` posterior SDs from 0.
    noise: the estimated scatter beyond this. min_reviews: no flag on fewer reviews.
    In the simulation the defaults flag 1-5 % of honest reviewers (most of them really biased
    by more than 15 points) and about half of the careless ones (nearly all who give everyone
    full marks or are 25 points too harsh; none of the "lazy" ones who give everybody about
    the class mean: they look like a cautious honest reviewer).
    """

    bias: float = 0.15
    noise: float = 0.18
    min_reviews: int = 3
    sure: float = 2.0


def _flagged(fit: model.ModelFit, max_score: float,
             limits: EvidenceLimits) -> tuple[np.ndarray, np.ndarray]:
    """Per reviewer: (biased, noisy) under the limits, only with enough reviews to say so."""
    enough = fit.assessed & (fit.reviews_counted >= limits.min_reviews)
    biased = (enough & (np.abs(fit.bias) > limits.bias * max_score)
              & (np.abs(fit.bias) > limits.sure * fit.bias_sd))
    noisy = enough & (fit.noise_sd > limits.noise * max_score)
    return biased, noisy


def evidence_flags(fit: model.ModelFit, *, max_score: float,
                   limits: EvidenceLimits = EvidenceLimits()) -> list[Text]:
    """Per reviewer (index as in the fit), why they are flagged (an empty Text when not)."""
    biased, noisy = _flagged(fit, max_score, limits)
    reasons = []
    # Python lists, read once: numpy's element access in this loop was most of its time.
    bias, noise, counted = fit.bias.tolist(), fit.noise_sd.tolist(), fit.reviews_counted.tolist()
    for v, (b, n) in enumerate(zip(biased.tolist(), noisy.tolist())):
        if not (b or n):
            reasons.append(EMPTY)
            continue
        values = {"bias": round(abs(bias[v]), 1), "noise": round(noise[v], 1)}
        above = bias[v] > 0
        if b:
            habit = (Text(N_("scores %(bias)s points above the other reviewers on average"), values) if above
                     else Text(N_("scores %(bias)s points below the other reviewers on average"), values))
        if b and n:
            habit = Text(N_("%(bias_habit)s and scores scatter by %(noise)s points around the others"),
                         {**values, "bias_habit": habit})
        elif n:
            habit = Text(N_("scores scatter by %(noise)s points around the others"), values)
        reasons.append(plural_text("%(habit)s over %(n)s review", "%(habit)s over %(n)s reviews",
                                   int(counted[v]), {"habit": habit}))
    return reasons


@dataclass(frozen=True)
class EvidenceFinding:
    """Why the evidence rule flags one reviewer, in numbers (points of the task).

    bias: how far above (positive) or below (negative) the other reviewers of the same works
    their scores run on average; noise: how far their scores scatter once that habit is taken
    out; reviews: the reviews this rests on; biased / noisy: which limit was passed; reason:
    the same in words (as ``evidence_flags``).
    """

    bias: float
    noise: float
    reviews: int
    biased: bool
    noisy: bool
    reason: Text


def evidence_findings(reviews: Iterable[tuple[Hashable, Hashable, float]], *, max_score: float,
                      limits: EvidenceLimits = EvidenceLimits()) -> dict[Hashable, EvidenceFinding]:
    """The evidence rule on (reviewer_id, author_id, points) triples, with its numbers:
    {reviewer_id: EvidenceFinding} for the flagged reviewers only."""
    reviewers: dict = {}
    authors: dict = {}
    rows = [(reviewers.setdefault(r, len(reviewers)), authors.setdefault(a, len(authors)), p)
            for r, a, p in reviews]
    if not rows:
        return {}
    r, a, p = (np.asarray(col) for col in zip(*rows))
    fit = model.fit_reviews(r, a, p.astype(float), n_reviewers=len(reviewers),
                            n_works=len(authors), max_score=max_score)
    biased, noisy = _flagged(fit, max_score, limits)
    reasons = evidence_flags(fit, max_score=max_score, limits=limits)
    names = list(reviewers)
    flagged = [v for v in range(len(names)) if reasons[v]]
    return {names[v]: EvidenceFinding(bias=float(fit.bias[v]), noise=float(fit.noise_sd[v]),
                                      reviews=int(fit.reviews_counted[v]),
                                      biased=bool(biased[v]), noisy=bool(noisy[v]),
                                      reason=reasons[v])
            for v in flagged}


def flag_reviewers(reviews: Iterable[tuple[Hashable, Hashable, float]], *, max_score: float,
                   limits: EvidenceLimits = EvidenceLimits()) -> dict[Hashable, Text]:
    """The evidence rule on (reviewer_id, author_id, points) triples: {reviewer_id: reason} for
    the flagged reviewers only."""
    return {reviewer: finding.reason for reviewer, finding in
            evidence_findings(reviews, max_score=max_score, limits=limits).items()}
