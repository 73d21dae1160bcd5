"""Grading with the task's options (issue 5): per-item aggregation and the warning rule.

Service code like `analytics.py`: it reads what grading needs from the models in a fixed number
of queries (whatever the number of works), hands the numbers to the pure
`scoring.grading.grade_task`, and turns its answer into the grade details learners read and the
`LearnerWarning` rows written with the grades (`api.complete_cross_check`). It also gives the
simulated false-warning rates Studio and the staff analytics show beside the two rules.
"""
from dataclasses import dataclass

from .checklist import Checklist, checklist_from_rs, item_points
from .models import ChecklistVersion, LearnerWarning, Review, SelfCheck, Task
from .sanitize import inline_html
from .scoring import grading, simulation
from .scoring.warning_rules import DEFAULT_THRESHOLD, MIN_SCORES

# The choices with their one-line explanations (Studio shows them next to the choice; the order
# is the order of the menu). The block's field defaults are "evidence" and "total".
WARNING_RULES = {
    "fixed": ("The proposal's rule: a score more than the threshold away from the other scores of "
              "a work is left out of the grade and its reviewer warned; an author whose self-check "
              "is that far from the reviews is warned too."),
    "evidence": ("Reviewers whose scores, across all their reviews in the task, run well above or "
                 "below the other reviewers' or scatter widely are warned; no grade changes."),
    "none": "Nobody is warned when the grades are computed (staff still see both rules' numbers).",
}
AGGREGATIONS = {
    "total": "The grading policy is applied to each review's total.",
    "per_item": ("The grading policy is applied to each checklist item across the reviews, then the "
                 "items are added up (where all reviews of a work used the same checklist version)."),
}
DEFAULT_WARNING_RULE = "evidence"
DEFAULT_AGGREGATION = "total"
RATES_SCENARIO_TEXT = ("simulated classes in which one reviewer in five is careless (full marks for "
                       "everyone, random scores, about the class average for everyone, 25 points too "
                       "harsh, or full marks for friends) and the others are honest, each with their "
                       "own bias and scatter")


def warning_rule(task: Task) -> str:
    """The task's warning rule at grading; an unknown value (hand-edited OLX) warns as the default."""
    rule = task.config.get("warning_rule")
    return rule if isinstance(rule, str) and rule in WARNING_RULES else DEFAULT_WARNING_RULE


def aggregation(task: Task) -> str:
    """How reviews are aggregated: "total" or "per_item"."""
    value = task.config.get("aggregation")
    return value if isinstance(value, str) and value in AGGREGATIONS else DEFAULT_AGGREGATION


def threshold(task: Task) -> float:
    """The fixed rule's threshold (A3) as a share of the maximum, 15 % unless the task says else."""
    value = task.config.get("outlier_threshold", DEFAULT_THRESHOLD)
    valid = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1
    return float(value) if valid else DEFAULT_THRESHOLD


# ---------------------------------------------------------------- what grading reads

@dataclass(frozen=True)
class LatestReview:
    """The latest version of one submitted review: who, of what, and what it gave.

    number: "Reviewer N" of the work's author; position: "Work N" of the reviewer; items: the
    stored fractions {item_id: 0..1}; version_id: its checklist version (None for old rows).
    """

    number: int
    reviewer_id: int
    work_id: int
    position: int
    total: float
    items: dict
    version_id: int | None


def latest_reviews(task: Task, work_ids: list[int] | None = None) -> list[LatestReview]:
    """The latest version of every submitted review (of the works `work_ids`, if given), by work
    then reviewer number (one query)."""
    latest = {}
    reviews = Review.objects.filter(assignment__task=task)
    if work_ids is not None:
        reviews = reviews.filter(assignment__work_id__in=work_ids)
    rows = (reviews.order_by("created_at", "id")
            .values_list("assignment_id", "assignment__reviewer_number", "assignment__reviewer_id",
                         "assignment__work_id", "assignment__position", "total", "items",
                         "checklist_version_id"))
    for assignment_id, number, reviewer_id, work_id, position, total, items, version_id in rows:
        latest[assignment_id] = LatestReview(number, reviewer_id, work_id, position, total, items,
                                             version_id)
    return sorted(latest.values(), key=lambda review: (review.work_id, review.number))


def latest_self_checks(task: Task, work_ids: list[int] | None = None) -> dict[int, float]:
    """{work id: total of the author's latest self-check} (of the works `work_ids`, if given; one query)."""
    totals = {}
    checks = SelfCheck.objects.filter(work__task=task)
    if work_ids is not None:
        checks = checks.filter(work_id__in=work_ids)
    for work_id, total in (checks.order_by("created_at", "id")
                           .values_list("work_id", "total")):
        totals[work_id] = total  # the latest version wins
    return totals


def checklists(task: Task) -> dict[int, Checklist]:
    """{checklist version id: checklist} of the task (one query; a task has a few versions)."""
    return {version.pk: checklist_from_rs(version.checklist)
            for version in ChecklistVersion.objects.filter(task=task)}


def _item_points(review: LatestReview, checklist: Checklist | None) -> dict | None:
    """{item_id: points} of a review (fraction x the item's max), None when its checklist
    version is unknown or does not have its items."""
    if checklist is None or not isinstance(review.items, dict):
        return None
    scored = {item.id: item for item in checklist.scored_items}
    if set(review.items) != set(scored):
        return None
    return {item_id: item_points(scored[item_id], value) for item_id, value in review.items.items()}


# ---------------------------------------------------------------- grading

@dataclass(frozen=True)
class TaskGrading:
    """The outcome of grading one task, with what is needed to word it for people."""

    outcome: grading.TaskOutcome
    latest: list[LatestReview]
    checklists: dict
    rule: str
    max_score: int

    def work(self, work_id: int) -> grading.WorkOutcome | None:
        """The work's grade, None when it received no reviews."""
        return self.outcome.works.get(work_id)

    def detail(self, work_id: int) -> dict:
        """Grade.detail: the scores (which counted and why), the summary, and for a work graded
        item by item the items with every reviewer's points (reviewers by number only)."""
        work = self.work(work_id)
        if work is None:
            return {"scores": [], "summary": "", "aggregation": "total", "warning_rule": self.rule,
                    "items": []}
        scores = [{"reviewer": self.latest[s.review].number, "total": s.points,
                   "weight": None if s.weight is None else round(s.weight, 4),
                   "adjusted": round(s.adjusted, 2), "reason": s.reason, "counted": s.counted,
                   "excluded": s.excluded}
                  for s in work.scores]
        return {"scores": scores, "summary": work.summary, "aggregation": work.aggregation,
                "warning_rule": self.rule, "items": self._items(work)}

    def _items(self, work: grading.WorkOutcome) -> list[dict]:
        if not work.items:
            return []
        checklist = self.checklists[self.latest[work.items[0].scores[0].review].version_id]
        results = {result.item: result for result in work.items}
        return [{"id": item.id, "type": item.type, "text": item.text, "max": item.max,
                 "points": round(results[item.id].points, 4),
                 "given": [{"reviewer": self.latest[s.review].number, "points": s.points,
                            "counted": s.counted, "reason": s.reason}
                           for s in results[item.id].scores]}
                for item in checklist.scored_items if item.id in results]

    def warnings(self, task: Task, now) -> list[LearnerWarning]:
        """The warnings of the task's rule, worded for the learner who gets each; `detail` holds
        the numbers (and ids) for staff."""
        rows = []
        limit = self.outcome.limit
        for far in self.outcome.far_reviews:
            review = self.latest[far.review]
            message = grading.far_review_message(
                work_title=f"Work {review.position}", points=review.total, max_score=self.max_score,
                others_median=far.others_median, limit=limit, excluded=far.excluded)
            rows.append(LearnerWarning(
                task_id=task.pk, work_id=review.reviewer_id, kind=LearnerWarning.OUTLIER_REVIEW,
                message=message, created_at=now,
                detail={"rule": "fixed", "reviewed_work_id": review.work_id,
                        "reviewer_number": review.number, "points": review.total,
                        "others_median": far.others_median, "limit": limit,
                        "excluded": far.excluded}))
        for far in self.outcome.far_self_checks:
            rows.append(LearnerWarning(
                task_id=task.pk, work_id=far.author, kind=LearnerWarning.OUTLIER_SELF_CHECK,
                message=grading.far_self_check_message(self_check=far.self_check,
                                                       max_score=self.max_score,
                                                       median=far.median, limit=limit),
                created_at=now,
                detail={"rule": "fixed", "self_check": far.self_check, "median": far.median,
                        "limit": limit}))
        for reviewer_id in sorted(self.outcome.evidence):
            finding = self.outcome.evidence[reviewer_id]
            rows.append(LearnerWarning(
                task_id=task.pk, work_id=reviewer_id, kind=LearnerWarning.EVIDENCE_REVIEWER,
                message=grading.evidence_message(finding), created_at=now,
                detail={"rule": "evidence", "bias": round(finding.bias, 4),
                        "noise": round(finding.noise, 4), "reviews": finding.reviews,
                        "biased": finding.biased, "noisy": finding.noisy,
                        "reason": finding.reason}))
        return rows


def grade(task: Task, latest: list[LatestReview], *, policy: str, max_score: int) -> TaskGrading:
    """Grade the task's works from their latest reviews with the task's aggregation and warning
    rule. At most two queries (self-checks for the fixed rule, checklist versions per item)."""
    rule, how = warning_rule(task), aggregation(task)
    versions = checklists(task) if how == "per_item" and latest else {}
    inputs = [grading.ReviewInput(reviewer=review.reviewer_id, author=review.work_id,
                                  points=review.total,
                                  items=_item_points(review, versions.get(review.version_id))
                                  if versions else None,
                                  version=review.version_id)
              for review in latest]
    self_checks = latest_self_checks(task) if rule == "fixed" and latest else {}
    outcome = grading.grade_task(inputs, policy=policy, max_score=max_score, aggregation=how,
                                 warning_rule=rule, threshold=threshold(task),
                                 self_checks=self_checks)
    return TaskGrading(outcome=outcome, latest=latest, checklists=versions, rule=rule,
                       max_score=max_score)


def learner_items(detail: dict) -> list[dict]:
    """The per-item results of a grade for the learner: items with their sanitized `html`, and
    each reviewer as "Reviewer N"."""
    return [{"id": item["id"], "type": item["type"], "text": item["text"],
             "html": inline_html(item["text"]), "max": item["max"], "points": item["points"],
             "scores": [{"reviewer": f"Reviewer {given['reviewer']}", "points": given["points"],
                         "counted": given["counted"], "reason": given["reason"]}
                        for given in item["given"]]}
            for item in detail.get("items") or []]


# ---------------------------------------------------------------- the numbers to choose by

def simulated_rates(k: int, share: float, max_score: float) -> dict | None:
    """Both warning rules measured on simulated classes with this k, threshold (a share of the
    maximum) and maximum score: the share of honest reviewers each warns and of careless ones
    it catches. Memoised in the process (scoring.simulation.warning_rates); None for settings
    the simulation cannot take (e.g. an invalid k from hand-edited OLX)."""
    try:
        # Rounded, so 15 % typed in Studio and 0.15 from the settings copy share one cache entry.
        rates = simulation.warning_rates(int(k), round(float(share), 6), float(max_score))
    except (TypeError, ValueError):
        return None
    note = "" if rates.k >= MIN_SCORES else (
        f"With fewer than {MIN_SCORES} reviews per work neither rule can tell who is off, so "
        "neither warns anybody.")
    return {
        "k": rates.k, "threshold": rates.threshold, "max_score": rates.max_score,
        "classes": rates.runs, "learners": rates.learners, "scenario": rates.scenario,
        "scenario_text": RATES_SCENARIO_TEXT,
        "honest_reviewers": rates.honest_reviewers, "careless_reviewers": rates.careless_reviewers,
        "rules": {
            "fixed": {"honest_warned": round(rates.fixed_honest, 4),
                      "careless_caught": round(rates.fixed_careless, 4)},
            "evidence": {"honest_warned": round(rates.evidence_honest, 4),
                         "careless_caught": round(rates.evidence_careless, 4)},
            "none": {"honest_warned": 0.0, "careless_caught": 0.0},
        },
        "note": note,
    }
