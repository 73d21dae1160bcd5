"""Grading a whole task: every author's grade from every review, and how it was computed.

``grade_all`` is what the end of the cross-check calls; ``explain_all`` gives the same grades with
the story behind each (which scores counted and how much, and for the ``reliability`` policy the
reviewers' estimated habits), for the learner's page and the staff view. Pure code: standard
library and numpy.
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.i18n import EMPTY as NO_REASON
from crosscheck_xblock.i18n import N_, Text, plural_text
from crosscheck_xblock.scoring import batch, calibration, fallback, model

from .policies import POLICIES, apply_policy, unknown_policy

__all__ = ["GradeExplanation", "ScoreExplanation", "TaskGrades", "calibrate", "calibrated_summary",
           "explain_all", "explain_task", "grade_all"]

# The reliability policy's task-wide fallback (fallback.py), for the learner.
FALLBACK_SUMMARIES = {
    "mean": N_("The reviewers' habits could not be measured well enough in this task: leaving out "
               "one review of every work in turn, the average of the other scores predicted the "
               "left-out score better than the model of reviewers' habits did. So the grade is "
               "the average of all the scores the work received."),
    "median": N_("The reviewers' habits could not be measured well enough in this task: leaving "
                 "out one review of every work in turn, the middle of the other scores predicted "
                 "the left-out score better than the model of reviewers' habits did. So the grade "
                 "is the middle score (with an even number of scores, the average of the two "
                 "middle ones)."),
}

BLEND_SUMMARIES = {
    "mean": N_("The grade combines the model of reviewers' habits (%(model)s %%) and the average "
               "of the scores (%(rest)s %%), because leaving out one review of every work in "
               "turn, that combination predicted the left-out scores best."),
    "median": N_("The grade combines the model of reviewers' habits (%(model)s %%) and the middle "
                 "score (%(rest)s %%), because leaving out one review of every work in turn, that "
                 "combination predicted the left-out scores best."),
}

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
    was computed, and its scores in input order. rule: what computed it (the policy, or for
    ``reliability`` the rule its check chose: "reliability", "mean", "median" or "blend", see
    fallback.ModelCheck); calibration:
    the points the calibration against staff grades added (negative: took away)."""

    points: float
    policy: str
    summary: Text
    scores: tuple[ScoreExplanation, ...]
    rule: str = ""
    calibration: float = 0.0


@dataclass(frozen=True)
class TaskGrades:
    """A whole task's grades with their stories (``works``), the rule used (``rule``), the
    reliability policy's check (``check``, None for the other policies), the calibration
    against staff grades (None without anchors) and each grade's estimated error SD before
    calibration (``sds``, points of the task); habits: {reviewer: (bias, bias SD, noise SD)}
    where the model's grades were used and it assessed the reviewer; noise: the model's typical
    scatter of a review (None without the model)."""

    works: dict
    rule: str
    check: fallback.ModelCheck | None
    calibration: calibration.Calibration | None
    sds: dict
    habits: dict = field(default_factory=dict)
    noise: float | None = None


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
        # Any real number (numpy's too); they are read as floats, as the review totals are. A
        # plain float or int needs no look at the number ABCs (slow, 40,000 times a task).
        kind = type(value)
        if kind is not float and kind is not int and (isinstance(value, bool)
                                                      or not isinstance(value, numbers.Real)):
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


def _bias_prior(data: _Indexed, priors: Mapping | None) -> tuple[np.ndarray, np.ndarray] | None:
    """{reviewer: (mean, SD)} as the model's arrays over the task's reviewers (None: none of
    them known)."""
    if not priors:
        return None
    mean = np.zeros(len(data.reviewers))
    sd = np.full(len(data.reviewers), np.inf)
    found = False
    for v, reviewer in enumerate(data.reviewers):
        if reviewer in priors:
            mean[v], sd[v] = (float(x) for x in priors[reviewer])
            found = True
    return (mean, sd) if found else None


def _fit(data: _Indexed, max_score: float,
         prior: tuple[np.ndarray, np.ndarray] | None = None) -> model.ModelFit:
    return model.fit_reviews(data.reviewer, data.author, data.points,
                             n_reviewers=len(data.reviewers), n_works=len(data.authors),
                             max_score=max_score, bias_prior=prior)


@dataclass(frozen=True)
class _Grades:
    """Every work's grade by the task's rule, before calibration, and what decided it."""

    values: np.ndarray
    rule: str
    check: fallback.ModelCheck | None
    fit: model.ModelFit | None
    sds: np.ndarray


def _pooled_sds(data: _Indexed, max_score: float) -> np.ndarray:
    """Per work, the task's pooled scatter of a review over the root of its number of reviews."""
    counts = np.bincount(data.author, minlength=len(data.authors))
    means = np.bincount(data.author, data.points, len(data.authors)) / np.maximum(counts, 1)
    squares = float(np.sum((data.points - means[data.author]) ** 2))
    dof = float(np.sum(np.maximum(counts - 1, 0)))
    floor = calibration.MIN_SD * max_score / 100.0
    sd = max(float(np.sqrt(squares / dof)) if dof else floor, floor)
    return sd / np.sqrt(np.maximum(counts, 1))


def _grade(data: _Indexed, policy: str, max_score: float,
           priors: Mapping | None = None) -> _Grades:
    if policy == "reliability":
        prior = _bias_prior(data, priors)
        fit = _fit(data, max_score, prior)
        check = fallback.check_model(data.reviewer, data.author, data.points,
                                     n_reviewers=len(data.reviewers), n_works=len(data.authors),
                                     max_score=max_score, fit=fit, bias_prior=prior)
        if check.rule == "reliability":
            return _Grades(np.clip(fit.grades, 0.0, float(max_score)), "reliability", check, fit,
                           fit.score_sd)
        if not fit.by_model.any():  # too few reviewers: the model's own median, as before
            return _Grades(np.clip(fit.grades, 0.0, float(max_score)), "median", check, fit,
                           fit.score_sd)
        if check.rule == "blend":
            groups = batch.group_reviews(data.author, len(data.authors))
            simple = np.clip(batch.policy_points(groups, data.points, check.simple), 0.0,
                             float(max_score))
            w = float(check.weight)
            values = w * np.clip(fit.grades, 0.0, float(max_score)) + (1.0 - w) * simple
            # The blend's error SD is at most the blend of the two SDs (triangle inequality).
            sds = w * fit.score_sd + (1.0 - w) * _pooled_sds(data, max_score)
            return _Grades(values, "blend", check, fit, sds)
        rule = check.rule
    else:
        fit, check, rule = None, None, policy
    groups = batch.group_reviews(data.author, len(data.authors))
    values = np.clip(batch.policy_points(groups, data.points, rule), 0.0, float(max_score))
    return _Grades(values, rule, check, fit, _pooled_sds(data, max_score))


def _habits(data: _Indexed, grades: _Grades) -> tuple[dict, float | None]:
    fit = grades.fit
    if fit is None or grades.rule != "reliability" or not fit.by_model.any():
        return {}, None
    return ({data.reviewers[v]: (float(fit.bias[v]), float(fit.bias_sd[v]), float(fit.noise_sd[v]))
             for v in np.flatnonzero(fit.assessed).tolist()}, float(fit.noise_prior_sd))


def calibrate(reviews: Iterable[tuple[Hashable, Hashable, float]], grades: Mapping,
              sds: Mapping, anchors: Mapping, *, max_score: float, habits: Mapping | None = None,
              noise: float | None = None,
              reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None
              ) -> calibration.Calibration:
    """calibration.calibrate with what a task's grading knows: the reviews (reviewer, author,
    points), every work's grade and its error SD, and the model's habits of the reviewers
    ({reviewer: (bias, bias SD, noise SD)}) where the model graded. With habits (the model's
    grades were used) the grades are then refitted at the reviewers' level (``staff_refit``)."""
    habits = habits or {}
    reviews = list(reviews)
    found = calibration.calibrate(
        grades, sds, anchors, max_score=max_score, reviews=reviews,
        reviewer_bias={r: (b, sd) for r, (b, sd, _) in habits.items()},
        reviewer_noise={r: n for r, (_, _, n) in habits.items()}, noise=noise)
    if not habits or not found.anchors:
        return found
    return staff_refit(reviews, grades, anchors, found, max_score=max_score, habits=habits,
                       noise=noise, reviewer_priors=reviewer_priors)


class _Staff:
    """The staff as one more reviewer of the anchored works in the refit (a key no reviewer
    id can equal)."""

    def __repr__(self) -> str:
        return "staff"


STAFF = _Staff()
# The staff reviewer's bias is known: 0 against itself, up to this SD (points in 100).
STAFF_BIAS_SD = 0.01


def staff_refit(reviews: list[tuple[Hashable, Hashable, float]], grades: Mapping,
                anchors: Mapping, found: calibration.Calibration, *, max_score: float,
                habits: Mapping, noise: float | None,
                reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None
                ) -> calibration.Calibration:
    """Reviewer-level calibration (issue 16): the reliability model refitted to the reviews with
    the class offset taken out (z - d^, clipped to the scale), the staff as one more reviewer of
    the anchored works whose bias is known to be 0, and each reviewer of an anchored work
    starting from their own bias against staff there (calibration.staff_bias_priors, combined
    with the earlier tasks' ``reviewer_priors``). So a reviewer staff found harsher than the
    class is corrected by more than the offset in every work they scored, a generous one by
    less, and the anchored works lean on the staff grade with the weight of a reliable review.
    Returns ``found`` with ``works`` = {author: calibrated grade}; ``found`` itself when every
    anchored work's staff grade equals its peer grade (anchors that agree with the peers change
    nothing)."""
    staff = {a: calibration.as_anchor(v) for a, v in anchors.items()}
    used = [a for a in staff if a in grades and grades[a] == grades[a]]
    if all(grades[a] == staff[a].points for a in used):
        return found
    priors = calibration.staff_bias_priors(
        reviews, {a: staff[a] for a in used}, found.offset, max_score=max_score,
        reviewer_noise={r: n for r, (_, _, n) in habits.items()}, noise=noise,
        history=reviewer_priors)
    priors[STAFF] = (0.0, STAFF_BIAS_SD * max_score / 100.0)
    top = float(max_score)
    rows = [(r, a, min(max(float(p) - found.offset.value, 0.0), top)) for r, a, p in reviews]
    rows += [(STAFF, a, min(max(staff[a].points, 0.0), top)) for a in used]
    data = _index(rows)
    fit = _fit(data, max_score, _bias_prior(data, priors))
    refitted = np.clip(fit.grades, 0.0, top)
    # Each review's line as the refit counted it (the staff rows, appended last, are not shown).
    n = len(reviews)
    reviewer, author = data.reviewer[:n], data.author[:n]
    known = fit.by_model[author] & fit.assessed[reviewer]
    lines = (fit.weight[:n].copy(), fit.adjusted[:n].copy(),
             np.where(known, fit.bias[reviewer], np.nan), np.where(known, fit.noise_sd[reviewer], np.nan))
    return replace(found, works=dict(zip(data.authors, refitted.tolist())), refit=lines)


def refit_line(cal: calibration.Calibration, j: int, line: object | None,
               known: bool) -> tuple[float, float, float | None, float | None, Text] | None:
    """The ``j``-th review given to the reviewer-level refit as it counted there: (share,
    counted as, reviewer bias, reviewer noise, reason); None without a refit. ``line``: the
    review's line before calibration (its reason stays where the refit could not assess the
    reviewer: the class offset alone moved that score, as the summary says); known: the
    reviewer's bias came from earlier tasks too."""
    if not cal.refit:
        return None
    weight, adjusted, bias, noise = (float(x[j]) for x in cal.refit)
    if bias != bias:  # not assessed
        return weight, adjusted, None, None, line.reason if line is not None else NO_REASON
    return weight, adjusted, bias, noise, _habit(bias, adjusted, known)


def _triples(data: _Indexed) -> list[tuple]:
    return list(zip((data.reviewers[v] for v in data.reviewer.tolist()),
                    (data.authors[a] for a in data.author.tolist()), data.points.tolist()))


def grade_all(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
              max_score: float, anchors: Mapping[K, calibration.Anchor | float] | None = None,
              reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None
              ) -> dict[K, float]:
    """Grade every author who received reviews: {author_id: points}, unrounded, clipped to
    [0, max_score].

    ``reviews`` holds (reviewer_id, author_id, points) triples; the order of an author's scores
    is the input order (it only matters for the tie rules of the per-work policies). The per-work
    policies give exactly ``apply_policy(policy, scores).points`` (clipped), computed for all
    works at once; ``reliability`` fits the model over all reviews (see model.py) and checks it
    against the mean and the median on the task's own reviews (fallback.py), using the better
    simple rule where the model does not predict better. ``anchors``: staff grades of some works
    ({author_id: points or calibration.Anchor}); the grades move by the class offset they show
    (calibration.py; no anchors: nothing moves). ``reviewer_priors``: {reviewer: (bias against
    staff, SD)} known from earlier tasks (calibration.history_priors); the ``reliability``
    model starts each such reviewer's bias from it (model.fit_reviews' bias_prior; the other
    policies ignore it). 10,000 works x 5 reviews take well under a
    second with the per-work policies, about half a second with ``reliability`` (its check
    included; bench/bench_scoring.py).
    Raises ValueError for an unknown policy, a bad max_score or a score that is not a number.
    """
    _check(policy, max_score)
    data = _index(reviews)
    if not data.authors:
        return {}
    grades = _grade(data, policy, max_score, reviewer_priors)
    values = grades.values
    if anchors:
        habits, noise = _habits(data, grades)
        found = calibrate(_triples(data), dict(zip(data.authors, values.tolist())),
                          dict(zip(data.authors, grades.sds.tolist())), anchors,
                          max_score=max_score, habits=habits, noise=noise,
                          reviewer_priors=reviewer_priors)
        if found.reviewer_level:
            values = np.asarray([found.works[a] for a in data.authors])
        elif found.shift:
            values = np.clip(values + found.shift, 0.0, float(max_score))
    return dict(zip(data.authors, values.tolist()))


def calibrated_summary(base: Text, cal: calibration.Calibration, before: float,
                       after: float, *, by_items: bool = False) -> Text:
    """The grade's sentence, with how far the calibration against staff grades moved it (the
    sentence as it was when it did not move it). by_items: the work's items moved each by its
    own offset (the items list says by how much)."""
    moved = after - before
    if abs(moved) < 0.005:
        return base
    values = {"base": base, "offset": round(abs(cal.offset.value), 2),
              "moved": round(abs(moved), 2), "before": round(before, 2), "after": round(after, 2)}
    if by_items:
        if moved > 0:
            return plural_text("%(base)s Staff graded %(n)s work of this task themselves with the "
                               "checklist; comparing the reviewers' points with staff's item by "
                               "item, this grade was raised by %(moved)s points (from %(before)s "
                               "to %(after)s); each item shows how much it moved.",
                               "%(base)s Staff graded %(n)s works of this task themselves with the "
                               "checklist; comparing the reviewers' points with staff's item by "
                               "item, this grade was raised by %(moved)s points (from %(before)s "
                               "to %(after)s); each item shows how much it moved.",
                               cal.anchors, values)
        return plural_text("%(base)s Staff graded %(n)s work of this task themselves with the "
                           "checklist; comparing the reviewers' points with staff's item by item, "
                           "this grade was lowered by %(moved)s points (from %(before)s to "
                           "%(after)s); each item shows how much it moved.",
                           "%(base)s Staff graded %(n)s works of this task themselves with the "
                           "checklist; comparing the reviewers' points with staff's item by item, "
                           "this grade was lowered by %(moved)s points (from %(before)s to "
                           "%(after)s); each item shows how much it moved.", cal.anchors, values)
    if cal.reviewer_level and not by_items:
        return _reviewer_level_summary(cal, moved, values)
    if moved > 0:
        return plural_text("%(base)s Staff graded %(n)s work of this task themselves; from it, the "
                           "reviewers' grades are estimated to be %(offset)s points below staff's, "
                           "so this grade was raised by %(moved)s points (from %(before)s to "
                           "%(after)s).",
                           "%(base)s Staff graded %(n)s works of this task themselves; from them, "
                           "the reviewers' grades are estimated to be %(offset)s points below "
                           "staff's, so this grade was raised by %(moved)s points (from %(before)s "
                           "to %(after)s).", cal.anchors, values)
    return plural_text("%(base)s Staff graded %(n)s work of this task themselves; from it, the "
                       "reviewers' grades are estimated to be %(offset)s points above staff's, so "
                       "this grade was lowered by %(moved)s points (from %(before)s to %(after)s).",
                       "%(base)s Staff graded %(n)s works of this task themselves; from them, the "
                       "reviewers' grades are estimated to be %(offset)s points above staff's, so "
                       "this grade was lowered by %(moved)s points (from %(before)s to %(after)s).",
                       cal.anchors, values)


def _reviewer_level_summary(cal: calibration.Calibration, moved: float, values: dict) -> Text:
    """The sentence for a grade the reviewer-level refit moved (staff_refit): the class offset,
    and that the work's reviewers were compared with staff one by one, so the grade can move by
    more or less than the offset (or the other way)."""
    if cal.offset.value <= 0:
        if moved > 0:
            return plural_text(
                "%(base)s Staff graded %(n)s work of this task themselves; from it, the reviewers' "
                "grades are estimated to be %(offset)s points below staff's on average, and each "
                "reviewer who scored it was compared with staff's grade, so the scores of this "
                "work were corrected reviewer by reviewer: this grade was raised by %(moved)s "
                "points (from %(before)s to %(after)s).",
                "%(base)s Staff graded %(n)s works of this task themselves; from them, the "
                "reviewers' grades are estimated to be %(offset)s points below staff's on average, "
                "and each reviewer who scored them was compared with staff's grades, so the scores "
                "of this work were corrected reviewer by reviewer: this grade was raised by "
                "%(moved)s points (from %(before)s to %(after)s).", cal.anchors, values)
        return plural_text(
            "%(base)s Staff graded %(n)s work of this task themselves; from it, the reviewers' "
            "grades are estimated to be %(offset)s points below staff's on average, and each "
            "reviewer who scored it was compared with staff's grade, so the scores of this work "
            "were corrected reviewer by reviewer: this grade was lowered by %(moved)s points "
            "(from %(before)s to %(after)s).",
            "%(base)s Staff graded %(n)s works of this task themselves; from them, the reviewers' "
            "grades are estimated to be %(offset)s points below staff's on average, and each "
            "reviewer who scored them was compared with staff's grades, so the scores of this "
            "work were corrected reviewer by reviewer: this grade was lowered by %(moved)s "
            "points (from %(before)s to %(after)s).", cal.anchors, values)
    if moved > 0:
        return plural_text(
            "%(base)s Staff graded %(n)s work of this task themselves; from it, the reviewers' "
            "grades are estimated to be %(offset)s points above staff's on average, and each "
            "reviewer who scored it was compared with staff's grade, so the scores of this work "
            "were corrected reviewer by reviewer: this grade was raised by %(moved)s points "
            "(from %(before)s to %(after)s).",
            "%(base)s Staff graded %(n)s works of this task themselves; from them, the reviewers' "
            "grades are estimated to be %(offset)s points above staff's on average, and each "
            "reviewer who scored them was compared with staff's grades, so the scores of this "
            "work were corrected reviewer by reviewer: this grade was raised by %(moved)s "
            "points (from %(before)s to %(after)s).", cal.anchors, values)
    return plural_text(
        "%(base)s Staff graded %(n)s work of this task themselves; from it, the reviewers' "
        "grades are estimated to be %(offset)s points above staff's on average, and each "
        "reviewer who scored it was compared with staff's grade, so the scores of this work "
        "were corrected reviewer by reviewer: this grade was lowered by %(moved)s points "
        "(from %(before)s to %(after)s).",
        "%(base)s Staff graded %(n)s works of this task themselves; from them, the reviewers' "
        "grades are estimated to be %(offset)s points above staff's on average, and each "
        "reviewer who scored them was compared with staff's grades, so the scores of this "
        "work were corrected reviewer by reviewer: this grade was lowered by %(moved)s "
        "points (from %(before)s to %(after)s).", cal.anchors, values)


def _habit(bias: float, adjusted: float, known: bool = False) -> Text:
    """Why a reliability-model score counted as it did: the reviewer's measured habit (known:
    measured also against staff's grades in earlier cross-checks of the course)."""
    values = {"bias": round(abs(bias), 1), "adjusted": round(adjusted, 1)}
    if known:
        if bias >= 0:
            return Text(N_("from this and earlier cross-checks of the course (where staff graded some "
                           "works too), this reviewer scores %(bias)s points above others on average; "
                           "counted as %(adjusted)s"), values)
        return Text(N_("from this and earlier cross-checks of the course (where staff graded some "
                       "works too), this reviewer scores %(bias)s points below others on average; "
                       "counted as %(adjusted)s"), values)
    if bias >= 0:
        return Text(N_("this reviewer scores %(bias)s points above the other reviewers on average; "
                       "counted as %(adjusted)s"), values)
    return Text(N_("this reviewer scores %(bias)s points below the other reviewers on average; "
                   "counted as %(adjusted)s"), values)


def explain_all(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
                max_score: float, anchors: Mapping[K, calibration.Anchor | float] | None = None,
                reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None
                ) -> dict[K, GradeExplanation]:
    """The same grades as ``grade_all``, each with how it was computed (see GradeExplanation).

    For the per-work policies every work goes through ``apply_policy`` (exact, one work at a
    time: meant for pages and reports, not for the 10,000-work hot path).
    """
    return explain_task(reviews, policy=policy, max_score=max_score, anchors=anchors,
                        reviewer_priors=reviewer_priors).works


def explain_task(reviews: Iterable[tuple[Hashable, K, float]], *, policy: str,
                 max_score: float, anchors: Mapping[K, calibration.Anchor | float] | None = None,
                 reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None,
                 explain: bool = True) -> TaskGrades:
    """``explain_all`` with what the task decided: the rule the grades use, the reliability
    policy's check of the model, the calibration against staff grades (see TaskGrades).

    ``explain=False`` leaves the stories out (each GradeExplanation has the empty summary and no
    scores): the points, rule, check, calibration, SDs and habits are the same, bit for bit,
    since the stories' points are the vectorised grades (``_grade``) computed again one work at
    a time with exact fractions. For previews that show only the points (staff analytics)."""
    _check(policy, max_score)
    data = _index(reviews)
    if not data.authors:
        return TaskGrades({}, policy, None, None, {})
    grades = _grade(data, policy, max_score, reviewer_priors)
    habits, noise = _habits(data, grades)
    sds = dict(zip(data.authors, grades.sds.tolist()))
    cal = calibrate(_triples(data), dict(zip(data.authors, grades.values.tolist())), sds,
                    anchors, max_score=max_score, habits=habits, noise=noise,
                    reviewer_priors=reviewer_priors) if anchors else None
    if not explain:
        result = {}
        for author, points in zip(data.authors, grades.values.tolist()):
            moved = 0.0
            if cal is not None:
                after = cal.apply_work(author, points, max_score)
                moved, points = after - points, after
            result[author] = GradeExplanation(points, policy, NO_REASON, (), rule=grades.rule,
                                              calibration=moved)
        return TaskGrades(result, grades.rule, grades.check, cal, sds, habits, noise)
    by_author: list[list[int]] = [[] for _ in data.authors]
    for i, a in enumerate(data.author.tolist()):
        by_author[a].append(i)
    values = data.points.tolist()
    result: dict = {}
    for a, rows in enumerate(by_author):
        if grades.rule == "reliability" or (grades.fit is not None
                                            and not grades.fit.by_model.any()):
            points, summary, scores = _explain_model(grades.fit, data, a, rows, values, max_score,
                                                     reviewer_priors or {})
        elif grades.rule == "blend":
            points, summary, scores = _explain_blend(grades, data, a, rows, values, max_score,
                                                     reviewer_priors or {})
        else:
            points, summary, scores = _explain_rule(grades.rule, data, rows, values, max_score)
            if grades.rule != policy:
                summary = Text(FALLBACK_SUMMARIES[grades.rule])
        moved = 0.0
        if cal is not None and cal.refit and grades.rule == "reliability":
            scores = tuple(_refitted(cal, rows, scores, reviewer_priors or {}))
        if cal is not None:
            after = cal.apply_work(data.authors[a], points, max_score)
            summary = calibrated_summary(summary, cal, points, after)
            moved, points = after - points, after
        result[data.authors[a]] = GradeExplanation(points, policy, summary, scores,
                                                   rule=grades.rule, calibration=moved)
    return TaskGrades(result, grades.rule, grades.check, cal, sds, habits, noise)


def _refitted(cal: calibration.Calibration, rows: list[int], scores: tuple, priors: Mapping):
    """A work's score lines as the reviewer-level refit counted them (the reviews were given to
    the refit in the task's order, so review i is the refit's i-th)."""
    for i, s in zip(rows, scores):
        weight, adjusted, bias, noise, reason = refit_line(cal, i, s, s.reviewer in priors)
        yield replace(s, weight=weight, adjusted=adjusted, reviewer_bias=bias,
                      reviewer_noise=noise, reason=reason)


def _explain_blend(grades: _Grades, data: _Indexed, a: int, rows: list[int],
                   values: list[float], max_score: float,
                   priors: Mapping) -> tuple[float, Text, tuple[ScoreExplanation, ...]]:
    """A blended grade: each score's share is the blend of its shares in the model and in the
    simple rule, and it counted as the blend of the two values it counted as there (so the
    grade is still the sum of share x counted value)."""
    check = grades.check
    w = float(check.weight)
    _, _, model_scores = _explain_model(grades.fit, data, a, rows, values, max_score, priors)
    _, _, rule_scores = _explain_rule(check.simple, data, rows, values, max_score)
    scores = []
    for m, r in zip(model_scores, rule_scores):
        weight = w * m.weight + (1.0 - w) * r.weight
        counted = ((w * m.weight * m.adjusted + (1.0 - w) * r.weight * r.adjusted) / weight
                   if weight > 0 else m.points)
        reason = m.reason
        if m.reviewer_bias is not None:
            reason = _habit(m.reviewer_bias, counted, m.reviewer in priors)
        scores.append(ScoreExplanation(
            reviewer=m.reviewer, points=m.points, weight=weight, adjusted=counted,
            reviewer_bias=m.reviewer_bias, reviewer_noise=m.reviewer_noise, reason=reason))
    share = {"model": round(100 * w), "rest": round(100 * (1.0 - w))}
    return float(grades.values[a]), Text(BLEND_SUMMARIES[check.simple], share), tuple(scores)


def _explain_rule(rule: str, data: _Indexed, rows: list[int], values: list[float],
                  max_score: float) -> tuple[float, Text, tuple[ScoreExplanation, ...]]:
    outcome = apply_policy(rule, [values[i] for i in rows])
    reasons = dict(outcome.dropped)
    share = 1.0 / len(outcome.counted)
    scores = tuple(
        ScoreExplanation(reviewer=data.reviewers[data.reviewer[i]], points=values[i],
                         weight=0.0 if j in reasons else share, adjusted=values[i],
                         reviewer_bias=None, reviewer_noise=None,
                         reason=reasons.get(j, NO_REASON))
        for j, i in enumerate(rows))
    points = min(max(outcome.points, 0.0), float(max_score))
    return points, Text(POLICIES[rule]), scores


def _explain_model(fit: model.ModelFit, data: _Indexed, a: int, rows: list[int],
                   values: list[float], max_score: float,
                   priors: Mapping) -> tuple[float, Text, tuple[ScoreExplanation, ...]]:
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
            reason = _habit(bias, float(fit.adjusted[i]), data.reviewers[v] in priors)
        scores.append(ScoreExplanation(
            reviewer=data.reviewers[v], points=values[i], weight=float(fit.weight[i]),
            adjusted=float(fit.adjusted[i]), reviewer_bias=bias,
            reviewer_noise=float(fit.noise_sd[v]) if known else None, reason=reason))
    points = float(np.clip(fit.grades[a], 0.0, float(max_score)))
    return points, summary, tuple(scores)
