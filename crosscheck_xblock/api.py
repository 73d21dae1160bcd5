"""The service layer: the only code that reads and writes crosscheck models.

Every function takes `now` (so tests and background jobs control the clock), validates before it
writes, and runs its writes in one transaction. The block's handlers, the staff buttons, Celery
tasks and management commands all call these same functions.

What leaves this module for a learner is built here too (`learner_state`), so the anonymity rule
lives in one place: a learner's JSON names other learners only as "Work N" / "Reviewer N".
"""
import secrets
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from submissions import api as submissions_api

from . import links, schedule
from .checklist import Checklist, ReviewError, checklist_from_rs, normalize_review_items, review_total
from .distribution import assign_reviewers, reviews_per_work, shortfall_message
from .errors import CrossCheckError
from .models import Assignment, ChecklistVersion, Grade, Review, Task, Work
from .scoring import POLICIES, apply_policy, round_half_up

ITEM_TYPE = "crosscheck"
MAX_COMMENT_LENGTH = 20_000


# ---------------------------------------------------------------- the task and its settings

def sync_task(usage_key: str, course_id: str, config: dict) -> Task:
    """Create the task row for a block, or refresh its settings copy when it changed."""
    task, created = Task.objects.get_or_create(
        usage_key=usage_key, defaults={"course_id": course_id, "config": config})
    if created:
        current_checklist_version(task)
    elif task.config != config or task.course_id != course_id:
        Task.objects.filter(pk=task.pk).update(config=config, course_id=course_id)
        task.config, task.course_id = config, course_id
        current_checklist_version(task)
    return task


def current_checklist_version(task: Task) -> ChecklistVersion:
    """The version row of the task's current checklist, added when the checklist changed."""
    checklist = task.config.get("checklist") or {}
    latest = task.checklist_versions.order_by("-number").first()
    if latest is not None and latest.checklist == checklist:
        return latest
    number = latest.number + 1 if latest else 1
    version, _ = ChecklistVersion.objects.get_or_create(task=task, number=number,
                                                        defaults={"checklist": checklist})
    return version


def task_started(usage_key: str) -> bool:
    """True once works were distributed: a checklist edit then applies to new reviews only."""
    return Task.objects.filter(usage_key=usage_key).exclude(status=Task.OPEN).exists()


def get_task(usage_key: str) -> Task | None:
    """The task of a block, or None if nobody has opened the block yet."""
    return Task.objects.filter(usage_key=usage_key).first()


def task_checklist(task: Task) -> Checklist:
    """The checklist from the task's settings copy."""
    return checklist_from_rs(task.config.get("checklist") or {})


def task_phase(task: Task, now: datetime) -> str:
    """Where the task is (see schedule.py)."""
    return schedule.phase(task.status, now,
                          schedule.parse_datetime(task.config.get("submission_due")),
                          schedule.parse_datetime(task.config.get("review_due")))


def _k(task: Task) -> int:
    return int(task.config.get("reviews_per_work", 4))


def _max_score(task: Task) -> int:
    return int(task.config.get("max_score", 100))


def _policy(task: Task) -> str:
    return task.config.get("grading_policy") or "drop_discordant"


# ---------------------------------------------------------------- submission (S1, S2, S5)

def submit_work(task: Task, student_id: str, url: object, now: datetime, username: str = "") -> Work:
    """Submit or replace the learner's link while submission is open."""
    if not student_id:
        raise CrossCheckError("Sign in to submit your work.", "not_signed_in", 403)
    phase = task_phase(task, now)
    if phase != schedule.SUBMISSION:
        raise CrossCheckError("Submission is closed for this task.", "submission_closed", 409)
    try:
        url = links.check_link(url, task.config.get("submission_kind", links.DEFAULT_KIND))
    except links.LinkError as err:
        raise CrossCheckError(str(err), "bad_link") from err

    with transaction.atomic():
        # Lock the task row: a concurrent start must see either this work or none of it.
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task_phase(task, now) != schedule.SUBMISSION:
            raise CrossCheckError("Submission is closed for this task.", "submission_closed", 409)
        # Each version is an edx-submissions submission; the latest one is graded.
        submission = submissions_api.create_submission(
            {"student_id": student_id, "course_id": task.course_id,
             "item_id": task.usage_key, "item_type": ITEM_TYPE},
            {"url": url}, submitted_at=now)
        work, created = Work.objects.get_or_create(
            task=task, student_id=student_id,
            defaults={"url": url, "submission_uuid": submission["uuid"], "submitted_at": now,
                      "updated_at": now, "username": username})
        if not created:
            work.url, work.submission_uuid, work.updated_at = url, submission["uuid"], now
            work.username = username or work.username
            work.save(update_fields=["url", "submission_uuid", "updated_at", "username"])
    return work


# ---------------------------------------------------------------- distribution (D1–D3, T3)

def start_cross_check(usage_key: str, now: datetime) -> dict:
    """Distribute the works for review. Idempotent: a started task is left as it is.

    With fewer than two works nothing is distributed and the task stays open, so it can be
    started later (the rs app marked such a task distributed and it stayed stuck).
    """
    with transaction.atomic():
        task = Task.objects.select_for_update().get(usage_key=usage_key)
        if task.status != Task.OPEN:
            return {"started": False, "status": task.status, "message": "The cross-check has already started."}
        work_ids = list(task.works.values_list("pk", flat=True))
        k = _k(task)
        note = shortfall_message(len(work_ids), k) or ""
        if len(work_ids) < 2:
            Task.objects.filter(pk=task.pk).update(distribution_note=note)
            return {"started": False, "status": task.status, "message": note}
        plan = assign_reviewers(work_ids, k=k, seed=task.usage_key)
        Assignment.objects.bulk_create(_assignments(task, plan), batch_size=2000)
        task.status = Task.DISTRIBUTED
        task.distributed_at = now
        task.reviewers_per_work = reviews_per_work(len(work_ids), k)
        task.distribution_note = note
        task.save(update_fields=["status", "distributed_at", "reviewers_per_work", "distribution_note"])
    return {"started": True, "status": task.status,
            "message": f"{len(work_ids)} works distributed, {task.reviewers_per_work} reviewers each."}


def _assignments(task: Task, plan: dict) -> list[Assignment]:
    next_number = defaultdict(int)
    rows = []
    for reviewer_id in sorted(plan):
        for position, work_id in enumerate(plan[reviewer_id], start=1):
            next_number[work_id] += 1
            rows.append(Assignment(
                task=task, reviewer_id=reviewer_id, work_id=work_id, position=position,
                reviewer_number=next_number[work_id], token=secrets.token_hex(12)))
    return rows


# ---------------------------------------------------------------- reviews (R1–R3)

def submit_review(task: Task, student_id: str, token: object, items: object, comment: object,
                  now: datetime) -> Review:
    """Store a new version of the reviewer's review of one assigned work."""
    if task_phase(task, now) != schedule.REVIEW:
        raise CrossCheckError("Reviews are not accepted now: the cross-check is not running.",
                              "review_closed", 409)
    if not isinstance(token, str) or not token:
        raise CrossCheckError("Say which work the review is for (review_id).", "bad_review_id")
    assignment = (Assignment.objects.filter(task=task, token=token, reviewer__student_id=student_id)
                  .only("pk").first())
    if assignment is None:
        raise CrossCheckError("This work is not assigned to you for review.", "not_assigned", 403)
    if not isinstance(items, dict):
        raise CrossCheckError("`items` must be an object of item id → value.", "bad_items")
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
        raise CrossCheckError(f"The comment must be text of at most {MAX_COMMENT_LENGTH} characters.",
                              "bad_comment")
    checklist = task_checklist(task)
    try:
        values = normalize_review_items(checklist, items)
    except ReviewError as err:
        raise CrossCheckError(str(err), err.code) from err
    total = review_total(checklist, values, _max_score(task))
    with transaction.atomic():
        review = Review.objects.create(assignment_id=assignment.pk, items=values, comment=comment,
                                       total=total, created_at=now)
        Assignment.objects.filter(pk=assignment.pk).update(submitted_at=now)
    return review


# ---------------------------------------------------------------- grading (A6, A7, T4)

def complete_cross_check(usage_key: str, now: datetime) -> dict:
    """Compute every grade and write it to edx-submissions. Idempotent: runs once per task."""
    with transaction.atomic():
        task = Task.objects.select_for_update().get(usage_key=usage_key)
        if task.status != Task.DISTRIBUTED:
            message = ("The cross-check is already complete." if task.status == Task.COMPLETED
                       else "The cross-check has not started yet.")
            return {"completed": False, "status": task.status, "message": message}
        grades = _compute_grades(task, now)
        Grade.objects.bulk_create(grades, batch_size=2000)
        works = {work.pk: work for work in task.works.all()}
        for grade in grades:
            if grade.points is not None:
                submissions_api.set_score(works[grade.work_id].submission_uuid, grade.points,
                                          grade.max_points)
        task.status = Task.COMPLETED
        task.completed_at = now
        task.save(update_fields=["status", "completed_at"])
    graded = sum(1 for grade in grades if grade.status == Grade.GRADED)
    return {"completed": True, "status": task.status,
            "message": f"{graded} of {len(grades)} learners graded."}


def _compute_grades(task: Task, now: datetime) -> list[Grade]:
    max_score, policy = _max_score(task), _policy(task)
    unfinished = set(Assignment.objects.filter(task=task, submitted_at__isnull=True)
                     .values_list("reviewer_id", flat=True))
    received = defaultdict(list)  # work id → [(reviewer number, total)] from the latest versions
    for number, work_id, total in _latest_totals(task):
        received[work_id].append((number, total))
    grades = []
    for work_id in task.works.values_list("pk", flat=True):
        scores = sorted(received.get(work_id, []))
        base = {"work_id": work_id, "max_points": max_score, "policy": policy, "created_at": now}
        detail = {"scores": [{"reviewer": number, "total": total} for number, total in scores]}
        if work_id in unfinished:
            grades.append(Grade(status=Grade.REVIEWS_UNFINISHED, points=0, exact_points=0.0,
                                detail=detail, **base))
        elif not scores:
            grades.append(Grade(status=Grade.NO_REVIEWS, detail=detail, **base))
        else:
            result = apply_policy(policy, [total for _, total in scores])
            exact = min(max(result.points, 0.0), float(max_score))
            detail["counted"] = list(result.counted)
            detail["dropped"] = [{"index": index, "reason": reason} for index, reason in result.dropped]
            grades.append(Grade(status=Grade.GRADED, exact_points=exact,
                                points=round_half_up(exact), detail=detail, **base))
    return grades


def _latest_totals(task: Task):
    """(reviewer number, work id, total) of the latest version of every submitted review."""
    latest = {}
    rows = (Review.objects.filter(assignment__task=task)
            .order_by("created_at", "id")
            .values_list("assignment_id", "assignment__reviewer_number", "assignment__work_id", "total"))
    for assignment_id, number, work_id, total in rows:
        latest[assignment_id] = (number, work_id, total)
    return latest.values()


# ---------------------------------------------------------------- what the learner sees

def learner_state(task: Task, student_id: str | None, now: datetime) -> dict:
    """Everything the learner view needs, in a fixed number of queries (M3: pseudonyms only)."""
    phase = task_phase(task, now)
    checklist = task_checklist(task)
    work = Work.objects.filter(task=task, student_id=student_id).first() if student_id else None
    state = {
        "phase": phase,
        "phase_text": schedule.PHASE_TEXT[phase],
        "settings": public_settings(task),
        "checklist": checklist.to_public(),
        "submission": None,
        "reviews": [],
        "received": [],
        "grade": None,
        "progress": {"reviews_done": 0, "reviews_assigned": 0},
    }
    if work is None:
        return state
    state["submission"] = {"url": work.url, "submitted_at": schedule.format_datetime(work.submitted_at),
                           "updated_at": schedule.format_datetime(work.updated_at)}
    to_do = list(Assignment.objects.filter(reviewer=work).select_related("work").order_by("position"))
    received = list(Assignment.objects.filter(work=work).order_by("reviewer_number"))
    latest = _latest_versions([a.pk for a in to_do] + [a.pk for a in received])
    state["reviews"] = [_review_to_do(a, latest.get(a.pk)) for a in to_do]
    state["received"] = [_review_received(a, latest.get(a.pk)) for a in received if a.pk in latest]
    state["progress"] = {"reviews_done": sum(1 for a in to_do if a.submitted_at),
                         "reviews_assigned": len(to_do)}
    grade = Grade.objects.filter(work=work).first()
    if grade is not None:
        state["grade"] = grade_explanation(grade)
    return state


def _latest_versions(assignment_ids: list[int]) -> dict[int, Review]:
    latest = {}
    for review in Review.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id"):
        latest[review.assignment_id] = review
    return latest


def _review_to_do(assignment: Assignment, review: Review | None) -> dict:
    return {
        "id": assignment.token,
        "title": f"Work {assignment.position}",
        "url": assignment.work.url,
        "status": "submitted" if review else "todo",
        "submitted_at": schedule.format_datetime(review.created_at) if review else None,
        "items": review.items if review else None,
        "comment": review.comment if review else "",
        "total": review.total if review else None,
    }


def _review_received(assignment: Assignment, review: Review) -> dict:
    return {"title": f"Reviewer {assignment.reviewer_number}", "total": review.total,
            "items": review.items, "comment": review.comment,
            "submitted_at": schedule.format_datetime(review.created_at)}


def grade_explanation(grade: Grade) -> dict:
    """The grade with how it was computed, in words a learner understands."""
    scores = grade.detail.get("scores", [])
    counted = set(grade.detail.get("counted", []))
    dropped = {entry["index"]: entry["reason"] for entry in grade.detail.get("dropped", [])}
    explained = [{"reviewer": f"Reviewer {score['reviewer']}", "total": score["total"],
                  "counted": index in counted, "reason": dropped.get(index, "")}
                 for index, score in enumerate(scores)]
    messages = {
        Grade.GRADED: f"Your grade is {grade.points} of {grade.max_points}: "
                      f"{POLICIES.get(grade.policy, grade.policy)}",
        Grade.REVIEWS_UNFINISHED: "Your grade is 0 because you did not finish all the reviews "
                                  "assigned to you. Only learners who finish their reviews are graded.",
        Grade.NO_REVIEWS: "Your work received no reviews, so it has no grade yet. "
                          "The course staff have been told and will grade it.",
    }
    return {"status": grade.status, "points": grade.points, "max": grade.max_points,
            "exact": grade.exact_points, "policy": grade.policy, "message": messages[grade.status],
            "scores": explained}


def public_settings(task: Task) -> dict:
    """The task settings a learner may see (dates in ISO 8601 UTC)."""
    config = task.config
    kind = config.get("submission_kind", links.DEFAULT_KIND)
    return {
        "display_name": config.get("display_name", ""),
        "submission_kind": kind,
        "submission_help": links.KINDS.get(kind, ""),
        "reviews_per_work": _k(task),
        "max_score": _max_score(task),
        "grading_policy": _policy(task),
        "policy_text": POLICIES.get(_policy(task), ""),
        "submission_due": config.get("submission_due", ""),
        "review_start": config.get("review_start", ""),
        "review_due": config.get("review_due", ""),
    }


# ---------------------------------------------------------------- what staff see

def staff_overview(task: Task, now: datetime) -> dict:
    """Progress of every learner (who submitted, reviews done, grade) for the staff view."""
    done, assigned = defaultdict(int), defaultdict(int)
    received = defaultdict(int)
    for reviewer_id, work_id, submitted_at in Assignment.objects.filter(task=task).values_list(
            "reviewer_id", "work_id", "submitted_at"):
        assigned[reviewer_id] += 1
        if submitted_at:
            done[reviewer_id] += 1
            received[work_id] += 1
    grades = {grade.work_id: grade for grade in Grade.objects.filter(work__task=task)}
    learners = []
    for work in task.works.order_by("submitted_at", "pk"):
        grade = grades.get(work.pk)
        learners.append({
            "learner": work.username or work.student_id,
            "url": work.url,
            "submitted_at": schedule.format_datetime(work.submitted_at),
            "updated_at": schedule.format_datetime(work.updated_at),
            "reviews_done": done[work.pk],
            "reviews_assigned": assigned[work.pk],
            "reviews_received": received[work.pk],
            "grade": None if grade is None else {
                "status": grade.status, "points": grade.points, "max": grade.max_points,
                "exact": grade.exact_points},
        })
    phase = task_phase(task, now)
    return {
        "status": task.status,
        "phase": phase,
        "phase_text": schedule.STAFF_PHASE_TEXT[phase],
        "submissions": len(learners),
        "reviewers_per_work": task.reviewers_per_work,
        "distribution_note": task.distribution_note,
        "distributed_at": schedule.format_datetime(task.distributed_at),
        "completed_at": schedule.format_datetime(task.completed_at),
        "can_start": task.status == Task.OPEN,
        "can_complete": task.status == Task.DISTRIBUTED,
        "learners": learners,
    }
