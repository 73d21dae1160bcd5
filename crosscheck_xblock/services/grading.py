"""Computing the grades of a task (A3, A5, A6, A7): the numbers in, Grade and warning rows out.

It reads the latest reviews (services/latest.py), hands the numbers to the pure
`scoring.grading.grade_task` with the task's policy, aggregation and warning rule, and turns the
answer into the grade details learners read and the `LearnerWarning` rows written with the
grades. The writes to the gradebook are services/gradebook.py's; the transaction and the lock
around all of it are services/lifecycle.py's.
"""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from .. import schedule
from ..i18n import EMPTY
from ..models import (
    Appeal,
    Assignment,
    CalibrationWork,
    ChecklistVersion,
    Grade,
    LearnerWarning,
    Review,
    SelfCheck,
    Task,
    Work,
)
from ..scoring import calibration, grading, round_half_up
from . import latest
from .registry import TaskRef
from .task_settings import TaskSettings


@dataclass(frozen=True)
class TaskGrading:
    """The outcome of grading one task, with what is needed to word it for people."""

    outcome: grading.TaskOutcome
    latest: list[latest.LatestReview]
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
            return {"scores": [], "summary": EMPTY.as_json(), "aggregation": "total", "warning_rule": self.rule,
                    "items": []}
        scores = [{"reviewer": self.latest[s.review].number, "total": s.points,
                   "weight": None if s.weight is None else round(s.weight, 4),
                   "adjusted": round(s.adjusted, 2), "reason": s.reason.as_json(), "counted": s.counted,
                   "excluded": s.excluded}
                  for s in work.scores]
        # Sentences are stored as Texts (template and numbers): each reader gets their language.
        detail = {"scores": scores, "summary": work.summary.as_json(), "aggregation": work.aggregation,
                  "warning_rule": self.rule, "items": self._items(work)}
        if self.outcome.calibration is not None:  # issue 16: how far the staff anchors moved it
            detail["calibration"] = round(work.calibration, 4)
        return detail

    def _items(self, work: grading.WorkOutcome) -> list[dict]:
        if not work.items:
            return []
        checklist = self.checklists[self.latest[work.items[0].scores[0].review].version_id]
        results = {result.item: result for result in work.items}
        return [{"id": item.id, "type": item.type, "text": item.text, "max": item.max,
                 "points": round(results[item.id].points, 4),
                 **({"calibration": round(results[item.id].calibration, 4)}
                    if results[item.id].calibration else {}),
                 "given": [{"reviewer": self.latest[s.review].number, "points": s.points,
                            "counted": s.counted, "reason": s.reason.as_json()}
                           for s in results[item.id].scores]}
                for item in checklist.scored_items if item.id in results]

    def warnings(self, task: TaskRef, now: datetime) -> list[LearnerWarning]:
        """The warnings of the task's rule, as rows: each keeps the numbers its sentence needs
        (services/warnings.py words it when it is shown) and, for staff, the ids."""
        rows = []
        limit = self.outcome.limit
        for far in self.outcome.far_reviews:
            review = self.latest[far.review]
            rows.append(LearnerWarning(
                task_id=task.id, work_id=review.reviewer_id, kind=LearnerWarning.OUTLIER_REVIEW,
                created_at=now,
                detail={"rule": "fixed", "reviewed_work_id": review.work_id,
                        "reviewer_number": review.number, "work_position": review.position,
                        "points": review.total, "others_median": far.others_median,
                        "limit": limit, "excluded": far.excluded, "max_score": self.max_score}))
        for far in self.outcome.far_self_checks:
            rows.append(LearnerWarning(
                task_id=task.id, work_id=far.author, kind=LearnerWarning.OUTLIER_SELF_CHECK,
                created_at=now,
                detail={"rule": "fixed", "self_check": far.self_check, "median": far.median,
                        "limit": limit, "max_score": self.max_score}))
        for reviewer_id in sorted(self.outcome.evidence):
            finding = self.outcome.evidence[reviewer_id]
            rows.append(LearnerWarning(
                task_id=task.id, work_id=reviewer_id, kind=LearnerWarning.EVIDENCE_REVIEWER,
                created_at=now,
                detail={"rule": "evidence", "bias": round(finding.bias, 4),
                        "noise": round(finding.noise, 4), "reviews": finding.reviews,
                        "biased": finding.biased, "noisy": finding.noisy,
                        "max_score": self.max_score}))
        return rows


def grade_reviews(task: TaskRef, reviews: list[latest.LatestReview], anchors: dict | None = None,
                  priors: dict | None = None, explain: bool = True) -> TaskGrading:
    """Grade the task's works from their latest reviews with the task's policy, aggregation and
    warning rule; `anchors` ({work_id: staff total or calibration.Anchor}) calibrate them, and
    `priors` ({reviewer work_id: (bias, SD)}, history_priors) inform the reliability model of the
    reviewers' known biases (issue 16). `explain=False` gives the same points, warnings and
    calibration without the works' stories (`detail` then has no scores or summary: only for
    previews, never for grades that are saved). At most two queries (self-checks for the fixed rule,
    checklist versions per item)."""
    settings = task.settings
    rule, how = settings.warning_rule, settings.aggregation
    versions = latest.checklists(task) if how == "per_item" and reviews else {}
    inputs = [grading.ReviewInput(reviewer=review.reviewer_id, author=review.work_id,
                                  points=review.total,
                                  items=latest.item_points_of(review, versions.get(review.version_id))
                                  if versions else None,
                                  version=review.version_id)
              for review in reviews]
    self_checks = latest.latest_self_checks(task) if rule == "fixed" and reviews else {}
    outcome = grading.grade_task(inputs, policy=settings.grading_policy, max_score=settings.max_score,
                                 aggregation=how, warning_rule=rule, threshold=settings.threshold,
                                 self_checks=self_checks, anchors=anchors or None,
                                 reviewer_priors=priors or None, explain=explain)
    return TaskGrading(outcome=outcome, latest=reviews, checklists=versions, rule=rule,
                       max_score=settings.max_score)


def calibration_anchors(task: TaskRef) -> dict:
    """{work_id: staff total} of the calibration set's graded works (issue 16): the anchors
    grading uses; for a task graded item by item, calibration.Anchor(total, item points), so
    the items are calibrated one by one. One query, two for item by item."""
    rows = list(CalibrationWork.objects.filter(task_id=task.id, total__isnull=False)
                .values_list("work_id", "total", "items", "checklist_version_id"))
    if task.settings.aggregation != "per_item" or not rows:
        return {work_id: total for work_id, total, _, _ in rows}
    versions = latest.checklists(task)
    anchors = {}
    for work_id, total, items, version_id in rows:
        staff = latest.LatestReview(0, None, work_id, 0, total, items, version_id)
        points = latest.item_points_of(staff, versions.get(version_id))
        anchors[work_id] = calibration.Anchor(total, points) if points else total
    return anchors


def history_priors(task: TaskRef) -> dict:
    """{reviewer's work_id in this task: (bias against staff, SD), points of this task}: what
    the course's earlier completed tasks' anchors (calibration sets graded by staff, staff
    re-checks) show of each of this task's reviewers (calibration.history_priors; nothing
    without history). A task is earlier when it was completed before this one's grading (or
    before now, not yet graded). Five queries, whatever the number of tasks and works."""
    before = task.completed_at
    earlier = Task.objects.filter(course_id=task.course_id, status=schedule.COMPLETED).exclude(pk=task.id)
    if before is not None:
        earlier = earlier.filter(completed_at__lt=before)
    tasks = list(earlier.order_by("-completed_at", "-pk").values_list("pk", "config"))
    if not tasks:
        return {}
    back = {pk: n for n, (pk, _) in enumerate(tasks, start=1)}
    scale = {pk: 100.0 / TaskSettings.from_config(config).max_score for pk, config in tasks}
    staff = dict(CalibrationWork.objects.filter(task_id__in=back, total__isnull=False)
                 .values_list("work_id", "total"))
    # A re-check is staff's last word on the work: it wins over the calibration set's grade.
    staff.update(Appeal.objects.filter(work__task_id__in=back, status=Appeal.RESOLVED,
                                       recheck_total__isnull=False).values_list("work_id", "recheck_total"))
    if not staff:
        return {}
    latest_of = {}
    for assignment_id, student, work_id, task_id, total in (
            Review.objects.filter(assignment__work_id__in=staff).order_by("created_at", "id")
            .values_list("assignment_id", "assignment__reviewer__student_id", "assignment__work_id",
                         "assignment__task_id", "total")):
        latest_of[assignment_id] = (student, work_id, task_id, total)
    residuals: dict = {}
    for student, work_id, task_id, total in latest_of.values():
        residuals.setdefault(student, []).append(((total - staff[work_id]) * scale[task_id], back[task_id]))
    here = dict(Work.objects.filter(task_id=task.id, student_id__in=residuals).values_list("student_id", "pk"))
    found = calibration.history_priors({here[s]: r for s, r in residuals.items() if s in here})
    unit = task.settings.max_score / 100.0
    return {work_id: (e.value * unit, e.sd * unit) for work_id, e in found.items()}


GRADE_FIELDS = ("work_id", "status", "points", "exact_points", "max_points", "policy", "detail", "created_at")


def compute_grades(task: TaskRef, now: datetime) -> tuple[list[Grade], list[LearnerWarning]]:
    """Every learner's grade from the latest versions of the reviews they received (A6, A7), and
    the warnings of the task's warning rule (A3, A5), not yet saved.

    The policy runs over the whole task at once: `reliability` needs every review of the task to
    estimate each reviewer's bias; the per-work policies give the same result as one work at a
    time. Learners who did not finish their assigned reviews get 0 (A7). A fixed number of
    queries, whatever the number of works.
    """
    rows, warnings = grade_rows(task, now)
    return [Grade(**dict(zip(GRADE_FIELDS, row))) for row in rows], warnings


def grade_rows(task: TaskRef, now: datetime) -> tuple[list[tuple], list[LearnerWarning]]:
    """`compute_grades` with each grade as a tuple of GRADE_FIELDS (the other fields take their
    defaults): what the grading stores (issue 15: 10,000 model instances cost more than the rows)."""
    max_score, policy = task.settings.max_score, task.settings.grading_policy
    unfinished = set(Assignment.objects.filter(task_id=task.id, submitted_at__isnull=True, extra=False)
                     .values_list("reviewer_id", flat=True))
    # Issue 16: the calibration set's staff grades are anchors (none: nothing moves), and what
    # the course's earlier tasks' anchors showed of the reviewers informs the model.
    # Only the per-item aggregation reads the reviews' items (40,000 JSON values at 10,000 works).
    reviews = latest.latest_reviews(task, with_items=task.settings.aggregation == "per_item")
    graded = grade_reviews(task, reviews, anchors=calibration_anchors(task), priors=history_priors(task))
    rows = []
    for work_id in Work.objects.filter(task_id=task.id).values_list("pk", flat=True):
        outcome = graded.work(work_id)
        detail = graded.detail(work_id)
        if work_id in unfinished:
            status, points, exact = Grade.REVIEWS_UNFINISHED, 0, 0.0
        elif outcome is None:
            status, points, exact = Grade.NO_REVIEWS, None, None
        else:
            exact = min(max(outcome.points, 0.0), float(max_score))
            status, points = Grade.GRADED, round_half_up(exact)
        rows.append((work_id, status, points, exact, max_score, policy, detail, now))
    return rows, graded.warnings(task, now)


def inputs_version(task: TaskRef) -> tuple:
    """What the grading of the task reads, summed up so that any change to it changes the
    answer: the works, the unfinished assigned reviews, every review and self-check version
    (rows are only ever added: R10), the checklist versions, the calibration anchors and the
    reviewers' priors from the course's earlier tasks (history_priors).

    complete_cross_check computes the grades before taking the task row lock and compares this
    before and under the lock; equal means the grades computed are the ones the lock would see.
    Six queries, each an aggregate over an index of the task, and history_priors' one to five.
    """
    works = Work.objects.filter(task_id=task.id).aggregate(n=Count("pk"), last=Max("pk"))
    unfinished = Assignment.objects.filter(task_id=task.id, submitted_at__isnull=True, extra=False).count()
    reviews = Review.objects.filter(assignment__task_id=task.id).aggregate(n=Count("pk"), last=Max("pk"))
    checks = SelfCheck.objects.filter(work__task_id=task.id).aggregate(n=Count("pk"), last=Max("pk"))
    versions = ChecklistVersion.objects.filter(task_id=task.id).aggregate(last=Max("pk"))
    return (works["n"], works["last"], unfinished, reviews["n"], reviews["last"], checks["n"], checks["last"],
            versions["last"], tuple(sorted(calibration_anchors(task).items())),
            # Issue 16: the reviewers' history in the course's earlier tasks (another task
            # completing, or a re-check there, meanwhile changes it).
            tuple(sorted(history_priors(task).items())))
