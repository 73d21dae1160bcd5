"""Phases of a task from its status and dates. Pure: `now` is always passed in."""
from datetime import datetime, timedelta, timezone

SUBMISSION = "submission"      # learners submit and replace links
WAITING = "waiting"            # the deadline passed; the cross-check has not started yet
REVIEW = "review"              # works distributed; reviews are accepted
REVIEW_CLOSED = "review_closed"  # the cross-check end passed; grades are being computed
CLOSED = "closed"              # grades written

PHASE_TEXT = {
    SUBMISSION: "Submission is open.",
    WAITING: "Submission is closed. The cross-check starts soon.",
    REVIEW: "The cross-check is running: review the works assigned to you.",
    REVIEW_CLOSED: "The cross-check has ended. Grades are being computed.",
    CLOSED: "The cross-check is complete.",
}

STAFF_PHASE_TEXT = {
    SUBMISSION: "Submission is open.",
    WAITING: "Submission is closed; the cross-check has not started.",
    REVIEW: "The cross-check is running.",
    REVIEW_CLOSED: "The cross-check end has passed; grades are not written yet.",
    CLOSED: "The cross-check is complete; grades are written.",
}


def parse_datetime(value: object) -> datetime | None:
    """Parse an ISO 8601 date-time; a value without a zone is UTC. Empty → None; bad → ValueError."""
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
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_datetime(value: datetime | None) -> str:
    """ISO 8601 in UTC with a trailing Z, the form the JSON API and OLX use ("" for None)."""
    if value is None:
        return ""
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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
        raise ValueError("The cross-check cannot start before the submission deadline.")
    if review_start is not None and review_due is not None and review_due <= review_start:
        raise ValueError("The cross-check must end after it starts.")
    if review_due is not None and review_start is None:
        raise ValueError("Set the submission deadline or the cross-check start as well as the end.")
    return submission_due, review_start, review_due


def phase(status: str, now: datetime, submission_due: datetime | None = None,
          review_due: datetime | None = None) -> str:
    """The phase a task is in. `status` is the stored life-cycle status: open/distributed/completed."""
    if status == "completed":
        return CLOSED
    if status == "distributed":
        return REVIEW_CLOSED if review_due is not None and now >= review_due else REVIEW
    if submission_due is not None and now >= submission_due:
        return WAITING
    return SUBMISSION
