"""Thanks and complaints about a review (issue 11, F1–F4).

The work's author may thank the reviewer and may complain about the review, each at most once
per review version (a corrected review can be rated again), with a standard sentence and an
optional note, anonymously like the conversation they appear in:
- a thanks is for a useful comment, not for points (F2): it names the comment it is for, the
  overall comment or one item's, and a review version without that comment cannot be thanked;
- a complaint names the items whose deduction the author finds unjustified (F2): only items that
  lost points in that version. It is not an appeal of the grade. Course staff settle it: upheld,
  the reviewer is warned for an unfair review; rejected as unfounded, the author is warned (F4).
  A staff re-check of the same work (an appeal) settles its waiting complaints with it: upheld
  where the re-check gave more points than the review on at least half of the named items.
  Staff may settle a complaint again; the new verdict replaces the old one and its warning.

Thanks and complaints are taken while the conversation is open and, once the grades are
published, until appeals close (with no appeals: until the grades are published).
"""
from __future__ import annotations  # threads and ratings import each other

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from .. import schedule
from ..checklist import Checklist
from ..errors import BadRequest, Conflict, NotAllowed, NotFound
from ..i18n import N_, Text, gettext
from ..models import Assignment, LearnerWarning, Rating, Review, Work
from ..pseudonyms import reviewer_title, work_title
from . import appeals, notices, threads
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .reviews import lost_points, unknown_item

MAX_NOTE_LENGTH = 2_000
MAX_COMMENT_LENGTH = 5_000
MAX_ID = 2 ** 63 - 1
THANKS, COMPLAINT = Rating.THANKS, Rating.COMPLAINT
OVERALL = "comment"  # the `for` of a thanks for the overall comment
VERDICTS = {"upheld": Rating.UPHELD, "rejected": Rating.REJECTED}

THANKS_OVERALL = N_("Thank you for the useful overall comment.")
THANKS_ITEM = N_("Thank you for the useful comment on %(item)s.")
COMPLAINT_TEXT = N_("The deductions for items %(items)s are not justified.")
OUTCOMES = {
    Rating.PENDING: N_("Waiting for course staff to look at this complaint."),
    Rating.UPHELD: N_("Course staff upheld this complaint: the deductions were not justified, and the "
                      "reviewer was warned."),
    Rating.REJECTED: N_("Course staff rejected this complaint as unfounded: the deductions were "
                        "justified, and the author was warned."),
}
BY_APPEAL = N_("Settled with the staff re-check of this work.")


# ---------------------------------------------------------------- when and what

def rating_open(task: TaskRef, now: datetime) -> bool:
    """True while thanks and complaints are taken (see the module's docstring)."""
    phase = task.phase(now)
    if phase in (schedule.REVIEW, schedule.ADJUSTMENT, schedule.REVIEW_CLOSED):
        return True
    deadline = appeals.appeal_deadline(task)
    return phase == schedule.CLOSED and deadline is not None and now <= deadline


def _commented(checklist: Checklist, review: Review) -> list[str]:
    """The thanks targets of a review version: "comment" if it has an overall comment, then the
    items with a comment, in checklist order."""
    targets = [OVERALL] if review.comment.strip() else []
    comments = review.item_comments or {}
    targets += [item.id for item in checklist.items if str(comments.get(item.id) or "").strip()]
    return targets


@dataclass(frozen=True)
class RateOptions:
    """What the author may still do about the latest version of one review."""

    version: int
    thanks: bool
    complaint: bool
    comments: list
    deducted: list
    why_not_thanks: str
    why_not_complaint: str

    def as_json(self) -> dict:
        """The `rate` part of a thread answer."""
        return {"version": self.version, "thanks": self.thanks, "complaint": self.complaint,
                "comments": self.comments, "deducted": self.deducted,
                "why_not": {"thanks": self.why_not_thanks, "complaint": self.why_not_complaint}}


def options(task: TaskRef, latest: Review, version: int, ratings: list[Rating], now: datetime) -> RateOptions:
    """What the author may do about `latest` (the `version`-th version), given its ratings."""
    checklist = task.settings.checklist
    comments, deducted = _commented(checklist, latest), lost_points(checklist, latest.items or {})
    done = {rating.kind for rating in ratings if rating.review_id == latest.pk}
    closed = "" if rating_open(task, now) else gettext("Thanks and complaints are no longer taken for this task.")
    why_thanks = closed or (gettext("You have already thanked this reviewer for this version of the review.")
                            if THANKS in done else "") or (
        "" if comments else gettext("This review has no comment to thank for: thanks are for useful comments."))
    why_complaint = closed or (gettext("You have already complained about this version of the review.")
                               if COMPLAINT in done else "") or (
        "" if deducted else gettext("This review took no points off, so there is nothing to complain about."))
    return RateOptions(version, not why_thanks, not why_complaint, comments, deducted, why_thanks, why_complaint)


# ---------------------------------------------------------------- reading

def of_assignments(assignment_ids: list[int]) -> dict[int, list[Rating]]:
    """{assignment pk: its ratings, oldest first} (one query)."""
    found = {}
    for rating in Rating.objects.filter(assignment_id__in=assignment_ids).order_by("created_at", "id"):
        found.setdefault(rating.assignment_id, []).append(rating)
    return found


def version_numbers(assignment_ids: list[int]) -> dict[int, int]:
    """{review pk: its version number within its review (1, 2, …)} (one query)."""
    numbers, counts = {}, {}
    for review_id, assignment_id in (Review.objects.filter(assignment_id__in=assignment_ids)
                                     .order_by("created_at", "id").values_list("id", "assignment_id")):
        counts[assignment_id] = counts.get(assignment_id, 0) + 1
        numbers[review_id] = counts[assignment_id]
    return numbers


def sentence(rating: Rating, names: dict[str, str]) -> str:
    """The standard sentence of a thanks or complaint, in the reader's language."""
    if rating.kind == THANKS:
        if rating.target == OVERALL:
            return gettext(THANKS_OVERALL)
        return Text(THANKS_ITEM, {"item": _quoted(names, [rating.target])}).render()
    return Text(COMPLAINT_TEXT, {"items": _quoted(names, rating.items)}).render()


def _quoted(names: dict[str, str], items: list) -> str:
    return ", ".join(Text(N_("“%(item)s”"), {"item": names.get(item, item)}).render() for item in items)


def outcome(rating: Rating) -> str | None:
    """What became of a complaint, in the reader's language (None for a thanks)."""
    if rating.kind != COMPLAINT:
        return None
    text = gettext(OUTCOMES[rating.status])
    return f"{text} {gettext(BY_APPEAL)}" if rating.by_appeal else text


def summary(rating: Rating) -> dict:
    """A rating as `get_state` lists it beside its review."""
    return {"kind": rating.kind, "for": rating.target or None, "items": rating.items,
            "status": rating.status, "created_at": schedule.format_minute(rating.created_at)}


def timeline_entries(rating_rows: list[Rating], side: str, assignment: Assignment, versions: dict[int, int],
                     names: dict[str, str], when) -> list[tuple[tuple, dict]]:
    """The thread's entries for its thanks and complaints, with their sort keys; `versions` maps
    a review pk to its version number."""
    entries = []
    staff = side == threads.STAFF
    for rating in rating_rows:
        if side == threads.AUTHOR:
            sender = gettext(threads.YOU)
        elif staff:
            sender = gettext(threads.AUTHOR_NAME)
        else:
            sender = str(work_title(assignment.position))
        entry = {"kind": rating.kind, "from": sender, "mine": side == threads.AUTHOR,
                 "text": sentence(rating, names), "note": rating.note,
                 "for": rating.target or None, "items": rating.items,
                 "version": versions.get(rating.review_id), "status": rating.status,
                 "outcome": outcome(rating), "staff_comment": rating.staff_comment,
                 "created_at": when(rating.created_at),
                 "settled_at": when(rating.settled_at) if rating.settled_at else None}
        if staff:
            entry.update(id=rating.pk, username=staff_name(assignment.work), settled_by=rating.settled_by)
        entries.append(((rating.created_at, 2, rating.pk), entry))
    return entries


# ---------------------------------------------------------------- rating a review

def _bad(message: str, code: str = "bad_rating"):
    raise BadRequest(message, code)


def _checked_note(note: object, sender: threads.Sender) -> str:
    if note is None:
        return ""
    if not isinstance(note, str) or len(note) > MAX_NOTE_LENGTH:
        _bad(Text(N_("The note must be text of at most %(max)s characters."), {"max": MAX_NOTE_LENGTH}).render())
    if threads.reveals_identity(note, sender.username, sender.email):
        _bad(gettext("The note contains your username or e-mail address. Thanks and complaints are "
                     "anonymous: remove them, so the reviewer does not learn who you are."))
    return note.strip()


def _checked(task: TaskRef, data: dict, latest: Review) -> tuple[str, str, list[str]]:
    """(kind, target, items) of a valid request about `latest`; refuses anything else."""
    kind = data.get("kind")
    if kind not in (THANKS, COMPLAINT):
        _bad(gettext("Say whether this is a thanks or a complaint (`kind`: \"thanks\" or \"complaint\")."))
    checklist = task.settings.checklist
    if kind == THANKS:
        target = data.get("for")
        if not isinstance(target, str) or not target:
            _bad(gettext("Say which comment the thanks is for (`for`: \"comment\" or an item id)."))
        if target != OVERALL and target not in {item.id for item in checklist.items}:
            raise BadRequest(unknown_item(target), "unknown_item")
        commented = _commented(checklist, latest)
        if not commented:
            raise Conflict(gettext("This review has no comment to thank for: thanks are for useful comments, "
                                   "not for points."), "no_comment")
        if target not in commented:
            raise Conflict(gettext("This review has no such comment to thank for: thanks are for useful "
                                   "comments, not for points."), "no_comment")
        return kind, target, []
    items = data.get("items")
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        _bad(gettext("Name the items whose deduction is not justified (`items`: a list of item ids)."))
    scored = [item.id for item in checklist.scored_items]
    for item in items:
        if item not in scored:
            raise BadRequest(unknown_item(item), "unknown_item")
    deducted = set(lost_points(checklist, latest.items or {}))
    if any(item not in deducted for item in items):
        raise BadRequest(gettext("A complaint can only name items that lost points in this review."),
                         "item_not_deducted")
    return kind, "", [item for item in scored if item in set(items)]


@guarded
def rate_review(task: TaskRef, sender: threads.Sender, token: object, data: dict, now: datetime) -> dict:
    """The author thanks the reviewer for a comment, or complains about deductions, for the
    latest version of the review (`data`: kind, for, items, note); the thread as `get_thread`
    answers it. Checks everything before it writes: bad input changes nothing."""
    try:
        with transaction.atomic():
            assignment, side = threads.locked_thread(task, sender, token)
            if side != threads.AUTHOR:
                raise NotAllowed(gettext("Only the work's author can thank or complain about its review."),
                                 "not_author")
            if not rating_open(task, now):
                raise Conflict(gettext("Thanks and complaints are no longer taken for this task."), "rating_closed")
            latest = Review.objects.filter(assignment_id=assignment.pk).order_by("-created_at", "-id").first()
            kind, target, items = _checked(task, data, latest)
            note = _checked_note(data.get("note"), sender)
            if Rating.objects.filter(review=latest, kind=kind).exists():
                raise _already(kind)
            rating = Rating.objects.create(assignment=assignment, review=latest, kind=kind, target=target,
                                           items=items, note=note, created_at=now,
                                           status=Rating.SENT if kind == THANKS else Rating.PENDING)
            notices.on_rating(task, assignment, kind, rating.pk, now)  # N9, N10, to the reviewer
    except IntegrityError as err:  # a second click raced the first: one of each kind per version
        raise _already(data.get("kind")) from err
    return threads.get_thread(task, sender, token, now)


def _already(kind: object) -> Conflict:
    if kind == THANKS:
        return Conflict(gettext("You have already thanked this reviewer for this version of the review."),
                        "already_rated")
    return Conflict(gettext("You have already complained about this version of the review."), "already_rated")


# ---------------------------------------------------------------- settling complaints

def _warning(task: TaskRef, rating: Rating, assignment: Assignment, now: datetime) -> LearnerWarning:
    """The warning a verdict gives (F4): the reviewer for an upheld complaint, the author for a
    rejected one. Stored as numbers; services/warnings.py words it."""
    base = {"task_id": task.id, "rating": rating, "created_at": now,
            "detail": {"items": len(rating.items), "work_position": assignment.position,
                       "reviewer_number": assignment.reviewer_number}}
    if rating.status == Rating.UPHELD:
        return LearnerWarning(work_id=assignment.reviewer_id, kind=LearnerWarning.COMPLAINT_UPHELD, **base)
    return LearnerWarning(work_id=assignment.work_id, kind=LearnerWarning.COMPLAINT_REJECTED, **base)


def _settle(task: TaskRef, rating: Rating, status: str, staff: str, comment: str, by_appeal: bool,
            now: datetime) -> None:
    rating.status, rating.settled_at, rating.settled_by = status, now, staff
    rating.staff_comment, rating.by_appeal = comment, by_appeal
    rating.save(update_fields=["status", "settled_at", "settled_by", "staff_comment", "by_appeal"])
    LearnerWarning.objects.filter(rating=rating).delete()
    _warning(task, rating, rating.assignment, now).save()


def _complaint(task: TaskRef, complaint_id: object) -> Rating:
    if isinstance(complaint_id, bool) or not isinstance(complaint_id, int) or not 0 < complaint_id <= MAX_ID:
        raise BadRequest(gettext("Say which complaint (`complaint`, a number from the staff list)."), "bad_complaint")
    rating = (Rating.objects.select_for_update().select_related("assignment__work", "assignment__reviewer")
              .filter(pk=complaint_id, kind=COMPLAINT, assignment__task_id=task.id).first())
    if rating is None:
        raise NotFound(gettext("There is no such complaint in this cross-check."), "unknown_complaint")
    return rating


@guarded
def staff_settle_complaint(task: TaskRef, complaint_id: object, verdict: object, comment: object,
                           staff: str, now: datetime) -> dict:
    """Uphold or reject a complaint (F4), or settle it again; the warning it gives replaces the
    previous verdict's. `{"message"}` for staff, naming both learners."""
    if verdict not in VERDICTS:
        raise BadRequest(gettext("Say the verdict: `verdict` is \"upheld\" or \"rejected\"."), "bad_verdict")
    if comment is None:
        comment = ""
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT_LENGTH:
        raise BadRequest(Text(N_("The comment must be text of at most %(max)s characters."),
                              {"max": MAX_COMMENT_LENGTH}).render(), "bad_comment")
    with transaction.atomic():
        rating = _complaint(task, complaint_id)
        _settle(task, rating, VERDICTS[verdict], staff, comment.strip(), False, now)
    assignment = rating.assignment
    values = {"author": staff_name(assignment.work), "reviewer": staff_name(assignment.reviewer)}
    if rating.status == Rating.UPHELD:
        message = Text(N_("Complaint upheld: %(reviewer)s was warned for an unfair review of the work of "
                          "%(author)s."), values)
    else:
        message = Text(N_("Complaint rejected as unfounded: %(author)s was warned; the review by "
                          "%(reviewer)s stands."), values)
    return {"message": message.render(), "status": rating.status}


def _raised(item_type: str, recheck: float, review: float) -> bool:
    """True if the re-check gave the item more points than the review did."""
    return recheck < review if item_type == "penalty" else recheck > review


def settle_with_recheck(task: TaskRef, work: Work, recheck_items: dict, staff: str, now: datetime) -> int:
    """Settle the complaints about the reviews of `work` by its staff re-check (inside the
    re-check's transaction): the waiting ones, and those an earlier re-check settled. Upheld where
    the re-check gave more points than the complained-about version on at least half of the
    named items. How many were settled."""
    types = {item.id: item.type for item in task.settings.checklist.scored_items}
    complaints = list(Rating.objects.select_for_update().select_related("assignment", "review")
                      .filter(kind=COMPLAINT, assignment__work=work)
                      .exclude(status__in=[Rating.UPHELD, Rating.REJECTED], by_appeal=False))
    for rating in complaints:
        given = rating.review.items or {}
        raised = sum(1 for item in rating.items if item in recheck_items and item in given
                     and _raised(types.get(item, ""), recheck_items[item], given[item]))
        status = Rating.UPHELD if rating.items and raised * 2 >= len(rating.items) else Rating.REJECTED
        _settle(task, rating, status, staff, "", True, now)
    return len(complaints)


# ---------------------------------------------------------------- staff list

def staff_complaints(task: TaskRef, works: dict[int, Work], spread, titles: dict[str, str]) -> list[dict]:
    """Every complaint of the task for the appeals list, ordered like the appeals: the waiting
    ones first, the work with the largest spread first, then the settled ones, newest first
    (one query)."""
    rows = list(Rating.objects.filter(kind=COMPLAINT, assignment__task_id=task.id)
                .select_related("assignment", "review"))
    numbers = version_numbers([rating.assignment_id for rating in rows])
    listed = []
    for rating in rows:
        assignment = rating.assignment
        listed.append({
            "id": rating.pk, "thread": assignment.token, "work_id": assignment.work_id,
            "author": staff_name(works[assignment.work_id]), "reviewer": staff_name(works[assignment.reviewer_id]),
            "work_title": str(work_title(assignment.position)),
            "reviewer_title": str(reviewer_title(assignment.reviewer_number)),
            "items": [{"id": item, "title": titles.get(item, item)} for item in rating.items],
            "note": rating.note, "status": rating.status,
            "created_at": schedule.format_datetime(rating.created_at),
            "settled_at": schedule.format_datetime(rating.settled_at), "settled_by": rating.settled_by,
            "comment": rating.staff_comment, "by_appeal": rating.by_appeal,
            "version": numbers.get(rating.review_id), "review_total": rating.review.total,
            "spread": spread(assignment.work_id), "outcome": outcome(rating)})
    pending = sorted((c for c in listed if c["status"] == Rating.PENDING),
                     key=lambda c: (-(c["spread"] or 0), c["created_at"]))
    settled = sorted((c for c in listed if c["status"] != Rating.PENDING),
                     key=lambda c: c["settled_at"] or "", reverse=True)
    return pending + settled
