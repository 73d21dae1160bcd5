"""Submitting a link (S1, S2, S5) and the JSON error contract, through the workbench runtime."""
import pytest
from submissions import api as submissions_api

from crosscheck_xblock.models import Work

from .conftest import anon

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_fresh_state_shows_checklist_and_no_submission(make_block):
    block = make_block('reviews_per_work="3" max_score="80"')
    state = block.state("alice")
    assert state["phase"] == "submission"
    assert state["submission"] is None and state["reviews"] == [] and state["grade"] is None
    assert state["settings"]["reviews_per_work"] == 3 and state["settings"]["max_score"] == 80
    items = state["checklist"]["items"]
    assert {"id", "type", "text", "max"} <= set(items[0])
    assert state["checklist"]["max_score"] == sum(i["max"] for i in items if i["type"] == "subtask")


def test_submit_and_replace_link_keeps_one_work(make_block):
    block = make_block()
    first = block.ok("submit_work", "alice", {"url": "https://alice.example.org/v1"})
    assert first["submission"]["url"] == "https://alice.example.org/v1"
    second = block.ok("submit_work", "alice", {"url": "  https://alice.example.org/v2  "})
    assert second["submission"]["url"] == "https://alice.example.org/v2"
    work = Work.objects.get(student_id=anon("alice"))
    assert work.url == "https://alice.example.org/v2"
    # Every version is an edx-submissions submission; the work points at the latest.
    versions = submissions_api.get_submissions(
        {"student_id": anon("alice"), "course_id": work.task.course_id,
         "item_id": work.task.usage_key, "item_type": "crosscheck"})
    assert [v["answer"]["url"] for v in versions] == ["https://alice.example.org/v2", "https://alice.example.org/v1"]
    assert work.submission_uuid == versions[0]["uuid"]


@pytest.mark.parametrize("kind, good, bad", [
    ("pull_request", "https://github.com/me/project/pull/12", "https://me.github.io/project/"),
    ("pull_request", "https://gitlab.com/group/sub/project/-/merge_requests/3", "https://github.com/me/project"),
    ("deploy", "https://me.github.io/project/", "https://github.com/me/project"),
    ("any", "http://example.org/anything?x=1", "ftp://example.org/file"),
    ("any", "https://example.org/", "javascript:alert(1)"),
])
def test_link_kind_is_checked(make_block, kind, good, bad):
    block = make_block(f'submission_kind="{kind}"')
    status, body = block.call("submit_work", "bob", {"url": bad})
    assert status == 400 and body["code"] == "bad_link" and body["error"]
    assert not Work.objects.exists()
    assert block.ok("submit_work", "bob", {"url": good})["submission"]["url"] == good


@pytest.mark.parametrize("payload", [{}, {"url": ""}, {"url": 42}, {"url": ["https://x.org"]},
                                     {"url": "https://exa mple.org"}, {"url": "https://" + "a" * 2000 + ".org"},
                                     {"url": "https://localhostx"}])
def test_bad_urls_are_refused_and_change_nothing(make_block, payload):
    block = make_block()
    block.ok("submit_work", "carol", {"url": "https://carol.example.org/"})
    status, body = block.call("submit_work", "carol", payload)
    assert status == 400 and body["code"] == "bad_link"
    assert Work.objects.get().url == "https://carol.example.org/"


def test_malformed_requests_get_json_errors(make_block):
    block = make_block()
    assert block.call("submit_work", raw="{not json")[0] == 400
    status, body = block.call("submit_work", raw="[1, 2]")
    assert status == 400 and body["code"] == "bad_json"
    status, body = block.call("submit_work", raw=b"\xff\xfe")
    assert status == 400 and body["code"] == "bad_json"
    status, body = block.call("get_state", method="get")
    assert status == 405 and body["code"] == "method_not_allowed"


def test_submission_closes_at_the_deadline(make_block, clock):
    block = make_block('submission_due="2026-03-05T12:00:00Z" review_start="2026-03-06T12:00:00Z"')
    block.ok("submit_work", "dave", {"url": "https://dave.example.org/"})
    clock.advance(days=3, hours=2)  # 2026-03-05 12:00, the deadline itself
    assert block.state("dave")["phase"] == "waiting"
    # S1: no new work after the deadline.
    status, body = block.call("submit_work", "erin", {"url": "https://erin.example.org/"})
    assert status == 409 and body["code"] == "submission_closed"
    # S3: replacing needs the learner's confirmation that it forfeits the appeal (see test_schedule).
    status, body = block.call("submit_work", "dave", {"url": "https://dave.example.org/v2"})
    assert status == 409 and body["code"] == "confirm_late_change" and "appeal" in body["error"]
    assert Work.objects.get().url == "https://dave.example.org/"


def test_block_declares_a_score():
    from crosscheck_xblock.block import CrossCheckXBlock
    assert CrossCheckXBlock.has_score is True
    assert CrossCheckXBlock.max_points.default == 100
