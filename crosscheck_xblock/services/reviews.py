"""Filling the checklist (R1–R6, R10, T5, T6): reviews of peers' works, self-checks, drafts.

Reviews and self-checks are what grading reads, so each is written under the task row's share
lock with the phase checked again inside the transaction (registry.lock_status): a review
answered 200 is in the grades, a review that comes after the grading took the row is refused.
"""
import json
import re
from datetime import datetime

from django.db import transaction

from .. import schedule
from ..checklist import Checklist, ReviewError, normalize_review_items, review_total
from ..errors import BadRequest, Conflict, NotAllowed, TooLarge
from ..i18n import N_, Text, gettext, plural_text
from ..models import Assignment, Draft, Review, SelfCheck, Work
from . import extras, notices, registry
from .guard import guarded
from .registry import TaskRef

MAX_COMMENT_LENGTH = 20_000
MAX_ITEM_COMMENT_LENGTH = 5_000
MAX_DRAFT_CHARS = 200_000
# Versions a review (or a self-check) may have: room for every honest correction, and a bound
# on what the author's page carries.
MAX_VERSIONS = 20
SELF_FORM = Draft.SELF_CHECK  # the Draft.form of the self-check
# A review id is an assignment's random token (24 lowercase hex digits); anything else names no
# assignment. Checked before the database sees it: MariaDB's collation would match "ABC " to "abc".
_TOKEN = re.compile(r"[0-9a-f]{24}")


@guarded
def submit_review(task: TaskRef, student_id: str | None, token: object, form: object,
                  now: datetime) -> None:
    """Store a new version of the reviewer's review of one assigned work (R1–R5, R10).

    `form` is `{"items": {item_id: value}, "item_comments": {item_id: text}, "comment": text,
    "best_work": bool}`; every scored item must be present and in range. While the cross-check
    runs, reviews are submitted and changed freely. In the adjustment period after the end (T6)
    a reviewer may only correct the points of a review they already submitted: its comment,
    item comments and best-work mark must stay as in their latest version, and no new review is
    accepted. Before the start and after the adjustment period nothing is accepted (T5).
    """
    with transaction.atomic():
        phase = task.settings.phase(registry.lock_status(task), now)
        if phase not in (schedule.REVIEW, schedule.ADJUSTMENT):
            raise Conflict(gettext("Reviews are not accepted now: the cross-check is not running."),
                           "review_closed")
        assignment = own_assignment(task, student_id, token, lock=True, now=now)
        versions = list(Review.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id")
                        .values_list("comment", "item_comments", "best_work"))
        if (phase == schedule.REVIEW and not assignment.extra and (due := extras.assigned_due(task)) is not None
                and now >= due):
            raise Conflict(Text(N_("The assigned reviews were due at %(date)s; until the cross-check end only extra "
                                   "reviews are taken."), {"date": due}).render(),
                           "assigned_reviews_due")
        rule = schedule.review_rule(phase, bool(versions))
        if rule == schedule.REVIEW_CLOSED_RULE:
            raise Conflict(gettext("The cross-check has ended: new reviews are not accepted. In the adjustment "
                           "period you may only correct the points of reviews you submitted."),
                           "review_closed")
        fields = check_form(task, form, allow_best_work=True)
        previous = None
        if rule == schedule.POINTS_ONLY:
            if (fields["comment"], fields["item_comments"], fields["best_work"]) != versions[-1]:
                raise Conflict(gettext("In the adjustment period only the points of a submitted review may "
                               "change; keep its comments and best-work mark as they were."),
                               "adjustment_points_only")
            previous = (Review.objects.filter(assignment_id=assignment.pk).order_by("-created_at", "-id")
                        .values_list("items", "total").first())
        check_comment_rule(task, fields, previous)
        _check_versions(len(versions), "review")
        Review.objects.create(assignment_id=assignment.pk, created_at=now, **fields)
        Assignment.objects.filter(pk=assignment.pk).update(submitted_at=now)
        Draft.objects.filter(task_id=task.id, student_id=student_id, form=assignment.token).delete()
        notices.on_review(task, assignment.pk, first=not versions, now=now)  # N11, N7
        if phase == schedule.REVIEW:
            extras.sample_after_review(task, now)


@guarded
def submit_self_check(task: TaskRef, student_id: str | None, form: object, now: datetime) -> None:
    """Store a new version of the author's check of their own work, before the cross-check (R6)."""
    with transaction.atomic():
        phase = task.settings.phase(registry.lock_status(task), now)
        if phase not in (schedule.SUBMISSION, schedule.WAITING):
            raise Conflict(gettext("The self-check closes when the cross-check starts."), "self_check_closed")
        work = (Work.objects.filter(task_id=task.id, student_id=student_id).only("pk").first()
                if student_id else None)
        if work is None:
            raise Conflict(gettext("Submit your work before checking it."), "no_submission")
        fields = check_form(task, form, allow_best_work=False)
        _check_versions(SelfCheck.objects.filter(work_id=work.pk).count(), "self-check")
        SelfCheck.objects.create(work_id=work.pk, created_at=now, **fields)
        Draft.objects.filter(task_id=task.id, student_id=student_id, form=SELF_FORM).delete()


@guarded
def save_draft(task: TaskRef, student_id: str | None, form_key: object, data: object,
               now: datetime) -> str:
    """Keep an unsent form as the learner types (R4); the time it was saved, ISO 8601. The draft
    is loose; submitting checks it."""
    if form_key != SELF_FORM:
        own_assignment(task, student_id, form_key, now=now)
    elif not student_id:
        raise NotAllowed(gettext("Sign in to save a draft."), "not_signed_in")
    if not isinstance(data, dict):
        raise BadRequest(gettext("A draft must be an object."), "bad_draft")
    if len(json.dumps(data)) > MAX_DRAFT_CHARS:
        raise TooLarge(Text(N_("The draft is too large (over %(max)s characters)."),
                            {"max": MAX_DRAFT_CHARS}).render(), "too_large")
    Draft.objects.update_or_create(task_id=task.id, student_id=student_id, form=form_key,
                                   defaults={"data": data, "updated_at": now})
    return schedule.format_datetime(now)


def comment_length(text: object) -> int:
    """The length the comment rule counts: the text without whitespace at its ends."""
    return len(text.strip()) if isinstance(text, str) else 0


def lost_points(checklist: Checklist, values: dict) -> list[str]:
    """The ids of the scored items that lost points: a subtask below its maximum, a penalty applied."""
    lost = []
    for item in checklist.scored_items:
        value = values.get(item.id)
        if item.max == 0 or not isinstance(value, int | float):
            continue
        if (item.type == "penalty" and value > 0) or (item.type != "penalty" and value < 1):
            lost.append(item.id)
    return lost


def missing_comments(task: TaskRef, fields: dict, previous: tuple | None = None) -> tuple[list[str], bool]:
    """What the task's comment rule still asks of a checked review: (item ids that lost points and
    lack an item comment, whether the overall comment is missing).

    `previous` (the submitted version's items and total) is given in the adjustment period, when
    comments cannot change: then only the new points are judged — the items whose points changed,
    and the overall comment only if the total changed.
    """
    settings = task.settings
    rule, min_chars = settings.comment_rule, settings.comment_min_chars
    if rule == "deducted":
        changed = None if previous is None else {
            item_id for item_id, value in fields["items"].items() if (previous[0] or {}).get(item_id) != value}
        items = [item_id for item_id in lost_points(settings.checklist, fields["items"])
                 if comment_length(fields["item_comments"].get(item_id)) < min_chars
                 and (changed is None or item_id in changed)]
        return items, False
    if rule == "overall":
        below = fields["total"] < settings.max_score and (previous is None or previous[1] != fields["total"])
        return [], below and comment_length(fields["comment"]) < min_chars
    return [], False


def check_comment_rule(task: TaskRef, fields: dict, previous: tuple | None = None) -> None:
    """Refuse (400 comment_required) a review the task's comment rule does not accept; the answer
    names the items (`items`) or the overall comment (`overall`) that need a comment."""
    items, overall = missing_comments(task, fields, previous)
    if not items and not overall:
        return
    min_chars = task.settings.comment_min_chars
    if items:
        checklist = task.settings.checklist
        names = ", ".join(f"“{_item_title(checklist, item_id)}”" for item_id in items)
        message = plural_text("Items that lost points need a comment of at least %(n)s character saying why: "
                              "%(items)s.",
                              "Items that lost points need a comment of at least %(n)s characters saying why: "
                              "%(items)s.", min_chars, {"items": names})
    else:
        message = plural_text("The total is below the maximum score, so the review needs an overall comment of "
                              "at least %(n)s character saying why.",
                              "The total is below the maximum score, so the review needs an overall comment of "
                              "at least %(n)s characters saying why.", min_chars)
    text = message.render()
    if previous is not None:
        text = " ".join((text, gettext("Comments cannot change in the adjustment period, so keep these "
                                       "points as they were.")))
    raise BadRequest(text, "comment_required", items=items, overall=overall)


def _item_title(checklist: Checklist, item_id: str) -> str:
    """An item's text, shortened for a sentence (60 characters)."""
    try:
        text = " ".join(checklist.item(item_id).text.split())
    except KeyError:
        text = item_id
    return text if len(text) <= 60 else text[:59] + "…"


def _check_versions(count: int, what: str) -> None:
    if count >= MAX_VERSIONS:
        message = (N_("This review already has %(max)s versions, the most it may have.") if what == "review"
                   else N_("This self-check already has %(max)s versions, the most it may have."))
        raise Conflict(Text(message, {"max": MAX_VERSIONS}).render(), "too_many_versions")


def unknown_item(item_id: str) -> str:
    """The refusal of an item id the checklist has no scored item for (its first 40 characters)."""
    return Text(N_("There is no scored item “%(item)s” in the checklist."), {"item": item_id[:40]}).render()


def is_token(value: object) -> bool:
    """True if `value` has the form of an assignment token (a review id, a thread id)."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def own_assignment(task: TaskRef, student_id: str | None, token: object,
                   now: datetime, lock: bool = False) -> Assignment:
    """The assignment `token` names, if it is this learner's to review (403 not_assigned; 409
    extra_expired for an extra review whose lease ran out unsubmitted); with `lock`, its row is
    locked until the transaction ends (one version at a time)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        raise BadRequest(gettext("Say which work the review is for (review_id)."), "bad_review_id")
    found = (Assignment.objects.filter(task_id=task.id, token=token, reviewer__student_id=student_id)
             .values_list("pk", "extra", "submitted_at", "expires_at").first() if student_id else None)
    if found is None:
        raise NotAllowed(gettext("This work is not assigned to you for review."), "not_assigned")
    if extras.is_expired(*found[1:], now=now):
        raise Conflict(gettext("Your time for this extra review ran out and the work went back to the pool; "
                               "you may take another extra review."), "extra_expired")
    rows = Assignment.objects.select_for_update() if lock else Assignment.objects
    return rows.only("pk", "token", "extra").get(pk=found[0])


def check_form(task: TaskRef, form: object, allow_best_work: bool) -> dict:
    """The model fields of a filled checklist (the task's current version), or a BadRequest
    naming what is wrong. Used for reviews, self-checks and staff re-checks alike."""
    if not isinstance(form, dict):
        raise BadRequest(gettext("The form must be an object."), "bad_items")
    items = form.get("items")
    if not isinstance(items, dict):
        raise BadRequest(gettext("`items` must be an object of item id → value."), "bad_items")
    comment = form.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
        raise BadRequest(Text(N_("The comment must be text of at most %(max)s characters."),
                              {"max": MAX_COMMENT_LENGTH}).render(), "bad_comment")
    checklist = task.settings.checklist
    try:
        values = normalize_review_items(checklist, items)
    except ReviewError as err:
        raise BadRequest(str(err), err.code) from err
    item_comments = _checked_item_comments(checklist, form.get("item_comments") or {})
    best_work = form.get("best_work", False)
    if not isinstance(best_work, bool) or (best_work and not allow_best_work):
        raise BadRequest(gettext("`best_work` must be true or false (and only in a review)."), "bad_best_work")
    fields = {"items": values, "item_comments": item_comments, "comment": comment,
              "total": review_total(checklist, values, task.settings.max_score),
              "checklist_version_id": task.checklist_version_id}
    if allow_best_work:
        fields["best_work"] = best_work
    return fields


def _checked_item_comments(checklist: Checklist, comments: object) -> dict:
    if not isinstance(comments, dict):
        raise BadRequest(gettext("`item_comments` must be an object of item id → text."), "bad_comment")
    scored = {item.id for item in checklist.scored_items}
    kept = {}
    for item_id, text in comments.items():
        if item_id not in scored:
            raise BadRequest(unknown_item(item_id), "unknown_item")
        if not isinstance(text, str) or len(text) > MAX_ITEM_COMMENT_LENGTH:
            raise BadRequest(Text(N_("An item comment must be text of at most %(max)s characters."),
                                  {"max": MAX_ITEM_COMMENT_LENGTH}).render(), "bad_comment")
        if text.strip():
            kept[item_id] = text
    return kept
