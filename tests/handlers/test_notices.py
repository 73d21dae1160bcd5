"""Notices (issue 14, N1–N12, M5) through the handlers: each created once for the right learner,
worded in the reader's language, naming nobody; marking read; the notification settings."""
import json

import pytest
from django.core.management import call_command

from crosscheck_xblock import services
from crosscheck_xblock.models import Assignment, Notice, NotificationSettings

from .conftest import anon, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
LEARNERS = [f"p{i}" for i in range(5)]
NEVER_OPENS = "p5"  # enrolled, never opens the block
# The clock fixture starts at 2026-03-02 10:00 UTC: submission opens at 12:00.
DATES = ('submission_start="2026-03-02T12:00:00Z" submission_due="2026-03-06T10:00:00Z" '
         'review_due="2026-03-09T10:00:00Z" adjustment_days="1" reviews_per_work="2" grading_policy="mean"')


def enrolled(_course_id):
    """The test's stand-in for the course's enrolments (compat.course_enrollments)."""
    return [anon(name) for name in [*LEARNERS, NEVER_OPENS]]


@pytest.fixture(autouse=True)
def _enrolments(settings):
    settings.CROSSCHECK_ENROLLMENTS = "tests.handlers.test_notices.enrolled"


def kinds_of(name):
    return sorted(Notice.objects.filter(student_id=anon(name)).values_list("kind", flat=True))


def notices(block, name, language=""):
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = block.client.post(f"/handler/{block.usage_id}/get_state/?student={name}", data="{}",
                                 content_type="application/json", **extra)
    assert response.status_code == 200
    return response.json()["notices"]


def sweep(clock, times=2):
    for _ in range(times):  # a second sweep (a retry, a racing worker) makes nothing new
        services.due_notices(clock())


def assert_names_nobody(block, name, found):
    text = json.dumps(found)
    for other in [*LEARNERS, NEVER_OPENS]:  # ("staff", the staff username, is in "Course staff")
        if other != name:
            assert other not in text and anon(other) not in text, (name, other)


def test_timed_notices_reach_enrolled_learners_once(make_block, clock):
    block = make_block(DATES)
    state = block.state("p0")
    assert state["phase"] == "not_open" and state["notices"] == []
    status, body = block.call("submit_work", "p0", {"url": "https://p0.example.org/"})
    assert (status, body["code"]) == (409, "submission_closed")  # before the submission start
    sweep(clock)
    assert Notice.objects.count() == 0

    clock.advance(hours=3)  # N1: the task opened, to everyone enrolled (p5 never opened the block)
    sweep(clock)
    assert Notice.objects.filter(kind="task_opened").count() == 6
    [opened] = notices(block, NEVER_OPENS)
    assert opened["kind"] == "task_opened" and opened["read"] is False
    assert "6 March 2026, 10:00 UTC" in opened["text"]
    assert opened["link"] == f"/scenario/{block.scenario}/"
    assert set(opened) == {"id", "kind", "text", "link", "created_at", "read"}
    block.submit_all(LEARNERS[:4])  # p4 and p5 submit nothing

    clock.advance(days=1)  # 2026-03-03 13:00: three days before the deadline → N2
    sweep(clock)
    call_command("crosscheck_tick")  # cron as well: nothing twice
    assert kinds_of("p4") == kinds_of(NEVER_OPENS) == ["deadline_in_3_days", "task_opened"]
    assert kinds_of("p0") == ["task_opened"]
    n2 = [n for n in notices(block, "p4") if n["kind"] == "deadline_in_3_days"][0]
    assert "3 days" in n2["text"] and "6 March 2026, 10:00 UTC" in n2["text"]

    clock.advance(days=2)  # 2026-03-05 13:00: the last day → N3, and no second N2
    sweep(clock)
    assert kinds_of("p4") == ["deadline_in_1_day", "deadline_in_3_days", "task_opened"]
    assert kinds_of("p1") == ["task_opened"]

    clock.advance(days=1)  # past the deadline: the first page view distributes → N4, N5
    state = block.state("p0")
    assert state["phase"] == "review"
    assert kinds_of("p0") == ["review_started", "task_opened", "work_submitted"]
    started = {n["kind"]: n["text"] for n in state["notices"]}
    assert "2 works to review" in started["review_started"] and "9 March 2026, 10:00 UTC" in started["review_started"]
    assert "2 reviewers" in started["work_submitted"]
    assert kinds_of("p4") == ["deadline_in_1_day", "deadline_in_3_days", "task_opened"]  # no work: no N4/N5
    for index in (0, 1):  # p0 finishes its reviews → N7 for p0, N11 for the two authors
        block.ok("submit_review", "p0", full_review(state, index))
    assert Notice.objects.filter(kind="reviews_done").count() == 1
    assert Notice.objects.filter(kind="work_reviewed").count() == 2

    clock.advance(days=2, hours=2)  # 2026-03-08 15:00: the last day of the cross-check → N6
    sweep(clock)
    assert sorted(Notice.objects.filter(kind="review_end_in_1_day").values_list("student_id", flat=True)) == \
        sorted(anon(name) for name in ("p1", "p2", "p3"))
    n6 = [n for n in notices(block, "p1") if n["kind"] == "review_end_in_1_day"][0]
    assert "2 of your reviews are not done" in n6["text"]
    for name in [*LEARNERS, NEVER_OPENS]:
        assert_names_nobody(block, name, notices(block, name))


@pytest.fixture
def running(make_block, clock):
    """Four learners, distributed (k = 2), the clock in the review period."""
    block = make_block(DATES)
    clock.advance(hours=3)
    block.submit_all(LEARNERS[:4])
    clock.advance(days=4)
    assert block.state("p0")["phase"] == "review"
    return block


def author_of(review_id):
    work = Assignment.objects.select_related("work").get(token=review_id).work
    return next(name for name in LEARNERS if anon(name) == work.student_id)


def test_event_notices_go_to_the_right_learner_once(running):
    block = running
    state = block.state("p0")
    review = state["reviews"][0]
    author = author_of(review["id"])
    body = {**full_review(state, 0), "best_work": True, "comment": "A useful comment on the layout."}
    block.ok("submit_review", "p0", body)
    block.ok("submit_review", "p0", body)  # a second version: no second N11
    assert kinds_of(author).count("work_reviewed") == 1
    [reviewed] = [n for n in notices(block, author) if n["kind"] == "work_reviewed"]
    number = Assignment.objects.get(token=review["id"]).reviewer_number
    assert f"Reviewer {number} has reviewed your work" in reviewed["text"]

    # N8: the reviewer writes → the author; the author answers → the reviewer; staff → both.
    block.ok("post_message", "p0", {"thread": review["id"], "text": "Please look at the header."})
    assert kinds_of(author).count("new_message") == 1 and "new_message" not in kinds_of("p0")
    block.ok("post_message", author, {"thread": review["id"], "text": "Thank you, I will."})
    assert kinds_of("p0").count("new_message") == 1 and kinds_of(author).count("new_message") == 1
    block.ok("post_message", "staff", {"thread": review["id"], "text": "Staff read this."})
    assert kinds_of("p0").count("new_message") == 2 and kinds_of(author).count("new_message") == 2
    messages = [n["text"] for n in notices(block, "p0") if n["kind"] == "new_message"]
    assert any(text.startswith("Course staff wrote") for text in messages)
    position = Assignment.objects.get(token=review["id"]).position
    assert all(f"your review of Work {position}" in text for text in messages)

    # N9 / N10 to the reviewer; a second click changes nothing.
    block.ok("rate_review", author, {"thread": review["id"], "kind": "thanks", "for": "comment"})
    block.call("rate_review", author, {"thread": review["id"], "kind": "thanks", "for": "comment"})
    assert kinds_of("p0").count("thanked") == 1
    thanked = [n for n in notices(block, "p0") if n["kind"] == "thanked"][0]
    assert f"The author of Work {position} thanked you" in thanked["text"]
    for name in LEARNERS[:4]:
        assert_names_nobody(block, name, notices(block, name))


def test_a_complaint_and_the_best_work_mark(running, clock):
    block = running
    state = block.state("p1")
    review = state["reviews"][0]
    author = author_of(review["id"])
    body = full_review(state, 0, value=0.5)
    block.ok("submit_review", "p1", {**body, "best_work": True})
    lost = sorted(body["item_comments"])[0]
    block.ok("rate_review", author, {"thread": review["id"], "kind": "complaint", "items": [lost]})
    assert kinds_of("p1").count("complained") == 1
    block.ok("staff_complete", "staff")
    block.ok("staff_complete", "staff")  # again: no second N12
    assert kinds_of(author).count("marked_best") == 1
    best = [n for n in notices(block, author) if n["kind"] == "marked_best"][0]
    assert "marked as a best work by 1 reviewer." in best["text"]
    assert Notice.objects.filter(kind="marked_best").count() == 1


def test_notices_are_worded_in_the_readers_language(running):
    block = running
    english = {n["kind"]: n["text"] for n in notices(block, "p0", "en")}
    russian = {n["kind"]: n["text"] for n in notices(block, "p0", "ru")}
    assert set(english) == set(russian) == {"work_submitted", "review_started"}  # no sweep ran: no N1
    for kind in english:
        assert english[kind] != russian[kind] and "UTC" in russian[kind]
        assert any("а" <= ch <= "я" for ch in russian[kind].lower()), russian[kind]
    assert "марта 2026" in russian["review_started"]


def test_mark_read_only_marks_ones_own(running):
    block = running
    mine = [n["id"] for n in block.state("p0")["notices"]]
    theirs = [n["id"] for n in block.state("p1")["notices"]]
    for junk in (None, "1", [True], [0], [-3], ["1"], [1.5], list(range(1, 300)), {"ids": 1}):
        status, body = block.call("mark_notices_read", "p0", {"ids": junk})
        assert (status, body["code"]) == (400, "bad_ids"), junk
    assert Notice.objects.filter(read_at__isnull=False).count() == 0  # nothing changed
    answer = block.ok("mark_notices_read", "p0", {"ids": [mine[0], *theirs]})
    assert answer["marked"] == 1
    assert [n["read"] for n in answer["notices"] if n["id"] == mine[0]] == [True]
    assert not any(n["read"] for n in block.state("p1")["notices"])
    assert block.ok("mark_notices_read", "p0", {"ids": mine})["marked"] == len(mine) - 1
    assert all(n["read"] for n in block.state("p0")["notices"])
    status, body = block.call("mark_notices_read", "staff-as-p1", {"ids": theirs})
    assert (status, body["code"]) == (403, "masquerade")


def test_notification_settings(make_block):
    block = make_block()
    answer = block.ok("notification_settings", "p0", {})
    assert answer["telegram"] == {kind: True for kind in services.notices.KINDS}
    assert answer["telegram_enabled"] is False and len(answer["kinds"]) == 12
    changed = block.ok("notification_settings", "p0", {"telegram": {"new_message": False, "thanked": False}})
    assert changed["telegram"]["new_message"] is False and changed["telegram"]["thanked"] is False
    block.ok("notification_settings", "p0", {"telegram": {"thanked": True}})
    # Site-wide: another block (another task) reads the same settings.
    other = make_block()
    assert other.ok("notification_settings", "p0", {})["telegram"]["new_message"] is False
    assert other.ok("notification_settings", "p0", {})["telegram"]["thanked"] is True
    assert block.ok("notification_settings", "p1", {})["telegram"]["new_message"] is True
    before = list(NotificationSettings.objects.values_list("user_key", "telegram"))
    for body, code in (({"telegram": {"nope": False}}, "unknown_kind"), ({"email": {}}, "unknown_kind"),
                       ({"telegram": {"thanked": "no"}}, "bad_value"), ({"telegram": []}, "bad_value"),
                       ({"telegram": {"thanked": 0}}, "bad_value")):
        status, refused = block.call("notification_settings", "p0", body)
        assert (status, refused["code"]) == (400, code), body
    status, refused = block.call("notification_settings", "staff-as-p0", {"telegram": {"thanked": False}})
    assert (status, refused["code"]) == (403, "masquerade")
    assert block.ok("notification_settings", "staff-as-p0", {})["telegram"]["new_message"] is False
    status, refused = block.call("notification_settings", "anonymous", {"telegram": {"thanked": False}})
    assert status == 403
    assert list(NotificationSettings.objects.values_list("user_key", "telegram")) == before
    assert NotificationSettings.objects.get().user_key == "user:p0"


def test_the_page_has_the_notices_section(running):
    html = running.page("p0")
    assert "cc-notices" in html and "notices.js" in html


def _embedded_state(html):
    """The state the page embeds (script.cc-init)."""
    start = html.index('<script type="application/json" class="cc-init">') + len(
        '<script type="application/json" class="cc-init">')
    return json.loads(html[start:html.index("</script>", start)])["state"]


def test_the_page_leaves_the_notices_to_get_notices(running):
    """Issue 15: the page embeds the state without its notices part (a fifth of its queries);
    get_notices answers that part as get_state has it, and costs the same with one notice or many."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    block = running
    state = block.state("p0")
    assert state["notices"], "the start of the review period is a notice"
    embedded = _embedded_state(block.page("p0"))
    assert {key: embedded[key] for key in ("notices", "time_zone", "time_zone_reported", "telegram")} == dict.fromkeys(
        ("notices", "time_zone", "time_zone_reported", "telegram"))
    assert embedded["reviews"] and embedded["phase"] == "review"  # the rest is there
    assert block.ok("get_notices", "p0") == {key: state[key] for key in
                                             ("notices", "time_zone", "time_zone_reported", "telegram")}
    author = author_of(state["reviews"][0]["id"])
    with CaptureQueriesContext(connection) as one:
        before = block.ok("get_notices", author)["notices"]
    block.ok("submit_review", "p0", {**full_review(state, 0), "comment": "The layout breaks below 400 px."})
    for _ in range(3):  # more notices: the same queries
        block.ok("post_message", "p0", {"thread": state["reviews"][0]["id"], "text": "A question about your layout."})
    with CaptureQueriesContext(connection) as many:
        after = block.ok("get_notices", author)["notices"]
    assert len(after) > len(before) and len(one) == len(many), (len(before), len(after), len(one), len(many))
    assert_names_nobody(block, author, after)
    # A visitor (not signed in) has none; the handler takes no body but {}.
    assert block.ok("get_notices", "")["notices"] == []


TELEGRAM = {"BOT_TOKEN": "123456:TEST-token", "BOT_USERNAME": "crosscheck_test_bot",
            "API_URL": "http://127.0.0.1:9/bot", "WEBHOOK_SECRET": "s"}


def test_get_state_offers_telegram_only_when_it_is_set_up(make_block, settings, clock):
    block = make_block()
    assert block.state("p0")["telegram"] == {"enabled": False, "linked": False, "link": None, "bot": None}
    settings.CROSSCHECK_TELEGRAM = TELEGRAM
    part = block.state("p0")["telegram"]
    assert part["enabled"] and not part["linked"] and part["bot"] == "crosscheck_test_bot"
    assert part["link"].startswith("https://t.me/crosscheck_test_bot?start=")
    assert block.state("p0")["telegram"]["link"] == part["link"]  # reused, not a token per view
    assert block.state("p1")["telegram"]["link"] != part["link"]  # each learner's own
    assert block.state("staff-as-p0")["telegram"]["link"] is None  # staff viewing as p0: no link
    assert block.state("anonymous")["telegram"]["link"] is None
    token = part["link"].split("=", 1)[1]
    assert services.handle_update(
        {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": f"/start {token}",
                                     "chat": {"id": 42, "type": "private"}}}, clock(), reply=False) == "linked"
    assert block.state("p0")["telegram"] == {"enabled": True, "linked": True, "link": None,
                                             "bot": "crosscheck_test_bot"}
    status, refused = block.call("telegram_unlink", "staff-as-p0", {})
    assert (status, refused["code"]) == (403, "masquerade")
    answer = block.ok("telegram_unlink", "p0", {})
    assert answer["unlinked"] is True and answer["telegram"]["linked"] is False and answer["telegram"]["link"]
    assert block.ok("telegram_unlink", "p0", {})["unlinked"] is False


def test_the_notices_dates_follow_the_reported_time_zone(make_block, clock):
    block = make_block(DATES)
    assert block.state("p0")["time_zone"] == "" and block.state("p0")["time_zone_reported"] == ""
    clock.advance(hours=3)  # submission is open: N1 on the next sweep
    services.due_notices(clock())
    (opened,) = block.state("p0")["notices"]
    assert "6 March 2026, 10:00 UTC" in opened["text"]
    answer = block.ok("notification_settings", "p0", {"time_zone": "Europe/Moscow"})
    assert answer["time_zone"] == "Europe/Moscow"
    state = block.state("p0")
    assert (state["time_zone"], state["time_zone_reported"]) == ("Europe/Moscow", "Europe/Moscow")
    assert "6 March 2026, 13:00 (Europe/Moscow)" in state["notices"][0]["text"]
    status, refused = block.call("notification_settings", "p0", {"time_zone": "Nowhere/Land"})
    assert (status, refused["code"]) == (400, "bad_time_zone")
    assert block.ok("notification_settings", "p0", {"time_zone": ""})["time_zone"] == ""
    assert "UTC" in block.state("p0")["notices"][0]["text"]
