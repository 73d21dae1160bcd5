"""The warnings learners receive, worded when they are read.

A `LearnerWarning` row keeps its kind and its numbers (`detail`); the sentence comes from here,
in the reader's language, so it can be reworded (and translated) without touching stored data.
A sentence names nobody: the only work it may mention is the warned reviewer's own "Work N".
"""
from .. import schedule
from ..i18n import EMPTY, N_, Text, plural_text
from ..models import LearnerWarning
from ..pseudonyms import reviewer_title, work_title
from ..scoring.grading import evidence_message, far_review_message, far_self_check_message
from ..scoring.warning_rules import EvidenceFinding

# The kinds, as stored (models.LearnerWarning.KINDS has their labels for staff).
OUTLIER_REVIEW = LearnerWarning.OUTLIER_REVIEW
OUTLIER_SELF_CHECK = LearnerWarning.OUTLIER_SELF_CHECK
EVIDENCE_REVIEWER = LearnerWarning.EVIDENCE_REVIEWER
APPEAL_REVIEW = LearnerWarning.APPEAL_REVIEW
APPEAL_SELF_CHECK = LearnerWarning.APPEAL_SELF_CHECK
COMPLAINT_UPHELD = LearnerWarning.COMPLAINT_UPHELD
COMPLAINT_REJECTED = LearnerWarning.COMPLAINT_REJECTED


def _work_title(detail: dict) -> Text:
    position = detail.get("work_position")
    return work_title(position) if position else Text(N_("a work you reviewed"))


def _recheck_values(detail: dict, max_score: float) -> dict:
    limit = detail.get("limit", 0)
    return {"max": max_score, "limit": limit, "share": limit / max_score * 100,
            "recheck": detail["recheck_total"], "work": _work_title(detail)}


def warning_text(kind: str, detail: dict) -> str:
    """The sentence the warned learner reads, from the warning's kind and numbers."""
    max_score = detail.get("max_score") or 100
    if kind == OUTLIER_REVIEW:
        text = far_review_message(work_title=_work_title(detail), points=detail["points"],
                                  max_score=max_score, others_median=detail["others_median"],
                                  limit=detail["limit"], excluded=detail["excluded"])
    elif kind == OUTLIER_SELF_CHECK:
        text = far_self_check_message(self_check=detail["self_check"], max_score=max_score,
                                      median=detail["median"], limit=detail["limit"])
    elif kind == EVIDENCE_REVIEWER:
        text = evidence_message(EvidenceFinding(
            bias=detail["bias"], noise=detail["noise"], reviews=detail["reviews"],
            biased=detail["biased"], noisy=detail["noisy"], reason=EMPTY))
    elif kind == APPEAL_REVIEW:
        text = Text(N_("Course staff re-checked %(work)s, which you reviewed: your review gave %(points)s "
                       "of %(max)s, the re-check %(recheck)s, more than %(limit)s points apart (the "
                       "task's limit is %(share)s %% of the maximum). Please review more carefully "
                       "against the checklist."),
                    {**_recheck_values(detail, max_score), "points": detail["review_total"]})
    elif kind == APPEAL_SELF_CHECK:
        text = Text(N_("Course staff re-checked your work: your self-check gave %(points)s of %(max)s, "
                       "the re-check %(recheck)s, more than %(limit)s points apart (the task's limit "
                       "is %(share)s %% of the maximum). Check your own work as strictly as a "
                       "reviewer would."),
                    {**_recheck_values(detail, max_score), "points": detail["self_check"]})
    elif kind == COMPLAINT_UPHELD:
        text = plural_text("Course staff upheld a complaint about your review of %(work)s: the deduction "
                           "for %(n)s item was not justified. Take points off only where the work misses "
                           "what the checklist asks, and say why in the comment.",
                           "Course staff upheld a complaint about your review of %(work)s: the deductions "
                           "for %(n)s items were not justified. Take points off only where the work misses "
                           "what the checklist asks, and say why in the comment.",
                           detail.get("items", 1), {"work": _work_title(detail)})
    elif kind == COMPLAINT_REJECTED:
        text = Text(N_("Course staff rejected your complaint about the review by %(reviewer)s as unfounded: "
                       "the deductions were justified. Complain only about a deduction the checklist does "
                       "not support; to dispute your grade, appeal it."),
                    {"reviewer": reviewer_title(detail.get("reviewer_number") or 1)})
    else:
        text = Text(N_("Course staff have noted something about your reviewing in this cross-check."))
    return text.render()


def as_json(warning: LearnerWarning) -> dict:
    """A warning as the learner's page shows it."""
    return {"kind": warning.kind, "message": warning_text(warning.kind, warning.detail),
            "created_at": schedule.format_datetime(warning.created_at)}


def of_work(work_id: int) -> list[dict]:
    """The warnings a learner (by their work) received, oldest first (one query)."""
    return [as_json(warning) for warning in LearnerWarning.objects.filter(work_id=work_id)]
