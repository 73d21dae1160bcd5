"""The warnings learners receive, worded when they are read.

A `LearnerWarning` row keeps its kind and its numbers (`detail`); the sentence comes from here,
so it can be reworded (and translated) without touching stored data. A sentence names nobody:
the only work it may mention is the warned reviewer's own "Work N".
"""
from .. import schedule
from ..models import LearnerWarning
from ..scoring.grading import evidence_message, far_review_message, far_self_check_message, format_points
from ..scoring.warning_rules import EvidenceFinding

# The kinds, as stored (models.LearnerWarning.KINDS has their labels for staff).
OUTLIER_REVIEW = LearnerWarning.OUTLIER_REVIEW
OUTLIER_SELF_CHECK = LearnerWarning.OUTLIER_SELF_CHECK
EVIDENCE_REVIEWER = LearnerWarning.EVIDENCE_REVIEWER
APPEAL_REVIEW = LearnerWarning.APPEAL_REVIEW
APPEAL_SELF_CHECK = LearnerWarning.APPEAL_SELF_CHECK


def _work_title(detail: dict) -> str:
    position = detail.get("work_position")
    return f"Work {position}" if position else "a work you reviewed"


def _apart(detail: dict) -> str:
    limit, max_score = detail.get("limit", 0), detail.get("max_score") or 100
    return (f"more than {format_points(limit)} points apart (the task's limit is "
            f"{format_points(limit / max_score * 100)} % of the maximum)")


def warning_text(kind: str, detail: dict) -> str:
    """The sentence the warned learner reads, from the warning's kind and numbers."""
    max_score = detail.get("max_score") or 100
    if kind == OUTLIER_REVIEW:
        return far_review_message(work_title=_work_title(detail), points=detail["points"],
                                  max_score=max_score, others_median=detail["others_median"],
                                  limit=detail["limit"], excluded=detail["excluded"])
    if kind == OUTLIER_SELF_CHECK:
        return far_self_check_message(self_check=detail["self_check"], max_score=max_score,
                                      median=detail["median"], limit=detail["limit"])
    if kind == EVIDENCE_REVIEWER:
        return evidence_message(EvidenceFinding(
            bias=detail["bias"], noise=detail["noise"], reviews=detail["reviews"],
            biased=detail["biased"], noisy=detail["noisy"], reason=detail.get("reason", "")))
    if kind == APPEAL_REVIEW:
        return (f"Course staff re-checked {_work_title(detail)}, which you reviewed: your review gave "
                f"{format_points(detail['review_total'])} of {format_points(max_score)}, the re-check "
                f"{format_points(detail['recheck_total'])}, {_apart(detail)}. Please review more "
                "carefully against the checklist.")
    if kind == APPEAL_SELF_CHECK:
        return (f"Course staff re-checked your work: your self-check gave "
                f"{format_points(detail['self_check'])} of {format_points(max_score)}, the re-check "
                f"{format_points(detail['recheck_total'])}, {_apart(detail)}. Check your own work as "
                "strictly as a reviewer would.")
    return "Course staff have noted something about your reviewing in this cross-check."


def as_json(warning: LearnerWarning) -> dict:
    """A warning as the learner's page shows it."""
    return {"kind": warning.kind, "message": warning_text(warning.kind, warning.detail),
            "created_at": schedule.format_datetime(warning.created_at)}


def of_work(work_id: int) -> list[dict]:
    """The warnings a learner (by their work) received, oldest first (one query)."""
    return [as_json(warning) for warning in LearnerWarning.objects.filter(work_id=work_id)]
