"""The demo data of the workbench, written through the block's services as learners would.

Three demos in the workbench's one course: twelve submitted works waiting for the start (the
click-through of the README); a cross-check under review in which most learners reviewed their
three works, two never did, and the social half is in use: conversations about reviews (prepared
phrases, answers, a staff post), a thanks for an item comment, and a complaint waiting for staff;
and a cross-check that ended last week with everyone's grade, so the course overview shows three
phases at once. Everything here is the demo's own invented text.
"""
import random
from datetime import timedelta

from crosscheck_xblock import schedule, services

from .services import anonymous_id

LEARNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
            "mallory", "oscar"]
# Two learners submitted but never review (their works still get reviews). Which two depends on the
# distribution (its seed is the task's secret): the last pair, from the end of LEARNERS, whose
# absence leaves alice two reviews and bob and carol one, so the conversations below have them.
ROLES = {"alice": 2, "bob": 1, "carol": 1}
NO_SHOW_COUNT = 2
EXTRA_REVIEWER = "dave"  # takes and submits an extra review of a no-show's work
SEED = 20261202  # the same demo on every machine

# What reviewers write when an item loses points (the default comment rule asks for it).
DEDUCTION_COMMENTS = [
    "At 375px the project cards overflow to the right; I had to scroll sideways.",
    "Two images have an empty alt attribute, so a screen reader says nothing for them.",
    "The menu does not turn into a burger below 768px; the links wrap onto three lines.",
    "The console shows a 404 for main.js.map and an uncaught TypeError on load.",
    "The README has the description but no link to the deployed page.",
    "The form accepts 'abc' as an e-mail address without any message.",
]
OVERALL_COMMENTS = [
    "A tidy page; the layout holds up well on a laptop screen.",
    "Nice work overall. The responsive part needs another pass.",
    "Clear structure and readable code; see the item comments for what is missing.",
]


def load_submitted(task, now) -> int:
    """Twelve learners submit their portfolio links (the README's click-through starts here)."""
    for name in LEARNERS:
        services.submit_work(task, anonymous_id(name), f"https://{name}-portfolio.example.com/", now, username=name)
    return len(LEARNERS)


def _form(task, rng: random.Random) -> dict:
    """A review: most items done, one or two lose points with a comment saying why."""
    scored = task.settings.checklist.scored_items
    subtasks = [item for item in scored if item.type == "subtask"]
    lost = {item.id for item in rng.sample(subtasks, rng.choice((1, 1, 2)))}
    items, comments = {}, {}
    for item in scored:
        if item.type == "penalty":
            items[item.id] = 0
        elif item.id in lost:
            items[item.id] = rng.choice((0, 0.5))
            comments[item.id] = rng.choice(DEDUCTION_COMMENTS)
        else:
            items[item.id] = 1
    return {"items": items, "item_comments": comments, "comment": rng.choice(OVERALL_COMMENTS),
            "best_work": rng.random() < 0.15}


def _url(name: str) -> str:
    return f"https://{name}-landing.example.net/"


def _no_shows(task, now) -> set[str]:
    """The learners who never review in this demo (see ROLES), read off each reviewer's works."""
    reviews = {name: {entry["url"] for entry in services.learner_state(task, anonymous_id(name), now)["reviews"]}
               for name in LEARNERS}
    candidates = [name for name in reversed(LEARNERS) if name not in ROLES]
    def left(author, absent):
        return sum(1 for reviewer, urls in reviews.items() if _url(author) in urls and reviewer not in absent)

    for index, first in enumerate(candidates):
        for second in candidates[index + 1:]:
            if all(left(author, (first, second)) >= need for author, need in ROLES.items()):
                return {first, second}
    return set()


def _sender(name: str) -> services.Sender:
    if name == "staff":
        return services.Sender(student_id=None, username="staff", is_staff=True)
    return services.Sender(student_id=anonymous_id(name), username=name)


def load_under_review(block, now) -> str:
    """Submissions, the start, reviews, conversations, a thanks and a complaint, spread over the
    last two days so the histories read in order."""
    rng = random.Random(SEED)
    start = now - timedelta(days=2)
    # Real dates, so the page counts down to the end and, past the middle of the review period,
    # the no-shows' works are offered as extra reviews (D4).
    block.submission_due = schedule.format_datetime(start)
    block.review_due = schedule.format_datetime(now + timedelta(days=1))
    block.mirror_due()
    block.save()
    task = block.live_task()
    for index, name in enumerate(LEARNERS):
        services.submit_work(task, anonymous_id(name), _url(name),
                             start - timedelta(hours=len(LEARNERS) - index), username=name)
    services.start_cross_check(task, start)
    task = block.live_task()
    no_shows = _no_shows(task, start)
    moment = start
    for name in LEARNERS:
        if name in no_shows:
            continue
        for review in services.learner_state(task, anonymous_id(name), moment)["reviews"]:
            moment += timedelta(minutes=37)
            services.submit_review(task, anonymous_id(name), review["id"], _form(task, rng), moment)

    subtasks = {item.id for item in task.settings.checklist.scored_items if item.type == "subtask"}

    def lost(entry) -> list[str]:
        return [item for item, value in entry["items"].items() if item in subtasks and value < 1]

    def received(name):
        return [entry for entry in services.learner_state(task, anonymous_id(name), moment)["received"]]

    def post(name, thread, text="", phrase=None):
        nonlocal moment
        moment += timedelta(minutes=23)
        return services.post_message(task, _sender(name), thread, text, phrase, moment)

    def reviewer_of(thread) -> str:
        staff_view = services.get_thread(task, _sender("staff"), thread, moment)
        return staff_view["reviewer"]

    # alice disputes two items of her first review; the reviewer re-checks and keeps one, with staff
    # joining in; her second reviewer is thanked for an item comment.
    first, second = received("alice")[:2]
    disputed = lost(first)[:2] or sorted(subtasks)[:1]
    thread = first["thread"]["id"]
    post("alice", thread, "The cards are generated from data.js; please open the page once more.",
         {"id": "points_mismatch", "items": disputed})
    post(reviewer_of(thread), thread, "I looked again on a phone: the overflow is still there, see the screenshot "
         "in my comment.", {"id": "rechecked_kept", "items": disputed})
    post("staff", thread, "Both of you are right about different widths: please check at exactly 375px.")
    post("alice", thread, "Thanks, I will fix it for the next task.")
    commented = [item for item, text in (second.get("item_comments") or {}).items() if text]
    services.rate_review(task, _sender("alice"), second["thread"]["id"],
                         {"kind": "thanks", "for": commented[0] if commented else "comment",
                          "note": "This one helped me find the bug."}, moment)
    # bob complains that points were taken off items his page has.
    complained = received("bob")[0]
    deducted = lost(complained)
    thread = complained["thread"]["id"]
    post("bob", thread, "", {"id": "items_work", "items": deducted})
    services.rate_review(task, _sender("bob"), thread,
                         {"kind": "complaint", "items": deducted,
                          "note": "The form does check the e-mail: try typing an address without '@'."}, moment)
    # carol asks a plain question; her reviewer has not answered yet (an unread post for them).
    post("carol", received("carol")[0]["thread"]["id"], "Which browser did you use for the console check?")
    # Past the middle of the period dave, done with his reviews, reviews one more work lacking
    # reviews (D4); alice and the others are offered one too.
    taken = now - timedelta(hours=1)
    token = services.take_extra_review(task, anonymous_id(EXTRA_REVIEWER), taken)
    services.submit_review(task, anonymous_id(EXTRA_REVIEWER), token, _form(task, rng), taken + timedelta(minutes=30))
    return no_shows


def load_graded(block, now) -> str:
    """A finished task: the twelve learners submitted ten days ago, everyone reviewed their three
    works, and the grades were written four days ago. Answers the grading's message."""
    rng = random.Random(SEED + 1)
    start = now - timedelta(days=9)
    # Its dates in the past, as a real finished task has them (the course overview orders by them).
    block.submission_due = schedule.format_datetime(start)
    block.review_due = schedule.format_datetime(start + timedelta(days=3))
    block.mirror_due()
    block.save()
    task = block.live_task()
    for index, name in enumerate(LEARNERS):
        services.submit_work(task, anonymous_id(name), f"https://{name}-personal.example.org/",
                             start - timedelta(days=1, hours=len(LEARNERS) - index), username=name)
    services.start_cross_check(task, start)
    task = block.live_task()
    moment = start
    for name in LEARNERS:
        for review in services.learner_state(task, anonymous_id(name), moment)["reviews"]:
            moment += timedelta(minutes=41)
            services.submit_review(task, anonymous_id(name), review["id"], _form(task, rng), moment)
    return services.complete_cross_check(task, now - timedelta(days=4))["message"]
