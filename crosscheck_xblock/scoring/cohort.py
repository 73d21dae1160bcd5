"""Grading a whole task: every author's grade from every review, and how it was computed.

``grade_all`` is what the end of the cross-check calls; ``explain_all`` gives the same grades with
the story behind each (which scores counted and how much, and for the ``reliability`` policy the
reviewers' estimated habits), for the learner's page and the staff view. Pure code: standard
library and numpy.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.i18n import EMPTY as NO_REASON
from crosscheck_xblock.i18n import N_, Text
from crosscheck_xblock.scoring import batch, model

from .policies import POLICIES, apply_policy, unknown_policy

__all__ = ["GradeExplanation", "ScoreExplanation", "explain_all", "grade_all"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ScoreExplanation:
    """One score a work received and what became of it.

    weight: its share of the grade (0 if it was left out; the shares of a work sum to 1).
    adjusted: the points as they counted (the reviewer's estimated bias taken out, for
    ``reliability``; as given otherwise). reviewer_bias, reviewer_noise: the model's estimates of
    the reviewer's habit (points above the others on average) and scatter, None when the policy
    has no model or the reviewer had too few reviews to judge. reason: why a score was left out
    or adjusted, in words for the learner (empty when it counted as given), worded when shown.
    """

    reviewer: Hashable
    points: float
    weight: float
    adjusted: float
    reviewer_bias: float | None
    reviewer_noise: float | None
    reason: Text


@dataclass(frozen=True)
class GradeExplanation:
    """A work's grade (unrounded, within [0, max_score]), the policy, a sentence on how the grade
    was computed, and its scores in input order."""

    points: float
    policy: str
    summary: Text
    scores: tuple[ScoreExplanation, ...]


@dataclass(frozen=True)
class _Indexed:
    """Reviews as arrays of indexes into the lists of distinct reviewers and authors."""

    reviewers: list
    authors: list
    reviewer: np.ndarray
    author: np.ndarray
    points: np.ndarray


def _index(reviews: Iterable[tuple[Hashable, K, float]]) -> _Indexed:
    reviewers: dict = {}
    authors: dict = {}
    r_index, a_index, points = [], [], []
    for reviewer, author, value in reviews:
        # Any real number (numpy's too); they are read as floats, as the review totals are.
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"A score must be a number, not {value!r}.")
        r_index.append(reviewers.setdefault(reviewer, len(reviewers)))
        a_index.append(authors.setdefault(author, len(authors)))
        points.append(float(value))
    values = np.asarray(points, dtype=float)
    if not np.all(np.isfinite(values)):
        raise ValueError("A score must be a finite number.")
    return _Indexed(list(reviewers), list(authors), np.asarray(r_index, dtype=np.intp),
                    np.asarray(a_index, dtype=np.intp), values)


def _check(policy: str, max_score: float) -> None:
    if policy not in POLICIES:
        raise ValueError(unknown_policy(policy))
    if isinstance(max_score, bool) or not isinstance(max_score, int | float) or not max_score > 0:
        raise ValueError(f"max_score must be a positive number, not {max_score!r}.")


def _fit(data: _Indexed, max_score: float) -> model.ModelFit:
    return model.fit_reviews(data.reviewer, data.author, data.points,
                             n_reviewers=len(data.reviewers), n_works=len(data.authors),
                             max_score=max_score)


def grade_all(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
              max_score: float) -> dict[K, float]:
    """Grade every author who received reviews: {author_id: points}, unrounded, clipped to
    [0, max_score].

    ``reviews`` holds (reviewer_id, author_id, points) triples; the order of an author's scores
    is the input order (it only matters for the tie rules of the per-work policies). The per-work
    policies give exactly ``apply_policy(policy, scores).points`` (clipped), computed for all
    works at once; ``reliability`` fits the model over all reviews (see model.py). 10,000 works
    x 5 reviews take well under a second with any policy (bench/bench_scoring.py).
    Raises ValueError for an unknown policy, a bad max_score or a score that is not a number.
    """
    _check(policy, max_score)
    data = _index(reviews)
    if not data.authors:
        return {}
    if policy == "reliability":
        values = _fit(data, max_score).grades
    else:
        groups = batch.group_reviews(data.author, len(data.authors))
        values = batch.policy_points(groups, data.points, policy)
    values = np.clip(values, 0.0, float(max_score))
    return dict(zip(data.authors, values.tolist()))


def _habit(bias: float, adjusted: float) -> Text:
    """Why a reliability-model score counted as it did: the reviewer's measured habit."""
    values = {"bias": round(abs(bias), 1), "adjusted": round(adjusted, 1)}
    if bias >= 0:
        return Text(N_("this reviewer scores %(bias)s points above the other reviewers on average; "
                       "counted as %(adjusted)s"), values)
    return Text(N_("this reviewer scores %(bias)s points below the other reviewers on average; "
                   "counted as %(adjusted)s"), values)


def explain_all(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
                max_score: float) -> dict[K, GradeExplanation]:
    """The same grades as ``grade_all``, each with how it was computed (see GradeExplanation).

    For the per-work policies every work goes through ``apply_policy`` (exact, one work at a
    time: meant for pages and reports, not for the 10,000-work hot path).
    """
    _check(policy, max_score)
    data = _index(reviews)
    if not data.authors:
        return {}
    by_author: list[list[int]] = [[] for _ in data.authors]
    for i, a in enumerate(data.author.tolist()):
        by_author[a].append(i)
    values = data.points.tolist()
    result: dict = {}
    if policy != "reliability":
        for a, rows in enumerate(by_author):
            outcome = apply_policy(policy, [values[i] for i in rows])
            reasons = dict(outcome.dropped)
            share = 1.0 / len(outcome.counted)
            scores = tuple(
                ScoreExplanation(reviewer=data.reviewers[data.reviewer[i]], points=values[i],
                                 weight=0.0 if j in reasons else share, adjusted=values[i],
                                 reviewer_bias=None, reviewer_noise=None,
                                 reason=reasons.get(j, NO_REASON))
                for j, i in enumerate(rows))
            points = min(max(outcome.points, 0.0), float(max_score))
            result[data.authors[a]] = GradeExplanation(points, policy, Text(POLICIES[policy]), scores)
        return result

    fit = _fit(data, max_score)
    for a, rows in enumerate(by_author):
        if fit.by_model[a]:
            summary = Text(POLICIES["reliability"])
        else:
            summary = Text(N_("Too few reviews to learn from: the grade is the middle score (with two "
                              "scores, their average)."))
        scores = []
        for i in rows:
            v = int(data.reviewer[i])
            known = bool(fit.by_model[a] and fit.assessed[v])
            bias = float(fit.bias[v]) if known else None
            if not fit.by_model[a]:
                reason = NO_REASON if fit.weight[i] > 0 else Text(N_("not the middle score"))
            elif bias is None:
                reason = Text(N_("the reviewer has too few reviews to measure their habits; "
                                 "counted as given"))
            else:
                reason = _habit(bias, float(fit.adjusted[i]))
            scores.append(ScoreExplanation(
                reviewer=data.reviewers[v], points=values[i], weight=float(fit.weight[i]),
                adjusted=float(fit.adjusted[i]), reviewer_bias=bias,
                reviewer_noise=float(fit.noise_sd[v]) if known else None, reason=reason))
        points = float(np.clip(fit.grades[a], 0.0, float(max_score)))
        result[data.authors[a]] = GradeExplanation(points, policy, summary, tuple(scores))
    return result
