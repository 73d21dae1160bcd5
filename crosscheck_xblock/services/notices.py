"""Notices to learners (issue 14, N1–N12, M5): created once, worded when read.

A notice is a row of its kind, its learner (the course's anonymous id), its task and its
`occasion` (what makes it one: a message id, a date, "" for what happens once per task), with a
unique key over the four: `notify` inserts with `ignore_conflicts`, inside the caller's
transaction, so racing sweeps, retried tasks and repeated clicks never make a second one, and an
event that rolls back takes its notice with it.

- Event notices are made with their event: N4 and N5 at the distribution (lifecycle), N7 and N11
  when a review is submitted (reviews), N8 when a message is posted (threads), N9 and N10 when
  the author thanks or complains (ratings), N12 when the grades are computed (lifecycle).
- Timed notices (N1 opening, N2/N3 before the deadline, N6 before the cross-check end) are found
  by `due_notices(now)`, which the sweep and `crosscheck_tick` call; their occasion is the date
  concerned, so a date moved in Studio gives a new notice for the new date.

A notice stores numbers and pseudonyms' numbers only (`detail`); its sentence is written when it
is read (`text`), in the reader's language, with dates in the reader's time zone (`reader_zone`:
the LMS's preference, else the one the browser reported; UTC and named so otherwise).
`telegram_state` is left "" for the outbox (services/outbox.py), which the event wakes on commit.
"""
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from .. import compat, i18n, schedule
from ..errors import BadRequest, NotAllowed
from ..i18n import N_, Text, gettext, plural_text
from ..models import Assignment, Notice, NotificationSettings, Task, Work
from ..notifications import telegram
from ..pseudonyms import reviewer_title, work_title
from . import bulk
from .guard import guarded
from .registry import TaskRef

log = logging.getLogger(__name__)

TASK_OPENED = Notice.TASK_OPENED
DEADLINE_IN_3_DAYS = Notice.DEADLINE_IN_3_DAYS
DEADLINE_IN_1_DAY = Notice.DEADLINE_IN_1_DAY
WORK_SUBMITTED = Notice.WORK_SUBMITTED
REVIEW_STARTED = Notice.REVIEW_STARTED
REVIEW_END_IN_1_DAY = Notice.REVIEW_END_IN_1_DAY
REVIEWS_DONE = Notice.REVIEWS_DONE
NEW_MESSAGE = Notice.NEW_MESSAGE
THANKED = Notice.THANKED
COMPLAINED = Notice.COMPLAINED
WORK_REVIEWED = Notice.WORK_REVIEWED
MARKED_BEST = Notice.MARKED_BEST
KINDS = tuple(kind for kind, _label in Notice.KINDS)  # N1 … N12, in order
# The labels of the settings' checkboxes (msgids, worded where shown).
LABELS = {
    TASK_OPENED: N_("The task opens for submission"),
    DEADLINE_IN_3_DAYS: N_("Three days before the deadline, if you have not submitted"),
    DEADLINE_IN_1_DAY: N_("One day before the deadline, if you have not submitted"),
    WORK_SUBMITTED: N_("Your work goes to review"),
    REVIEW_STARTED: N_("The cross-check starts: works to review"),
    REVIEW_END_IN_1_DAY: N_("One day before the cross-check end, if your reviews are unfinished"),
    REVIEWS_DONE: N_("All your reviews are done"),
    NEW_MESSAGE: N_("A new message about a review"),
    THANKED: N_("You were thanked for a review"),
    COMPLAINED: N_("A complaint about your review"),
    WORK_REVIEWED: N_("Your work was reviewed"),
    MARKED_BEST: N_("Your work was marked as a best work"),
}
LIST_LIMIT = 50  # the notices get_state carries: the latest ones
MAX_IDS = 200    # ids one mark_notices_read may name
MAX_ID = 2 ** 63 - 1
DAY = timedelta(days=1)
# N1 is sent while submission is open and at most this long after the opening (a task that
# opened long before notices existed does not announce itself).
OPENED_WINDOW = timedelta(days=7)
_NOTICE_FIELDS = ("task_id", "student_id", "kind", "occasion", "detail", "created_at")


# ---------------------------------------------------------------- creating

@guarded
def notify(task: TaskRef, student_ids, kind: str, now: datetime, occasion: str = "",
           detail: dict | None = None) -> None:
    """Create the notice `kind` for each learner of `student_ids` (anonymous ids), once: a notice
    that exists already (the same learner, task, kind and occasion) is left as it is. Call it
    inside the event's transaction."""
    notify_many(task.id, [(student_id, occasion, detail or {}) for student_id in student_ids], kind, now)


@guarded
def notify_many(task_id: int, rows, kind: str, now: datetime) -> None:
    """`notify` for (student id, occasion, detail) rows of one kind, each its own."""
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")  # a programming error
    # Rows, not model instances (issue 15: 20,000 notices at a start of 10,000 works).
    notices = [(task_id, student_id, kind, str(occasion)[:64], detail, now)
               for student_id, occasion, detail in rows if student_id]
    if notices:
        bulk.insert_rows(Notice, _NOTICE_FIELDS, notices, batch_size=1000, ignore_conflicts=True)
        _wake_outbox()


def _queue_delivery() -> None:
    # The Celery task layer sits above the services; imported here, when it is needed, so the
    # services stay importable without it (and without a cycle).
    from ..tasks import deliver_notices  # noqa: PLC0415

    try:
        deliver_notices.delay()
    except Exception:  # an unreachable broker must not fail the event: the sweep sends them later
        log.exception("crosscheck: could not queue the Telegram delivery; the sweep will send the notices")


def _wake_outbox() -> None:
    """Once the event's transaction commits, queue the Telegram delivery (once per transaction;
    nothing when Telegram is off)."""
    if not telegram.enabled():
        return
    pending = getattr(transaction.get_connection(), "run_on_commit", [])
    if any(entry[1] is _queue_delivery for entry in pending):
        return
    transaction.on_commit(_queue_delivery, robust=True)


def _iso(moment: datetime | None) -> str:
    return schedule.format_datetime(moment)


@guarded
def on_distribution(task: TaskRef, plan: dict, work_ids: list[int], now: datetime) -> None:
    """N4 (your work goes to review, by how many reviewers) and N5 (works to review, how many)
    at the start, from the distribution's plan {reviewer work: [works]}."""
    owners = dict(Work.objects.filter(pk__in=work_ids).values_list("pk", "student_id"))
    received = {}
    for reviewed in plan.values():
        for work_id in reviewed:
            received[work_id] = received.get(work_id, 0) + 1
    end = _iso(task.settings.timeline.review_due)
    notify_many(task.id, [(owners.get(work_id), "", {"reviewers": n, "end": end})
                          for work_id, n in received.items()], WORK_SUBMITTED, now)
    notify_many(task.id, [(owners.get(reviewer), "", {"works": len(works), "end": end})
                          for reviewer, works in plan.items() if works], REVIEW_STARTED, now)


@guarded
def on_review(task: TaskRef, assignment_id: int, first: bool, now: datetime) -> None:
    """N11 to the author when a review of their work arrives for the first time; N7 to the
    reviewer when it was the last of their assigned reviews."""
    if not first:
        return
    found = (Assignment.objects.filter(pk=assignment_id)
             .values_list("work__student_id", "reviewer_number", "reviewer_id", "reviewer__student_id", "extra")
             .first())
    if found is None:
        return
    author, number, reviewer_work, reviewer, extra = found
    notify_many(task.id, [(author, str(assignment_id), {"reviewer": number})], WORK_REVIEWED, now)
    if extra:
        return  # extra reviews do not count for the reviewer's own reviews (A7)
    assigned = Assignment.objects.filter(reviewer_id=reviewer_work, extra=False)
    if not assigned.filter(submitted_at__isnull=True).exists():
        notify_many(task.id, [(reviewer, "", {"reviews": assigned.count()})], REVIEWS_DONE, now)


@guarded
def on_message(task: TaskRef, assignment: Assignment, sender_side: str, message_id: int, now: datetime) -> None:
    """N8 to the other party of the conversation (a staff post: to both learners; never to the
    sender). `assignment` has its work and reviewer loaded."""
    staff = sender_side == "staff"
    rows = []
    if sender_side != "author":
        rows.append((assignment.work.student_id, str(message_id),
                     {"side": "author", "reviewer": assignment.reviewer_number, "staff": staff}))
    if sender_side != "reviewer":
        rows.append((assignment.reviewer.student_id, str(message_id),
                     {"side": "reviewer", "work": assignment.position, "staff": staff}))
    notify_many(task.id, rows, NEW_MESSAGE, now)


@guarded
def on_rating(task: TaskRef, assignment: Assignment, kind: str, rating_id: int, now: datetime) -> None:
    """N9 (thanks) or N10 (complaint) to the reviewer."""
    notice_kind = THANKED if kind == "thanks" else COMPLAINED
    notify_many(task.id, [(assignment.reviewer.student_id, str(rating_id), {"work": assignment.position})],
                notice_kind, now)


@guarded
def on_grading(task: TaskRef, best_counts: dict[int, int], now: datetime) -> None:
    """N12 after the cross-check end: to every author whose work at least one reviewer's latest
    review marks as best, with how many did."""
    owners = dict(Work.objects.filter(pk__in=list(best_counts)).values_list("pk", "student_id"))
    notify_many(task.id, [(owners.get(work_id), "", {"count": n})
                          for work_id, n in best_counts.items() if n > 0], MARKED_BEST, now)


# ---------------------------------------------------------------- the timed notices

@guarded
def due_notices(now: datetime) -> int:
    """Create the timed notices that are due at `now` (N1, N2, N3, N6), each once; the number of
    tasks looked at. For the sweep and `crosscheck_tick`: racing callers create nothing twice.

    N1 once submission has opened (within OPENED_WINDOW), N2 from three days to one day before
    the deadline and N3 in its last day, to enrolled learners who have not submitted (read from
    the platform, compat.course_enrollments: also those who never opened the block); N6 in the
    last day before the cross-check end, to reviewers whose assigned reviews are unfinished.
    """
    open_tasks = Task.objects.filter(status=Task.OPEN)
    submitting = open_tasks.filter(
        Q(opens_at__lte=now, opens_at__gt=now - OPENED_WINDOW)
        | Q(submission_due_at__gt=now, submission_due_at__lte=now + 3 * DAY))
    ending = Task.objects.filter(status=Task.DISTRIBUTED, review_due_at__gt=now, review_due_at__lte=now + DAY)
    looked = 0
    enrolled_by_course = {}
    for task in submitting.only("pk", "course_id", "opens_at", "submission_due_at"):
        looked += 1
        if task.course_id not in enrolled_by_course:
            enrolled_by_course[task.course_id] = compat.course_enrollments(task.course_id)
        _submission_notices(task, enrolled_by_course[task.course_id], now)
    for task in ending.only("pk", "review_due_at"):
        looked += 1
        _review_end_notices(task, now)
    return looked


def _submission_notices(task: Task, enrolled: list[str], now: datetime) -> None:
    due, opens = task.submission_due_at, task.opens_at
    if due is not None and now >= due:
        return
    submitted = set(Work.objects.filter(task_id=task.pk).values_list("student_id", flat=True))
    waiting = [student_id for student_id in enrolled if student_id not in submitted]
    detail = {"due": _iso(due)}
    with transaction.atomic():
        if opens is not None and opens <= now < opens + OPENED_WINDOW:
            notify_many(task.pk, [(s, _iso(opens), detail) for s in enrolled], TASK_OPENED, now)
        if due is not None and due - DAY <= now:
            notify_many(task.pk, [(s, _iso(due), detail) for s in waiting], DEADLINE_IN_1_DAY, now)
        elif due is not None and due - 3 * DAY <= now:
            notify_many(task.pk, [(s, _iso(due), detail) for s in waiting], DEADLINE_IN_3_DAYS, now)


def _review_end_notices(task: Task, now: datetime) -> None:
    unfinished = {}
    for student_id in (Assignment.objects.filter(task_id=task.pk, extra=False, submitted_at__isnull=True)
                       .values_list("reviewer__student_id", flat=True)):
        unfinished[student_id] = unfinished.get(student_id, 0) + 1
    end = _iso(task.review_due_at)
    with transaction.atomic():
        notify_many(task.pk, [(s, end, {"left": n, "end": end}) for s, n in unfinished.items()],
                    REVIEW_END_IN_1_DAY, now)


# ---------------------------------------------------------------- wording

def _date(value: str):
    try:
        return schedule.parse_datetime(value)
    except ValueError:
        return None


def _who_wrote(detail: dict) -> Text:
    if detail.get("staff"):
        return Text(N_("Course staff"))
    if detail.get("side") == "author":
        return reviewer_title(int(detail.get("reviewer") or 1))
    return Text(N_("The author of %(work)s"), {"work": work_title(int(detail.get("work") or 1))})


def text(kind: str, detail: dict, task_name: str) -> str:
    """The sentence of a notice, in the current language: what happened, what to do next, the
    date concerned. It names no learner: others appear as "Work N" / "Reviewer N" only."""
    task = {"task": task_name}
    due, end = _date(detail.get("due", "")), _date(detail.get("end", ""))
    if kind == TASK_OPENED:
        if due is None:
            return Text(N_("Submission is open for “%(task)s”. Submit your work on the task's page."), task).render()
        return Text(N_("Submission is open for “%(task)s”. Submit your work by %(due)s."),
                    {**task, "due": due}).render()
    if kind == DEADLINE_IN_3_DAYS:
        return Text(N_("The submission deadline of “%(task)s” is in 3 days, on %(due)s, and you have not "
                       "submitted your work yet. Submit it before then to take part in the cross-check."),
                    {**task, "due": due or ""}).render()
    if kind == DEADLINE_IN_1_DAY:
        return Text(N_("The submission deadline of “%(task)s” is in less than a day, on %(due)s, and you have "
                       "not submitted your work yet. Submit it now to take part in the cross-check."),
                    {**task, "due": due or ""}).render()
    if kind == WORK_SUBMITTED:
        return plural_text("The cross-check of “%(task)s” has started: your work went to review by %(n)s "
                           "reviewer, who reviews until %(end)s. You will be told when a review arrives.",
                           "The cross-check of “%(task)s” has started: your work went to review by %(n)s "
                           "reviewers, who review until %(end)s. You will be told when a review arrives.",
                           int(detail.get("reviewers") or 0), {**task, "end": end or ""}).render()
    if kind == REVIEW_STARTED:
        return plural_text("The cross-check of “%(task)s” has started: you have %(n)s work to review, until "
                           "%(end)s. Only learners who finish their reviews are graded.",
                           "The cross-check of “%(task)s” has started: you have %(n)s works to review, until "
                           "%(end)s. Only learners who finish their reviews are graded.",
                           int(detail.get("works") or 0), {**task, "end": end or ""}).render()
    if kind == REVIEW_END_IN_1_DAY:
        return plural_text("The cross-check of “%(task)s” ends in less than a day, on %(end)s, and %(n)s of "
                           "your reviews is not done. Finish it now: only learners who finish their reviews "
                           "are graded.",
                           "The cross-check of “%(task)s” ends in less than a day, on %(end)s, and %(n)s of "
                           "your reviews are not done. Finish them now: only learners who finish their "
                           "reviews are graded.",
                           int(detail.get("left") or 0), {**task, "end": end or ""}).render()
    if kind == REVIEWS_DONE:
        return plural_text("You have finished your %(n)s review in “%(task)s”. Thank you! You will be graded "
                           "when the cross-check ends; you may take an extra review of a work that lacks one.",
                           "You have finished all %(n)s of your reviews in “%(task)s”. Thank you! You will be "
                           "graded when the cross-check ends; you may take an extra review of a work that "
                           "lacks one.",
                           int(detail.get("reviews") or 0), task).render()
    if kind == NEW_MESSAGE:
        if detail.get("side") == "author":
            about = Text(N_("the review of your work by %(reviewer)s"),
                         {"reviewer": reviewer_title(int(detail.get("reviewer") or 1))})
        else:
            about = Text(N_("your review of %(work)s"), {"work": work_title(int(detail.get("work") or 1))})
        return Text(N_("%(who)s wrote in the conversation about %(about)s in “%(task)s”. Open the task to "
                       "read it and answer."), {**task, "who": _who_wrote(detail), "about": about}).render()
    if kind == THANKED:
        return Text(N_("The author of %(work)s thanked you for a useful comment in your review in “%(task)s”. "
                       "Thanks count in your rating as a reviewer."),
                    {**task, "work": work_title(int(detail.get("work") or 1))}).render()
    if kind == COMPLAINED:
        return Text(N_("The author of %(work)s complained about deductions in your review in “%(task)s”. "
                       "Course staff will settle it; you can explain your points in the review's "
                       "conversation while it is open."),
                    {**task, "work": work_title(int(detail.get("work") or 1))}).render()
    if kind == WORK_REVIEWED:
        return Text(N_("%(reviewer)s has reviewed your work in “%(task)s”. Open the task to read the review; "
                       "you can ask about it in the review's conversation."),
                    {**task, "reviewer": reviewer_title(int(detail.get("reviewer") or 1))}).render()
    if kind == MARKED_BEST:
        return plural_text("Your work in “%(task)s” was marked as a best work by %(n)s reviewer. "
                           "Congratulations! Course staff may show it in the gallery of best works.",
                           "Your work in “%(task)s” was marked as a best work by %(n)s reviewers. "
                           "Congratulations! Course staff may show it in the gallery of best works.",
                           int(detail.get("count") or 0), task).render()
    return gettext("There is news about this cross-check.")


def as_json(task: TaskRef, notice: Notice) -> dict:
    """A notice as get_state lists it."""
    return {"id": notice.pk, "kind": notice.kind,
            "text": text(notice.kind, notice.detail or {}, task.settings.display_name),
            "link": compat.unit_link(task.course_id, task.usage_key),
            "created_at": schedule.format_datetime(notice.created_at), "read": notice.read_at is not None}


@guarded
def learner_part(task: TaskRef, student_id: str | None, time_zone: str = "") -> list[dict]:
    """The learner's notices of this task, newest first, the latest LIST_LIMIT (one query); their
    dates in `time_zone` (see reader_zone)."""
    if not student_id:
        return []
    rows = (Notice.objects.filter(task_id=task.id, student_id=student_id)
            .order_by("-created_at", "-id")[:LIST_LIMIT])
    with i18n.in_zone(time_zone):
        return [as_json(task, notice) for notice in rows]


# ---------------------------------------------------------------- the learner's actions

def _checked_ids(ids: object) -> list[int]:
    if (not isinstance(ids, list) or len(ids) > MAX_IDS
            or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids)):
        raise BadRequest(Text(N_("`ids` must be a list of at most %(max)s notice ids."), {"max": MAX_IDS}).render(),
                         "bad_ids")
    return ids


@guarded
def mark_notices_read(task: TaskRef, student_id: str | None, ids: object, now: datetime,
                      time_zone: str = "") -> dict:
    """Mark the learner's own notices `ids` of this task read (others' ids and read ones are left
    alone); `{"marked": n, "notices": […]}` (dates in `time_zone`)."""
    ids = _checked_ids(ids)
    if not student_id:
        raise NotAllowed(gettext("Sign in to see your notices."), "not_signed_in")
    marked = 0
    if ids:
        marked = (Notice.objects.filter(task_id=task.id, student_id=student_id, pk__in=ids, read_at__isnull=True)
                  .update(read_at=now))
    return {"marked": marked, "notices": learner_part(task, student_id, time_zone)}


def _settings_json(stored: dict, time_zone: str) -> dict:
    return {"telegram": {kind: bool(stored.get(kind, True)) for kind in KINDS},
            "telegram_enabled": telegram.enabled(),
            "time_zone": time_zone,
            "kinds": [{"kind": kind, "label": gettext(LABELS[kind])} for kind in KINDS]}


def _checked_zone(value: object) -> str:
    if value in ("", "UTC", "Etc/UTC"):
        return ""
    if i18n.zone(value) is None:
        raise BadRequest(gettext("`time_zone` must be a time zone name such as Europe/Moscow, or empty for UTC."),
                         "bad_time_zone")
    return value


@guarded
def notification_settings(task: TaskRef, user_key: str | None, data: object,  # noqa: ARG001
                          now: datetime) -> dict:
    """The learner's notification settings, site-wide (keyed by the LMS user): `{"telegram":
    {kind: bool, …}}` changes the kinds named (the others stay), `{"time_zone": "Europe/Moscow"}`
    the zone the dates of notices are worded in ("" = UTC), `{}` only reads them. Every kind is
    on until turned off; in-app notices always exist. 400 unknown_kind / bad_value /
    bad_time_zone; nothing is changed then."""
    if not isinstance(data, dict):
        raise BadRequest(gettext("Send the settings as an object."), "bad_value")
    unknown = sorted(set(data) - {"telegram", "time_zone"})
    if unknown:
        raise BadRequest(Text(N_("Unknown setting %(name)s; the settings are: telegram, time_zone."),
                              {"name": str(unknown[0])[:40]}).render(), "unknown_kind")
    changes = data.get("telegram", {})
    if not isinstance(changes, dict):
        raise BadRequest(gettext("`telegram` must be an object of notice kind → true or false."), "bad_value")
    for kind, value in changes.items():
        if kind not in KINDS:
            raise BadRequest(Text(N_("There is no notice kind “%(kind)s”; the kinds are: %(kinds)s."),
                                  {"kind": str(kind)[:40], "kinds": ", ".join(KINDS)}).render(), "unknown_kind")
        if not isinstance(value, bool):
            raise BadRequest(Text(N_("The setting of “%(kind)s” must be true or false."), {"kind": kind}).render(),
                             "bad_value")
    zone = _checked_zone(data["time_zone"]) if "time_zone" in data else None
    if not user_key:
        if changes or zone is not None:
            raise NotAllowed(gettext("Sign in to change your notification settings."), "not_signed_in")
        return _settings_json({}, "")
    with transaction.atomic():
        row = NotificationSettings.objects.select_for_update().filter(user_key=user_key).first()
        stored = dict(row.telegram) if row is not None else {}
        time_zone = row.time_zone if row is not None else ""
        if changes or (zone is not None and zone != time_zone):
            stored.update(changes)
            time_zone = time_zone if zone is None else zone
            if row is None:
                NotificationSettings.objects.get_or_create(
                    user_key=user_key, defaults={"telegram": stored, "time_zone": time_zone, "updated_at": now})
            else:
                row.telegram, row.time_zone, row.updated_at = stored, time_zone, now
                row.save(update_fields=["telegram", "time_zone", "updated_at"])
    return _settings_json(stored, time_zone)


@guarded
def reader_zones(user_key: str | None) -> tuple[str, str]:
    """(the zone the viewer's notices are worded in, the zone their browser last reported): the
    LMS's time zone preference wins, else the reported one, else "" (UTC). One query at most."""
    if not user_key:
        return "", ""
    reported = NotificationSettings.objects.filter(user_key=user_key).values_list("time_zone", flat=True).first() or ""
    preferred = compat.user_preferences([user_key]).get(user_key, {}).get("time_zone")
    return (preferred if i18n.zone(preferred) is not None else reported), reported


@guarded
def learner_notices(task: TaskRef, student_id: str | None, user_key: str | None) -> dict:
    """The notices part of the learner's state: `{"notices", "time_zone", "time_zone_reported"}`
    (the notices' dates in the reader's zone, and the zone their browser last reported)."""
    zone, reported = reader_zones(user_key)
    return {"notices": learner_part(task, student_id, zone), "time_zone": zone, "time_zone_reported": reported}


@guarded
def reader_zone(user_key: str | None) -> str:
    """The time zone the viewer's notices are worded in (see reader_zones)."""
    return reader_zones(user_key)[0]
