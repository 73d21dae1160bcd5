"""Grading a task with its options: how reviews are aggregated, and who is warned at grading.

The course team picks, per task:

- the *aggregation*: ``total`` applies the grading policy to each review's total (as
  ``explain_all`` does); ``per_item`` applies it to each checklist item across the reviews, then
  totals the items (``items.grade_by_item``), but only for a work whose reviews all used the
  same checklist version (otherwise the items cannot be compared, and the totals are used);
- the *warning rule*: ``fixed`` is the proposal's rule (A3): a score more than the threshold
  from the other scores of its work does not count (it is dropped before the policy) and its
  reviewer is warned, as is an author whose self-check is that far from the reviews;
  ``evidence`` (A5) warns reviewers the reviewer model finds biased or erratic across all their
  reviews, and changes no grade; ``none`` warns nobody.

``grade_task`` gives every work's grade with its story, and the warnings to write; the
``*_message`` functions word the warnings for the learner who gets them, naming other works
only by the pseudonym the caller passes. Pure code: standard library and numpy.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

import numpy as np

from crosscheck_xblock.i18n import EMPTY, N_, Text, plural_text

# See __init__.py for why siblings are imported from the package.
from crosscheck_xblock.scoring import calibration, cohort, fallback, items, warning_rules

from .policies import POLICIES, exact, unknown_policy

__all__ = ["AGGREGATIONS", "FarReview", "FarSelfCheck", "ItemOutcome", "ItemScore",
           "ReviewInput", "ScoreOutcome", "TaskOutcome", "WARNING_RULES", "WorkOutcome",
           "evidence_message", "far_review_message", "far_self_check_message", "format_points",
           "grade_task", "left_out_reason"]

AGGREGATIONS = ("total", "per_item")
WARNING_RULES = ("fixed", "evidence", "none")

# How one item's points are combined, per policy, for the learner's explanation. The
# reliability model needs whole reviews across the task; per item it is the median.
_ITEM_WORDS = {
    "mean": N_("the average of the reviewers' points for it"),
    "median": N_("the middle of the reviewers' points for it"),
    "reliability": N_("the middle of the reviewers' points for it"),
    "drop_min": N_("the average of the reviewers' points for it, with 4 or more reviews the lowest "
                   "left out"),
    "drop_discordant": N_("the average of the reviewers' points for it, with 4 or more reviews the "
                          "points that agree least with the others left out"),
}
# Why a work meant to be graded item by item was graded from its totals, then how they were
# combined (`base`).
_VERSIONS_DIFFER_THEN = N_("The reviews of your work were made with different versions of the checklist, "
                           "so their items cannot be compared one by one: your grade comes from each "
                           "review's total instead. %(base)s")
VERSIONS_DIFFER = _VERSIONS_DIFFER_THEN.removesuffix(" %(base)s")  # i18n: code (the English, for tests)


@dataclass(frozen=True)
class ReviewInput:
    """One review as grading reads it (the latest version of a submitted review).

    items: {item_id: points} (fraction x the item's max; penalties negative), None when not
    known; version: the checklist version the review was made with.
    """

    reviewer: Hashable
    author: Hashable
    points: float
    items: Mapping[Hashable, float] | None = None
    version: Hashable | None = None


@dataclass(frozen=True)
class ScoreOutcome:
    """What became of one review's total in its work's grade.

    review: its index in the reviews given. weight: its share of the grade (0 when left out;
    None when the work was graded item by item, where each item has its own story). excluded:
    left out by the fixed warning rule (reason says so).
    """

    review: int
    points: float
    counted: bool
    weight: float | None
    adjusted: float
    reason: Text
    excluded: bool


@dataclass(frozen=True)
class ItemScore:
    """One reviewer's points for one item, and whether the item's policy counted them."""

    review: int
    points: float
    counted: bool
    reason: str


@dataclass(frozen=True)
class ItemOutcome:
    """One checklist item of a work graded item by item: the policy's points over the reviews
    that counted for the work, and each of them."""

    item: Hashable
    points: float
    scores: tuple[ItemScore, ...]
    calibration: float = 0.0  # points the item-level calibration added (issue 16)


@dataclass(frozen=True)
class WorkOutcome:
    """A work's grade (unrounded, in [0, max_score]) and how it came about.

    aggregation: the one used ("per_item" only where the checklist allowed it); items: the
    per-item results (empty for totals); needs_staff: under the fixed rule every score was far
    from the others, so none was left out; calibration: the points the calibration against
    staff grades added (negative: took away; 0 without anchors).
    """

    points: float
    summary: Text
    aggregation: str
    scores: tuple[ScoreOutcome, ...]
    items: tuple[ItemOutcome, ...]
    needs_staff: bool
    calibration: float = 0.0


@dataclass(frozen=True)
class FarReview:
    """Fixed rule: a review more than the threshold from the median of its work's other scores
    (its reviewer is warned); excluded is False when every score of the work was far."""

    review: int
    others_median: float
    excluded: bool


@dataclass(frozen=True)
class FarSelfCheck:
    """Fixed rule: an author whose self-check is more than the threshold from the median of the
    reviews of their work."""

    author: Hashable
    self_check: float
    median: float


@dataclass(frozen=True)
class TaskOutcome:
    """Every reviewed work's grade, and the warnings of the task's rule (limit: the fixed rule's
    threshold in points).

    For staff analytics: rule, what graded the totals (the policy, or for ``reliability`` the
    rule its check chose); model_check, that check (``fallback.ModelCheck``, None for the other
    policies); calibration, what the staff grades given as anchors showed
    (``calibration.Calibration``: the class offset with its interval, per item, per reviewer;
    None without anchors).
    """

    works: dict
    far_reviews: tuple[FarReview, ...]
    far_self_checks: tuple[FarSelfCheck, ...]
    evidence: dict
    limit: float
    rule: str = ""
    model_check: fallback.ModelCheck | None = None
    calibration: calibration.Calibration | None = None

    def analytics(self) -> dict:
        """The grading decisions as plain data (JSON) for staff analytics."""
        return {"rule": self.rule,
                "model_check": self.model_check.as_dict() if self.model_check else None,
                "calibration": self.calibration.as_dict() if self.calibration else None}


def format_points(value: float, decimals: int = 2) -> str:
    """12.5, 1, 0.33: at most ``decimals`` decimals (halves up, as people round), no trailing
    zeros, no "-0"."""
    quantum = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def left_out_reason(limit: float) -> Text:
    """Why the fixed rule left a score out, for the learner ("left out: …")."""
    return Text(N_("more than %(limit)s points from the other scores"), {"limit": limit})


def _check_options(policy: str, max_score: float, aggregation: str, warning_rule: str,
                   threshold: float) -> None:
    if policy not in POLICIES:
        raise ValueError(unknown_policy(policy))
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"Unknown aggregation {aggregation!r}; expected one of "
                         f"{', '.join(AGGREGATIONS)}.")
    if warning_rule not in WARNING_RULES:
        raise ValueError(f"Unknown warning rule {warning_rule!r}; expected one of "
                         f"{', '.join(WARNING_RULES)}.")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be a share of the maximum in (0, 1], not {threshold!r}.")
    if not max_score > 0:
        raise ValueError(f"max_score must be positive, not {max_score!r}.")


@dataclass(frozen=True)
class _Fixed:
    """What the fixed rule found over the whole task."""

    excluded: frozenset
    far: tuple[FarReview, ...]
    self_checks: tuple[FarSelfCheck, ...]
    needs_staff: frozenset


def _fixed_rule(reviews: list[ReviewInput], by_author: dict, self_checks: Mapping,
                max_score: float, threshold: float) -> _Fixed:
    """The proposal's rule over every work at once (vectorised), with the medians the
    warnings quote."""
    authors = list(by_author)
    index = {author: u for u, author in enumerate(authors)}
    work = np.asarray([index[r.author] for r in reviews], dtype=np.intp)
    points = np.asarray([r.points for r in reviews], dtype=float)
    own = np.asarray([self_checks.get(a, np.nan) for a in authors], dtype=float)
    found = warning_rules.outlier_check_all(work, points, n_works=len(authors),
                                            max_score=max_score, threshold=threshold,
                                            self_check=own)
    far = []
    # Loops over the far reviews and warned authors only, never over every work.
    for i in np.flatnonzero(found.far).tolist():
        others = [reviews[j].points for j in by_author[reviews[i].author] if j != i]
        far.append(FarReview(review=i, others_median=float(median(others)),
                             excluded=bool(found.excluded[i])))
    warned = []
    for u in np.flatnonzero(found.author_warned).tolist():
        author = authors[u]
        warned.append(FarSelfCheck(author=author, self_check=float(self_checks[author]),
                                   median=float(median(reviews[j].points
                                                       for j in by_author[author]))))
    return _Fixed(excluded=frozenset(np.flatnonzero(found.excluded).tolist()), far=tuple(far),
                  self_checks=tuple(warned),
                  needs_staff=frozenset(authors[u] for u in np.flatnonzero(found.needs_staff)))


def _by_item(reviews: list[ReviewInput], rows: list[int], kept: list[int], policy: str,
             max_score: float, cache: dict) -> items.ItemGrade | None:
    """The work graded item by item over its kept reviews, or None when the checklist does
    not allow it (reviews made with different checklist versions, or items unknown)."""
    versions = {reviews[i].version for i in rows}
    if len(versions) != 1 or None in versions or any(reviews[i].items is None for i in kept):
        return None
    try:
        return items.grade_by_item([reviews[i].items for i in kept], policy=policy,
                                   max_score=max_score, cache=cache)
    except ValueError:
        return None  # items that differ within one version: compare totals instead


def _item_outcomes(graded: items.ItemGrade, reviews: list[ReviewInput],
                   kept: list[int]) -> tuple[ItemOutcome, ...]:
    outcomes = []
    for item_id, result in graded.items.items():
        reasons = dict(result.dropped)
        outcomes.append(ItemOutcome(item=item_id, points=result.points, scores=tuple(
            ItemScore(review=i, points=float(reviews[i].items[item_id]),
                      counted=j not in reasons, reason=reasons.get(j, EMPTY))
            for j, i in enumerate(kept))))
    return tuple(outcomes)


def _summary(base: Text, *, left_out: int, needs_staff: bool, limit: float) -> Text:
    """The grade's sentence, with what the fixed rule did to this work first."""
    if left_out:
        return plural_text("First, %(n)s score more than %(limit)s points from the other scores of "
                           "your work was left out. %(base)s",
                           "First, %(n)s scores more than %(limit)s points from the other scores of "
                           "your work were left out. %(base)s", left_out, {"limit": limit, "base": base})
    if needs_staff:
        return Text(N_("Every score of your work is more than %(limit)s points from the others, so "
                       "none was left out. %(base)s"), {"limit": limit, "base": base})
    return base


def _item_summary(policy: str, max_score: float) -> Text:
    return Text(N_("Each checklist item was graded on its own (%(how)s), then the items were added "
                   "up: penalties subtract, and the total is at least 0 and at most %(max)s."),
                {"how": Text(_ITEM_WORDS[policy]), "max": max_score})


def _work(author: Hashable, rows: list[int], reviews: list[ReviewInput], fixed: _Fixed,
          graded: items.ItemGrade | None, explained: Mapping, *, policy: str, max_score: float,
          aggregation: str, limit: float, explain: bool = True) -> WorkOutcome:
    """One work's outcome: graded item by item (``graded``) or from the totals (``explained``);
    without ``explain``, its points and items only (no summary, no scores)."""
    kept = [i for i in rows if i not in fixed.excluded]
    totals = explained.get(author)
    if not explain:
        points = graded.points if graded is not None else totals.points
        return WorkOutcome(points=min(max(points, 0.0), float(max_score)), summary=EMPTY,
                           aggregation="per_item" if graded is not None else "total", scores=(),
                           items=_item_outcomes(graded, reviews, kept) if graded is not None else (),
                           needs_staff=author in fixed.needs_staff)
    by_row = dict(zip(kept, totals.scores)) if totals is not None else {}
    scores = []
    for i in rows:
        if i in fixed.excluded:
            scores.append(ScoreOutcome(review=i, points=float(reviews[i].points), counted=False,
                                       weight=0.0, adjusted=float(reviews[i].points),
                                       reason=left_out_reason(limit), excluded=True))
        elif graded is not None:
            scores.append(ScoreOutcome(review=i, points=float(reviews[i].points), counted=True,
                                       weight=None, adjusted=float(reviews[i].points), reason=EMPTY,
                                       excluded=False))
        else:
            s = by_row[i]
            scores.append(ScoreOutcome(review=i, points=s.points, counted=s.weight > 0,
                                       weight=s.weight, adjusted=s.adjusted, reason=s.reason,
                                       excluded=False))
    if graded is not None:
        base, points = _item_summary(policy, max_score), graded.points
        item_results = _item_outcomes(graded, reviews, kept)
    else:
        base, points, item_results = totals.summary, totals.points, ()
        if aggregation == "per_item":
            base = Text(_VERSIONS_DIFFER_THEN, {"base": base})
    needs_staff = author in fixed.needs_staff
    summary = _summary(base, left_out=len(rows) - len(kept), needs_staff=needs_staff, limit=limit)
    return WorkOutcome(points=min(max(points, 0.0), float(max_score)), summary=summary,
                       aggregation="per_item" if graded is not None else "total",
                       scores=tuple(scores), items=item_results, needs_staff=needs_staff)


def grade_task(reviews: Iterable[ReviewInput], *, policy: str, max_score: float,
               aggregation: str = "total", warning_rule: str = "none",
               threshold: float = warning_rules.DEFAULT_THRESHOLD,
               self_checks: Mapping[Hashable, float] | None = None,
               anchors: Mapping[Hashable, calibration.Anchor | float] | None = None,
               reviewer_priors: Mapping[Hashable, tuple[float, float]] | None = None,
               explain: bool = True) -> TaskOutcome:
    """Grade every author who received reviews, with the task's options (see the module
    docstring), and find the warnings of its rule.

    ``self_checks`` maps authors to their latest self-check total (the fixed rule compares it
    with the median of their reviews). ``anchors``: staff grades of some works ({author:
    points or calibration.Anchor with item points}); every grade then moves by the class offset
    they show, as far as they support it (calibration.py), and the summary says by how much;
    a work graded item by item moves item by item where the anchors have item points.
    ``reviewer_priors``: {reviewer: (bias against staff, SD)} from the course's earlier tasks
    (calibration.history_priors), used by the ``reliability`` model. Scores of a work keep
    their input order. ``explain=False``: the same points, items, warnings and calibration,
    without the works' summaries and scores (a preview that shows only the points; the stories
    are most of the cost at 10,000 works). Raises ValueError for an unknown policy, aggregation or rule, a bad
    threshold or maximum, or a staff grade that is not a number.
    """
    _check_options(policy, max_score, aggregation, warning_rule, threshold)
    reviews = list(reviews)
    by_author: dict = {}
    for i, review in enumerate(reviews):
        by_author.setdefault(review.author, []).append(i)
    limit = float(exact(threshold) * exact(max_score))
    fixed = _Fixed(frozenset(), (), (), frozenset())
    if warning_rule == "fixed" and reviews:
        fixed = _fixed_rule(reviews, by_author, self_checks or {}, max_score, threshold)
    by_item: dict = {}
    if aggregation == "per_item":
        cache: dict = {}  # item scores seen before, shared by every work of the task
        for author, rows in by_author.items():
            kept_rows = [i for i in rows if i not in fixed.excluded]
            by_item[author] = _by_item(reviews, rows, kept_rows, policy, max_score, cache)
    # The policy over the totals runs over the whole task at once (the reliability model needs
    # every review), without the scores the fixed rule left out; a per-work policy only for the
    # works not graded item by item.
    kept = [(r.reviewer, r.author, r.points) for i, r in enumerate(reviews)
            if i not in fixed.excluded
            and (policy == "reliability" or by_item.get(r.author) is None)]
    task = cohort.explain_task(kept, policy=policy, max_score=max_score,
                               reviewer_priors=reviewer_priors, explain=explain) if kept else None
    explained = task.works if task else {}
    works = {author: _work(author, rows, reviews, fixed, by_item.get(author), explained,
                           policy=policy, max_score=max_score, aggregation=aggregation,
                           limit=limit, explain=explain)
             for author, rows in by_author.items()}
    found = None
    if anchors and works:
        works, found = _calibrate(works, reviews, by_author, fixed, task, anchors, max_score,
                                  reviewer_priors, explain=explain)
    evidence = {}
    if warning_rule == "evidence" and reviews:
        evidence = warning_rules.evidence_findings(
            [(r.reviewer, r.author, r.points) for r in reviews], max_score=max_score)
    return TaskOutcome(works=works, far_reviews=fixed.far, far_self_checks=fixed.self_checks,
                       evidence=evidence, limit=limit, rule=task.rule if task else policy,
                       model_check=task.check if task else None, calibration=found)


def _calibrate(works: dict, reviews: list[ReviewInput], by_author: dict, fixed: _Fixed,
               task: cohort.TaskGrades | None, anchors: Mapping, max_score: float,
               reviewer_priors: Mapping | None = None, explain: bool = True) -> tuple[dict, calibration.Calibration]:
    """Every work's grade moved by the class offset the anchors show (where the model graded:
    by the reviewer-level refit, cohort.staff_refit). A work graded item by item without the
    model's story gets the error SD of a mean of its reviews."""
    counted = {a: [i for i in rows if i not in fixed.excluded] or rows
               for a, rows in by_author.items()}
    spread = calibration.pooled_sd(([reviews[i].points for i in rows] for rows in counted.values()),
                                   calibration.MIN_SD * max_score / 100.0)
    sds = {a: (task.sds[a] if task and a in task.sds else spread / len(counted[a]) ** 0.5)
           for a in works}
    order = [i for rows in counted.values() for i in rows]  # the reviews as the refit gets them
    found = cohort.calibrate(
        [(reviews[i].reviewer, a, reviews[i].points) for a, rows in counted.items() for i in rows],
        {a: w.points for a, w in works.items()}, sds, anchors, max_score=max_score,
        habits=task.habits if task else None, noise=task.noise if task else None,
        reviewer_priors=reviewer_priors)
    item_reviews = {a: [reviews[i].items for i in rows if reviews[i].items is not None]
                    for a, rows in counted.items()}
    per_item = calibration.item_offsets(item_reviews, anchors, max_score=max_score)
    # Item by item where the anchors graded items and some work was graded by its items.
    by_items = bool(per_item) and any(w.items for w in works.values())
    found = replace(found, items=per_item, items_applied=by_items)
    position = {i: j for j, i in enumerate(order)}
    moved = {}
    for author, work in works.items():
        if by_items and work.items:
            points, after = found.apply_items({i.item: i.points for i in work.items}, max_score)
            items_moved = tuple(replace(i, points=points[i.item],
                                        calibration=points[i.item] - i.points)
                                for i in work.items)
            summary = cohort.calibrated_summary(work.summary, found, work.points, after,
                                                by_items=True) if explain else work.summary
            moved[author] = replace(work, points=after, calibration=after - work.points,
                                    items=items_moved, summary=summary)
            continue
        # A work graded item by item keeps its items' story: the offset moves its total.
        after = (found.apply(work.points, max_score) if work.items
                 else found.apply_work(author, work.points, max_score))
        told = replace(found, works={}) if work.items else found
        scores = work.scores
        if found.refit and not work.items:
            scores = _refitted_scores(found, scores, position, reviews, reviewer_priors or {})
        moved[author] = replace(work, points=after, calibration=after - work.points,
                                scores=scores,
                                summary=cohort.calibrated_summary(work.summary, told,
                                                                  work.points, after)
                                if explain else work.summary)
    return moved, found


def _refitted_scores(found: calibration.Calibration, scores: tuple, position: dict,
                     reviews: list[ReviewInput], priors: Mapping) -> tuple:
    """A work's score lines as the reviewer-level refit counted them (the scores the fixed rule
    left out stay as they were: the refit never saw them)."""
    lines = []
    for s in scores:
        j = position.get(s.review)
        if s.excluded or j is None:
            lines.append(s)
            continue
        weight, adjusted, _, _, reason = cohort.refit_line(found, j, s,
                                                           reviews[s.review].reviewer in priors)
        lines.append(replace(s, weight=weight, adjusted=adjusted, counted=weight > 0,
                             reason=reason))
    return tuple(lines)


# ---------------------------------------------------------------- the warnings, in words

def far_review_message(*, work_title: Text | str, points: float, max_score: float,
                       others_median: float, limit: float, excluded: bool) -> Text:
    """The fixed rule's warning to a reviewer. ``work_title`` is the work's name as this
    reviewer knows it ("Work 3"); nobody else is named."""
    values = {"work": work_title, "points": points, "max": max_score, "median": others_median,
              "limit": limit}
    if excluded:
        return Text(N_("Your review of %(work)s gave %(points)s of %(max)s; the other reviewers' median "
                       "was %(median)s, more than %(limit)s points away, so your score was left out of "
                       "that work's grade. Please check each checklist item against the work itself "
                       "before you score it."), values)
    return Text(N_("Your review of %(work)s gave %(points)s of %(max)s; the other reviewers' median was "
                   "%(median)s, more than %(limit)s points away. The reviews of that work all disagree "
                   "this much, so none was left out; please check each checklist item against the "
                   "work itself before you score it."), values)


def far_self_check_message(*, self_check: float, max_score: float, median: float,
                           limit: float) -> Text:
    """The fixed rule's warning to an author whose self-check was far from the reviews."""
    return Text(N_("Your self-check gave %(points)s of %(max)s; the median of the reviews of your work "
                   "was %(median)s, more than %(limit)s points away. Please compare your work with "
                   "each checklist item carefully when you check it yourself."),
                {"points": self_check, "max": max_score, "median": median, "limit": limit})


def evidence_message(finding: warning_rules.EvidenceFinding) -> Text:
    """The evidence rule's warning to a reviewer: the habit the model found, in plain words."""
    values = {"bias": round(abs(finding.bias), 1), "noise": round(finding.noise, 1)}
    if finding.biased and finding.noisy:
        above = N_("your scores were on average %(bias)s points above those of the other reviewers of the "
                   "same works and your scores scattered by about %(noise)s points around theirs")
        below = N_("your scores were on average %(bias)s points below those of the other reviewers of the "
                   "same works and your scores scattered by about %(noise)s points around theirs")
        habit = Text(above if finding.bias > 0 else below, values)
    elif finding.biased:
        habit = (Text(N_("your scores were on average %(bias)s points above those of the other reviewers "
                         "of the same works"), values) if finding.bias > 0 else
                 Text(N_("your scores were on average %(bias)s points below those of the other reviewers "
                         "of the same works"), values))
    else:
        habit = Text(N_("your scores scattered by about %(noise)s points around theirs"), values)
    return plural_text("Across your %(n)s review in this cross-check, %(habit)s. Please score each "
                       "checklist item by what the work shows. This warning does not change anyone's grade.",
                       "Across your %(n)s reviews in this cross-check, %(habit)s. Please score each "
                       "checklist item by what the work shows. This warning does not change anyone's grade.",
                       finding.reviews, {"habit": habit})

