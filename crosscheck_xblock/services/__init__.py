"""The service layer of crosscheck-xblock: the only code that reads and writes its models.

Everything the block's handlers, the Celery tasks and the management commands do goes through
the functions named here. Their first argument is a `TaskRef` (a frozen snapshot of one task:
`sync_task` or `find_task` gives it), they take `now` from the caller (one clock reading per
request), they answer plain values, and they refuse with the error classes of `errors.py`,
each of which carries its HTTP status; no Django exception leaves them (`guard.guarded`).

One module per job:
    task_settings  the typed settings of a task, read once from its settings copy
    registry       the task row: sync from the published block, find (read for a download), lock
    submissions    submitting and replacing the link (S1–S3)
    reviews        reviews, self-checks and drafts (R1–R6, T5, T6)
    lifecycle      start, complete, advance, the sweep (T3, T4)
    grading        computing grades and the warnings of the task's rule (A3, A5–A7)
    gradebook      every edx-submissions set_score call, with retries of failed writes
    appeals        appeals and staff re-checks (A4, F4)
    threads        the anonymous conversation about each review (M1–M5)
    ratings        the author's thanks and complaints about a review, and settling them (F1–F4)
    best_works     the best works page, thanks to their authors, the gallery (B1–B3)
    votes          the vote on the best works among the course's top reviewers (B4)
    community      re-checks of appealed works by top reviewers (B4)
    warnings       the sentences of the warnings learners receive
    learner, staff the learner's page and the staff view (read models)
    overview       the learner's course overview: every cross-check of the course (S4)
    analytics, exports, rates   staff analytics, CSV downloads, the simulated warning rates
    latest, names  shared readers: the latest reviews and self-checks; staff-facing names
    retirement     forgetting usernames when the LMS retires an account
    reviewer_rating  every learner's rating as a reviewer, over the course's blocks (F3)
    anchors        staff grades as anchors: the calibration set, recomputing with re-checks (issue 16)
    extras         extra reviews for works whose reviewers did not show up, the pool (D4, C4)
    notices        notices to learners, each once, worded when read; notification settings (N1–N12, M5)
    outbox         the Telegram outbox: each notice to its learner's chat at most once (issue 14)
    telegram_links "Connect Telegram": deep-link tokens, /start and /stop, linked chats
"""
from ..errors import BadRequest, Conflict, CrossCheckError, NotAllowed, NotFound, TooLarge, TooManyRequests
from .analytics import task_analytics
from .anchors import staff_calibration, staff_grade_calibration, staff_recompute
from .appeals import staff_recheck, submit_appeal
from .best_works import (
    best_works_csv,
    staff_best_works,
    staff_best_works_edit,
    staff_best_works_thank,
    withdraw_from_gallery,
)
from .community import staff_request_community_recheck, submit_community_recheck, top_reviewers
from .exports import grades_csv, grades_stream, reviewer_ratings_csv, reviews_csv, reviews_stream
from .extras import take_extra_review
from .learner import learner_state
from .lifecycle import (
    advance_task,
    complete_cross_check,
    due_tasks,
    retry_scores,
    run_due_transitions,
    start_cross_check,
    sweep_is_stale,
    sweep_status,
    sweep_turn,
    write_score_chunk,
)
from .names import usernames
from .notices import due_notices, learner_notices, mark_notices_read, notification_settings, reader_zone, reader_zones
from .outbox import deliver_outbox, has_pending
from .overview import course_has_tasks, course_overview
from .rates import simulated_rates
from .ratings import rate_review, staff_settle_complaint
from .registry import TaskRef, delete_task, find_task, read_task, sync_task, task_started
from .retirement import forget_username
from .reviewer_rating import RATING_FORMULA, course_ratings, learner_rating
from .reviews import save_draft, submit_review, submit_self_check
from .staff import staff_appeals, staff_overview
from .submissions import submit_work
from .task_settings import AGGREGATIONS, RANGES, WARNING_RULES, TaskSettings
from .telegram_links import handle_update, telegram_part, token_owner, unlink
from .threads import Sender, get_thread, post_message, staff_threads
from .votes import cast_votes, staff_open_vote

__all__ = [
    "grades_stream", "reviews_stream",
    "RATING_FORMULA", "course_ratings", "learner_rating", "reviewer_ratings_csv",
    "AGGREGATIONS", "RANGES", "WARNING_RULES",
    "BadRequest", "Conflict", "CrossCheckError", "NotAllowed", "NotFound", "TooLarge",
    "TooManyRequests", "Sender",
    "TaskRef", "TaskSettings",
    "best_works_csv", "staff_best_works", "staff_best_works_edit", "staff_best_works_thank",
    "withdraw_from_gallery", "cast_votes", "staff_open_vote",
    "staff_request_community_recheck", "submit_community_recheck", "top_reviewers",
    "advance_task", "complete_cross_check", "delete_task", "due_tasks", "find_task", "forget_username", "get_thread",
    "read_task",
    "grades_csv", "learner_state", "rate_review", "staff_settle_complaint", "retry_scores", "reviews_csv",
    "post_message", "run_due_transitions",
    "save_draft", "simulated_rates", "staff_appeals", "staff_overview", "staff_recheck", "staff_threads",
    "start_cross_check", "submit_appeal", "submit_review", "submit_self_check", "submit_work",
    "sweep_is_stale", "sweep_status", "sweep_turn", "sync_task", "task_analytics",
    "take_extra_review", "task_started", "usernames", "course_overview", "course_has_tasks",
    "staff_calibration", "staff_grade_calibration", "staff_recompute",
    "due_notices", "learner_notices", "mark_notices_read", "notification_settings", "reader_zone", "reader_zones",
    "deliver_outbox", "has_pending", "handle_update", "telegram_part", "token_owner", "unlink",
    "write_score_chunk",
]
