"""Does the ``reliability`` model know enough about this task? A check on the task's own reviews.

The model earns its keep only when the task has enough reviews per reviewer, a connected review
graph and reviewers who differ; on a sparse, homogeneous class it can fit noise and lose to the
plain mean (issue 16: 8 % worse than the mean on a MOOC where most graders gave 1-3 grades). So
before its grades are used, the model and the simple rules are compared on what the task itself
shows: **leave one review of every work out, in turn**.

In each of FOLDS folds one review of every work with 2 or more reviews is left out (a different
one in each fold, as far as the work has reviews). A fold is refitted in PARTS parts: each refit
leaves out the fold's reviews of one PARTS-th of the works only, so every reviewer keeps most of
their reviews; and every rule predicts each left-out review by the grade it gives that review's
work from the work's other reviews. After FIRST_FOLDS folds the check stops as soon as the model
is Z_CLEAR standard errors ahead: more folds could not change the decision.
Why parts: the decision is about the model fitted on all the reviews, and a refit without one
review of every work judges a model that has also lost one review of every reviewer (at k = 3 a
third of what it knows of each). In one refit per fold the model's lead over the mean, per
left-out review, came out far smaller than its true lead per work (bench's seed, 100 classes
each: honest k = 3 -1.5 points^2 against -5.1; realistic k = 3 -5.8 against -34.5; honest
k = 4 -6.9 against -9.0), so the check fell back where the model was better (honest k = 3: 45
classes in 100). In 4 parts: -3.5, -24.4 and -9.0; and where the model is worse (ambiguous,
k = 3: +2.1 against +2.7) the two kinds of class lie further apart.
Why this measures the grade's accuracy: a left-out review is z = s + e, the work's true score
plus that review's own error, and z played no part in the prediction g, so
E(g - z)^2 = E(g - s)^2 + E e^2. The second term is the same for every rule, so the rule with
the smallest held-out squared error is the one whose grades are closest to the true scores
(for works with one review fewer than they have). A leave-one-out of the fitted model itself
(no refit) would reuse z through the other reviewers' biases and favour or penalise the model
for the wrong reason; refitting costs up to FOLDS x PARTS extra fits, each started from the
full fit.

Every standard error here is clustered by work (``_se``): the reviews left out of one work in
the different folds share its other reviews and how hard it is to judge, so they are not
independent, and counted as if they were, a few hard-to-judge works looked like a clear verdict
(the bench's `ambiguous` classes: the median picked where it was 30 % worse than the mean).

Unless the model is ahead of the better simple rule (the mean unless the median is clearly
better; on a tie, as when every work is left with 2 reviews, the mean) by more than Z_BLEND
standard errors of the paired difference, the grades are the blend w * model + (1 - w) * that
rule whose w in WEIGHTS predicted the left-out reviews best (w = 1: the model, w = 0: the simple
rule). The same argument holds for a blend: its prediction of a left-out review is the blend of
the two rules' predictions, so the folds give every blend's held-out error at no extra cost.
Below MIN_HELD_OUT left-out reviews there is too little to tell the rules apart, and the model
is used as before (with fewer than 3 assessable reviewers it is the median anyway). Pure code: numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import batch, model

__all__ = ["FOLDS", "MIN_HELD_OUT", "PARTS", "RULES", "WEIGHTS", "ModelCheck", "best_weight",
           "check_model"]

# Each fold leaves one review of every work out: four folds (each review of a work with 4 is
# left out once). Tried on the bench's regimes (other seeds): 2 and 3 folds
# detect a model that loses less often (ambiguous, k = 4: 1.04-1.08 x the mean, against 1.02).
FOLDS = 4
# Each fold in PARTS refits, each without the fold's reviews of one PARTS-th of the works (module
# docstring). Tried on the bench's regimes (its seed and 999): 1, 2 and 4 parts; 2 and 4 were
# better than 1 in nearly every row, 4 a little better than 2. On 10,000 works x 5 reviews the
# check (16 refits, no early stop) takes about 0.4 s, against 0.13 s in one part.
PARTS = 4
# After FIRST_FOLDS folds, stop when the model is already ahead by Z_CLEAR standard errors
# (most classes: the check then costs one or two folds, not four).
FIRST_FOLDS = 1
Z_CLEAR = 2.0
# (Before the blends: the model was replaced by the simple rule outright when its held-out
# squared error exceeded the rule's by more than 0.5 standard errors; tried 0, 0.5 and 1.)
# The median replaces the mean only when its held-out squared error is lower by more than this
# many standard errors of the paired difference (a close call goes to the mean).
Z_MEDIAN = 1.5
# The refits stop once no grade moves by this many points in 100 (the full fit: 0.01).
REFIT_TOLERANCE = 0.05
# Fewer left-out reviews than this: the comparison is mostly noise; keep the model.
MIN_HELD_OUT = 30
# The blends tried: the model's share of the grade. Where the model and the better simple rule
# predict left-out reviews about equally well but not alike, a blend of the two is better than
# either (the bench's ambiguous classes). A blend is considered only where the model is not
# ahead of the simple rule by more than Z_BLEND standard errors: where it clearly is, the
# held-out choice among blends is mostly noise (other seeds than the bench's: it took 1-2 % from
# mixed, careless and realistic classes at k = 4-5 when every class could blend). Tried grids
# of 3, 5 and 11 shares and thresholds 0, -0.5, -1, -1.5: within 0.002 of each other.
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
Z_BLEND = -0.5
RULES = ("reliability", "mean", "median")


@dataclass(frozen=True)
class ModelCheck:
    """The task's decision: ``rule`` is what its grades use ("reliability", "mean", "median",
    or "blend": ``weight`` x the model's grade + (1 - ``weight``) x the ``simple`` rule's).
    weight: the model's share of the grades (1 for "reliability", 0 for a simple rule).
    simple: the better simple rule on the left-out reviews ("" when not compared). checked:
    the comparison was made (False: too few reviews, or the model could not be fitted at all,
    ``reason`` says which). rmse: each rule's root mean squared error
    predicting the left-out reviews, in points of the task ("blend": the chosen blend's, when
    blended). folds, held_out: how many folds and left-out reviews; refits: how many times the
    model was refitted (up to PARTS per fold)."""

    rule: str
    checked: bool
    reason: str
    folds: int = 0
    held_out: int = 0
    rmse: dict = field(default_factory=dict)
    weight: float | None = None
    simple: str = ""
    refits: int = 0

    def __post_init__(self) -> None:
        if self.weight is None:  # the model's share: all of it, or none for a simple rule
            object.__setattr__(self, "weight", 1.0 if self.rule == "reliability" else 0.0)

    def as_dict(self) -> dict:
        """Plain data for staff analytics (JSON)."""
        return {"rule": self.rule, "checked": self.checked, "reason": self.reason,
                "folds": self.folds, "held_out": self.held_out, "weight": self.weight,
                "simple": self.simple, "refits": self.refits,
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
    predicted = {rule: np.zeros(len(work)) for rule in RULES}
    errors = {rule: np.zeros(len(work)) for rule in RULES}
    done = np.zeros(len(work), dtype=bool)
    # Which part of the works a work is in: any fixed spread will do, since which of a work's
    # reviews each fold leaves out already varies from work to work (_folds).
    part_of = (np.arange(n_works) % PARTS)[work]
    folds = refits = 0
    for f in range(FOLDS):
        held = fold == f
        if not held.any():
            continue
        # A work's other reviews are the same whichever part is refitted, so the simple rules'
        # predictions are worked out once per fold.
        kept = ~held
        groups = batch.group_reviews(work[kept], n_works)
        for rule in ("mean", "median"):
            _predict(batch.policy_points(groups, points[kept], rule), held,
                     predicted[rule], errors[rule], work, points)
        for part in range(PARTS):
            test = held & (part_of == part)
            if not test.any():
                continue
            train = ~test
            refit = model.fit_reviews(reviewer[train], work[train], points[train],
                                      n_reviewers=n_reviewers, n_works=n_works,
                                      max_score=max_score, start=fit,
                                      tolerance=REFIT_TOLERANCE, bias_prior=bias_prior)
            _predict(refit.grades, test, predicted["reliability"], errors["reliability"], work,
                     points)
            refits += 1
        done |= held
        folds += 1
        # Sequential: once the model is ahead by Z_CLEAR standard errors, more folds would not
        # change the decision.
        if (folds >= FIRST_FOLDS and f < FOLDS - 1
                and _z(errors, done, work, _simple(errors, done, work)) < -Z_CLEAR):
            break
    rmse = {rule: float(np.sqrt(np.mean(e[done]))) for rule, e in errors.items()}
    simple = _simple(errors, done, work)
    z = _z(errors, done, work, simple)
    if z > Z_BLEND:
        weight, blended = best_weight(predicted["reliability"][done], predicted[simple][done],
                                      points[done])
    else:
        weight, blended = 1.0, rmse["reliability"] ** 2
    rule = "reliability" if weight == 1.0 else simple if weight == 0.0 else "blend"
    if rule == "blend":
        rmse["blend"] = float(np.sqrt(blended))
    return ModelCheck(rule, True, "compared", folds, int(done.sum()), rmse, weight, simple,
                      refits)


def _predict(grades: np.ndarray, test: np.ndarray, predicted: np.ndarray, errors: np.ndarray,
             work: np.ndarray, points: np.ndarray) -> None:
    """A rule's prediction of each left-out review in ``test`` (the grade it gives the review's
    work without it) and its squared error, into ``predicted`` and ``errors``."""
    predicted[test] = grades[work[test]]
    errors[test] = (grades[work[test]] - points[test]) ** 2


def best_weight(model_predicted: np.ndarray, simple_predicted: np.ndarray,
                left_out: np.ndarray) -> tuple[float, float]:
    """The model's share in WEIGHTS whose blend w * model + (1 - w) * simple rule predicted the
    left-out reviews best, and that blend's mean squared error; a tie goes to the larger
    share. (The blend of two rules' grades predicts a left-out review by the blend of their
    predictions, so each fold's predictions give every blend's held-out error.)"""
    best, error = 1.0, np.inf
    for w in sorted(WEIGHTS, reverse=True):
        e = float(np.mean((w * model_predicted + (1.0 - w) * simple_predicted - left_out) ** 2))
        if e < error:
            best, error = w, e
    return best, error


def _se(diff: np.ndarray, work: np.ndarray) -> float:
    """The standard error of the mean of ``diff`` (one entry per left-out review), clustered by
    ``work``: a work's left-out reviews share its other reviews, its grades and how hard it is to
    judge, so they are not independent; counting them as independent made a few hard works look
    like a clear verdict (module docstring). 0 for fewer than 2 works."""
    g = int(np.count_nonzero(np.bincount(work))) if len(work) else 0
    if g < 2:
        return 0.0
    sums = np.bincount(work, diff - float(np.mean(diff)))  # 0 for the works with none
    return float(np.sqrt(np.sum(sums ** 2) * g / (g - 1))) / len(diff)


def _simple(errors: dict, done: np.ndarray, work: np.ndarray) -> str:
    """The better simple rule: the median only where its held-out squared error is below the
    mean's by more than Z_MEDIAN (clustered) standard errors of the paired difference; mean and
    median are the same for works left with 2 reviews, and a tie goes to the mean."""
    diff = (errors["median"] - errors["mean"])[done]
    mean = float(np.mean(diff)) if len(diff) else 0.0
    if mean >= 0:
        return "mean"
    se = _se(diff, work[done])
    return "median" if se == 0 or mean / se < -Z_MEDIAN else "mean"


def _z(errors: dict, done: np.ndarray, work: np.ndarray, simple: str) -> float:
    """How many (clustered) standard errors of the paired difference the model's held-out
    squared error is above the ``simple`` rule's (the better one: _simple; negative: below)."""
    diff = (errors["reliability"] - errors[simple])[done]
    if len(diff) < 2:
        return 0.0
    se = _se(diff, work[done])
    mean = float(np.mean(diff))
    return mean / se if se > 0 else (0.0 if mean == 0 else float(np.sign(mean)) * np.inf)

