"""The link check (S2) and the phase rules, pure."""
from datetime import UTC, datetime, timedelta

import pytest

from crosscheck_xblock import schedule
from crosscheck_xblock.links import LinkError, check_link

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("url", [
    "https://github.com/me/repo/pull/1", "https://github.com/me/repo/pull/1/files",
    "https://gitlab.com/g/sub/p/-/merge_requests/7", "https://git.school.org/g/p/-/merge_requests/2"])
def test_pull_request_links(url):
    assert check_link(url, "pull_request") == url


@pytest.mark.parametrize("url", [
    "https://github.com/me/repo", "https://github.com/me/repo/pulls", "https://github.com/me/pull/1",
    "https://me.github.io/repo/", "https://gitlab.com/g/p/merge_requests/7"])
def test_not_pull_request_links(url):
    with pytest.raises(LinkError, match="not a pull request"):
        check_link(url, "pull_request")


def test_deploy_rejects_code_hosts_and_accepts_pages():
    assert check_link("https://me.github.io/x/", "deploy") == "https://me.github.io/x/"
    assert check_link("http://localhost:3000/", "deploy") == "http://localhost:3000/"
    with pytest.raises(LinkError, match="source code"):
        check_link("https://github.com/me/x", "deploy")


@pytest.mark.parametrize("url", ["", "   ", None, 5, "example.org", "mailto:a@b.org", "javascript:alert(1)",
                                 "https://", "https://nodot", "https://a b.org", "https://x.org/a\nb",
                                 "https://" + "x" * 2000 + ".org"])
def test_any_rejects_non_web_addresses(url):
    with pytest.raises(LinkError):
        check_link(url, "any")


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        check_link("https://example.org", "ftp")


def test_dates_parse_to_utc():
    assert schedule.parse_datetime("2026-03-02T10:00:00Z") == NOW
    assert schedule.parse_datetime("2026-03-02T13:00:00+03:00") == NOW
    assert schedule.parse_datetime("2026-03-02T10:00:00") == NOW  # no zone means UTC
    assert schedule.parse_datetime("") is None
    assert schedule.format_datetime(NOW) == "2026-03-02T10:00:00Z"
    with pytest.raises(ValueError):
        schedule.parse_datetime("tomorrow")


def test_phases():
    due = NOW + timedelta(days=1)
    end = NOW + timedelta(days=4)
    assert schedule.phase("open", NOW, due, end) == schedule.SUBMISSION
    assert schedule.phase("open", due, due, end) == schedule.WAITING
    assert schedule.phase("open", NOW) == schedule.SUBMISSION
    assert schedule.phase("distributed", due, due, end) == schedule.REVIEW
    assert schedule.phase("distributed", end, due, end) == schedule.REVIEW_CLOSED
    assert schedule.phase("completed", NOW, due, end) == schedule.CLOSED


def test_resolve_dates_fills_start_and_end_from_the_deadline():
    due = NOW
    assert schedule.resolve_dates(due) == (due, due, due + timedelta(days=3))
    start = due + timedelta(hours=2)
    assert schedule.resolve_dates(due, start) == (due, start, start + timedelta(days=3))
    end = due + timedelta(days=5)
    assert schedule.resolve_dates(due, None, end) == (due, due, end)
    assert schedule.resolve_dates(None) == (None, None, None)


@pytest.mark.parametrize("dates, message", [
    ((NOW, NOW - timedelta(hours=1), None), "cannot start before"),
    ((NOW, NOW, NOW), "must end after"),
    ((None, None, NOW), "Set the submission deadline"),
])
def test_resolve_dates_refuses_impossible_orders(dates, message):
    with pytest.raises(ValueError, match=message):
        schedule.resolve_dates(*dates)


# ---------------------------------------------------------------- the course overview's dates and links (S4)

def test_the_next_date_is_what_each_phase_waits_for():
    due = NOW + timedelta(days=2)
    timeline = schedule.Timeline(opens=NOW - timedelta(days=5), submission_due=due,
                                 review_start=due + timedelta(hours=1), review_due=due + timedelta(days=3),
                                 adjustment=timedelta(days=1))
    expected = {schedule.NOT_OPEN: timeline.opens, schedule.SUBMISSION: due, schedule.WAITING: timeline.review_start,
                schedule.REVIEW: timeline.review_due, schedule.ADJUSTMENT: timeline.review_due + timedelta(days=1),
                schedule.REVIEW_CLOSED: None, schedule.CLOSED: None}
    assert {phase: schedule.next_date(phase, timeline) for phase in expected} == expected
    assert schedule.next_date(schedule.SUBMISSION, schedule.Timeline()) is None  # no deadline set
    # The phase a task is in and the date it waits for agree at every moment.
    for hours in range(0, 24 * 7, 5):
        now = NOW + timedelta(hours=hours)
        status = schedule.OPEN if now < timeline.review_start else schedule.DISTRIBUTED
        waited = schedule.next_date(schedule.timeline_phase(status, now, timeline), timeline)
        assert waited is None or waited > now


def test_the_jump_to_link_of_a_block():
    from crosscheck_xblock.links import jump_to_path
    assert jump_to_path("course-v1:Org+Course+2026", "block-v1:Org+Course+2026+type@crosscheck+block@3f2a") == (
        "/courses/course-v1:Org+Course+2026/jump_to/block-v1:Org+Course+2026+type@crosscheck+block@3f2a")
    assert jump_to_path("course-v1:O+C+R", "a b/c?d") == "/courses/course-v1:O+C+R/jump_to/a%20b%2Fc%3Fd"
