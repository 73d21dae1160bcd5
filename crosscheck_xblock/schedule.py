"""Phases of a task and the rules tied to them. Pure: `now` is always passed in.

A task moves through: not open → submission → (deadline) waiting → (start: works distributed)
review → (end) adjustment → (end + adjustment period) grading → closed. The stored life-cycle
status (open / distributed / grading / completed) says which steps have run; the dates say
which step is due. Everything here is a function of (status, dates, now), so the page, the staff
buttons, Celery tasks and the cron command all decide the same way.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .i18n import N_, gettext

# Life-cycle statuses of a task, as stored (models.Task uses the same strings).
OPEN = "open"                  # works may be submitted; not distributed yet
DISTRIBUTED = "distributed"    # assignments exist; reviews are running
GRADING = "grading"            # grades are stored; the gradebook writes are in progress
COMPLETED = "completed"        # every grade is in the gradebook

NOT_OPEN = "not_open"          # before the submission opens
SUBMISSION = "submission"      # learners submit and replace links
WAITING = "waiting"            # the deadline passed; the cross-check has not started yet
REVIEW = "review"              # works distributed; reviews are accepted
ADJUSTMENT = "adjustment"      # after the end: submitted reviews' points may still be corrected (T6)
REVIEW_CLOSED = "review_closed"  # the end (and adjustment) passed; grades are being computed
CLOSED = "closed"              # grades written

# What each phase means for a learner and for staff (msgids: translated where shown).
PHASE_TEXT = {
    NOT_OPEN: N_("Submission has not opened yet."),
    SUBMISSION: N_("Submission is open."),
    WAITING: N_("Submission is closed. The cross-check starts soon."),
    REVIEW: N_("The cross-check is running: review the works assigned to you."),
    ADJUSTMENT: N_("The cross-check has ended. Until the adjustment period ends you may correct the "
                   "points of reviews you submitted; new reviews are not accepted."),
    REVIEW_CLOSED: N_("The cross-check has ended. Grades are being computed."),
    CLOSED: N_("The cross-check is complete."),
}

STAFF_PHASE_TEXT = {
    NOT_OPEN: N_("Submission has not opened yet."),
    SUBMISSION: N_("Submission is open."),
    WAITING: N_("Submission is closed; the cross-check has not started."),
    REVIEW: N_("The cross-check is running."),
    ADJUSTMENT: N_("The cross-check end has passed; reviewers may correct their points until the "
                   "adjustment period ends."),
    REVIEW_CLOSED: N_("The cross-check end has passed; grades are not written yet."),
    CLOSED: N_("The cross-check is complete; grades are written."),
}

# S3: what a learner is told before replacing their link after the deadline.
LATE_CHANGE_WARNING = N_("The submission deadline has passed. You may still replace a broken link, "
                         "but a work changed after the deadline loses the right to appeal its grade. "
                         "The change is recorded with its time and the old link, and course staff see it.")

# Dates of a task lie in these years: everything derived from them (the end = start + 3 days, the
# end of the adjustment period, the appeal deadline, each at most a year later) stays a date.
MIN_YEAR, MAX_YEAR = 1970, 9000


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO 8601 date-time; a value without a zone is UTC. Empty → None; bad or out of
    MIN_YEAR…MAX_YEAR → ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        parsed = datetime.fromisoformat(text)
    else:
        raise ValueError(f"not a date-time: {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:  # also keeps astimezone from overflowing
        raise ValueError(f"a date between the years {MIN_YEAR} and {MAX_YEAR}, not {parsed.year}")
    return parsed.astimezone(UTC)


def format_datetime(value: datetime | None) -> str:
    """ISO 8601 in UTC with a trailing Z, the form the JSON API and OLX use ("" for None)."""
    if value is None:
        return ""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def format_minute(value: datetime | None) -> str:
    """`format_datetime` cut to the minute: how a learner sees the time of another learner's
    action (a review, a self-check), so that times to the second cannot tell who it was."""
    return format_datetime(None if value is None else value.replace(second=0, microsecond=0))


DEFAULT_REVIEW_DAYS = 3


def resolve_dates(submission_due: datetime | None, review_start: datetime | None = None,
                  review_due: datetime | None = None, review_days: float = DEFAULT_REVIEW_DAYS):
    """T1: fill the cross-check dates from the deadline and check their order.

    The start defaults to the submission deadline and the end to start + `review_days` days.
    Returns (submission_due, review_start, review_due); raises ValueError with a sentence for
    course staff when the order is impossible.
    """
    if review_start is None and submission_due is not None:
        review_start = submission_due
    if review_due is None and review_start is not None:
        review_due = review_start + timedelta(days=review_days)
    if submission_due is not None and review_start is not None and review_start < submission_due:
        raise ValueError(gettext("The cross-check cannot start before the submission deadline."))
    if review_start is not None and review_due is not None and review_due <= review_start:
        raise ValueError(gettext("The cross-check must end after it starts."))
    if review_due is not None and review_start is None:
        raise ValueError(gettext("Set the submission deadline or the cross-check start as well as the end."))
    return submission_due, review_start, review_due


DEFAULT_ADJUSTMENT_DAYS = 1.0
DEFAULT_APPEAL_DAYS = 3.0


@dataclass(frozen=True)
class Timeline:
    """The dates of one task, in UTC, with the T1 defaults filled in.

    `opens` is when submission opens (None: open from the start); `adjustment` is the period
    after `review_due` in which submitted reviews' points may be corrected (T6).
    """

    opens: datetime | None = None
    submission_due: datetime | None = None
    review_start: datetime | None = None
    review_due: datetime | None = None
    adjustment: timedelta = timedelta(0)
    appeal_window: timedelta = timedelta(0)  # how long appeals stay open after grading; 0: no appeals

    @property
    def closes(self) -> datetime | None:
        """When reviewing is over for good and the grades are due: the end plus the adjustment."""
        return None if self.review_due is None else self.review_due + self.adjustment


def _lenient_date(value: object) -> datetime | None:
    try:
        return parse_datetime(value)
    except (TypeError, ValueError):
        return None  # Studio refuses such a value on save; an old bad copy just means "not set"


def _days(value: object, default: float) -> timedelta:
    """A period given in days (unset or unreadable: `default`; zero, negative or NaN: none)."""
    try:
        days = float(default if value is None or value == "" else value)
    except (TypeError, ValueError):
        days = default
    if not days > 0:  # also NaN
        return timedelta(0)
    return timedelta(days=min(days, 365.0))


def timeline_from_config(config: Mapping) -> Timeline:
    """The timeline of a task's settings copy (`Task.config`, see block.task_config).

    The T1 defaults apply here too, so a block imported from OLX with only a deadline still
    starts and ends by itself. Dates in an impossible order are taken as given (Studio refuses
    them; the phases then simply follow the given dates).
    """
    due = _lenient_date(config.get("submission_due"))
    start = _lenient_date(config.get("review_start"))
    end = _lenient_date(config.get("review_due"))
    try:
        due, start, end = resolve_dates(due, start, end)
    except ValueError:
        pass
    return Timeline(opens=_lenient_date(config.get("submission_start")), submission_due=due,
                    review_start=start, review_due=end,
                    adjustment=_days(config.get("adjustment_days"), DEFAULT_ADJUSTMENT_DAYS),
                    appeal_window=_days(config.get("appeal_days"), DEFAULT_APPEAL_DAYS))


def appeal_deadline(timeline: Timeline, completed_at: datetime | None) -> datetime | None:
    """When appeals close (A4): the appeal window after the grades were published.

    Counted from the later of the scheduled close and the actual completion, so a grading that
    ran late (a worker was down, staff completed by hand) still leaves learners the whole
    window. None while nothing is graded or when the task takes no appeals.
    """
    if completed_at is None or not timeline.appeal_window:
        return None
    published = completed_at if timeline.closes is None else max(timeline.closes, completed_at)
    return published + timeline.appeal_window


def phase(status: str, now: datetime, submission_due: datetime | None = None,
          review_due: datetime | None = None, adjustment: timedelta = timedelta(0),
          opens: datetime | None = None) -> str:
    """The phase a task is in, from its stored status (open/distributed/grading/completed)."""
    if status == COMPLETED:
        return CLOSED
    if status == GRADING:
        return REVIEW_CLOSED
    if status == DISTRIBUTED:
        if review_due is None or now < review_due:
            return REVIEW
        return ADJUSTMENT if now < review_due + adjustment else REVIEW_CLOSED
    if opens is not None and now < opens:
        return NOT_OPEN
    if submission_due is not None and now >= submission_due:
        return WAITING
    return SUBMISSION


def timeline_phase(status: str, now: datetime, timeline: Timeline) -> str:
    """`phase` for a whole timeline."""
    return phase(status, now, timeline.submission_due, timeline.review_due, timeline.adjustment,
                 timeline.opens)


def next_date(current_phase: str, timeline: Timeline) -> datetime | None:
    """The date the phase waits for: submission opens (not open), the deadline (submission), the
    start (waiting), the end (review), the end of the adjustment period (adjustment); None when
    nothing is ahead (grading, closed) or the date is not set. The learner page's countdown and
    the course overview count down to it."""
    return {
        NOT_OPEN: timeline.opens,
        SUBMISSION: timeline.submission_due,
        WAITING: timeline.review_start,
        REVIEW: timeline.review_due,
        ADJUSTMENT: timeline.closes,
    }.get(current_phase)


# ---------------------------------------------------------------- automatic steps (T3, T4)

START = "start"    # distribute the works
FINISH = "finish"  # compute the grades and write them to the gradebook


def due_step(status: str, now: datetime, timeline: Timeline) -> str | None:
    """The step that is due now, or None.

    - An open task starts at `review_start`, but not once the cross-check end has passed:
      nobody could review any more, so distributing then would only give everyone a zero
      (staff move the end, then start it).
    - A distributed task is finished at `closes` (end + adjustment), so corrections made in the
      adjustment period count.
    - A task left in `grading` (a worker stopped between gradebook batches) is always due.
    """
    if status == OPEN:
        start, end = timeline.review_start, timeline.review_due
        if start is not None and now >= start and (end is None or now < end):
            return START
    elif status == DISTRIBUTED:
        if timeline.closes is not None and now >= timeline.closes:
            return FINISH
    elif status == GRADING:
        return FINISH
    return None


# ---------------------------------------------------------------- what a learner may do

SUBMIT = "submit"              # submit or replace freely (S1)
LATE_REPLACE = "late_replace"  # replace an existing link, with the S3 warning and flag
SUBMISSION_CLOSED = "closed"


def submission_rule(current_phase: str, has_work: bool) -> str:
    """S1/S3: before the deadline anyone submits; after it, until the cross-check end, a learner
    who submitted may replace their link (flagged); nobody submits a new work."""
    if current_phase == SUBMISSION:
        return SUBMIT
    if current_phase in (WAITING, REVIEW) and has_work:
        return LATE_REPLACE
    return SUBMISSION_CLOSED


FULL_REVIEW = "full"        # submit or change a review freely
POINTS_ONLY = "points_only"  # change only the points of a review already submitted (T6)
REVIEW_CLOSED_RULE = "closed"


def review_rule(current_phase: str, already_submitted: bool) -> str:
    """T5/T6: reviews while the cross-check runs; in the adjustment period only corrections of
    the points of a submitted review; nothing after it."""
    if current_phase == REVIEW:
        return FULL_REVIEW
    if current_phase == ADJUSTMENT and already_submitted:
        return POINTS_ONLY
    return REVIEW_CLOSED_RULE
