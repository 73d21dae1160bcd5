"""Phases of a task from its status and dates. Pure: `now` is always passed in."""
from datetime import datetime, timezone

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
