"""Calibration against staff: what the works staff graded themselves say about the peers (issue 16).

On public peer-grading data peers were 5-6 % of the maximum harsher than staff, a class-wide
offset no reviewer model can see: it measures reviewers against each other, never against staff.
Staff grades of a few works (*anchors*: a calibration set, re-checks) can.

**The offset.** For an anchored work j with peer grade g_j (whatever the policy gave) and staff
grade a_j, the residual r_j = g_j - a_j is the class offset d plus the grade's own error, whose
variance v_j the grading rule estimates (the model's posterior variance of the work's score, or
for the simple rules the task's pooled scatter of a review over the work's number of reviews).
With a normal prior d ~ N(0, PRIOR_SD^2), the posterior is normal with

    precision P = sum_j 1 / (lambda v_j) + 1 / PRIOR_SD^2,   mean  d^ = (sum_j r_j / (lambda v_j)) / P,

where lambda >= 1 widens the v_j when the residuals scatter more than they should (with 3 or
more anchors: lambda = max(1, weighted sum of squared deviations / (n - 1))). Every grade moves
by -d^ (then is clipped to [0, max]): with no anchors d^ = 0 and nothing moves; anchors that agree
with the peers (r_j = 0) give d^ = 0; a handful of anchors moves the grades part of the way,
many move them nearly all of it. The 95 % interval is d^ +- 1.96 / sqrt(P).

**Per item** (anchors with item points, reviews with item points): the same estimate per item,
the peers' mean points for the item minus staff's, each with the prior N(0, PRIOR_SD^2 / m) over
the m items the anchors graded (so the items' offsets together have the total's prior). Where a
work is graded item by item (grading.grade_task, aggregation per_item) each item's points move by
minus its own offset (``apply_items``) instead of the total moving by the total's: an item the
anchors show peers under-score is raised, one they agree on is left alone.

**From earlier tasks** (``history_priors``): each reviewer's scores of works staff graded in the
course's earlier tasks (z - a, points in 100) give a normal estimate of their bias against staff,
each earlier task's residuals discounted by the drift of a habit between tasks; the estimate,
widened by one more task's drift, is the reviewer's prior in the next task's model
(model.fit_reviews' bias_prior).

**Per reviewer**: the reviewer's bias against staff, a normal update of the prior d^ + b_v (b_v:
the model's bias of the reviewer relative to the others, 0 without the model; variance
sd(d^)^2 + sd(b_v)^2) with the reviewer's own scores of anchored works (z - a, each with the
reviewer's noise variance). Reported for reviewers the model assessed or who scored an anchor.

Pure code: standard library and numpy.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Anchor", "Calibration", "DRIFT_SD", "Estimate", "HISTORY_NOISE_SD", "PRIOR_SD", "Z95",
           "as_anchor", "calibrate", "estimate_offset", "history_priors", "item_offsets",
           "pick_anchor_works", "pooled_sd", "staff_bias_priors"]

# Prior SD of the class offset, points in 100. The offsets seen in real classes (5-7 %) sit well
# inside it, so a few anchors are believed; a narrower prior would shrink a real 6-point offset
# away unless staff graded many works.
PRIOR_SD = 10.0
# Prior SD of a reviewer's bias (points in 100) when the model has no estimate of it.
REVIEWER_PRIOR_SD = 8.0
Z95 = 1.959963984540054
# A reviewer's bias drifts between tasks by about this much (SD per task, points in 100): an
# earlier task's evidence is discounted by it, one task back once, two tasks back twice.
DRIFT_SD = 3.0
# The scatter of one peer score around staff's once the reviewer's bias is out (points in 100):
# the typical noise of a review in the bench's classes and in the public data sets (8-12).
HISTORY_NOISE_SD = 10.0
# A grade's error variance is never taken below this (points in 100, squared): staff and peers
# read the checklist differently even when every peer agrees.
MIN_SD = 1.0


@dataclass(frozen=True)
class Anchor:
    """A staff grade of a work: its total (points of the task) and, optionally, item points."""

    points: float
    items: Mapping[Hashable, float] | None = None


def as_anchor(value: Anchor | float) -> Anchor:
    """An Anchor from an Anchor or a plain number. Raises ValueError for anything else."""
    if isinstance(value, Anchor):
        points = value.points
    else:
        points = value
    if isinstance(points, bool) or not isinstance(points, numbers.Real) or not math.isfinite(
            float(points)):
        raise ValueError(f"A staff grade must be a finite number, not {points!r}.")
    return value if isinstance(value, Anchor) else Anchor(float(value))


@dataclass(frozen=True)
class Estimate:
    """A posterior mean and SD (points of the task) from ``anchors`` anchored works or reviews."""

    value: float
    sd: float
    anchors: int

    @property
    def low(self) -> float:
        """The 95 % interval's lower end."""
        return self.value - Z95 * self.sd

    @property
    def high(self) -> float:
        """The 95 % interval's upper end."""
        return self.value + Z95 * self.sd

    def as_dict(self) -> dict:
        return {"value": round(self.value, 4), "sd": round(self.sd, 4),
                "low": round(self.low, 4), "high": round(self.high, 4), "anchors": self.anchors}


@dataclass(frozen=True)
class Calibration:
    """What the anchors say. offset: the peers' grade minus staff's (negative: peers harsher);
    every grade moves by ``shift`` = -offset.value. scatter: lambda (1: the residuals scatter as
    the grades' estimated errors predict). items: per-item offsets; reviewers: each reviewer's
    bias against staff."""

    offset: Estimate
    scatter: float = 1.0
    items: dict = field(default_factory=dict)
    reviewers: dict = field(default_factory=dict)
    items_applied: bool = False
    works: dict = field(default_factory=dict)
    # The reviewer-level refit's story of every review it was given, in their order: arrays of
    # each review's share of its work's grade, the points it counted as, and its reviewer's
    # bias and noise SD (NaN where the refit could not assess the reviewer); () without one.
    refit: tuple = field(default=(), compare=False, repr=False)

    @property
    def reviewer_level(self) -> bool:
        """The grades were refitted with each anchored reviewer's bias against staff
        (``works``: {author: calibrated grade}), not only moved by the offset."""
        return bool(self.works)

    @property
    def anchors(self) -> int:
        return self.offset.anchors

    @property
    def shift(self) -> float:
        return -self.offset.value if self.offset.anchors else 0.0

    def apply(self, points: float, max_score: float) -> float:
        """A grade moved by the calibration and clipped to [0, max_score] (unchanged, exactly,
        when there is nothing to move)."""
        if not self.shift:
            return points
        return min(max(points + self.shift, 0.0), float(max_score))

    def apply_work(self, author: Hashable, points: float, max_score: float) -> float:
        """A work's calibrated grade: the reviewer-level refit's where there is one, else the
        grade moved by the offset (``apply``)."""
        if author in self.works:
            return min(max(float(self.works[author]), 0.0), float(max_score))
        return self.apply(points, max_score)

    def item_shifts(self, item_ids: Iterable[Hashable]) -> dict:
        """{item: points to add} for the items of a work graded item by item: minus each item's
        offset (0 for an item no anchor graded)."""
        return {item: -self.items[item].value if item in self.items and self.items[item].anchors
                else 0.0 for item in item_ids}

    def apply_items(self, item_points: Mapping[Hashable, float], max_score: float) -> tuple[dict, float]:
        """A work graded item by item, each item moved by its own offset: (the items' points,
        the total clipped to [0, max_score]). Unchanged when no item moves."""
        shifts = self.item_shifts(item_points)
        moved = {item: float(points) + shifts[item] for item, points in item_points.items()}
        return moved, min(max(sum(moved.values()), 0.0), float(max_score))

    def as_dict(self) -> dict:
        """Plain data for staff analytics (JSON); reviewer and item keys as given."""
        return {"offset": self.offset.as_dict(), "shift": round(self.shift, 4),
                "anchors": self.anchors, "scatter": round(self.scatter, 4),
                "items": {k: e.as_dict() for k, e in self.items.items()},
                "items_applied": self.items_applied, "reviewer_level": self.reviewer_level,
                "reviewers": {k: e.as_dict() for k, e in self.reviewers.items()}}


def estimate_offset(residuals: Iterable[float], variances: Iterable[float], *,
                    prior_sd: float) -> tuple[Estimate, float]:
    """The posterior of the offset from residuals with known variances (module docstring),
    and lambda. No residuals: the prior (value 0)."""
    r = np.asarray(list(residuals), dtype=float)
    v = np.asarray(list(variances), dtype=float)
    if not len(r):
        return Estimate(0.0, float(prior_sd), 0), 1.0
    w = 1.0 / v
    scatter = 1.0
    if len(r) >= 3:
        centre = float(np.sum(w * r) / np.sum(w))
        scatter = max(1.0, float(np.sum(w * (r - centre) ** 2)) / (len(r) - 1))
    precision = float(np.sum(w)) / scatter + 1.0 / prior_sd ** 2
    value = float(np.sum(w * r)) / scatter / precision
    return Estimate(value, 1.0 / math.sqrt(precision), len(r)), scatter


def pooled_sd(groups: Iterable[Iterable[float]], floor: float) -> float:
    """The pooled within-group SD of the values (at least ``floor``; ``floor`` without any
    group of 2 or more)."""
    squares = dof = 0.0
    for values in groups:
        x = np.asarray(list(values), dtype=float)
        if len(x) >= 2:
            squares += float(np.sum((x - x.mean()) ** 2))
            dof += len(x) - 1
    return max(math.sqrt(squares / dof) if dof else floor, floor)


def calibrate(grades: Mapping[Hashable, float], sds: Mapping[Hashable, float],
              anchors: Mapping[Hashable, Anchor | float], *, max_score: float,
              reviews: Iterable[tuple[Hashable, Hashable, float]] = (),
              reviewer_bias: Mapping[Hashable, tuple[float, float]] | None = None,
              reviewer_noise: Mapping[Hashable, float] | None = None,
              noise: float | None = None) -> Calibration:
    """Estimate the class offset from the anchored works that have a peer grade.

    grades, sds: each work's peer grade and the SD of its error (points of the task); anchors:
    {author: staff grade}. For the per-reviewer estimates: reviews as (reviewer, author,
    points), the model's relative bias (value, SD) and noise SD per reviewer where it has them,
    and ``noise``, the task's typical scatter of a review, for the others.
    """
    scale = max_score / 100.0
    floor = (MIN_SD * scale) ** 2
    staff = {a: as_anchor(v) for a, v in anchors.items()}
    used = [a for a in staff if a in grades and grades[a] == grades[a]]
    offset, scatter = estimate_offset(
        [grades[a] - staff[a].points for a in used],
        [max(sds.get(a, 0.0) ** 2, floor) for a in used], prior_sd=PRIOR_SD * scale)
    result = Calibration(offset, scatter)
    if not used:
        return result
    return Calibration(offset, scatter, reviewers=_reviewer_biases(
        offset, staff, reviews, reviewer_bias or {}, reviewer_noise or {},
        noise if noise is not None else REVIEWER_PRIOR_SD * scale, scale))


def _reviewer_biases(offset: Estimate, staff: Mapping[Hashable, Anchor],
                     reviews: Iterable[tuple[Hashable, Hashable, float]],
                     relative: Mapping[Hashable, tuple[float, float]],
                     noise_sd: Mapping[Hashable, float], noise: float,
                     scale: float) -> dict:
    direct: dict = {}
    for reviewer, author, points in reviews:
        if author in staff:
            direct.setdefault(reviewer, []).append(float(points) - staff[author].points)
    result = {}
    for reviewer in [*relative, *(r for r in direct if r not in relative)]:
        bias, bias_sd = relative.get(reviewer, (0.0, REVIEWER_PRIOR_SD * scale))
        mean = offset.value + bias
        precision = 1.0 / (offset.sd ** 2 + bias_sd ** 2)
        seen = direct.get(reviewer, [])
        if seen:
            sd = noise_sd.get(reviewer)
            sd = noise if sd is None or sd != sd else sd
            each = 1.0 / max(sd ** 2, (MIN_SD * scale) ** 2)
            total = precision + each * len(seen)
            mean = (mean * precision + each * sum(seen)) / total
            precision = total
        result[reviewer] = Estimate(float(mean), 1.0 / math.sqrt(precision), len(seen))
    return result


def staff_bias_priors(reviews: Iterable[tuple[Hashable, Hashable, float]],
                      anchors: Mapping[Hashable, Anchor | float], offset: Estimate, *,
                      max_score: float, reviewer_noise: Mapping[Hashable, float] | None = None,
                      noise: float | None = None,
                      history: Mapping[Hashable, tuple[float, float]] | None = None) -> dict:
    """Each reviewer's bias against staff once the class offset is out, for the
    reviewer-level refit (cohort.py): {reviewer: (mean, SD)}, points of the task.

    A reviewer who scored anchored works: the mean of z - offset - a over them, with variance
    their noise^2 / n (``reviewer_noise``, else ``noise``, else REVIEWER_PRIOR_SD) plus the
    offset's variance; combined by precision with ``history`` (earlier tasks' priors, same
    units) where there is one. A reviewer with only a history keeps it; others are left out.
    """
    scale = max_score / 100.0
    staff = {a: as_anchor(v) for a, v in anchors.items()}
    reviewer_noise = reviewer_noise or {}
    typical = noise if noise is not None and noise == noise else REVIEWER_PRIOR_SD * scale
    seen: dict = {}
    for reviewer, author, points in reviews:
        if author in staff:
            seen.setdefault(reviewer, []).append(float(points) - offset.value
                                                 - staff[author].points)
    result = {}
    for reviewer in [*seen, *(r for r in (history or {}) if r not in seen)]:
        precision = total = 0.0
        if reviewer in seen:
            sd = reviewer_noise.get(reviewer)
            sd = typical if sd is None or sd != sd else sd
            var = max(sd, MIN_SD * scale) ** 2 / len(seen[reviewer]) + offset.sd ** 2
            precision, total = 1.0 / var, float(np.mean(seen[reviewer])) / var
        if history and reviewer in history:
            mean, sd = (float(x) for x in history[reviewer])
            if math.isfinite(mean) and math.isfinite(sd) and sd > 0:
                precision += 1.0 / sd ** 2
                total += mean / sd ** 2
        if precision > 0:
            result[reviewer] = (total / precision, 1.0 / math.sqrt(precision))
    return result


def item_offsets(item_reviews: Mapping[Hashable, list[Mapping[Hashable, float]]],
                 anchors: Mapping[Hashable, Anchor | float], *,
                 max_score: float) -> dict:
    """Per item, the peers' mean points minus staff's over the anchored works whose anchor has
    item points: {item: Estimate}. item_reviews: {author: [the item points of each review]}."""
    scale = max_score / 100.0
    residuals: dict = {}
    spreads: dict = {}
    for author, value in anchors.items():
        anchor = as_anchor(value)
        reviews = item_reviews.get(author) or []
        if anchor.items is None or not reviews:
            continue
        for item, staff_points in anchor.items.items():
            given = [float(r[item]) for r in reviews if item in r]
            if given:
                residuals.setdefault(item, []).append((float(np.mean(given)) - staff_points,
                                                       len(given)))
                spreads.setdefault(item, []).append(given)
    result = {}
    # The items' offsets together have the total's prior: each N(0, PRIOR_SD^2 / m).
    prior_sd = PRIOR_SD * scale / math.sqrt(max(len(residuals), 1))
    for item, pairs in residuals.items():
        sd = pooled_sd(spreads[item], MIN_SD * scale)
        result[item] = estimate_offset([r for r, _ in pairs], [sd ** 2 / n for _, n in pairs],
                                       prior_sd=prior_sd)[0]
    return result


def history_priors(residuals: Mapping[Hashable, Iterable[tuple[float, int]]], *,
                   noise_sd: float = HISTORY_NOISE_SD, drift_sd: float = DRIFT_SD,
                   prior_sd: float = REVIEWER_PRIOR_SD) -> dict:
    """Each reviewer's bias against staff from earlier tasks, as the next task's prior.

    residuals: {reviewer: [(their score of a work staff graded minus staff's grade, in points
    out of 100; how many tasks back it was: 1 for the latest earlier task)]}. Normal model: the
    bias ~ N(0, prior_sd^2); a residual t tasks back is the bias plus noise of variance
    noise_sd^2 + (t - 1) drift_sd^2 (habits drift); the posterior is widened by one more drift
    for the next task. Returns {reviewer: Estimate} (value and SD in points out of 100, anchors:
    residuals used); reviewers without residuals are left out (no history: no prior).
    """
    result = {}
    for reviewer, seen in residuals.items():
        seen = [(float(r), max(int(t), 1)) for r, t in seen if math.isfinite(float(r))]
        if not seen:
            continue
        precision = 1.0 / prior_sd ** 2
        total = 0.0
        for r, back in seen:
            each = 1.0 / (noise_sd ** 2 + (back - 1) * drift_sd ** 2)
            precision += each
            total += each * r
        sd = math.sqrt(1.0 / precision + drift_sd ** 2)
        result[reviewer] = Estimate(total / precision, sd, len(seen))
    return result


def pick_anchor_works(reviewers_of: Mapping[Hashable, Iterable[Hashable]], n: int, seed: str | int) -> list:
    """The works a calibration set asks staff to grade: `n` works spread over the review graph.

    Greedy: each next work is the one whose reviewers are the most not yet met by the works
    picked (so the staff grades touch as many reviewers as they can, and the reviewer biases
    against staff can be estimated for as many as possible); ties go by a seeded shuffle, so a
    task's pick is fixed and nobody can tell from the order who submitted first. Fewer than `n`
    works: all of them.
    """
    order = sorted(reviewers_of, key=repr)
    random.Random(f"{seed}:calibration").shuffle(order)
    reviewers = {work: set(reviewers_of[work]) for work in order}
    position = {work: i for i, work in enumerate(order)}
    picked, met = [], set()
    while len(picked) < min(n, len(order)):
        chosen = set(picked)
        best = max((work for work in order if work not in chosen),
                   key=lambda work: (len(reviewers[work] - met), -position[work]))
        picked.append(best)
        met |= reviewers[best]
    return picked
