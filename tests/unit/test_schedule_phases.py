"""The timed phases, the automatic steps and the submission/review rules, pure (T1–T6, S1, S3)."""
from datetime import UTC, datetime, timedelta

import pytest

from crosscheck_xblock import schedule as s

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DUE = T0 + timedelta(days=7)
DAY = timedelta(days=1)


def timeline(**config):
    return s.timeline_from_config(config)


def test_the_deadline_fills_start_and_end_and_the_adjustment_defaults_to_a_day():
    line = timeline(submission_due="2026-03-09T10:00:00Z")
    assert line.submission_due == DUE
    assert line.review_start == DUE                    # T1: start = deadline
    assert line.review_due == DUE + 3 * DAY            # T1: end = start + 3 days
    assert line.adjustment == DAY                      # T6: one day by default
    assert line.closes == DUE + 4 * DAY


def test_given_dates_win_and_adjustment_zero_turns_it_off():
    line = timeline(submission_due="2026-03-09T10:00:00Z", review_start="2026-03-10T10:00:00Z",
                    review_due="2026-03-12T10:00:00+02:00", adjustment_days=0)
    assert line.review_start == DUE + DAY
    assert line.review_due == datetime(2026, 3, 12, 8, 0, tzinfo=UTC)  # stored in UTC
    assert line.adjustment == timedelta(0) and line.closes == line.review_due


@pytest.mark.parametrize("value, days", [(0.5, 0.5), ("2", 2), (None, 1), ("", 1), ("x", 1), (-3, 0),
                                         (float("nan"), 0)])
def test_adjustment_days_are_read_leniently(value, days):
    assert timeline(adjustment_days=value).adjustment == timedelta(days=days)


@pytest.mark.parametrize("value, days", [(None, 3), ("", 3), ("x", 3), (7, 7), (0, 0), (-1, 0)])
def test_the_appeal_window_defaults_to_three_days(value, days):
    assert timeline(appeal_days=value).appeal_window == timedelta(days=days)


def test_appeals_close_a_window_after_the_grades_were_published():
    line = timeline(submission_due="2026-03-09T10:00:00Z", adjustment_days=1)  # closes DUE + 4 days
    assert s.appeal_deadline(line, None) is None                        # not graded yet
    assert s.appeal_deadline(line, DUE) == DUE + 7 * DAY                 # graded early: from the close
    late = DUE + 10 * DAY                                                # graded late: from then
    assert s.appeal_deadline(line, late) == late + 3 * DAY
    assert s.appeal_deadline(timeline(appeal_days=0), late) is None      # appeals off
    assert s.appeal_deadline(timeline(), late) == late + 3 * DAY         # no dates: from completion


def test_bad_or_missing_dates_mean_not_set():
    assert timeline() == s.Timeline(adjustment=DAY, appeal_window=3 * DAY)
    assert timeline(submission_due="tomorrow").submission_due is None
    assert timeline(review_start="2026-03-09T10:00:00Z").review_due == DUE + 3 * DAY


def test_every_phase_in_order():
    line = timeline(submission_start="2026-03-01T00:00:00Z", submission_due="2026-03-09T10:00:00Z",
                    review_start="2026-03-10T10:00:00Z", review_due="2026-03-13T10:00:00Z",
                    adjustment_days=1)
    start, end = DUE + DAY, DUE + 4 * DAY
    assert s.timeline_phase("open", datetime(2026, 2, 28, tzinfo=UTC), line) == s.NOT_OPEN
    assert s.timeline_phase("open", T0, line) == s.SUBMISSION
    assert s.timeline_phase("open", DUE, line) == s.WAITING              # the deadline itself is closed
    assert s.timeline_phase("open", start + DAY, line) == s.WAITING      # start passed, not distributed yet
    assert s.timeline_phase("distributed", start, line) == s.REVIEW
    assert s.timeline_phase("distributed", end - timedelta(seconds=1), line) == s.REVIEW
    assert s.timeline_phase("distributed", end, line) == s.ADJUSTMENT
    assert s.timeline_phase("distributed", end + DAY, line) == s.REVIEW_CLOSED
    assert s.timeline_phase("grading", start, line) == s.REVIEW_CLOSED
    assert s.timeline_phase("completed", start, line) == s.CLOSED
    assert set(s.PHASE_TEXT) == set(s.STAFF_PHASE_TEXT) == {
        s.NOT_OPEN, s.SUBMISSION, s.WAITING, s.REVIEW, s.ADJUSTMENT, s.REVIEW_CLOSED, s.CLOSED}


def test_without_dates_staff_drive_everything():
    assert s.timeline_phase("open", T0, s.Timeline()) == s.SUBMISSION
    assert s.timeline_phase("distributed", T0 + 100 * DAY, s.Timeline()) == s.REVIEW
    assert s.due_step("open", T0 + 100 * DAY, s.Timeline()) is None


def test_due_steps():
    line = timeline(submission_due="2026-03-09T10:00:00Z", adjustment_days=1)  # start DUE, closes DUE+4d
    assert s.due_step("open", DUE - timedelta(seconds=1), line) is None
    assert s.due_step("open", DUE, line) == s.START
    assert s.due_step("open", DUE + 3 * DAY - timedelta(seconds=1), line) == s.START
    assert s.due_step("open", DUE + 3 * DAY, line) is None        # the end passed: nobody could review
    assert s.due_step("open", DUE + 4 * DAY, line) is None        # all over
    assert s.due_step("distributed", DUE + 3 * DAY, line) is None  # end passed: adjustment runs
    assert s.due_step("distributed", DUE + 4 * DAY, line) == s.FINISH
    assert s.due_step("grading", T0, line) == s.FINISH             # an interrupted grading is always due
    assert s.due_step("completed", DUE + 10 * DAY, line) is None


@pytest.mark.parametrize("phase, has_work, rule", [
    (s.NOT_OPEN, False, s.SUBMISSION_CLOSED),
    (s.SUBMISSION, False, s.SUBMIT), (s.SUBMISSION, True, s.SUBMIT),
    (s.WAITING, False, s.SUBMISSION_CLOSED), (s.WAITING, True, s.LATE_REPLACE),
    (s.REVIEW, False, s.SUBMISSION_CLOSED), (s.REVIEW, True, s.LATE_REPLACE),
    (s.ADJUSTMENT, True, s.SUBMISSION_CLOSED), (s.REVIEW_CLOSED, True, s.SUBMISSION_CLOSED),
    (s.CLOSED, True, s.SUBMISSION_CLOSED),
])
def test_submission_rule(phase, has_work, rule):
    assert s.submission_rule(phase, has_work) == rule


@pytest.mark.parametrize("phase, submitted, rule", [
    (s.WAITING, True, s.REVIEW_CLOSED_RULE),
    (s.REVIEW, False, s.FULL_REVIEW), (s.REVIEW, True, s.FULL_REVIEW),
    (s.ADJUSTMENT, False, s.REVIEW_CLOSED_RULE), (s.ADJUSTMENT, True, s.POINTS_ONLY),
    (s.REVIEW_CLOSED, True, s.REVIEW_CLOSED_RULE), (s.CLOSED, True, s.REVIEW_CLOSED_RULE),
])
def test_review_rule(phase, submitted, rule):
    assert s.review_rule(phase, submitted) == rule
