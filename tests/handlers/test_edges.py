"""The edges of the block: Studio and its preview never touch the live task, staff viewing as a
learner only read, forged cross-site requests are refused, and refusals write nothing."""
import json

import pytest

from crosscheck_xblock.models import Task

from .conftest import full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
LEARNER_WRITES = {
    "submit_work": {"url": "https://alice.example.org/"},
    "submit_review": {"review_id": "0" * 24, "items": {}},
    "submit_self_check": {"items": {}},
    "save_draft": {"form": "self", "data": {}},
    "submit_appeal": {"reason": "why", "items": ["c2"]},
}
STAFF = {"staff_overview": {}, "staff_start": {}, "staff_complete": {}, "staff_analytics": {},
         "staff_appeals": {}, "staff_recheck": {"work_id": 1, "items": {}}}
EVERY_BUT_THE_EDITOR = {"get_state": {}, **LEARNER_WRITES, **STAFF}


def running(make_block):
    """A block whose cross-check runs: five learners, each with two works to review."""
    block = make_block('reviews_per_work="2"')
    block.submit_all(["alice", "bob", "carol", "dave", "erin"])
    block.ok("staff_start", "staff")
    return block


# ---------------------------------------------------------------- Studio and its preview

def test_studio_shows_a_static_preview_and_writes_nothing(make_block):
    block = make_block('display_name="Draft title" reviews_per_work="3"')
    before = table_snapshot()
    for view in ("author_view", ""):  # Studio's unit page, and its preview of the learner's page
        page = block.page("studio", view)
        assert "cc-preview-init" in page and "CrossCheckPreview" in page
        assert "Draft title" in page and "cc-init" not in page
    assert table_snapshot() == before and not Task.objects.exists()  # no task row, nothing else


def test_the_preview_says_when_the_checklist_cannot_be_used(make_block):
    block = make_block('checklist="{&quot;taskName&quot;: 1}"')
    page = block.page("studio", "author_view")
    init = json.loads(page.split('class="cc-preview-init">')[1].split("</script>")[0])
    assert init["error"].startswith("The checklist is invalid") and "settings" not in init


@pytest.mark.parametrize("handler", sorted(EVERY_BUT_THE_EDITOR))
def test_in_studio_every_handler_but_the_editors_refuses(make_block, handler):
    block = running(make_block)
    before = table_snapshot()
    status, body = block.call(handler, "studio", EVERY_BUT_THE_EDITOR[handler])
    assert (status, body["code"]) == (403, "preview") and "preview in Studio" in body["error"]
    assert table_snapshot() == before


def test_studio_edits_do_not_reach_the_live_task(make_block):
    block = running(make_block)
    config = Task.objects.get().config
    block.ok("studio_submit", "studio", {"values": {"display_name": "Renamed in Studio", "reviews_per_work": 4}})
    assert Task.objects.get().config == config  # not until the published block is viewed
    assert block.state("alice")["settings"]["display_name"] == "Renamed in Studio"  # the LMS view syncs


# ---------------------------------------------------------------- staff viewing as a learner

def test_staff_viewing_as_a_learner_read_and_cannot_write(make_block):
    block = running(make_block)
    alice = block.state("alice")
    assert block.state("staff-as-alice") == alice  # alice's own page
    page = block.page("staff-as-alice")
    init = json.loads(page.split('class="cc-init">')[1].split("</script>")[0])
    assert init["read_only"].startswith("You are viewing this cross-check as a learner")
    assert init["is_staff"] is False and init["state"]["reviews"] == alice["reviews"]
    before = table_snapshot()
    bodies = {**LEARNER_WRITES, "submit_review": full_review(alice, 0),
              "save_draft": {"form": alice["reviews"][0]["id"], "data": {"comment": "x"}}}
    for handler, body in bodies.items():
        status, answer = block.call(handler, "staff-as-alice", body)
        assert (status, answer["code"]) == (403, "masquerade"), handler
    # As alice they are no staff; and no write in alice's name, staff's or not.
    for handler, code in [("staff_start", "masquerade"), ("staff_recheck", "masquerade"),
                          ("staff_overview", "staff_only")]:
        assert block.call(handler, "staff-as-alice", STAFF[handler])[1]["code"] == code
    assert table_snapshot() == before
    assert block.ok("submit_review", "alice", full_review(alice, 0))  # alice herself may


# ---------------------------------------------------------------- forged and unauthenticated requests

@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", ""])
def test_a_cross_site_form_cannot_post_json(make_block, content_type):
    """handler_noauth is CSRF-exempt: a form on another site could send JSON as text/plain."""
    block = make_block()
    before = table_snapshot()
    status, body = block.call("submit_work", "alice", raw=json.dumps({"url": "https://evil.example.org/"}),
                              content_type=content_type)
    assert (status, body["code"]) == (415, "unsupported_media_type")
    assert table_snapshot() == before


def test_json_with_a_charset_is_json(make_block):
    block = make_block()
    status, _ = block.call("submit_work", "alice", raw=json.dumps({"url": "https://a.example.org/"}),
                           content_type="application/json; charset=utf-8")
    assert status == 200


def test_a_visitor_who_is_not_signed_in_reads_and_cannot_write(make_block):
    block = running(make_block)
    state = block.state("anonymous")
    assert state["submission"] is None and state["reviews"] == []
    before = table_snapshot()
    for handler, body in LEARNER_WRITES.items():
        status, answer = block.call(handler, "anonymous", body)
        assert status in (403, 409) and answer["code"] in ("not_signed_in", "not_assigned", "no_submission",
                                                           "self_check_closed"), handler
    for handler, body in STAFF.items():
        assert block.call(handler, "anonymous", body)[1]["code"] == "staff_only"
    assert table_snapshot() == before


@pytest.mark.parametrize("raw, code", [
    ("[" * 10_000 + "]" * 10_000, "bad_json"), ("[" * 40 + "]" * 40, "bad_json"),
    ('{"url": NaN}', "bad_json"), ('{"url": Infinity}', "bad_json"), ('{"url": 1e400}', "bad_json"),
    ('{"url": "\\ud800"}', "bad_json"), ('{"url": {"a": "\\udfff"}}', "bad_json"),
    ('{"url": "https://[x.y"}', "bad_link"), ('{"url": ' + "9" * 400 + "}", "bad_link"),
    ('{"url": ["https://a.example.org/"]}', "bad_link"), ('{"url": "' + "x" * 1_900_000 + '"}', "bad_link"),
    ('{"url": "' + "x" * 2_000_001 + '"}', "too_large"),
])
def test_hostile_bodies_get_a_4xx_and_change_nothing(make_block, raw, code):
    block = make_block()
    block.ok("submit_work", "carol", {"url": "https://carol.example.org/"})
    before = table_snapshot()
    status, body = block.call("submit_work", "carol", raw=raw)
    assert 400 <= status < 500 and body["code"] == code and body["error"]
    assert table_snapshot() == before


def test_nan_settings_from_hand_written_olx_still_run(make_block):
    """NaN or infinity in a Float setting (the modulestore can hold them; Studio refuses them) read
    as the defaults: a JSON column could not even store them."""
    from cc_workbench.runtime import CrossCheckWorkbenchRuntime
    from crosscheck_xblock import clock, services

    usage_id = make_block().usage_id
    block = CrossCheckWorkbenchRuntime("alice").get_block(usage_id)
    block.adjustment_days, block.outlier_threshold, block.appeal_days = float("nan"), float("inf"), float("-inf")
    task = block.live_task()
    assert Task.objects.get().config["adjustment_days"] is None
    assert task.settings.threshold == 0.15 and task.settings.timeline.adjustment.days == 1
    assert services.learner_state(task, None, clock.now())["settings"]["adjustment_days"] == 1.0


def test_a_body_over_djangos_own_limit_is_too_large_not_a_crash(make_block):
    """Django refuses to read a body over 2.5 MB at all: the size is checked before reading."""
    block = make_block()
    before = table_snapshot()
    status, body = block.call("submit_work", "alice", raw='{"url": "' + "x" * 3_000_000 + '"}')
    assert (status, body["code"]) == (413, "too_large")
    assert table_snapshot() == before


@pytest.mark.parametrize("token", ["TOKEN", "upper", "a" * 25, "g" * 24])
def test_review_ids_are_exact(make_block, token):
    """Review ids are 24 lowercase hex digits: MariaDB's collation would otherwise match an id in
    capitals, or with a trailing space, as if it were the real one."""
    block = running(make_block)
    real = block.state("alice")["reviews"][0]["id"]
    for spoiled in (real.upper(), real + " ", token):
        status, body = block.call("submit_review", "alice", {**full_review(block.state("alice"), 0),
                                                            "review_id": spoiled})
        assert (status, body["code"]) == (400, "bad_review_id"), spoiled
