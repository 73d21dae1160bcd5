"""The settings of one task as one typed, frozen value, read once from the task's settings copy.

`Task.config` is the copy of the block's settings that background jobs read (see
`block.task_config`). Every service reads the settings through `TaskSettings.from_config`, which
validates each value once, the same way: a value Studio would refuse (hand-edited OLX, an old
copy) falls back to its default, so grading never fails on a bad setting. Studio's editor
(`studio.py`) refuses such values with a message instead; both use the choices and ranges below.

No framework imports: this module is plain Python on top of the pure core.
"""
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import extras, links, schedule
from ..checklist import Checklist, ChecklistError, cached_checklist_from_rs
from ..i18n import N_, gettext
from ..scoring import DEFAULT_POLICY, POLICIES
from ..scoring.warning_rules import DEFAULT_THRESHOLD

# The choices with their one-line explanations (Studio shows them next to the choice; the order
# is the order of the menu). msgids: translated where shown.
WARNING_RULES = {
    "fixed": N_("The proposal's rule: a score more than the threshold away from the other scores of "
                "a work is left out of the grade and its reviewer warned; an author whose self-check "
                "is that far from the reviews is warned too."),
    "evidence": N_("Reviewers whose scores, across all their reviews in the task, run well above or "
                   "below the other reviewers' or scatter widely are warned; no grade changes."),
    "none": N_("Nobody is warned when the grades are computed (staff still see both rules' numbers)."),
}
AGGREGATIONS = {
    "total": N_("The grading policy is applied to each review's total."),
    "per_item": N_("The grading policy is applied to each checklist item across the reviews, then the "
                   "items are added up (where all reviews of a work used the same checklist version)."),
}
# When a review must say why it took points (comment_rule; the reviews handler checks it).
COMMENT_RULES = {
    "none": N_("Reviews may be submitted without comments."),
    "deducted": N_("Every checklist item that lost points (a subtask below its maximum, a penalty applied) "
                   "needs a comment of at least the minimum length."),
    "overall": N_("A review whose total is below the maximum score needs an overall comment of at least "
                  "the minimum length."),
}
# Short names of the choices, for menus and summaries (msgids).
CHOICE_LABELS = {
    "mean": N_("Mean"), "median": N_("Median"), "drop_min": N_("Mean without the lowest"),
    "drop_discordant": N_("Mean without the most discordant"), "reliability": N_("Reliability model"),
    "fixed": N_("Fixed threshold"), "evidence": N_("Evidence from all reviews"), "none": N_("No warnings"),
    "total": N_("Review totals"), "per_item": N_("Item by item"),
}
# The comment rules' names: "none" is also a warning rule, so these have a table of their own.
COMMENT_RULE_LABELS = {
    "none": N_("No comments required"), "deducted": N_("A comment on every item that lost points"),
    "overall": N_("An overall comment when points were lost"),
}
DEFAULT_WARNING_RULE = "evidence"
DEFAULT_AGGREGATION = "total"
DEFAULT_K = 4
DEFAULT_MAX_SCORE = 100
DEFAULT_DISPLAY_NAME = "Cross-check"
DEFAULT_COMMENT_RULE = "deducted"
DEFAULT_COMMENT_MIN_CHARS = 10
DEFAULT_EXTRA_LEASE_HOURS = extras.DEFAULT_LEASE_HOURS
DEFAULT_EXTRA_REVIEWS_LIMIT = extras.DEFAULT_LIMIT

# Inclusive ranges, in the units Studio and OLX use (the threshold in percent of the maximum).
RANGES = {
    "reviews_per_work": (1, 10),
    "max_score": (1, 10_000),
    "adjustment_days": (0, 30),
    "appeal_days": (0, 30),
    # The proposal says 15-20 %; below 5 % ordinary honest disagreement would leave out nearly
    # every score.
    "outlier_threshold": (5, 50),
    # Characters (whitespace-trimmed) a comment the comment rule asks for must have.
    "comment_min_chars": (1, 1000),
    # D4: how long a taken extra review stays the learner's, and how many one learner may take.
    "extra_lease_hours": (1, 72),
    "extra_reviews_limit": (0, 20),
    "extra_window_hours": (0, 72),
    # Issue 16: how many works staff grade as anchors (0: no calibration set).
    "calibration_works": (0, 10),
}


_INTEGER = re.compile(r"-?[0-9]{1,18}")  # ASCII digits only: str.isdigit() also takes "²"


def whole_number(value: object) -> int | None:
    """The integer a JSON value stands for (5, 5.0, "5"), or None; booleans are not numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def number(value: object) -> float | None:
    """The finite number a JSON value stands for (5, 2.5, "2.5"), or None; booleans are not
    numbers, and neither are NaN, infinities or integers too large for a float."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            result = float(value)
        elif isinstance(value, str) and len(value) < 40:
            result = float(value)
        else:
            return None
    except (OverflowError, ValueError):
        return None
    return result if result == result and abs(result) != float("inf") else None


def _in_range(name: str, value: int | float | None) -> bool:
    low, high = RANGES[name]
    return value is not None and low <= value <= high


@dataclass(frozen=True)
class TaskSettings:
    """What a task is set to, every value valid. `threshold` is a share of the maximum (0.15)."""

    display_name: str = DEFAULT_DISPLAY_NAME
    submission_kind: str = links.DEFAULT_KIND
    reviews_per_work: int = DEFAULT_K
    max_score: int = DEFAULT_MAX_SCORE
    grading_policy: str = DEFAULT_POLICY
    warning_rule: str = DEFAULT_WARNING_RULE
    aggregation: str = DEFAULT_AGGREGATION
    threshold: float = DEFAULT_THRESHOLD
    comment_rule: str = DEFAULT_COMMENT_RULE
    comment_min_chars: int = DEFAULT_COMMENT_MIN_CHARS
    extra_lease_hours: int = DEFAULT_EXTRA_LEASE_HOURS
    extra_reviews_limit: int = DEFAULT_EXTRA_REVIEWS_LIMIT
    # The last hours of the review period in which only extra reviews are taken (0: none).
    extra_window_hours: int = 0
    calibration_works: int = 0
    timeline: schedule.Timeline = field(default_factory=schedule.Timeline)
    checklist: Checklist = field(default_factory=lambda: Checklist(task_name="", items=()))

    @classmethod
    def from_config(cls, config: Mapping) -> "TaskSettings":
        """The settings of a settings copy; a missing or invalid value takes its default."""
        k = whole_number(config.get("reviews_per_work"))
        max_score = whole_number(config.get("max_score"))
        share = number(config.get("outlier_threshold"))
        min_chars = whole_number(config.get("comment_min_chars"))
        lease = whole_number(config.get("extra_lease_hours"))
        limit = whole_number(config.get("extra_reviews_limit"))
        window = whole_number(config.get("extra_window_hours"))
        anchors = whole_number(config.get("calibration_works"))
        try:
            checklist = cached_checklist_from_rs(config.get("checklist") or {})
        except ChecklistError:
            checklist = Checklist(task_name="", items=())  # the block refuses to sync such a copy
        return cls(
            display_name=_text(config.get("display_name")) or DEFAULT_DISPLAY_NAME,
            submission_kind=_choice(config.get("submission_kind"), links.KINDS, links.DEFAULT_KIND),
            reviews_per_work=k if _in_range("reviews_per_work", k) else DEFAULT_K,
            max_score=max_score if _in_range("max_score", max_score) else DEFAULT_MAX_SCORE,
            grading_policy=_choice(config.get("grading_policy"), POLICIES, DEFAULT_POLICY),
            warning_rule=_choice(config.get("warning_rule"), WARNING_RULES, DEFAULT_WARNING_RULE),
            aggregation=_choice(config.get("aggregation"), AGGREGATIONS, DEFAULT_AGGREGATION),
            # The copy stores the threshold as a share of the maximum (Studio's 15 % is 0.15).
            threshold=share if share is not None and 0 < share <= 1 else DEFAULT_THRESHOLD,
            comment_rule=_choice(config.get("comment_rule"), COMMENT_RULES, DEFAULT_COMMENT_RULE),
            comment_min_chars=(min_chars if _in_range("comment_min_chars", min_chars)
                               else DEFAULT_COMMENT_MIN_CHARS),
            extra_lease_hours=lease if _in_range("extra_lease_hours", lease) else DEFAULT_EXTRA_LEASE_HOURS,
            extra_reviews_limit=limit if _in_range("extra_reviews_limit", limit) else DEFAULT_EXTRA_REVIEWS_LIMIT,
            extra_window_hours=window if _in_range("extra_window_hours", window) else 0,
            calibration_works=anchors if _in_range("calibration_works", anchors) else 0,
            timeline=schedule.timeline_from_config(config),
            checklist=checklist,
        )

    def phase(self, status: str, now) -> str:
        """Where a task with this status is at `now` (see schedule.py)."""
        return schedule.timeline_phase(status, now, self.timeline)

    def public(self) -> dict:
        """The settings a learner may see (dates in ISO 8601 UTC, the T1 defaults filled in)."""
        return {
            "display_name": self.display_name,
            "submission_kind": self.submission_kind,
            "submission_help": gettext(links.KINDS[self.submission_kind]),
            "reviews_per_work": self.reviews_per_work,
            "max_score": self.max_score,
            "grading_policy": self.grading_policy,
            "policy_label": gettext(CHOICE_LABELS[self.grading_policy]),
            "policy_text": gettext(POLICIES[self.grading_policy]),
            # What the review form checks before it submits (the server checks again).
            "comment_rule": {"rule": self.comment_rule, "min_chars": self.comment_min_chars,
                             "text": gettext(COMMENT_RULES[self.comment_rule])},
            **self.public_dates(),
        }

    def public_dates(self) -> dict:
        """The dates with the T1 defaults filled in, and the adjustment period (T6)."""
        timeline = self.timeline
        return {
            "submission_start": schedule.format_datetime(timeline.opens),
            "submission_due": schedule.format_datetime(timeline.submission_due),
            "review_start": schedule.format_datetime(timeline.review_start),
            "review_due": schedule.format_datetime(timeline.review_due),
            "adjustment_days": timeline.adjustment.total_seconds() / 86400,
            "adjustment_due": schedule.format_datetime(timeline.closes) if timeline.adjustment else "",
            "late_change_warning": gettext(schedule.LATE_CHANGE_WARNING),
        }


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _choice(value: object, choices: Mapping, default: str) -> str:
    return value if isinstance(value, str) and value in choices else default
