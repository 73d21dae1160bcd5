"""Does the ``reliability`` model know enough about this task? A check on the task's own reviews.

The model earns its keep only when the task has enough reviews per reviewer, a connected review
graph and reviewers who differ; on a sparse, homogeneous class it can fit noise and lose to the
plain mean (issue 16: 8 % worse than the mean on a MOOC where most graders gave 1-3 grades). So
before its grades are used, the model and the simple rules are compared on what the task itself
shows: **leave one review of every work out, in turn**.

In each of FOLDS folds one review of every work with 2 or more reviews is left out (a different
one in each fold, as far as the work has reviews). For each fold the model is refitted without
that fold's reviews, and every rule predicts each left-out review by the grade it gives that
review's work from the work's other reviews. After FIRST_FOLDS folds the check stops as soon as
the model is Z_CLEAR standard errors ahead: more folds could not change the decision.
Why this measures the grade's accuracy: a left-out review is z = s + e, the work's true score
plus that review's own error, and z played no part in the prediction g, so
E(g - z)^2 = E(g - s)^2 + E e^2. The second term is the same for every rule, so the rule with
the smallest held-out squared error is the one whose grades are closest to the true scores
(for works with one review fewer than they have). A leave-one-out of the fitted model itself
(no refit) would reuse z through the other reviewers' biases and favour or penalise the model
for the wrong reason; refitting costs F extra fits, each started from the full fit.

The model is kept unless its error exceeds the better simple rule's by more than Z_FALLBACK
standard errors of the paired difference (then the better of mean and median is used; on a tie,
as when every work is left with 2 reviews, the mean). Below MIN_HELD_OUT left-out reviews
there is too little to tell the rules apart, and the model is used as before (with fewer than
3 assessable reviewers it is the median anyway). Pure code: numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import batch, model

__all__ = ["FOLDS", "MIN_HELD_OUT", "RULES", "ModelCheck", "check_model"]

# Each fold leaves one review of every work out: four folds (each review of a work with 4 is
# left out once), four refits. Tried on the bench's regimes (other seeds): 2 and 3 folds
# detect a model that loses less often (ambiguous, k = 4: 1.04-1.08 x the mean, against 1.02).
FOLDS = 4
# After FIRST_FOLDS folds, stop when the model is already ahead by Z_CLEAR standard errors
# (most classes: the check then costs two refits, not four).
FIRST_FOLDS = 1
Z_CLEAR = 2.0
# The model is replaced only when its held-out squared error exceeds the better simple rule's
# by more than this many standard errors of the paired difference. Tried 0, 0.5 and 1: 0
# falls back in a third of the classes where the model is better (honest, k = 3), 1 misses
# half of those where it is worse (ambiguous).
Z_FALLBACK = 0.5
# The median replaces the mean only when its held-out squared error is lower by more than this
# many standard errors of the paired difference (a close call goes to the mean).
Z_MEDIAN = 1.5
# The refits stop once no grade moves by this many points in 100 (the full fit: 0.01).
REFIT_TOLERANCE = 0.05
# Fewer left-out reviews than this: the comparison is mostly noise; keep the model.
MIN_HELD_OUT = 30
RULES = ("reliability", "mean", "median")


@dataclass(frozen=True)
class ModelCheck:
    """The task's decision: ``rule`` is what its grades use ("reliability", "mean" or
    "median"). checked: the comparison was made (False: too few reviews, or the model could
    not be fitted at all, ``reason`` says which). rmse: each rule's root mean squared error
    predicting the left-out reviews, in points of the task. folds, held_out: how many folds and
    left-out reviews."""

    rule: str
    checked: bool
    reason: str
    folds: int = 0
    held_out: int = 0
    rmse: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain data for staff analytics (JSON)."""
        return {"rule": self.rule, "checked": self.checked, "reason": self.reason,
                "folds": self.folds, "held_out": self.held_out,
                "rmse": {rule: round(value, 4) for rule, value in self.rmse.items()}}


def _folds(work: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each review's fold, 0..FOLDS-1, or -1 (kept in every refit): in every work with 2 or
    more reviews, one review is left out in each fold."""
    order = np.argsort(work, kind="stable")
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.empty(len(work), dtype=np.intp)
    rank[order] = np.arange(len(work)) - starts[work[order]]
    # Which reviews of a work are left out varies from work to work (a fixed hash, no RNG).
    c = np.maximum(counts[work], 1)
    turn = (rank + (work.astype(np.int64) * 40_503) % c) % c
    return np.where((counts[work] >= 2) & (turn < FOLDS), turn, -1)


def check_model(reviewer: np.ndarray, work: np.ndarray, points: np.ndarray, *,
                n_reviewers: int, n_works: int, max_score: float,
                fit: model.ModelFit,
                bias_prior: tuple[np.ndarray, np.ndarray] | None = None) -> ModelCheck:
    """Compare the model (``fit`` is its fit of all the reviews, with ``bias_prior`` if it had
    one: the refits use it too) with the mean and the median by leaving one review of every
    work out in turn (see the module docstring)."""
    if not fit.by_model.any():
        return ModelCheck("median", False, "too_few_reviewers")
    reviewer = np.asarray(reviewer, dtype=np.intp)
    work = np.asarray(work, dtype=np.intp)
    points = np.clip(np.asarray(points, dtype=float), 0.0, max_score)
    counts = np.bincount(work, minlength=n_works)
    fold = _folds(work, counts)
    held_out = int(np.sum(fold >= 0))
    if held_out < MIN_HELD_OUT:
        return ModelCheck("reliability", False, "too_few_reviews", FOLDS, held_out)
    errors = {rule: np.zeros(len(work)) for rule in RULES}
    done = np.zeros(len(work), dtype=bool)
    folds = 0
    for f in range(FOLDS):
        test = fold == f
        if not test.any():
            continue
        train = ~test
        part = model.fit_reviews(reviewer[train], work[train], points[train],
                                 n_reviewers=n_reviewers, n_works=n_works, max_score=max_score,
                                 start=fit, tolerance=REFIT_TOLERANCE, bias_prior=bias_prior)
        groups = batch.group_reviews(work[train], n_works)
        predictions = {"reliability": part.grades,
                       "mean": batch.policy_points(groups, points[train], "mean"),
                       "median": batch.policy_points(groups, points[train], "median")}
        for rule, grades in predictions.items():
            errors[rule][test] = (grades[work[test]] - points[test]) ** 2
        done |= test
        folds += 1
        # Sequential: once the model is ahead by Z_CLEAR standard errors, more folds would not
        # change the decision.
        if folds >= FIRST_FOLDS and f < FOLDS - 1 and _z(errors, done) < -Z_CLEAR:
            break
    rmse = {rule: float(np.sqrt(np.mean(e[done]))) for rule, e in errors.items()}
    z = _z(errors, done)
    simple = _simple(errors, done)
    return ModelCheck(simple if z > Z_FALLBACK else "reliability", True, "compared", folds,
                      int(done.sum()), rmse)


def _simple(errors: dict, done: np.ndarray) -> str:
    """The better simple rule: the median only where its held-out squared error is below the
    mean's by more than Z_MEDIAN standard errors of the paired difference; mean and median are
    the same for works left with 2 reviews, and a tie goes to the mean."""
    diff = (errors["median"] - errors["mean"])[done]
    mean = float(np.mean(diff)) if len(diff) else 0.0
    if mean >= 0:
        return "mean"
    se = float(np.std(diff, ddof=1) / np.sqrt(len(diff))) if len(diff) >= 2 else 0.0
    return "median" if se == 0 or mean / se < -Z_MEDIAN else "mean"


def _z(errors: dict, done: np.ndarray) -> float:
    """How many standard errors of the paired difference the model's held-out squared error
    is above the better simple rule's (negative: below)."""
    diff = (errors["reliability"] - errors[_simple(errors, done)])[done]
    if len(diff) < 2:
        return 0.0
    se = float(np.std(diff, ddof=1) / np.sqrt(len(diff)))
    mean = float(np.mean(diff))
    return mean / se if se > 0 else (0.0 if mean == 0 else float(np.sign(mean)) * np.inf)
