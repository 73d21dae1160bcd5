"""Anonymous conversations about a review through the handlers (issue 11, M1–M5)."""
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import services
from crosscheck_xblock.models import Assignment, Message, ThreadRead
from crosscheck_xblock.services.threads import reveals_identity

from .conftest import anon, full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FIVE = [f"p{i}" for i in range(5)]
# The clock fixture starts at 2026-03-02 10:00 UTC; the cross-check runs 03-03 10:00 → 03-05 10:00,
# the adjustment period ends 03-06 10:00.
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="1" '
         'reviews_per_work="2" grading_policy="mean"')


class Talk:
    """A running cross-check where `reviewer` has submitted a review of `author`'s work."""

    def __init__(self, block, clock):
        self.block, self.clock = block, clock
        block.submit_all(FIVE)
        clock.advance(days=1)
        self.reviewer = "p0"
        state = block.state("p0")
        block.ok("submit_review", "p0", full_review(state, 0))
        self.id = state["reviews"][0]["id"]
        assignment = Assignment.objects.select_related("work").get(token=self.id)
        self.author = assignment.work.username
        self.number = assignment.reviewer_number
        self.position = assignment.position
        self.others = [name for name in FIVE if name not in (self.author, self.reviewer)]
        self.items = [item["id"] for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")]

    def post(self, student, text="Hello", phrase=None, status=200):
        got, body = self.block.call("post_message", student, {"thread": self.id, "text": text, "phrase": phrase})
        assert got == status, body
        return body

    def read(self, student):
        return self.block.ok("get_thread", student, {"thread": self.id})

    def received(self, student=None):
        state = self.block.state(student or self.author)
        return next(entry for entry in state["received"] if entry["thread"]["id"] == self.id), state


@pytest.fixture
def talk(make_block, clock):
    return Talk(make_block(DATES), clock)


def test_a_thread_opens_with_the_first_review_version(talk):
    state = talk.block.state("p0")
    assert state["reviews"][0]["thread"] == {"id": talk.id, "unread": 0, "can_post": True}
    assert state["reviews"][1]["thread"] is None  # not reviewed yet: no thread
    status, body = talk.block.call("get_thread", "p0", {"thread": state["reviews"][1]["id"]})
    assert (status, body["code"]) == (404, "unknown_thread")
    entry, author_state = talk.received()
    assert entry["thread"] == {"id": talk.id, "unread": 0, "can_post": True}
    assert author_state["unread_messages"] == 0


def test_posts_are_anonymous_and_unread_counts_clear_on_reading(talk):
    answer = talk.post(talk.reviewer, "Please look at the tests again.")
    assert [m["from"] for m in answer["messages"] if m["kind"] == "message"] == ["You"]
    entry, state = talk.received()
    assert entry["thread"]["unread"] == 1 and state["unread_messages"] == 1
    thread = talk.read(talk.author)
    message = thread["messages"][-1]
    assert message == {"kind": "message", "from": f"Reviewer {talk.number}", "mine": False,
                       "text": "Please look at the tests again.", "removed": False, "phrase": None,
                       "created_at": message["created_at"]}
    assert thread["notice"] == "Course staff can read this conversation."
    entry, state = talk.received()
    assert entry["thread"]["unread"] == 0 and state["unread_messages"] == 0

    talk.post(talk.author, "Done, thanks.")
    reviewer_state = talk.block.state(talk.reviewer)
    assert reviewer_state["reviews"][0]["thread"]["unread"] == 1 and reviewer_state["unread_messages"] == 1
    seen = talk.read(talk.reviewer)
    assert [(m["from"], m["mine"]) for m in seen["messages"] if m["kind"] == "message"] == [
        ("You", True), (f"Work {talk.position}", False)]
    assert talk.block.state(talk.reviewer)["unread_messages"] == 0


def test_no_learner_payload_names_anyone(talk):
    talk.post(talk.reviewer, "Checked item 2 again.")
    talk.post(talk.author, "Thanks!", {"id": "points_mismatch", "items": talk.items[:1]})
    talk.post("staff", "Staff here.")
    payloads = [talk.read(talk.author), talk.read(talk.reviewer), talk.block.state(talk.author),
                talk.block.state(talk.reviewer), talk.post(talk.author, "More."), talk.post(talk.reviewer, "Ok.")]
    for payload in payloads:
        text = json.dumps(payload)
        assert '"username"' not in text
        for name in FIVE + ["staff"]:
            assert anon(name) not in text
        for name in (talk.author, talk.reviewer, "staff"):
            assert f'"{name}"' not in text
    staff_messages = [m for m in talk.read(talk.author)["messages"] if m["kind"] == "message"]
    assert [m["from"] for m in staff_messages] == [f"Reviewer {talk.number}", "You", "Course staff", "You",
                                                   f"Reviewer {talk.number}"]


@pytest.mark.parametrize("text", ["I am {name}, hi", "ping {NAME}!", "mail {name}@example.com"])
def test_a_post_that_reveals_its_sender_is_refused(talk, text):
    before = table_snapshot()
    status, body = talk.block.call("post_message", talk.reviewer, {
        "thread": talk.id, "text": text.format(name=talk.reviewer, NAME=talk.reviewer.upper())})
    assert (status, body["code"]) == (400, "bad_message")
    assert "who you are" in body["error"]
    assert table_snapshot() == before


def test_the_identity_check_matches_whole_words_and_emails():
    assert reveals_identity("Hi, I'm Ann.", "ann", "")
    assert not reveals_identity("planning the work", "ann", "")
    assert reveals_identity("write to ANN@Example.org", "", "ann@example.org")
    assert not reveals_identity("anything", "", "")


def test_phrases_per_side_rendered_with_item_names(talk):
    thread = talk.read(talk.author)
    assert [p["id"] for p in thread["phrases"]] == ["items_work", "points_mismatch"]
    assert [p["id"] for p in talk.read(talk.reviewer)["phrases"]] == ["rechecked_changed", "rechecked_kept"]
    answer = talk.post(talk.author, "", {"id": "items_work", "items": talk.items[:2]})
    phrase = answer["messages"][-1]["phrase"]
    assert phrase["id"] == "items_work" and phrase["items"] == talk.items[:2]
    assert phrase["text"].startswith("Items “") and phrase["text"].endswith(" work, please re-check.")
    assert talk.items[0] not in phrase["text"]  # item texts, not ids
    assert answer["messages"][-1]["text"] == ""


@pytest.mark.parametrize("student, body, status, code", [
    ("p0", {"thread": "0" * 24, "text": "x"}, 404, "unknown_thread"),
    ("p0", {"thread": "NOT-A-TOKEN", "text": "x"}, 404, "unknown_thread"),
    ("p0", {"thread": None, "text": "x"}, 404, "unknown_thread"),
    ("other", {"text": "x"}, 404, "unknown_thread"),
    ("p0", {"text": ""}, 400, "bad_message"),
    ("p0", {"text": "   "}, 400, "bad_message"),
    ("p0", {"text": 5}, 400, "bad_message"),
    ("p0", {"text": "x" * 5001}, 400, "bad_message"),
    ("p0", {"text": "x", "phrase": "items_work"}, 400, "bad_message"),
    ("p0", {"text": "x", "phrase": {"id": "items_work", "items": ["c2"]}}, 400, "unknown_phrase"),
    ("p0", {"text": "x", "phrase": {"id": "nope", "items": ["c2"]}}, 400, "unknown_phrase"),
    ("p0", {"text": "x", "phrase": {"id": "rechecked_kept", "items": []}}, 400, "bad_message"),
    ("p0", {"text": "x", "phrase": {"id": "rechecked_kept", "items": ["nope"]}}, 400, "unknown_item"),
])
def test_bad_posts_are_refused_and_change_nothing(talk, student, body, status, code):
    student = talk.others[0] if student == "other" else student
    body = {"thread": talk.id, **body}
    before = table_snapshot()
    got, answer = talk.block.call("post_message", student, body)
    assert (got, answer["code"]) == (status, code), answer
    assert answer["error"]
    assert table_snapshot() == before


def test_a_text_of_5000_characters_is_taken(talk):
    assert talk.post(talk.reviewer, "y" * 5000)["messages"][-1]["text"] == "y" * 5000


def test_only_participants_and_staff_read_a_thread(talk):
    for name in talk.others:
        status, body = talk.block.call("get_thread", name, {"thread": talk.id})
        assert (status, body["code"]) == (404, "unknown_thread")
    status, body = talk.block.call("staff_threads", talk.author)
    assert (status, body["code"]) == (403, "staff_only")


def test_staff_read_with_usernames_and_post_as_course_staff(talk):
    talk.post(talk.reviewer, "From the reviewer.")
    thread = talk.read("staff")
    assert thread["author"] == talk.author and thread["reviewer"] == talk.reviewer
    message = thread["messages"][-1]
    assert (message["from"], message["username"]) == (f"Reviewer {talk.number}", talk.reviewer)
    listed = talk.block.ok("staff_threads", "staff")["threads"]
    assert [t["thread"] for t in listed] == [talk.id]
    assert listed[0]["author"] == talk.author and listed[0]["reviewer"] == talk.reviewer
    assert listed[0]["messages"] == 1 and listed[0]["unread"] == 0  # staff read it above
    talk.post(talk.author, "From the author.")
    assert talk.block.ok("staff_threads", "staff")["threads"][0]["unread"] == 1
    answer = talk.post("staff", "Staff: both fine.")
    assert answer["messages"][-1]["username"] == "staff" and answer["messages"][-1]["mine"] is True
    assert talk.block.ok("staff_threads", "staff")["threads"][0]["unread"] == 0
    for learner in (talk.author, talk.reviewer):
        last = talk.read(learner)["messages"][-1]
        assert last["from"] == "Course staff" and "username" not in last


def test_staff_viewing_as_a_learner_read_without_marking_and_cannot_post(talk):
    talk.post(talk.reviewer, "Hello")
    masquerade = f"staff-as-{talk.author}"
    assert talk.block.ok("get_thread", masquerade, {"thread": talk.id})["messages"][-1]["from"].startswith("Reviewer")
    assert talk.received()[0]["thread"]["unread"] == 1
    status, body = talk.block.call("post_message", masquerade, {"thread": talk.id, "text": "x"})
    assert (status, body["code"]) == (403, "masquerade")


def test_flood_limit_per_thread_and_sender(talk):
    for number in range(20):
        talk.post(talk.reviewer, f"Post {number}")
    status, body = talk.block.call("post_message", talk.reviewer, {"thread": talk.id, "text": "one more"})
    assert (status, body["code"]) == (429, "too_many_messages")
    assert Message.objects.count() == 20
    talk.post(talk.author, "The other side may still answer.")
    talk.clock.advance(hours=24, seconds=1)
    talk.post(talk.reviewer, "A day later.")


def test_a_thread_closes_with_the_adjustment_period_and_stays_readable(talk):
    talk.post(talk.reviewer, "Before the end.")
    talk.clock.advance(days=2, hours=1)  # in the adjustment period: still open
    talk.post(talk.author, "In the adjustment period.")
    talk.clock.advance(days=1)  # past closes
    status, body = talk.block.call("post_message", talk.author, {"thread": talk.id, "text": "Too late"})
    assert (status, body["code"]) == (409, "thread_closed")
    thread = talk.read(talk.reviewer)
    assert thread["can_post"] is False and thread["phrases"] == []
    assert [m["text"] for m in thread["messages"] if m["kind"] == "message"] == [
        "Before the end.", "In the adjustment period."]
    assert talk.block.state(talk.reviewer)["reviews"][0]["thread"]["can_post"] is False


def test_review_versions_are_interleaved_in_the_history(talk):
    talk.clock.advance(minutes=5)
    talk.post(talk.author, "Item 2 works.")
    talk.clock.advance(minutes=5)
    state = talk.block.state(talk.reviewer)
    talk.block.ok("submit_review", talk.reviewer, full_review(state, 0, value=0.5))
    for student in (talk.author, talk.reviewer):
        kinds = [(m["kind"], m.get("version")) for m in talk.read(student)["messages"]]
        assert kinds == [("review_version", 1), ("message", None), ("review_version", 2)]


def test_get_thread_queries_do_not_grow_with_posts(talk):
    def cost():
        with CaptureQueriesContext(connection) as queries:
            talk.read(talk.author)
        return len(queries)

    talk.post(talk.reviewer, "one")
    cost()  # the first reading adds the author's read marker; later ones update it
    few = cost()
    for number in range(10):
        talk.post(talk.reviewer if number % 2 else talk.author, f"post {number}")
    assert cost() == few
    # Most are the workbench's field storage (see test_queries.py; +4: the extra-review and
    # calibration settings, +1: the submission start).
    assert few <= 35


def test_retirement_empties_a_retired_learners_posts(talk):
    talk.post(talk.author, "My name is in here somewhere.")
    talk.post(talk.reviewer, "Reviewer text stays.")
    assert services.forget_username(talk.author) >= 2
    messages = [m for m in talk.read(talk.reviewer)["messages"] if m["kind"] == "message"]
    assert [(m["text"], m["removed"]) for m in messages] == [("", True), ("Reviewer text stays.", False)]
    assert ThreadRead.objects.exists()
