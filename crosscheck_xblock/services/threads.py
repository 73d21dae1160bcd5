"""Anonymous conversations about a review (issue 11, M1–M5).

One conversation ("thread") per assignment, between the work's author and that reviewer; its id
is the assignment's random `token`. It opens with the first submitted version of the review and
takes posts while the cross-check runs and through the adjustment period (phases review and
adjustment: until `timeline.closes`, or until staff complete the task by hand); then it stays
readable. Posts are only ever added.

Who sees what (M3): the author sees the reviewer as "Reviewer N", the reviewer sees the author
as "Work N", each sees their own posts as "You" and staff posts as "Course staff"; no learner
answer carries a username or an anonymous id. A post that holds its sender's own username (as a
whole word, any case) or e-mail address is refused. Course staff read every thread with both
usernames and may post as "Course staff"; every thread answer says that staff can read it (M4).

Unread (M5): a read marker per thread and participant (author, reviewer, staff: one marker shared
by all staff) holds the highest message id seen; reading a thread (`get_thread`, or posting to
it) moves it. Flood limit: FLOOD_LIMIT posts per thread per sender in FLOOD_WINDOW (429).
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .. import sanitize, schedule
from ..errors import BadRequest, Conflict, NotFound, TooManyRequests
from ..i18n import N_, Text, gettext
from ..models import Assignment, Message, Rating, Review, ThreadRead
from ..pseudonyms import reviewer_title, work_title
from . import notices, ratings
from .guard import guarded
from .names import staff_name
from .registry import TaskRef
from .reviews import is_token, unknown_item

MAX_MESSAGE_LENGTH = 5_000
FLOOD_LIMIT = 20
FLOOD_WINDOW = timedelta(hours=24)
ITEM_NAME_LENGTH = 40
AUTHOR, REVIEWER, STAFF = Message.AUTHOR, Message.REVIEWER, Message.STAFF

# The prepared phrases, by side: {id: msgid}; `%(items)s` is the list of the named items.
PHRASES = {
    AUTHOR: {
        "items_work": N_("Items %(items)s work, please re-check."),
        "points_mismatch": N_("The points for items %(items)s do not match my work."),
    },
    REVIEWER: {
        "rechecked_changed": N_("I re-checked items %(items)s and changed the points."),
        "rechecked_kept": N_("I re-checked items %(items)s and kept the points."),
    },
    STAFF: {},
}
ALL_PHRASES = {key: text for side in PHRASES.values() for key, text in side.items()}
NOTICE = N_("Course staff can read this conversation.")
YOU = N_("You")
COURSE_STAFF = N_("Course staff")
AUTHOR_NAME = N_("Author")


@dataclass(frozen=True)
class Sender:
    """Who calls: the learner's anonymous id, and what the identity check and staff need."""

    student_id: str | None
    username: str = ""
    email: str = ""
    is_staff: bool = False
    read_only: bool = False  # staff viewing as a learner: reading does not mark anything read


def _open(task: TaskRef, now: datetime) -> bool:
    return task.phase(now) in (schedule.REVIEW, schedule.ADJUSTMENT)


# ---------------------------------------------------------------- get_state's part

def summaries(task: TaskRef, to_do: list[Assignment], received: list[Assignment], opened: set[int],
              now: datetime) -> tuple[dict[int, dict], int]:
    """({assignment pk: {"id", "unread", "can_post"}} of the learner's open threads, total unread):
    two queries whatever the number of threads and posts (none when no thread is open)."""
    sides = {a.pk: (REVIEWER, a.token) for a in to_do if a.pk in opened}
    sides.update({a.pk: (AUTHOR, a.token) for a in received if a.pk in opened})
    if not sides:
        return {}, 0
    seen = {(pk, who): seen_id for pk, who, seen_id in ThreadRead.objects.filter(
        assignment_id__in=list(sides)).values_list("assignment_id", "participant", "seen_id")}
    unread_filter = reduce(or_, (Q(assignment_id=pk, id__gt=seen.get((pk, side), 0)) & ~Q(sender=side)
                                 for pk, (side, _token) in sides.items()))
    counts = dict(Message.objects.filter(unread_filter).values("assignment_id")
                  .annotate(n=Count("id")).values_list("assignment_id", "n"))
    can_post = _open(task, now)
    found = {pk: {"id": token, "unread": counts.get(pk, 0), "can_post": can_post}
             for pk, (_side, token) in sides.items()}
    return found, sum(counts.values())


# ---------------------------------------------------------------- reading

def _thread(task: TaskRef, sender: Sender, token: object, lock: bool = False) -> tuple[Assignment, str]:
    """The assignment a thread id names and the caller's side in it (author / reviewer / staff);
    404 unknown_thread for anything the caller may not read, and before the first review."""
    assignment = None
    if is_token(token):
        rows = Assignment.objects.select_for_update() if lock else Assignment.objects
        assignment = (rows.select_related("work", "reviewer")
                      .filter(task_id=task.id, token=token, submitted_at__isnull=False).first())
    side = None
    if assignment is not None:
        if sender.student_id and assignment.reviewer.student_id == sender.student_id:
            side = REVIEWER
        elif sender.student_id and assignment.work.student_id == sender.student_id:
            side = AUTHOR
        elif sender.is_staff:
            side = STAFF
    if side is None:
        raise NotFound(gettext("There is no such conversation, or it is not yours."), "unknown_thread")
    return assignment, side


def locked_thread(task: TaskRef, sender: Sender, token: object) -> tuple[Assignment, str]:
    """`_thread` with the assignment row locked (inside a transaction): for writes."""
    return _thread(task, sender, token, lock=True)


def _item_names(task: TaskRef) -> dict[str, str]:
    """{scored item id: its short name}: the checklist text without tags, cut to ~40 characters."""
    names = {}
    for item in task.settings.checklist.scored_items:
        text = " ".join(sanitize.plain_text(item.text).split())
        names[item.id] = text if len(text) <= ITEM_NAME_LENGTH else text[:ITEM_NAME_LENGTH - 1].rstrip() + "…"
    return names


def _phrase_json(phrase: str, items: list, names: dict[str, str]) -> dict:
    listed = ", ".join(Text(N_("“%(item)s”"), {"item": names.get(item, item)}).render() for item in items)
    return {"id": phrase, "items": list(items), "text": Text(ALL_PHRASES.get(phrase, "%(items)s"),
                                                              {"items": listed}).render()}


def _from(message: Message, side: str, assignment: Assignment) -> str:
    """The sender's name for the reader on `side`."""
    if message.sender == STAFF:
        return gettext(COURSE_STAFF)
    if side == message.sender:
        return gettext(YOU)
    if message.sender == REVIEWER:
        return str(reviewer_title(assignment.reviewer_number))
    return gettext(AUTHOR_NAME) if side == STAFF else str(work_title(assignment.position))


def _thread_json(task: TaskRef, assignment: Assignment, side: str, now: datetime,
                 messages: list[Message] | None = None) -> dict:
    """The thread as `side` reads it: messages, review versions, thanks and complaints in time
    order (three queries), and for the author what they may still rate."""
    if messages is None:
        messages = list(Message.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id"))
    versions = list(Review.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id"))
    rated = list(Rating.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id"))
    staff = side == STAFF
    when = schedule.format_datetime if staff else schedule.format_minute
    names = _item_names(task)
    entries = [((review.created_at, 0, number), {"kind": "review_version", "version": number, "total": review.total,
                                                 "created_at": when(review.created_at)})
               for number, review in enumerate(versions, start=1)]
    entries += ratings.timeline_entries(rated, side, assignment,
                                        {review.pk: number for number, review in enumerate(versions, start=1)},
                                        names, when)
    for message in messages:
        entry = {"kind": "message", "from": _from(message, side, assignment),
                 "mine": message.sender == side,  # for staff: posted by course staff
                 "text": message.text, "removed": message.text_removed,
                 "phrase": _phrase_json(message.phrase, message.phrase_items, names) if message.phrase else None,
                 "created_at": when(message.created_at)}
        if staff:
            entry["username"] = _sender_username(message, assignment)
        entries.append(((message.created_at, 1, message.pk), entry))
    can_post = _open(task, now)
    answer = {"thread": assignment.token, "messages": [entry for _key, entry in sorted(entries, key=lambda e: e[0])],
              "notice": gettext(NOTICE), "can_post": can_post,
              "phrases": [{"id": key, "text": Text(msgid, {"items": "…"}).render()}
                          for key, msgid in PHRASES[side].items()] if can_post else [],
              "rate": ratings.options(task, versions[-1], len(versions), rated, now).as_json()
              if side == AUTHOR else None}
    if staff:
        answer.update(author=staff_name(assignment.work), reviewer=staff_name(assignment.reviewer),
                      work_title=str(work_title(assignment.position)),
                      reviewer_title=str(reviewer_title(assignment.reviewer_number)))
    return answer


def _sender_username(message: Message, assignment: Assignment) -> str:
    if message.sender == STAFF:
        return message.staff_username
    return staff_name(assignment.work if message.sender == AUTHOR else assignment.reviewer)


def _mark_read(assignment: Assignment, side: str, messages: list[Message], now: datetime) -> None:
    seen_id = max((m.pk for m in messages), default=0)
    if not ThreadRead.objects.filter(assignment_id=assignment.pk, participant=side).update(
            seen_id=seen_id, read_at=now):
        ThreadRead.objects.get_or_create(assignment_id=assignment.pk, participant=side,
                                         defaults={"seen_id": seen_id, "read_at": now})


@guarded
def get_thread(task: TaskRef, sender: Sender, token: object, now: datetime) -> dict:
    """The thread `token` names as the caller reads it; marks it read for the caller's side."""
    assignment, side = _thread(task, sender, token)
    messages = list(Message.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id"))
    if not sender.read_only:
        with transaction.atomic():
            _mark_read(assignment, side, messages, now)
    return _thread_json(task, assignment, side, now, messages)


# ---------------------------------------------------------------- posting

def _refuse(message: str, code: str = "bad_message"):
    raise BadRequest(message, code)


def _checked_phrase(task: TaskRef, side: str, phrase: object) -> tuple[str, list[str]]:
    if phrase is None:
        return "", []
    if not isinstance(phrase, dict):
        _refuse(gettext("`phrase` must be null or an object with `id` and `items`."))
    key, items = phrase.get("id"), phrase.get("items")
    if not isinstance(key, str) or key not in PHRASES[side]:
        raise BadRequest(Text(N_("There is no prepared phrase “%(phrase)s” for you here."),
                              {"phrase": str(key)[:40]}).render(), "unknown_phrase")
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        _refuse(gettext("A prepared phrase needs the list of checklist items it is about (`items`)."))
    scored = {item.id for item in task.settings.checklist.scored_items}
    for item in items:
        if item not in scored:
            raise BadRequest(unknown_item(item), "unknown_item")
    return key, list(dict.fromkeys(items))


def reveals_identity(text: str, username: str, email: str) -> bool:
    """True if `text` holds `username` as a whole word or `email` anywhere, in any case."""
    lowered = text.casefold()
    if email and email.casefold() in lowered:
        return True
    if not username:
        return False
    return re.search(rf"(?<![\w]){re.escape(username.casefold())}(?![\w])", lowered) is not None


def _checked_text(text: object, has_phrase: bool, sender: Sender, side: str) -> str:
    if text is None:
        text = ""
    if not isinstance(text, str):
        _refuse(gettext("The message must be text."))
    if len(text) > MAX_MESSAGE_LENGTH:
        _refuse(Text(N_("A message may have at most %(max)s characters."), {"max": MAX_MESSAGE_LENGTH}).render())
    if not text.strip() and not has_phrase:
        _refuse(gettext("Write a message, or choose a prepared phrase."))
    if side != STAFF and reveals_identity(text, sender.username, sender.email):
        _refuse(gettext("The message contains your username or e-mail address. The conversation is "
                        "anonymous: remove them, so the other learner does not learn who you are."))
    return text.strip()


@guarded
def post_message(task: TaskRef, sender: Sender, token: object, text: object, phrase: object,
                 now: datetime) -> dict:
    """Add a post to a thread; the thread as `get_thread` answers it. Checks everything before it
    writes: bad input changes nothing."""
    with transaction.atomic():
        assignment, side = _thread(task, sender, token, lock=True)
        if not _open(task, now):
            raise Conflict(gettext("This conversation is closed: posts are taken until the adjustment period "
                                   "ends. You can still read it."), "thread_closed")
        key, items = _checked_phrase(task, side, phrase)
        body = _checked_text(text, bool(key), sender, side)
        recent = Message.objects.filter(assignment_id=assignment.pk, sender=side, created_at__gt=now - FLOOD_WINDOW)
        if side == STAFF:
            recent = recent.filter(staff_username=sender.username)
        if recent.count() >= FLOOD_LIMIT:
            raise TooManyRequests(Text(N_("You have sent %(max)s messages in this conversation in the last "
                                          "24 hours, the most allowed. Please wait before writing again."),
                                       {"max": FLOOD_LIMIT}).render(), "too_many_messages")
        posted = Message.objects.create(assignment_id=assignment.pk, sender=side, text=body, phrase=key,
                                        phrase_items=items, created_at=now,
                                        staff_username=sender.username if side == STAFF else "")
        notices.on_message(task, assignment, side, posted.pk, now)  # N8, to the other side(s)
        messages = list(Message.objects.filter(assignment_id=assignment.pk).order_by("created_at", "id"))
        _mark_read(assignment, side, messages, now)
    return _thread_json(task, assignment, side, now, messages)


# ---------------------------------------------------------------- staff

@guarded
def staff_threads(task: TaskRef, now: datetime) -> dict:  # noqa: ARG001 - the same shape as the others
    """Every open thread of the task with both usernames, posts and unread (for staff), newest
    post first (three queries)."""
    assignments = list(Assignment.objects.filter(task_id=task.id, submitted_at__isnull=False)
                       .select_related("work", "reviewer"))
    stats = {row["assignment_id"]: row for row in Message.objects.filter(assignment__task_id=task.id)
             .values("assignment_id").annotate(n=Count("id"), last=Max("created_at"))}
    marker = ThreadRead.objects.filter(assignment_id=OuterRef("assignment_id"), participant=STAFF)
    unread = dict(Message.objects.filter(assignment__task_id=task.id).exclude(sender=STAFF)
                  .annotate(seen=Coalesce(Subquery(marker.values("seen_id")[:1]), Value(0)))
                  .filter(id__gt=F("seen"))
                  .values("assignment_id").annotate(n=Count("id")).values_list("assignment_id", "n"))
    threads = [{"thread": a.token, "author": staff_name(a.work), "reviewer": staff_name(a.reviewer),
                "work_title": str(work_title(a.position)), "reviewer_title": str(reviewer_title(a.reviewer_number)),
                "messages": stats.get(a.pk, {}).get("n", 0),
                "last_post_at": schedule.format_datetime(stats[a.pk]["last"]) if a.pk in stats else None,
                "unread": unread.get(a.pk, 0)}
               for a in assignments]
    threads.sort(key=lambda t: (t["last_post_at"] or "", t["thread"]), reverse=True)
    return {"threads": threads, "notice": gettext(NOTICE)}
