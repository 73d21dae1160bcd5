"""The ``reliability`` policy: one model of every review in the task (Piech et al. 2013, PG1).

A review z of work u by reviewer v is read as z = s_u + b_v + noise, the noise with standard
deviation sigma_v: s_u is the work's score, b_v the reviewer's habit of scoring above or below
others (bias), sigma_v how much their scores scatter (1 / sigma_v^2 is their reliability).
Everything is estimated together by alternating weighted least squares (the EM of this model):
a work's score is the reliability-weighted mean of its reviews with the reviewers' biases taken
out; a bias is the reviewer's mean departure from those scores; a noise is what is left. With

- a Student-t prior on the biases (BIAS_PRIOR_DOF), its width learnt from the class (empirical
  Bayes): a small habit is believed only as far as several reviews support it, while a large
  one (full marks for everything, 25 points too harsh) is not shrunk away;
- each reviewer's noise variance shrunk towards the class's typical one (a prior worth
  PRIOR_NOISE_DOF reviews), with the residuals corrected for the reviewer's own share in the
  scores they are compared with, so two or three reviews do not make anyone look perfect;
- a flat prior on the scores: a learner's grade is not pulled towards the class mean.

Where the data cannot support it the median is used instead: for a work with fewer than 2
reviews, and for the whole task when fewer than MIN_REVIEWERS reviewers have 2 or more reviews
in works with 2 or more reviews; a reviewer with a single such review gets bias 0.

Every iteration is a fixed number of whole-array numpy operations (``np.bincount`` sums per work
and per reviewer), and there are at most MAX_ITERATIONS of them whatever the size of the class:
10,000 works x 5 reviews take a few tens of milliseconds. Pure code: standard library and numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import batch

__all__ = ["MAX_ITERATIONS", "MIN_REVIEWERS", "ModelFit", "fit_reviews"]

# Bounded, and independent of the class size (tested). The fit stops earlier once no grade moves
# by TOLERANCE points (out of 100) in an iteration; stopping at 30, 50 or 300 iterations changes
# the simulated accuracy by less than 0.5 %.
MAX_ITERATIONS = 100
TOLERANCE = 0.01
# Fewer reviewers with 2+ reviews than this: nothing to learn habits from; median for everyone.
MIN_REVIEWERS = 3
# The typical noise counts as this many reviews in every reviewer's noise estimate. Tried in the
# simulation (other seeds than the bench's): 3, 4, 5, 6, 8, 12, 16; fewer trusts the reviewers'
# own record more, which helps with careless reviewers, more protects classes of honest ones.
PRIOR_NOISE_DOF = 4.0
# Degrees of freedom of the Student-t prior on biases (1, 2, 3, 6 and a normal prior were tried;
# the normal prior shrinks an always-full-marks reviewer's +30 to about +14).
BIAS_PRIOR_DOF = 3.0
# Nobody is trusted more than a reviewer whose scores scatter by 2 points in 100.
NOISE_FLOOR = 2.0
# Bounds on the learnt width of the bias prior, points in 100.
BIAS_SD_BOUNDS = (0.5, 30.0)
# Are the reviewers alike? (issue 16, the `ambiguous` regime: works that are hard to judge make
# their reviewers look unreliable or biased by luck.) Measured once per fit on the residuals of
# the plain mean (``_alike``): the noise prior counts as many reviews as the reviewers' spread of
# variances beyond chance supports, between PRIOR_NOISE_DOF and ALIKE_MAX_DOF (no spread: equal
# weights, the mean); the bias prior is no wider than BIAS_CAP_FACTOR x the biases' variance the
# class shows beyond BIAS_CAP_Z standard errors of chance, and no reviewer's own (Student-t)
# prior wider than BIAS_SPREAD x that. Tried on other seeds than the bench's: factor 2, Z 1,
# spread 10; a Z on the noise spread too (1) took the model below the mean in honest classes.
ALIKE_MAX_DOF = 1000.0
BIAS_CAP_FACTOR = 2.0
BIAS_CAP_Z = 1.0
BIAS_SPREAD = 10.0

@dataclass(frozen=True)
class ModelFit:
    """What the model found, in points of the task (arrays indexed by work, reviewer or review).

    grades: every work's grade in [0, max_score] (NaN for a work without reviews).
    by_model: True where the model graded the work, False where the median did.
    bias, bias_sd: each reviewer's estimated bias and its uncertainty (posterior SD); 0 and the
        prior width for a reviewer the model could not assess.
    noise_sd: each reviewer's estimated noise (scatter of their scores once the bias is out).
    assessed: the reviewer had 2 or more reviews in works graded by the model.
    reviews_counted: per reviewer, their reviews in works graded by the model.
    weight: per review, its share in its work's grade (shares of a work sum to 1; for a median
        work, 1 for the middle score or 1/2 for each of the two middle ones).
    adjusted: per review, the points with the reviewer's bias taken out (as given, for works
        graded by the median).
    iterations, converged: how the fit ended (iterations <= MAX_ITERATIONS).
    bias_prior_sd, noise_prior_sd: the class-wide widths learnt from the data.
    score_sd: per work, the uncertainty of its grade (posterior SD given the reviewers'
        estimated noise and the uncertainty of their biases; for a median work, the class's
        typical noise over the square root of its number of reviews); None when not computed.
    """

    grades: np.ndarray
    by_model: np.ndarray
    bias: np.ndarray
    bias_sd: np.ndarray
    noise_sd: np.ndarray
    assessed: np.ndarray
    reviews_counted: np.ndarray
    weight: np.ndarray
    adjusted: np.ndarray
    iterations: int
    converged: bool
    bias_prior_sd: float
    noise_prior_sd: float
    score_sd: np.ndarray | None = None


def _median(x: np.ndarray) -> float:
    """np.median of a non-empty 1-d array, the same value, without its per-call overhead (the
    fit takes one per iteration)."""
    half = len(x) // 2
    if len(x) % 2:
        return float(np.partition(x, half)[half])
    part = np.partition(x, (half - 1, half))
    return float((part[half - 1] + part[half]) / 2)


def _median_shares(work: np.ndarray, points: np.ndarray,
                   counts: np.ndarray) -> np.ndarray:
    """Per review, its share in the median of its work (ties by position, as apply_policy)."""
    order = np.lexsort((np.arange(len(points)), points, work))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.empty(len(points), dtype=np.intp)
    rank[order] = np.arange(len(points)) - starts[work[order]]
    c = counts[work]
    low, high = (c - 1) // 2, c // 2
    return np.where(rank == low, 0.5, 0.0) + np.where(rank == high, 0.5, 0.0)


def fit_reviews(reviewer: np.ndarray, work: np.ndarray, points: np.ndarray, *,
                n_reviewers: int, n_works: int, max_score: float,
                start: ModelFit | None = None, tolerance: float = TOLERANCE,
                bias_prior: tuple[np.ndarray, np.ndarray] | None = None) -> ModelFit:
    """Fit the model to reviews given as parallel arrays (reviewer index, work index, points).

    Indexes run from 0 to n_reviewers - 1 and n_works - 1; points are in [0, max_score] (values
    outside are clipped). ``start``: a fit of (a superset of) the same reviews to start from
    (the cross-check's refits of part of the reviews converge in fewer iterations); the fit
    iterates to the same ``tolerance`` either way (points in 100 a grade may still move by in
    the last iteration). ``bias_prior``: (mean, SD) per reviewer, points of the task, what is
    known of a reviewer's bias against staff from elsewhere (earlier tasks' anchors, this
    task's anchored works; SD inf or NaN: nothing known). It counts as one more observation of
    the bias with that precision, so it corrects a reviewer's scores only as far as its SD
    allows, and gives a bias to a reviewer with a single review (who otherwise gets 0).
    Raises ValueError for arrays of different lengths or a bad max_score.
    """
    reviewer = np.asarray(reviewer, dtype=np.intp)
    work = np.asarray(work, dtype=np.intp)
    points = np.asarray(points, dtype=float)
    if not (len(reviewer) == len(work) == len(points)):
        raise ValueError("reviewer, work and points must have the same length.")
    if not max_score > 0:
        raise ValueError(f"max_score must be positive, not {max_score!r}.")
    points = np.clip(points, 0.0, max_score)
    # The priors and bounds above are in points out of 100.
    scale = 100.0 / max_score
    z = points * scale

    counts = np.bincount(work, minlength=n_works)
    groups = batch.group_reviews(work, n_works)
    medians = batch.policy_points(groups, points, "median")
    shares = _median_shares(work, points, counts)

    fitted = counts[work] >= 2
    rf, wf, zf = reviewer[fitted], work[fitted], z[fitted]
    per_reviewer = np.bincount(rf, minlength=n_reviewers)
    assessed = per_reviewer >= 2
    bias = np.zeros(n_reviewers)
    known_mean, known_precision = _known(bias_prior, n_reviewers, scale)
    if assessed.sum() < MIN_REVIEWERS:
        return ModelFit(grades=medians, by_model=np.zeros(n_works, dtype=bool), bias=bias,
                        bias_sd=np.zeros(n_reviewers), noise_sd=np.full(n_reviewers, np.nan),
                        assessed=np.zeros(n_reviewers, dtype=bool),
                        reviews_counted=per_reviewer, weight=shares, adjusted=points.copy(),
                        iterations=0, converged=True, bias_prior_sd=0.0, noise_prior_sd=np.nan,
                        score_sd=_median_sd(work, z, counts) / scale)

    # A reviewer with one review but a known bias is corrected by it (as far as its SD allows).
    assessed = assessed | ((known_precision > 0) & (per_reviewer >= 1))
    # Start from the medians, everybody equally reliable (or from the given fit).
    score = np.where(counts >= 2, medians * scale, 0.0)
    d = zf - score[wf]
    c = counts[wf].astype(float)
    noise_var = np.full(n_reviewers, max(np.sum(d * d) / np.sum(1 - 1 / c), NOISE_FLOOR ** 2))
    bias_var = 25.0
    if start is not None and start.assessed.any():
        bias = np.where(assessed, start.bias * scale, 0.0)
        measured = np.isfinite(start.noise_sd)
        noise_var = np.where(measured, (np.nan_to_num(start.noise_sd) * scale) ** 2, noise_var)
        bias_var = float(np.clip((start.bias_prior_sd * scale) ** 2, BIAS_SD_BOUNDS[0] ** 2,
                                 BIAS_SD_BOUNDS[1] ** 2))
        # Each reviewer's own prior width as the start's biases imply (the Student-t step).
        second = bias ** 2 + (start.bias_sd * scale) ** 2
        prior_precision = (BIAS_PRIOR_DOF + 1.0) / (BIAS_PRIOR_DOF + second / bias_var) / bias_var
    else:
        prior_precision = np.full(n_reviewers, 1.0 / bias_var)
    noise_dof, bias_cap = _alike(rf, wf, zf, counts, n_reviewers)
    converged = False
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - read after the loop
        precision = 1.0 / noise_var[rf]
        # Scores: precision-weighted mean of the bias-corrected reviews.
        total_precision = np.bincount(wf, precision, n_works)
        new_score = (np.bincount(wf, precision * (zf - bias[rf]), n_works)
                     / np.where(total_precision > 0, total_precision, 1.0))
        # Biases: the reviewer's mean departure from those scores, shrunk by the prior.
        e = zf - new_score[wf]
        bias_precision = np.bincount(rf, precision, n_reviewers) + prior_precision \
            + known_precision
        bias = np.where(assessed, (np.bincount(rf, precision * e, n_reviewers)
                                   + known_precision * known_mean)
                        / bias_precision, 0.0)
        # Noise: residuals, with the degrees of freedom the fit itself used up taken off (the
        # reviewer's share in each score, and the bias fitted from their reviews).
        d = e - bias[rf]
        leverage = precision / total_precision[wf]
        squares = np.bincount(rf, d * d, n_reviewers)
        bias_leverage = np.where(assessed, 1.0 - (prior_precision + known_precision)
                                 / bias_precision, 0.0)
        dof = np.maximum(np.bincount(rf, 1.0 - leverage, n_reviewers) - bias_leverage, 0.0)
        # The typical noise: the median over reviewers, so careless reviewers do not inflate it.
        informative = dof > 0.5
        typical = _median(squares[informative] / dof[informative]) if informative.any() \
            else float(np.sum(squares) / max(np.sum(dof), 1e-9))
        typical = max(typical, NOISE_FLOOR ** 2)
        noise_var = np.maximum((noise_dof * typical + squares) / (noise_dof + dof),
                               NOISE_FLOOR ** 2)
        # Empirical Bayes: the bias prior as wide as the biases the class shows (a known bias
        # is part of what the class shows).
        second = bias ** 2 + 1.0 / bias_precision
        # The Student-t prior as a scale mixture (its EM step): a reviewer whose bias is far
        # out gets a wider prior of their own, so a large habit is believed, not shrunk away.
        u = (BIAS_PRIOR_DOF + 1.0) / (BIAS_PRIOR_DOF + second / bias_var)
        bias_var = float(np.clip(np.mean(u[assessed] * second[assessed]),
                                 BIAS_SD_BOUNDS[0] ** 2, BIAS_SD_BOUNDS[1] ** 2))
        bias_var = min(bias_var, max(bias_cap, BIAS_SD_BOUNDS[0] ** 2))
        prior_precision = np.maximum(u / bias_var,
                                     1.0 / max(BIAS_SPREAD * bias_cap, BIAS_SD_BOUNDS[0] ** 2))
        change = float(np.max(np.abs(new_score - score)[counts >= 2]))
        score = new_score
        if change < tolerance:
            converged = True
            break

    # One last score step with the final biases and weights, so that every grade is exactly
    # the weighted mean of its adjusted reviews (what explain_all shows), before clipping.
    precision = 1.0 / noise_var[rf]
    share = precision / np.bincount(wf, precision, n_works)[wf]
    score = np.bincount(wf, share * (zf - bias[rf]), n_works)
    by_model = counts >= 2
    grades = np.where(by_model, np.clip(score, 0.0, 100.0) / scale, medians)
    weight = shares.copy()
    weight[fitted] = share
    adjusted = points.copy()
    adjusted[fitted] = (zf - bias[rf]) / scale
    bias_precision = np.bincount(rf, precision, n_reviewers) + prior_precision + known_precision
    total_precision = np.bincount(wf, precision, n_works)
    # A grade's variance: the reviews' noise, plus the uncertainty of the biases taken out.
    bias_var_r = np.where(assessed, 1.0 / bias_precision, 0.0)[rf]
    score_var = (1.0 / np.where(total_precision > 0, total_precision, 1.0)
                 + np.bincount(wf, share ** 2 * bias_var_r, n_works))
    score_sd = np.where(by_model, np.sqrt(score_var),
                        np.sqrt(typical) / np.sqrt(np.maximum(counts, 1)))
    return ModelFit(
        grades=grades, by_model=by_model, bias=bias / scale,
        bias_sd=np.where(assessed, 1.0 / np.sqrt(bias_precision), np.sqrt(bias_var)) / scale,
        noise_sd=np.sqrt(noise_var) / scale, assessed=assessed, reviews_counted=per_reviewer,
        weight=weight, adjusted=adjusted, iterations=iterations, converged=converged,
        bias_prior_sd=float(np.sqrt(bias_var)) / scale,
        noise_prior_sd=float(np.sqrt(typical)) / scale, score_sd=score_sd / scale)


def _alike(rf: np.ndarray, wf: np.ndarray, zf: np.ndarray, counts: np.ndarray,
           n_reviewers: int) -> tuple[float, float]:
    """How much the reviewers differ beyond chance, on the residuals of the plain mean (the
    model's own residuals would reward its own weighting): (the noise prior's weight in
    reviews, the cap on the bias prior's variance in points^2 out of 100).

    r = (z - the work's mean) x c / (c - 1) for a work with c reviews. Noise: the spread of the
    reviewers' mean r^2 beyond what their number of reviews and the residuals' kurtosis make
    by chance (method of moments; divided by ((c - 1) / c)^2, the share of a reviewer's own
    variance in r) gives the between-reviewer variance V of their noise variances; the prior
    then counts typical^2 (kurtosis - 1) / V reviews, the weight that shrinks a reviewer's
    estimate as far as its sampling error against V says, within [PRIOR_NOISE_DOF,
    ALIKE_MAX_DOF]. Biases: the reviewers' mean r squared minus its sampling variance, less
    BIAS_CAP_Z standard errors, times BIAS_CAP_FACTOR (a class with no habits: 0)."""
    c = counts[wf].astype(float)
    n_works = len(counts)
    means = np.bincount(wf, zf, n_works) / np.maximum(counts, 1)
    r = (zf - means[wf]) * c / (c - 1.0)
    n = np.bincount(rf, minlength=n_reviewers).astype(float)
    seen = n >= 2
    if seen.sum() < MIN_REVIEWERS:
        return PRIOR_NOISE_DOF, BIAS_SD_BOUNDS[1] ** 2
    n_v = n[seen]
    # Noise: per reviewer the mean of r^2 (r^2 x (c - 1) / c: unbiased for its variance).
    squares = r * r * (c - 1.0) / c
    s2 = np.bincount(rf, squares, n_reviewers)[seen] / n_v
    typical = float(np.mean(squares))
    kurtosis = float(np.mean(squares ** 2) / max(typical ** 2, 1e-12))
    chance = typical ** 2 * max(kurtosis - 1.0, 0.0) / n_v
    centre = float(np.sum(n_v * s2) / np.sum(n_v))
    spread = float(np.sum(n_v * ((s2 - centre) ** 2 - chance)) / np.sum(n_v))
    spread /= float(np.mean((c - 1.0) / c)) ** 2
    noise_dof = ALIKE_MAX_DOF if spread <= 0 else float(np.clip(
        typical ** 2 * max(kurtosis - 1.0, 0.0) / spread, PRIOR_NOISE_DOF, ALIKE_MAX_DOF))
    # Biases: per reviewer the mean r, against its sampling variance.
    mean_r = np.bincount(rf, r, n_reviewers)[seen] / n_v
    sampling = np.bincount(rf, r * r, n_reviewers)[seen] / n_v ** 2
    excess = mean_r ** 2 - sampling
    se = float(np.std(excess) / np.sqrt(len(excess)))
    bias_cap = BIAS_CAP_FACTOR * max(float(np.mean(excess)) - BIAS_CAP_Z * se, 0.0)
    return noise_dof, bias_cap


def _known(bias_prior: tuple[np.ndarray, np.ndarray] | None, n_reviewers: int,
           scale: float) -> tuple[np.ndarray, np.ndarray]:
    """A known bias per reviewer as (mean, precision) in points out of 100 (precision 0: none)."""
    if bias_prior is None:
        return np.zeros(n_reviewers), np.zeros(n_reviewers)
    mean = np.asarray(bias_prior[0], dtype=float) * scale
    sd = np.asarray(bias_prior[1], dtype=float) * scale
    if mean.shape != (n_reviewers,) or sd.shape != (n_reviewers,):
        raise ValueError("bias_prior must give a mean and an SD for every reviewer.")
    usable = np.isfinite(mean) & np.isfinite(sd) & (sd > 0)
    precision = np.where(usable, 1.0 / np.where(usable, sd, 1.0) ** 2, 0.0)
    return np.where(usable, mean, 0.0), precision


def _median_sd(work: np.ndarray, z: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Per work, the pooled scatter of a review around its work's mean over the square root of
    the work's number of reviews (NaN for a work without reviews)."""
    n_works = len(counts)
    means = np.bincount(work, z, n_works) / np.maximum(counts, 1)
    squares = float(np.sum((z - means[work]) ** 2))
    dof = float(np.sum(np.maximum(counts - 1, 0)))
    pooled = max(squares / dof if dof > 0 else 0.0, NOISE_FLOOR ** 2)
    return np.where(counts > 0, np.sqrt(pooled / np.maximum(counts, 1)), np.nan)
