"""The service layer: the only code that reads and writes crosscheck models.

Every function takes `now` (so tests and background jobs control the clock), validates before it
writes, and runs its writes in one transaction. The block's handlers, the staff buttons, Celery
tasks and management commands all call these same functions.

What leaves this module for a learner is built here too (`learner_state`), so the anonymity rule
lives in one place: a learner's JSON names other learners only as "Work N" / "Reviewer N".
"""
import json
import logging
import secrets
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from submissions import api as submissions_api

from . import grading_rules, links, sanitize, schedule
from .checklist import Checklist, ReviewError, checklist_from_rs, normalize_review_items, review_total
from .distribution import assign_reviewers, reviews_per_work, shortfall_message
from .errors import CrossCheckError
from .models import (Assignment, ChecklistVersion, Draft, Grade, LinkChange, Review, SelfCheck, SweepState,
                     Task, Work)
from .models import LearnerWarning
from .scoring import POLICIES, round_half_up

log = logging.getLogger(__name__)
ITEM_TYPE = "crosscheck"
MAX_COMMENT_LENGTH = 20_000
MAX_ITEM_COMMENT_LENGTH = 5_000
MAX_DRAFT_CHARS = 200_000
SELF_FORM = "self"  # the Draft.form of the self-check


# ---------------------------------------------------------------- the task and its settings

def sync_task(usage_key: str, course_id: str, config: dict) -> Task:
    """Create the task row for a block, or refresh its settings copy when it changed.

    The due-date columns the sweep searches (`starts_at`, `closes_at`) are refreshed with the
    copy, so a date moved in Studio moves the automatic steps with it.
    """
    due = _due_columns(config)
    task, created = Task.objects.get_or_create(
        usage_key=usage_key, defaults={"course_id": course_id, "config": config, **due})
    if created:
        current_checklist_version(task)
    elif (task.config != config or task.course_id != course_id
          or any(getattr(task, name) != value for name, value in due.items())):
        Task.objects.filter(pk=task.pk).update(config=config, course_id=course_id, **due)
        task.config, task.course_id = config, course_id
        for name, value in due.items():
            setattr(task, name, value)
        current_checklist_version(task)
    return task


def _due_columns(config: dict) -> dict:
    timeline = schedule.timeline_from_config(config)
    return {"starts_at": timeline.review_start, "closes_at": timeline.closes}


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


def task_timeline(task: Task) -> schedule.Timeline:
    """The task's dates (T1 defaults filled in, adjustment period included)."""
    return schedule.timeline_from_config(task.config)


def task_phase(task: Task, now: datetime) -> str:
    """Where the task is (see schedule.py)."""
    return schedule.timeline_phase(task.status, now, task_timeline(task))


def _k(task: Task) -> int:
    return int(task.config.get("reviews_per_work", 4))


def _max_score(task: Task) -> int:
    return int(task.config.get("max_score", 100))


def _policy(task: Task) -> str:
    return task.config.get("grading_policy") or "drop_discordant"


# ---------------------------------------------------------------- submission (S1, S2, S5)

def submit_work(task: Task, student_id: str, url: object, now: datetime, username: str = "",
                confirm_late: bool = False) -> Work:
    """Submit or replace the learner's link (S1, S3).

    Before the deadline a learner submits and replaces freely. After it nobody submits a new
    work, but until the cross-check end a learner may replace their link: only with
    `confirm_late=True` (they were shown `schedule.LATE_CHANGE_WARNING`: the change forfeits the
    right to appeal), and the change is recorded (`LinkChange`, flagged after the deadline) for
    the learner and staff. Every replacement is recorded with its time and the old link.
    """
    if not student_id:
        raise CrossCheckError("Sign in to submit your work.", "not_signed_in", 403)
    if task_phase(task, now) != schedule.SUBMISSION:
        # Checked before the link, so a learner who cannot submit hears that first.
        has_work = Work.objects.filter(task=task, student_id=student_id).exists()
        _check_submission_allowed(task, has_work, now, confirm_late)
    try:
        url = links.check_link(url, task.config.get("submission_kind", links.DEFAULT_KIND))
    except links.LinkError as err:
        raise CrossCheckError(str(err), "bad_link") from err

    with transaction.atomic():
        # Lock the task row: a concurrent start must see either this work or none of it.
        task = Task.objects.select_for_update().get(pk=task.pk)
        work = Work.objects.filter(task=task, student_id=student_id).first()
        late = _check_submission_allowed(task, work is not None, now, confirm_late)
        if late and work.url == url:
            return work  # the same link again: nothing changes, nothing is flagged
        # Each version is an edx-submissions submission; the latest one is graded.
        submission = submissions_api.create_submission(
            {"student_id": student_id, "course_id": task.course_id,
             "item_id": task.usage_key, "item_type": ITEM_TYPE},
            {"url": url}, submitted_at=now)
        if work is None:
            work = Work.objects.create(task=task, student_id=student_id, url=url,
                                       submission_uuid=submission["uuid"], submitted_at=now,
                                       updated_at=now, username=username)
        else:
            if work.url != url:
                LinkChange.objects.create(work=work, old_url=work.url, new_url=url, changed_at=now,
                                          after_deadline=late)
            work.url, work.submission_uuid, work.updated_at = url, submission["uuid"], now
            work.username = username or work.username
            work.save(update_fields=["url", "submission_uuid", "updated_at", "username"])
    return work


def _check_submission_allowed(task: Task, has_work: bool, now: datetime, confirm_late: bool) -> bool:
    """S1/S3 for this learner now; True when it is a late replacement (after the deadline)."""
    phase = task_phase(task, now)
    rule = schedule.submission_rule(phase, has_work)
    if rule == schedule.SUBMISSION_CLOSED:
        message = ("Submission has not opened yet." if phase == schedule.NOT_OPEN
                   else "Submission is closed for this task.")
        raise CrossCheckError(message, "submission_closed", 409)
    if rule == schedule.LATE_REPLACE and not confirm_late:
        raise CrossCheckError(schedule.LATE_CHANGE_WARNING + " Confirm to replace the link anyway.",
                              "confirm_late_change", 409)
    return rule == schedule.LATE_REPLACE


def link_changes(work_ids: list[int]) -> dict[int, list[dict]]:
    """{work id: [{old_url, new_url, changed_at, after_deadline}, …]} oldest first, in one query.

    For the learner's own state and the staff view (S3); a learner sees only their own work's.
    """
    changes = defaultdict(list)
    for change in LinkChange.objects.filter(work_id__in=work_ids):
        changes[change.work_id].append({
            "old_url": change.old_url, "new_url": change.new_url,
            "changed_at": schedule.format_datetime(change.changed_at),
            "after_deadline": change.after_deadline})
    return dict(changes)


# ---------------------------------------------------------------- distribution (D1–D3, T3)

def start_cross_check(usage_key: str, now: datetime, wait: bool = True) -> dict:
    """Distribute the works for review. Idempotent: a started task is left as it is.

    One transaction under the task row lock: however many workers, sweeps, page views and
    staff clicks race, one distribution happens, and a crash in the middle leaves none.
    With fewer than two works nothing is distributed and the task stays open, so it can be
    started later (the rs app marked such a task distributed and it stayed stuck).
    `wait=False` answers `busy` at once when another process holds the task (it is doing this).
    """
    with transaction.atomic():
        task = _locked_task(usage_key, wait)
        if task is None:
            return {"started": False, "status": None, "busy": True,
                    "message": "Another process is working on this cross-check right now."}
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

def submit_review(task: Task, student_id: str, token: object, form: dict, now: datetime) -> Review:
    """Store a new version of the reviewer's review of one assigned work (R1–R5, R10).

    `form` is `{"items": {item_id: value}, "item_comments": {item_id: text}, "comment": text,
    "best_work": bool}`; every scored item must be present and in range.
    """
    _check_review_allowed(task, student_id, token, form, now)
    assignment = _own_assignment(task, student_id, token)
    fields = _checked_form(task, form, allow_best_work=True)
    with transaction.atomic():
        review = Review.objects.create(assignment_id=assignment.pk, created_at=now, **fields)
        Assignment.objects.filter(pk=assignment.pk).update(submitted_at=now)
        Draft.objects.filter(task=task, student_id=student_id, form=assignment.token).delete()
    return review


def submit_self_check(task: Task, student_id: str, form: dict, now: datetime) -> SelfCheck:
    """Store a new version of the author's check of their own work, before the cross-check (R6)."""
    if task_phase(task, now) not in (schedule.SUBMISSION, schedule.WAITING):
        raise CrossCheckError("The self-check closes when the cross-check starts.", "self_check_closed", 409)
    work = Work.objects.filter(task=task, student_id=student_id).only("pk").first() if student_id else None
    if work is None:
        raise CrossCheckError("Submit your work before checking it.", "no_submission", 409)
    fields = _checked_form(task, form, allow_best_work=False)
    with transaction.atomic():
        check = SelfCheck.objects.create(work_id=work.pk, created_at=now, **fields)
        Draft.objects.filter(task=task, student_id=student_id, form=SELF_FORM).delete()
    return check


def save_draft(task: Task, student_id: str, form_key: object, data: object, now: datetime) -> Draft:
    """Keep an unsent form as the learner types (R4). The draft is loose; submitting checks it."""
    if form_key != SELF_FORM:
        _own_assignment(task, student_id, form_key)
    elif not student_id:
        raise CrossCheckError("Sign in to save a draft.", "not_signed_in", 403)
    if not isinstance(data, dict):
        raise CrossCheckError("A draft must be an object.", "bad_draft")
    if len(json.dumps(data)) > MAX_DRAFT_CHARS:
        raise CrossCheckError("The draft is too large.", "bad_draft", 413)
    draft, _ = Draft.objects.update_or_create(task=task, student_id=student_id, form=form_key,
                                              defaults={"data": data, "updated_at": now})
    return draft


def _own_assignment(task: Task, student_id: str | None, token: object) -> Assignment:
    if not isinstance(token, str) or not token:
        raise CrossCheckError("Say which work the review is for (review_id).", "bad_review_id")
    assignment = (Assignment.objects.filter(task=task, token=token, reviewer__student_id=student_id)
                  .only("pk", "token").first() if student_id else None)
    if assignment is None:
        raise CrossCheckError("This work is not assigned to you for review.", "not_assigned", 403)
    return assignment


def _checked_form(task: Task, form: object, allow_best_work: bool) -> dict:
    """The model fields of a filled checklist, or CrossCheckError naming what is wrong."""
    if not isinstance(form, dict):
        raise CrossCheckError("The form must be an object.", "bad_items")
    items = form.get("items")
    if not isinstance(items, dict):
        raise CrossCheckError("`items` must be an object of item id → value.", "bad_items")
    comment = form.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
        raise CrossCheckError(f"The comment must be text of at most {MAX_COMMENT_LENGTH} characters.",
                              "bad_comment")
    version = current_checklist_version(task)
    checklist = checklist_from_rs(version.checklist)
    try:
        values = normalize_review_items(checklist, items)
    except ReviewError as err:
        raise CrossCheckError(str(err), err.code) from err
    item_comments = _checked_item_comments(checklist, form.get("item_comments") or {})
    best_work = form.get("best_work", False)
    if not isinstance(best_work, bool) or (best_work and not allow_best_work):
        raise CrossCheckError("`best_work` must be true or false (and only in a review).", "bad_best_work")
    fields = {"items": values, "item_comments": item_comments, "comment": comment,
              "total": review_total(checklist, values, _max_score(task)), "checklist_version": version}
    if allow_best_work:
        fields["best_work"] = best_work
    return fields


def _checked_item_comments(checklist: Checklist, comments: object) -> dict:
    if not isinstance(comments, dict):
        raise CrossCheckError("`item_comments` must be an object of item id → text.", "bad_comment")
    scored = {item.id for item in checklist.scored_items}
    kept = {}
    for item_id, text in comments.items():
        if item_id not in scored:
            raise CrossCheckError(f"There is no scored item “{item_id}” in the checklist.", "unknown_item")
        if not isinstance(text, str) or len(text) > MAX_ITEM_COMMENT_LENGTH:
            raise CrossCheckError(f"An item comment must be text of at most {MAX_ITEM_COMMENT_LENGTH} "
                                  "characters.", "bad_comment")
        if text.strip():
            kept[item_id] = text
    return kept


# ---------------------------------------------------------------- grading (A6, A7, T4)

# Grades written to the gradebook per transaction: set_score takes ~5–13 ms, so a batch holds
# the task row for about a second, and a crash loses (rolls back) at most one batch.
SCORE_BATCH_SIZE = 100


def complete_cross_check(usage_key: str, now: datetime, wait: bool = True,
                         max_batches: int | None = None) -> dict:
    """Compute every grade and write it to the gradebook (T4). Idempotent and resumable.

    Two steps, each safe to interrupt anywhere:
    1. one transaction under the task row lock computes every grade, stores them and sets the
       status to `grading`; a crash leaves nothing and the next run starts over;
    2. the gradebook writes, in batches: each transaction (task row locked) calls edx-submissions
       `set_score` for up to SCORE_BATCH_SIZE grades and marks them `score_written`; the last
       one sets `completed`. A crash rolls back the batch in flight (its Score rows too) and
       the next run goes on from there, so every grade reaches the gradebook exactly once.
    `max_batches` bounds one call's work (a page view writes one batch; workers and staff all);
    `wait=False` answers `busy` at once when another process holds the task.
    """
    with transaction.atomic():
        task = _locked_task(usage_key, wait)
        if task is None:
            return {"completed": False, "status": None, "busy": True,
                    "message": "Another process is working on this cross-check right now."}
        if task.status in (Task.OPEN, Task.COMPLETED):
            message = ("The cross-check is already complete." if task.status == Task.COMPLETED
                       else "The cross-check has not started yet.")
            return {"completed": False, "status": task.status, "message": message}
        if task.status == Task.DISTRIBUTED:
            grades, warnings = _compute_grades(task, now)
            Grade.objects.bulk_create(grades, batch_size=2000)
            # The warnings of the task's rule (A3, A5) belong to these grades: both or neither.
            LearnerWarning.objects.bulk_create(warnings, batch_size=2000)
            task.status = Task.GRADING
            task.save(update_fields=["status"])
    batches = 0
    status = Task.GRADING
    while status == Task.GRADING and (max_batches is None or batches < max_batches):
        status = _write_score_batch(usage_key, now, wait)
        batches += 1
    if status is None:
        status = Task.GRADING  # another process holds the task and is writing the rest
    grades = Grade.objects.filter(work__task__usage_key=usage_key)
    total, graded = grades.count(), grades.filter(status=Grade.GRADED).count()
    if status == Task.COMPLETED:
        return {"completed": True, "status": status, "message": f"{graded} of {total} learners graded."}
    waiting = grades.filter(points__isnull=False, score_written=False).count()
    return {"completed": False, "status": status,
            "message": f"{graded} of {total} learners graded; {waiting} grades are still being "
                       "written to the gradebook."}


def _write_score_batch(usage_key: str, now: datetime, wait: bool) -> str | None:
    """Write one batch of grades to the gradebook; the task's status after it (None: busy)."""
    with transaction.atomic():
        task = _locked_task(usage_key, wait)
        if task is None:
            return None
        if task.status != Task.GRADING:
            return task.status
        batch = list(Grade.objects.filter(work__task=task, points__isnull=False, score_written=False)
                     .select_related("work").order_by("pk")[:SCORE_BATCH_SIZE])
        for grade in batch:
            submissions_api.set_score(grade.work.submission_uuid, grade.points, grade.max_points)
        Grade.objects.filter(pk__in=[grade.pk for grade in batch]).update(score_written=True)
        if len(batch) < SCORE_BATCH_SIZE:  # the lock is ours: nothing else is left to write
            task.status = Task.COMPLETED
            task.completed_at = now
            task.save(update_fields=["status", "completed_at"])
        return task.status


def _locked_task(usage_key: str, wait: bool) -> Task | None:
    """The task row, locked until the transaction ends; None if `wait` is False and it is taken.

    The row lock is what makes the automatic steps happen once: every step re-reads the status
    under it. (SQLite has no row locks; there the database lock serializes writers.)
    """
    task = Task.objects.select_for_update(skip_locked=not wait).filter(usage_key=usage_key).first()
    if task is None and wait:
        raise Task.DoesNotExist(f"no cross-check task {usage_key!r}")
    return task


def _compute_grades(task: Task, now: datetime) -> tuple[list[Grade], list[LearnerWarning]]:
    """Every learner's grade from the latest versions of the reviews they received (A6, A7), and
    the warnings of the task's warning rule (A3, A5), not yet saved.

    The policy runs over the whole task at once: `reliability` needs every review of the task to
    estimate each reviewer's bias; the per-work policies give the same result as one work at a
    time. The task's aggregation (per item where the checklist allows it) and warning rule (the
    fixed rule leaves far scores out first) are applied by `grading_rules`. A fixed number of
    queries, whatever the number of works.
    """
    max_score, policy = _max_score(task), _policy(task)
    unfinished = set(Assignment.objects.filter(task=task, submitted_at__isnull=True)
                     .values_list("reviewer_id", flat=True))
    graded = grading_rules.grade(task, grading_rules.latest_reviews(task), policy=policy,
                                 max_score=max_score)
    grades = []
    for work_id in task.works.values_list("pk", flat=True):
        base = {"work_id": work_id, "max_points": max_score, "policy": policy, "created_at": now}
        outcome = graded.work(work_id)
        detail = graded.detail(work_id)
        if work_id in unfinished:
            grades.append(Grade(status=Grade.REVIEWS_UNFINISHED, points=0, exact_points=0.0,
                                detail=detail, **base))
        elif outcome is None:
            grades.append(Grade(status=Grade.NO_REVIEWS, detail=detail, **base))
        else:
            exact = min(max(outcome.points, 0.0), float(max_score))
            grades.append(Grade(status=Grade.GRADED, exact_points=exact,
                                points=round_half_up(exact), detail=detail, **base))
    return grades, graded.warnings(task, now)


def _latest_totals(task: Task):
    """(reviewer number, reviewer work id, work id, total) of the latest version of every submitted review."""
    latest = {}
    rows = (Review.objects.filter(assignment__task=task)
            .order_by("created_at", "id")
            .values_list("assignment_id", "assignment__reviewer_number", "assignment__reviewer_id",
                         "assignment__work_id", "total"))
    for assignment_id, number, reviewer_id, work_id, total in rows:
        latest[assignment_id] = (number, reviewer_id, work_id, total)
    return latest.values()


# ---------------------------------------------------------------- what the learner sees

def learner_state(task: Task, student_id: str | None, now: datetime) -> dict:
    """Everything the learner view needs, in a fixed number of queries (M3: pseudonyms only).

    Visibility: an author sees every version of every review of their work as it arrives (R7,
    R10); a reviewer sees the author's self-check once their own review is in, and after the
    cross-check end also the other reviewers' points for that work (R8).
    """
    phase = task_phase(task, now)
    version = current_checklist_version(task)
    public = checklist_from_rs(version.checklist).to_public()
    public["items"] = sanitize.public_items(public["items"])
    public["version"] = version.number
    state = {
        "phase": phase,
        "phase_text": schedule.PHASE_TEXT[phase],
        "settings": public_settings(task),
        "checklist": public,
        "checklist_versions": {},
        "submission": None,
        # submit / late_replace (S3: allowed with a warning, flagged) / closed
        "submission_rule": schedule.submission_rule(phase, False),
        "self_check": None,
        "reviews": [],
        "received": [],
        "grade": None,
        "progress": {"reviews_done": 0, "reviews_assigned": 0},
    }
    work = Work.objects.filter(task=task, student_id=student_id).first() if student_id else None
    if work is None:
        return state
    state["submission"] = {"url": work.url, "submitted_at": schedule.format_datetime(work.submitted_at),
                           "updated_at": schedule.format_datetime(work.updated_at),
                           "link_changes": link_changes([work.pk]).get(work.pk, [])}
    state["submission_rule"] = schedule.submission_rule(phase, True)
    to_do = list(Assignment.objects.filter(reviewer=work).select_related("work").order_by("position"))
    received = list(Assignment.objects.filter(work=work).order_by("reviewer_number"))
    ended = phase in (schedule.REVIEW_CLOSED, schedule.CLOSED)
    peers = list(Assignment.objects.filter(work_id__in=[a.work_id for a in to_do])
                 .exclude(reviewer=work)) if ended and to_do else []
    history = _histories([a.pk for a in (*to_do, *received, *peers)])
    checks = _self_check_histories([work.pk, *(a.work_id for a in to_do)])
    drafts = dict(Draft.objects.filter(task=task, student_id=student_id).values_list("form", "data"))
    versions = _Versions(version)

    state["self_check"] = {
        "open": phase in (schedule.SUBMISSION, schedule.WAITING),
        "history": [versions.json(check) for check in checks.get(work.pk, [])],
        "draft": drafts.get(SELF_FORM),
    }
    peers_by_work = defaultdict(list)
    for peer in peers:
        if history.get(peer.pk):
            peers_by_work[peer.work_id].append(peer)
    state["reviews"] = [
        _review_to_do(a, history.get(a.pk, []), drafts.get(a.token), checks.get(a.work_id, []),
                      peers_by_work.get(a.work_id, []), history, versions)
        for a in to_do]
    state["received"] = [_review_received(a, history[a.pk], versions) for a in received if a.pk in history]
    state["progress"] = {"reviews_done": sum(1 for a in to_do if a.submitted_at),
                         "reviews_assigned": len(to_do)}
    grade = Grade.objects.filter(work=work).first()
    if grade is not None:
        state["grade"] = grade_explanation(grade)
    state["checklist_versions"] = versions.older()
    return state


class _Versions:
    """Numbers of the checklist versions assessments were made with, and the older checklists."""

    def __init__(self, current: ChecklistVersion):
        self.current = current
        self.used = {current.pk: current}

    def json(self, assessment) -> dict:
        """One version of a review or self-check, as the page shows it."""
        version = self.used.get(assessment.checklist_version_id)
        if version is None and assessment.checklist_version_id is not None:
            version = assessment.checklist_version  # an older version: one query per version, rare
            self.used[version.pk] = version
        data = {"submitted_at": schedule.format_datetime(assessment.created_at), "total": assessment.total,
                "items": assessment.items, "item_comments": assessment.item_comments,
                "comment": assessment.comment,
                "checklist_version": version.number if version else self.current.number}
        if isinstance(assessment, Review):
            data["best_work"] = assessment.best_work
        return data

    def older(self) -> dict:
        """{number: public checklist} of every other version an assessment shown was made with."""
        return {str(v.number): {"items": sanitize.public_items(checklist_from_rs(v.checklist).to_public()["items"])}
                for v in self.used.values() if v.pk != self.current.pk}


def _histories(assignment_ids: list[int]) -> dict[int, list[Review]]:
    """Every submitted version of these assignments' reviews, oldest first."""
    history = defaultdict(list)
    for review in Review.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id"):
        history[review.assignment_id].append(review)
    return history


def _self_check_histories(work_ids: list[int]) -> dict[int, list[SelfCheck]]:
    history = defaultdict(list)
    for check in SelfCheck.objects.filter(work_id__in=work_ids).order_by("created_at", "id"):
        history[check.work_id].append(check)
    return history


def _review_to_do(assignment: Assignment, versions_of_mine: list[Review], draft: dict | None,
                  author_checks: list[SelfCheck], peers: list[Assignment], history: dict,
                  versions: _Versions) -> dict:
    latest = versions_of_mine[-1] if versions_of_mine else None
    return {
        "id": assignment.token,
        "title": f"Work {assignment.position}",
        "url": assignment.work.url,
        "status": "submitted" if latest else "todo",
        "submitted_at": schedule.format_datetime(latest.created_at) if latest else None,
        "total": latest.total if latest else None,
        "latest": versions.json(latest) if latest else None,
        "history": [versions.json(review) for review in versions_of_mine],
        "draft": draft,
        # R8: the author's self-check only once this reviewer's own review is in.
        "author_self_check": versions.json(author_checks[-1]) if latest and author_checks else None,
        # R8: after the end, what the other reviewers gave this work.
        "other_reviews": [{"title": f"Reviewer {peer.reviewer_number}", **versions.json(history[peer.pk][-1])}
                          for peer in sorted(peers, key=lambda p: p.reviewer_number)],
    }


def _review_received(assignment: Assignment, versions_of_review: list[Review], versions: _Versions) -> dict:
    latest = versions_of_review[-1]
    return {"title": f"Reviewer {assignment.reviewer_number}", **versions.json(latest),
            "history": [versions.json(review) for review in versions_of_review]}


def grade_explanation(grade: Grade) -> dict:
    """The grade with how it was computed, in words a learner understands: every score received
    (counted, or left out and why) and, for a grade computed item by item, every item."""
    explained = [{"reviewer": f"Reviewer {score['reviewer']}", "total": score["total"],
                  # Grades written before per-item grading have no "counted": their weight says.
                  "counted": score["counted"] if "counted" in score else score.get("weight", 1) > 0,
                  "weight": score.get("weight"), "adjusted": score.get("adjusted"),
                  "reason": score.get("reason", "")}
                 for score in grade.detail.get("scores", [])]
    messages = {
        Grade.GRADED: f"Your grade is {grade.points} of {grade.max_points}: "
                      f"{grade.detail.get('summary') or POLICIES.get(grade.policy, grade.policy)}",
        Grade.REVIEWS_UNFINISHED: "Your grade is 0 because you did not finish all the reviews "
                                  "assigned to you. Only learners who finish their reviews are graded.",
        Grade.NO_REVIEWS: "Your work received no reviews, so it has no grade yet. "
                          "The course staff have been told and will grade it.",
    }
    recheck = grade.detail.get("recheck")
    if recheck is not None:  # a staff re-check (appeals.py) replaced the reviewers' grade
        before = recheck.get("previous_points")
        messages[Grade.GRADED] = (f"Your grade is {grade.points} of {grade.max_points}, from a re-check by course "
                                  "staff" + ("" if before is None else f" (the reviewers' grade was {before})")
                                  + ". The reviewers' scores below no longer count.")
    return {"status": grade.status, "points": grade.points, "max": grade.max_points,
            "exact": grade.exact_points, "policy": grade.policy, "message": messages[grade.status],
            "rechecked": recheck is not None,
            "scores": explained, "aggregation": grade.detail.get("aggregation", "total"),
            "items": grading_rules.learner_items(grade.detail)}


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
        **_public_dates(task),
    }


def _public_dates(task: Task) -> dict:
    """The dates with the T1 defaults filled in, and the adjustment period (T6), for the page."""
    timeline = task_timeline(task)
    return {
        "submission_due": schedule.format_datetime(timeline.submission_due),
        "review_start": schedule.format_datetime(timeline.review_start),
        "review_due": schedule.format_datetime(timeline.review_due),
        "adjustment_days": timeline.adjustment.total_seconds() / 86400,
        "adjustment_due": schedule.format_datetime(timeline.closes) if timeline.adjustment else "",
        "late_change_warning": schedule.LATE_CHANGE_WARNING,
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
    changes = link_changes(list(task.works.values_list("pk", flat=True)))
    learners = []
    for work in task.works.order_by("submitted_at", "pk"):
        grade = grades.get(work.pk)
        learners.append({
            "learner": work.username or work.student_id,
            "url": work.url,
            "submitted_at": schedule.format_datetime(work.submitted_at),
            "updated_at": schedule.format_datetime(work.updated_at),
            # S3: every replaced link with its time; `late_link_change` forfeits the appeal.
            "link_changes": changes.get(work.pk, []),
            "late_link_change": any(change["after_deadline"] for change in changes.get(work.pk, [])),
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
        "dates": _public_dates(task),
        "can_start": task.status == Task.OPEN,
        # `grading`: a gradebook write was interrupted; completing again finishes it.
        "can_complete": task.status in (Task.DISTRIBUTED, Task.GRADING),
        "learners": learners,
    }


# ---------------------------------------------------------------- reviews after the end (T5, T6)

def _check_review_allowed(task: Task, student_id: str | None, token: object, form: object,
                          now: datetime) -> None:
    """May this reviewer submit this review now? Raises CrossCheckError (409) when not.

    While the cross-check runs, reviews are submitted and changed freely. In the adjustment
    period after the end (T6) a reviewer may only correct the points of a review they already
    submitted: its comment, item comments and best-work mark must stay as in their latest
    version, and no new review is accepted. Before the start and after the adjustment period
    nothing is accepted (T5).
    """
    phase = task_phase(task, now)
    if phase == schedule.REVIEW:
        return
    if phase != schedule.ADJUSTMENT:
        raise CrossCheckError("Reviews are not accepted now: the cross-check is not running.",
                              "review_closed", 409)
    assignment = _own_assignment(task, student_id, token)
    latest = Review.objects.filter(assignment_id=assignment.pk).order_by("-created_at", "-id").first()
    if schedule.review_rule(phase, latest is not None) != schedule.POINTS_ONLY:
        raise CrossCheckError("The cross-check has ended: new reviews are not accepted. In the adjustment "
                              "period you may only correct the points of reviews you submitted.",
                              "review_closed", 409)
    fields = _checked_form(task, form, allow_best_work=True)
    kept = (latest.comment, latest.item_comments, latest.best_work)
    if (fields.get("comment", ""), fields.get("item_comments", {}), fields.get("best_work", False)) != kept:
        raise CrossCheckError("In the adjustment period only the points of a submitted review may change; "
                              "keep its comments and best-work mark as they were.",
                              "adjustment_points_only", 409)


# ---------------------------------------------------------------- automatic steps (T3, T4, P3)
#
# The schedule lives in the database (Task.starts_at / closes_at and the status), not in the
# broker: Open edX runs no celery beat, and Redis redelivers a task scheduled hours ahead after
# its visibility timeout. Three drivers find what is due and run the same idempotent steps:
# the self-re-queuing sweep (tasks.sweep_due_tasks), the cron command `crosscheck_tick`, and any
# page view of the block after a due time (run_due_transitions).

SWEEP_NAME = "default"


def due_tasks(now: datetime, limit: int = 1000) -> list[str]:
    """Usage keys of tasks with a step due (see schedule.due_step): interrupted gradings, then
    gradings due, then starts due, each oldest first.

    Three queries, each a range scan of the (status, starts_at) or (status, closes_at) index
    (an OR of them would tempt the database into a full scan). advance_task checks the exact
    rule again per task, so this only has to find every due task.
    """
    keys = Task.objects.order_by().values_list("usage_key", flat=True)
    grading = keys.filter(status=Task.GRADING).order_by("closes_at")
    finishing = keys.filter(status=Task.DISTRIBUTED, closes_at__lte=now).order_by("closes_at")
    starting = (keys.filter(status=Task.OPEN, starts_at__lte=now)
                .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now)).order_by("starts_at"))
    due = []
    for query in (grading, finishing, starting):
        due.extend(query[:limit - len(due)])
        if len(due) >= limit:
            break
    return due


def advance_task(usage_key: str, now: datetime, wait: bool = False,
                 max_batches: int | None = None) -> dict | None:
    """Run the step that is due for this task now, if any: distribute or grade. Idempotent.

    The Celery task and the cron command call this for every due task; the step itself
    re-checks the status under the task row lock, so racing callers do the work once.
    """
    task = Task.objects.filter(usage_key=usage_key).first()
    if task is None:
        return None
    step = schedule.due_step(task.status, now, task_timeline(task))
    if step == schedule.START:
        return start_cross_check(usage_key, now, wait=wait)
    if step == schedule.FINISH:
        return complete_cross_check(usage_key, now, wait=wait, max_batches=max_batches)
    return None


def run_due_transitions(task: Task, now: datetime) -> Task:
    """The lazy check when someone opens the block: run a due step, answer the current task.

    Costs no query when nothing is due (the common case). When something is, it runs here,
    without waiting for a worker that holds the task, and with at most one batch of gradebook
    writes, so a page view stays short; the sweep or cron writes the rest of a large task.
    """
    if schedule.due_step(task.status, now, task_timeline(task)) is None:
        return task
    try:
        advance_task(task.usage_key, now, wait=False, max_batches=1)
    except Exception:  # pylint: disable=broad-except
        # A failing step must not break the learner's page; it rolled back, and the sweep,
        # cron or the next view tries again.
        log.exception("crosscheck: the due step of %s failed in a page view", task.usage_key)
    return Task.objects.get(pk=task.pk)


class SweepTurn:
    """What one sweep message may do: go on as `step` of `chain`, and advance the `due` tasks."""

    def __init__(self, chain: str, step: int, due: list[str]):
        self.chain, self.step, self.due = chain, step, due


def sweep_turn(chain: str | None, step: int, now: datetime) -> SweepTurn | None:
    """Claim one turn of the self-re-queuing sweep; None when this message must stop.

    `chain=None` starts a new chain that replaces any running one (so starting the sweep again
    never doubles it). A message of an old chain, or a second delivery of the same step,
    gets None and is not re-queued: one sweep message is alive at a time.
    """
    SweepState.objects.get_or_create(name=SWEEP_NAME, defaults={"chain": "", "beat_at": now})
    with transaction.atomic():
        state = SweepState.objects.select_for_update().get(name=SWEEP_NAME)
        if chain is None:
            state.chain, state.step = secrets.token_hex(8), 0
        elif chain != state.chain or step != state.step:
            return None
        state.step += 1
        state.beat_at = now
        state.save()
    return SweepTurn(state.chain, state.step, due_tasks(now))


def sweep_is_stale(now: datetime, seconds: float) -> bool:
    """True when no sweep ran in the last `seconds` (never started, or its chain was lost)."""
    state = SweepState.objects.filter(name=SWEEP_NAME).first()
    return state is None or not state.chain or (now - state.beat_at).total_seconds() > seconds


def sweep_status() -> dict | None:
    """When the sweep last ran, for operators (None: it never ran)."""
    state = SweepState.objects.filter(name=SWEEP_NAME).first()
    if state is None:
        return None
    return {"chain": state.chain, "step": state.step, "beat_at": schedule.format_datetime(state.beat_at)}
