"""The reviewer rating (issue 11, F3): how good a reviewer a learner is, 0–100, over every
cross-check of a course, and what it is made of, so the learner can be told what moves it.

Per task the service hands in one ``TaskRecord``: what the reliability model (model.py) found
about the learner as a reviewer, how many of their reviews came in on time, how many of their
reviews the authors thanked, how many complaints about them course staff upheld, and how many
extra reviews they did. ``reviewer_rating`` combines the tasks:

    rating = 70 × agreement + 30 × on time + thanks bonus + extra bonus − complaint penalty,

cut to 0..100, where

- agreement = 1 − (RMS error of the learner's scores) / (30 % of the maximum), not below 0. The
  RMS error is what the model expects a score of theirs to be off by, bias and scatter together:
  sqrt(bias² + noise²), in shares of the task's maximum. Tasks are averaged weighting each by
  the reviews the model compared there, and the class's typical reviewer counts as
  PRIOR_REVIEWS reviews more, so one or two reviews cannot make a top (or a bottom) reviewer;
- on time = reviews finished before the cross-check end among those assigned (and due), over
  all tasks, with the class's share counting as PRIOR_REVIEWS reviews more, for the same reason;
- thanks: +2 per review an author thanked (a review counts once, whatever it was thanked for),
  at most +10; extra reviews: +2 each, at most +10;
- complaints: −10 per review about which course staff upheld a complaint.

Why these weights: agreement is what a review is for (scores other careful reviewers also
give), so it carries most; finishing on time matters to the authors waiting for their grade,
but only says the review was done; thanks and extra reviews are small bounded bonuses, since
a thanks depends on the author as much as on the reviewer, and bounded bonuses cannot be farmed;
an upheld complaint is staff's verdict that a review was unfair, so it costs a lot.

Pure code: standard library only (and i18n for the sentences).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.i18n import N_, Text, plural_text

__all__ = ["AGREEMENT_POINTS", "AGREEMENT_ZERO", "COMPLAINT_POINTS", "EXTRA_CAP", "EXTRA_POINTS",
           "MIDDLE", "ON_TIME_POINTS", "PRIOR_REVIEWS", "THANKS_CAP", "THANKS_POINTS",
           "RatingResult", "TaskRecord", "agreement_of", "explain", "reviewer_rating"]

AGREEMENT_POINTS = 70.0
ON_TIME_POINTS = 30.0
THANKS_POINTS, THANKS_CAP = 2.0, 10.0
EXTRA_POINTS, EXTRA_CAP = 2.0, 10.0
COMPLAINT_POINTS = 10.0
# An RMS error of this share of the maximum gives agreement 0: full marks for everything in a
# class whose works average 70 %; the bench's honest reviewers (bias SD 8, noise 8 in 100) land
# near 0.6, its careless ones (always full marks, random, 25 points too harsh) near 0.
AGREEMENT_ZERO = 0.30
# The class's typical reviewer counts as this many reviews in a learner's agreement and on-time
# share (the model's own prior on a reviewer's noise is worth 4 reviews too).
PRIOR_REVIEWS = 4.0
# The prior where the class tells nothing (the model could not be fitted, nothing was due yet).
MIDDLE = 0.5


@dataclass(frozen=True)
class TaskRecord:
    """One learner as a reviewer in one task (points in the task's own units).

    reviews: reviews they submitted (latest versions), extra ones included.
    compared: of those, the reviews the model compared with other reviewers (0: not assessed);
        bias, noise: the model's estimates for them (None when not assessed).
    agreement_prior: agreement of the class's typical reviewer in the task (None: no model).
    assigned, on_time: assigned reviews that were due or done, and those of them whose first
        version came before the cross-check end; on_time_prior: the class's on-time share.
    thanks: their reviews an author thanked; complaints_upheld: their reviews about which staff
        upheld a complaint; extra: extra reviews done (counted in `reviews`, not in `assigned`).
    """

    task: Hashable
    max_score: float
    reviews: int = 0
    compared: int = 0
    bias: float | None = None
    noise: float | None = None
    agreement_prior: float | None = None
    assigned: int = 0
    on_time: int = 0
    on_time_prior: float | None = None
    thanks: int = 0
    complaints_upheld: int = 0
    extra: int = 0

    @property
    def agreement(self) -> float | None:
        """The agreement of this task's own reviews (before shrinking), None when not assessed."""
        if self.compared <= 0 or self.bias is None or self.noise is None:
            return None
        return agreement_of(self.bias, self.noise, self.max_score)


@dataclass(frozen=True)
class RatingResult:
    """The rating (None: the learner has no review done or due yet) and its parts.

    agreement, on_time: the shrunk shares (0..1) that count; own_agreement, own_on_time: the
    learner's own, unshrunk (None without data); compared: reviews the model compared;
    agreement_prior, on_time_prior: the class's typical values they are shrunk towards;
    bias, noise: the model's estimates, weighted over tasks, in points of 100 (None: none);
    points: {part: points it adds (the complaints' as a negative number)}.
    """

    rating: float | None
    reviews: int
    compared: int
    agreement: float
    own_agreement: float | None
    agreement_prior: float
    assigned: int
    on_time_count: int
    on_time: float
    own_on_time: float | None
    on_time_prior: float
    thanks: int
    complaints_upheld: int
    extra: int
    bias: float | None
    noise: float | None
    points: dict = field(default_factory=dict)

    def components(self) -> dict:
        """The parts as plain values (for the JSON answers and the CSV)."""
        def r(value, digits=4):
            return None if value is None else round(float(value), digits)
        return {
            "agreement": r(self.agreement), "own_agreement": r(self.own_agreement),
            "agreement_prior": r(self.agreement_prior), "compared_reviews": self.compared,
            "bias": r(self.bias, 2), "scatter": r(self.noise, 2),
            "on_time": r(self.on_time), "own_on_time": r(self.own_on_time),
            "on_time_prior": r(self.on_time_prior), "on_time_reviews": self.on_time_count,
            "due_reviews": self.assigned, "thanks": self.thanks,
            "complaints_upheld": self.complaints_upheld, "extra_reviews": self.extra,
            "points": {part: r(value, 2) for part, value in self.points.items()},
        }


def agreement_of(bias: float, noise: float, max_score: float) -> float:
    """Agreement 0..1 of a reviewer with this bias and noise (points of a task out of max_score)."""
    if not max_score > 0:
        raise ValueError(f"max_score must be positive, not {max_score!r}.")
    error = math.sqrt(float(bias) ** 2 + float(noise) ** 2) / max_score
    return min(max(1.0 - error / AGREEMENT_ZERO, 0.0), 1.0)


def _weighted(pairs: Sequence[tuple[float, float]]) -> float | None:
    total = sum(weight for _, weight in pairs)
    return sum(value * weight for value, weight in pairs) / total if total > 0 else None


def _clip01(value: float | None, default: float) -> float:
    if value is None or not math.isfinite(value):
        return default
    return min(max(float(value), 0.0), 1.0)


def reviewer_rating(records: Sequence[TaskRecord]) -> RatingResult:
    """The rating 0..100 of one learner from their records in the tasks of a course."""
    records = list(records)
    reviews = sum(max(rec.reviews, 0) for rec in records)
    # Agreement: tasks weighted by the reviews the model compared, shrunk to the class's typical one.
    assessed = [(rec, rec.agreement, max(rec.compared, 0)) for rec in records]
    assessed = [(rec, value, n) for rec, value, n in assessed if value is not None and n > 0]
    compared = sum(n for _, _, n in assessed)
    own_agreement = _weighted([(value, n) for _, value, n in assessed])
    # The class's prior: the tasks' typical reviewers, weighted by the learner's reviews there.
    agreement_prior = _clip01(_weighted([(rec.agreement_prior, max(rec.reviews, 1)) for rec in records
                                         if rec.agreement_prior is not None]), MIDDLE)
    agreement = ((compared * own_agreement if own_agreement is not None else 0.0)
                 + PRIOR_REVIEWS * agreement_prior) / (compared + PRIOR_REVIEWS)
    # On time: counts over all tasks, shrunk to the class's share.
    assigned = sum(max(rec.assigned, 0) for rec in records)
    on_time_count = sum(min(max(rec.on_time, 0), max(rec.assigned, 0)) for rec in records)
    on_time_prior = _clip01(_weighted([(rec.on_time_prior, max(rec.assigned, 1)) for rec in records
                                       if rec.on_time_prior is not None]), MIDDLE)
    on_time = (on_time_count + PRIOR_REVIEWS * on_time_prior) / (assigned + PRIOR_REVIEWS)
    # A review is thanked, or complained about, once at most.
    thanks = sum(min(max(rec.thanks, 0), max(rec.reviews, 0)) for rec in records)
    complaints = sum(min(max(rec.complaints_upheld, 0), max(rec.reviews, 0)) for rec in records)
    extra = sum(max(rec.extra, 0) for rec in records)
    # The model's habits, in points of 100, weighted like the agreement.
    bias = _weighted([(100.0 * rec.bias / rec.max_score, n) for rec, _, n in assessed])
    noise = _weighted([(100.0 * rec.noise / rec.max_score, n) for rec, _, n in assessed])
    points = {
        "agreement": AGREEMENT_POINTS * agreement,
        "on_time": ON_TIME_POINTS * on_time,
        "thanks": min(THANKS_POINTS * thanks, THANKS_CAP),
        "extra": min(EXTRA_POINTS * extra, EXTRA_CAP),
        "complaints": -COMPLAINT_POINTS * complaints,
    }
    rating = None
    if reviews or assigned:
        rating = round(min(max(sum(points.values()), 0.0), 100.0), 2)
    return RatingResult(
        rating=rating, reviews=reviews, compared=compared, agreement=agreement,
        own_agreement=own_agreement, agreement_prior=agreement_prior, assigned=assigned,
        on_time_count=on_time_count, on_time=on_time,
        own_on_time=on_time_count / assigned if assigned else None, on_time_prior=on_time_prior,
        thanks=thanks, complaints_upheld=complaints, extra=extra, bias=bias, noise=noise,
        points=points)


# ---------------------------------------------------------------- the sentences

FORMULA = N_("Rating = 70 × agreement with the other reviewers of the same works + 30 × the share of "
             "reviews finished on time + 2 per review an author thanked (at most 10) + 2 per extra "
             "review (at most 10) − 10 per review about which course staff upheld a complaint, from 0 "
             "to 100. With few reviews, agreement and the on-time share count as close to the class's "
             "typical reviewer.")
WHAT_MOVES_IT = N_("Your rating rises when your scores are close to those of the other reviewers of the "
                   "same works, when you finish your reviews before the cross-check ends, when authors "
                   "thank you for useful comments, and with extra reviews. Each complaint about your "
                   "reviews that course staff uphold lowers it by 10 points. The more reviews you do, the "
                   "more the rating is your own.")


def explain(result: RatingResult) -> list[Text]:
    """What the rating is made of, in sentences for the learner (worded when shown)."""
    if result.rating is None:
        return [Text(N_("You have no rating as a reviewer yet: it appears once you have finished a "
                        "review, or a review of yours was due.")), Text(WHAT_MOVES_IT)]
    p = result.points
    own = {"agreement": round(100 * result.agreement, 1), "points": round(p["agreement"], 1),
           "prior": round(100 * result.agreement_prior, 1)}
    sentences = []
    if result.compared:
        sentences.append(plural_text(
            "Agreement with the other reviewers of the same works: %(agreement)s of 100, from %(n)s "
            "review the model could compare with others and the class's typical reviewer "
            "(%(prior)s of 100) as 4 more: %(points)s points of 70.",
            "Agreement with the other reviewers of the same works: %(agreement)s of 100, from %(n)s "
            "reviews the model could compare with others and the class's typical reviewer "
            "(%(prior)s of 100) as 4 more: %(points)s points of 70.", result.compared, own))
        values = {"bias": round(abs(result.bias or 0.0), 1), "scatter": round(result.noise or 0.0, 1)}
        if result.bias is not None and result.bias >= 0.05:
            sentences.append(Text(N_("Your scores run %(bias)s points (out of 100) above the other "
                                     "reviewers' on average, and scatter by %(scatter)s points."), values))
        elif result.bias is not None and result.bias <= -0.05:
            sentences.append(Text(N_("Your scores run %(bias)s points (out of 100) below the other "
                                     "reviewers' on average, and scatter by %(scatter)s points."), values))
        else:
            sentences.append(Text(N_("Your scores are neither above nor below the other reviewers' on "
                                     "average, and scatter by %(scatter)s points (out of 100)."), values))
    else:
        sentences.append(Text(N_("Agreement with the other reviewers: none of your reviews could be "
                                 "compared with others yet, so it counts as the class's typical "
                                 "reviewer's, %(agreement)s of 100: %(points)s points of 70."), own))
    sentences.append(plural_text(
        "Reviews finished on time: %(on_time)s of %(n)s that were due: %(points)s points of 30.",
        "Reviews finished on time: %(on_time)s of %(n)s that were due: %(points)s points of 30.",
        result.assigned, {"on_time": result.on_time_count, "points": round(p["on_time"], 1)}))
    sentences.append(plural_text(
        "Authors thanked you for %(n)s review: +%(points)s points (at most +10).",
        "Authors thanked you for %(n)s reviews: +%(points)s points (at most +10).",
        result.thanks, {"points": round(p["thanks"], 1)}))
    if result.complaints_upheld:
        sentences.append(plural_text(
            "Course staff upheld a complaint about %(n)s of your reviews: −%(points)s points.",
            "Course staff upheld complaints about %(n)s of your reviews: −%(points)s points.",
            result.complaints_upheld, {"points": round(-p["complaints"], 1)}))
    sentences.append(plural_text(
        "Extra reviews: %(n)s: +%(points)s points (at most +10).",
        "Extra reviews: %(n)s: +%(points)s points (at most +10).",
        result.extra, {"points": round(p["extra"], 1)}))
    sentences.append(Text(WHAT_MOVES_IT))
    return sentences
