"""Staff grades as anchors (issue 16): the calibration set, and recomputing with staff re-checks.

A task with `calibration_works` > 0 gets, at the start, that many works spread over the review
graph (scoring.calibration.pick_anchor_works) for course staff to grade with the checklist while
the reviews run. Grading hands those staff grades to the pure `grade_task` as anchors: every grade
moves by the class offset they show, as far as they support it, and its explanation says so.

Staff re-checks made after the grades (appeals) are anchors too. They never change published
grades by themselves: `staff_recompute` shows what a recompute with every anchor would change
and applies it only when staff say so; works staff re-checked keep their re-check.
"""
from datetime import datetime

from django.db import transaction

from .. import schedule
from ..errors import BadRequest, Conflict, NotFound
from ..i18n import gettext, plural_text
from ..models import Appeal, Assignment, CalibrationWork, Grade, Task
from ..scoring import calibration, round_half_up
from . import gradebook, grading, latest, registry
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .reviews import check_form


def pick_at_start(task: TaskRef, task_row: Task, now: datetime) -> None:
    """In the start's transaction: pick the calibration set, if the task has one."""
    n = task.settings.calibration_works
    if not n:
        return
    reviewers_of: dict = {}
    for reviewer_id, work_id in Assignment.objects.filter(task_id=task.id).values_list("reviewer_id", "work_id"):
        reviewers_of.setdefault(work_id, []).append(reviewer_id)
    picked = calibration.pick_anchor_works(reviewers_of, n, seed=task_row.seed)
    CalibrationWork.objects.bulk_create([CalibrationWork(task_id=task.id, work_id=work_id, picked_at=now)
                                         for work_id in picked])


def set_anchors(task: TaskRef) -> dict:
    """{work_id: staff total} of the calibration set's graded works (what grading uses)."""
    return grading.calibration_anchors(task)


def _recheck_anchors(task: TaskRef) -> dict:
    """{work_id: staff's re-check total} of the resolved appeals; for a task graded item by item,
    calibration.Anchor(total, item points), so a recompute calibrates item by item (issue 16)."""
    rows = list(Appeal.objects.filter(work__task_id=task.id, status=Appeal.RESOLVED, recheck_total__isnull=False)
                .values_list("work_id", "recheck_total", "recheck_items", "checklist_version_id"))
    if task.settings.aggregation != "per_item" or not rows:
        return {work_id: total for work_id, total, _, _ in rows}
    versions = latest.checklists(task)
    anchors = {}
    for work_id, total, items, version_id in rows:
        points = latest.item_points_of(latest.LatestReview(0, None, work_id, 0, total, items, version_id),
                                       versions.get(version_id))
        anchors[work_id] = calibration.Anchor(total, points) if points else total
    return anchors


@guarded
def staff_calibration(task: TaskRef, now: datetime) -> dict:  # noqa: ARG001 - as every read model
    """The calibration set for staff: its works (learner, link, staff's grade if given), whether
    staff may still grade them, and the offset the anchors show now (with its 95 % interval)."""
    rows = list(CalibrationWork.objects.filter(task_id=task.id).select_related("work").order_by("pk"))
    graded_set, rechecks = set_anchors(task), _recheck_anchors(task)
    anchors = {**graded_set, **rechecks}
    estimate = None
    if anchors:
        outcome = grading.grade_reviews(task, latest.latest_reviews(task), anchors=anchors,
                                        priors=grading.history_priors(task)).outcome
        estimate = outcome.calibration.as_dict() if outcome.calibration else None
    return {
        "enabled": bool(task.settings.calibration_works),
        "size": task.settings.calibration_works,
        "open": task.status == schedule.DISTRIBUTED,
        "works": [{"work_id": row.work_id, "learner": staff_name(row.work), "url": row.work.url,
                   "graded": row.total is not None, "total": row.total, "items": row.items,
                   "item_comments": row.item_comments, "comment": row.comment,
                   "graded_at": schedule.format_datetime(row.graded_at), "graded_by": row.graded_by}
                  for row in rows],
        "anchors": {"calibration_set": len(graded_set), "rechecks": len(rechecks)},
        "estimate": estimate,
    }


@guarded
def staff_grade_calibration(task: TaskRef, work_id: object, form: object, username: str, now: datetime) -> dict:
    """Staff's checklist grade of a calibration work: `{"work_id", "items", "item_comments",
    "comment"}`; again replaces it. Only while the reviews run (409 calibration_closed after);
    404 unknown_work for a work not in the set; the form is checked like a review's."""
    if isinstance(work_id, bool) or not isinstance(work_id, int):
        raise BadRequest(gettext("Say which work of the calibration set you grade (work_id)."), "bad_work")
    with transaction.atomic():
        if registry.lock_status(task) != schedule.DISTRIBUTED:
            raise Conflict(gettext("The calibration set is graded while the reviews run; the grades are "
                                   "computed now or already were."), "calibration_closed")
        row = CalibrationWork.objects.select_for_update().filter(task_id=task.id, work_id=work_id).first()
        if row is None:
            raise NotFound(gettext("That work is not in the calibration set."), "unknown_work")
        fields = check_form(task, form, allow_best_work=False)
        row.items, row.item_comments, row.comment = fields["items"], fields["item_comments"], fields["comment"]
        row.total, row.checklist_version_id = fields["total"], fields["checklist_version_id"]
        row.graded_at, row.graded_by = now, username[:150]
        row.save()
    return staff_calibration(task, now)


@guarded
def staff_recompute(task: TaskRef, apply: object, username: str, now: datetime) -> dict:
    """What grading again with every anchor (the calibration set and staff re-checks) would
    change, and with `"apply": true` the change itself: the new grades go to the gradebook.
    Works staff re-checked keep their re-check; learners who owed reviews keep 0 (A7)."""
    if not isinstance(apply, bool):
        raise BadRequest(gettext('Say "apply": false to preview or true to apply the recompute.'), "bad_apply")
    with transaction.atomic():
        if (registry.lock_row(task).status if apply else task.status) != schedule.COMPLETED:
            raise Conflict(gettext("Grades can be recomputed once the grading is complete."), "not_graded")
        graded_set, rechecks = set_anchors(task), _recheck_anchors(task)
        graded = grading.grade_reviews(task, latest.latest_reviews(task), anchors={**graded_set, **rechecks} or None,
                                       priors=grading.history_priors(task))
        rechecked = set(rechecks)
        grades = list(Grade.objects.select_related("work").filter(work__task_id=task.id, status=Grade.GRADED)
                      .order_by("work_id"))
        changes = []
        for grade in grades:
            outcome = graded.work(grade.work_id)
            if outcome is None or grade.work_id in rechecked:
                continue
            exact = min(max(outcome.points, 0.0), float(grade.max_points))
            points = round_half_up(exact)
            if points == grade.points:
                continue
            changes.append({"work_id": grade.work_id, "learner": staff_name(grade.work), "before": grade.points,
                            "after": points})
            if apply:
                detail = {**graded.detail(grade.work_id), "recomputed": {"at": schedule.format_datetime(now),
                                                                        "by": username[:150], "before": grade.points}}
                grade.exact_points, grade.points, grade.detail = exact, points, detail
                gradebook.write_score(grade, now)
                grade.save(update_fields=["exact_points", "points", "detail", "score_written", "score_error",
                                          "score_attempts", "score_retry_at"])
    estimate = graded.outcome.calibration.as_dict() if graded.outcome.calibration else None
    message = plural_text("%(n)s grade would change.", "%(n)s grades would change.", len(changes))
    if apply:
        message = plural_text("%(n)s grade changed and written to the gradebook.",
                              "%(n)s grades changed and written to the gradebook.", len(changes))
    return {"applied": apply, "changes": changes, "estimate": estimate, "message": message.render(),
            "anchors": {"calibration_set": len(graded_set), "rechecks": len(rechecked)}}
