"""The anonymous conversation about a review in a real browser (issue 11): the author writes to a
reviewer with a prepared phrase naming two items, the reviewer sees the unread marker, reads and
answers, course staff read and answer every thread in their Conversations tab. Then (F1–F4) the
author thanks for an item's comment, another author complains about two deductions, and staff
settle the complaint in the Appeals tab; both learners see the outcome. Nobody sees another
learner's username; the panel, the staff tab and the complaints pass axe in English and Russian.

The reviews themselves are submitted through the API (the review form has its own tests): only
the conversation, the thanks and the complaint are driven through the page. Thanks and complaints
are taken during the cross-check. At the end staff move the cross-check end into the past with a
day of adjustment (T6): the reviewer corrects the disputed points on the page and says so with a
prepared phrase; the author sees the new version and the phrase in the same history.
"""
import os
import re
import secrets
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from unittest import mock

from playwright.sync_api import expect

from crosscheck_xblock.block import CrossCheckXBlock

from .test_flow import (
    assert_names_absent,
    expect_tab,
    handler_response,
    init_state,
    open_block,
    open_tab,
    screenshot,
    set_item,
)


def scenario_number(name: str) -> int:
    """The workbench's number of a scenario (crosscheck.N), found by its name: the scenarios
    before it may change."""
    with mock.patch.dict(os.environ, {"CROSSCHECK_TEST_SCENARIOS": "1"}):
        return [title for title, _xml in CrossCheckXBlock.workbench_scenarios()].index(name)


TASK = scenario_number("Cross-check: conversation test")  # k = 2, max 100 (conftest's CROSSCHECK_TEST_SCENARIOS)
LEARNERS = [f"t{n}-{secrets.token_hex(2)}" for n in range(1, 4)]
PHASE_SUBMISSION = "Submission is open."
PHASE_REVIEW = "The cross-check is running: review the works assigned to you."
PHASE_ADJUSTMENT = ("The cross-check has ended. Until the adjustment period ends you may correct the points of "
                    "reviews you submitted; new reviews are not accepted.")
PHASE_REVIEW_RU = "Кросс-чек идёт: проверьте назначенные вам работы."

# Run in the page: a handler of the block as the page's learner (`?student=` is in the page's URL).
API = """async ([handler, body]) => {
    const usage = document.querySelector('[data-usage]').getAttribute('data-usage');
    const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
    const response = await fetch(`/handler/${usage}/${handler}/${location.search}`, {
        method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
        body: JSON.stringify(body)});
    return {status: response.status, body: await response.json()};
}"""


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def api(page, handler: str, body: dict) -> dict:
    answer = page.evaluate(API, [handler, body])
    assert answer["status"] == 200, answer
    return answer["body"]


def submit_reviews(page, state: dict):
    """Every assigned review: all done but c2 and c3 (0 points, with the comments the rule asks)."""
    scored = [item["id"] for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")]
    for review in state["reviews"]:
        items = {item_id: (0 if item_id in ("c2", "c3", "c15", "c16") else 1) for item_id in scored}
        api(page, "submit_review", {"review_id": review["id"], "items": items,
                                    "item_comments": {"c2": "The header is missing.", "c3": "No semantic tags at all."},
                                    "comment": "Good start, two items missing.", "best_work": False})


def test_conversation_between_author_reviewer_and_staff(workbench, context, context_ru, audit, artifacts):
    page = context.new_page()
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        with handler_response(page, "submit_work") as response:
            page.locator(".cc-submit-form input[name=url]").fill(f"https://w{secrets.token_hex(4)}.example.org/")
            page.locator(".cc-submit-form button[type=submit]").click()
        assert response.value.status == 200
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    with handler_response(staff, "staff_start") as response:
        staff.locator("button.cc-staff_start").click()
    assert response.value.status == 200
    assigned = {}
    for name in LEARNERS:
        state = open_block(page, workbench.scenario(TASK, name), PHASE_REVIEW)
        assigned[name] = {review["id"] for review in state["reviews"]}
        submit_reviews(page, state)
    author = LEARNERS[0]
    others = LEARNERS[1:]

    # ---- the author opens the conversation of a received review and posts a phrase naming two items
    state = open_block(page, workbench.scenario(TASK, author), PHASE_REVIEW)
    assert all(entry["thread"] for entry in state["received"])
    open_tab(page, "feedback")
    received = page.locator(".cc-received .cc-received-review").first
    toggle = received.locator("button.cc-thread-toggle")
    thread_id = toggle.get_attribute("data-thread")
    reviewer = next(name for name in others if thread_id in assigned[name])
    expect(toggle).to_have_text("Conversation")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    with handler_response(page, "get_thread") as response:
        toggle.click()
    assert response.value.status == 200
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = received.locator(".cc-thread")
    expect(panel).to_have_attribute("role", "region")
    expect(panel.locator(".cc-thread-notice")).to_have_text("Course staff can read this conversation.")
    expect(panel.locator(".cc-entry-version")).to_have_count(1)  # the review's first version
    form = panel.locator("form.cc-thread-form")
    # Nothing to send: refused on the page, said in the live region by the form.
    form.locator("button.cc-thread-send").click()
    expect(form.locator(".cc-thread-error")).to_have_text("Write a message, or choose a prepared phrase.")
    # The server refuses a text that names its sender; the error is shown, the text is kept.
    form.locator("textarea.cc-thread-text").fill(f"Hi, I am {author}.")
    with handler_response(page, "post_message") as response:
        form.locator("button.cc-thread-send").click()
    assert response.value.status == 400
    expect(form.locator(".cc-thread-error")).to_contain_text("The message contains your username")
    expect(form.locator("textarea.cc-thread-text")).to_have_value(f"Hi, I am {author}.")
    expect(form.locator(".cc-thread-error")).to_have_attribute("role", "alert")
    # A prepared phrase naming two items, and a message.
    form.locator("select.cc-thread-phrase").select_option("points_mismatch")
    items = form.locator("fieldset.cc-thread-items")
    expect(items).to_be_visible()
    form.locator("button.cc-thread-send").click()
    expect(form.locator(".cc-thread-error")).to_have_text("Tick the checklist items the phrase names.")
    items.locator('input[value="c2"]').check()
    items.locator('input[value="c3"]').check()
    form.locator("textarea.cc-thread-text").fill("The header is there: <b>see the top</b>.")
    with handler_response(page, "post_message") as response:
        form.locator("button.cc-thread-send").click()
    assert response.value.status == 200
    mine = panel.locator(".cc-entry-message")
    expect(mine).to_have_count(1)
    expect(mine.locator(".cc-entry-from")).to_have_text("You")
    expect(mine.locator(".cc-entry-phrase")).to_contain_text("The points for items “The page has a header")
    expect(mine.locator(".cc-entry-text")).to_have_text("The header is there: <b>see the top</b>.")  # text, not markup
    expect(panel.locator("textarea.cc-thread-text")).to_have_value("")
    expect(panel.locator("textarea.cc-thread-text")).to_be_focused()
    assert_names_absent(page, [name for name in LEARNERS if name != author], "author's conversation")
    screenshot(page, artifacts / "learner-conversation.png")
    audit(page, "en-conversation-author")

    # ---- the reviewer sees the unread marker, reads (the marker goes away) and answers
    state = open_block(page, workbench.scenario(TASK, reviewer), PHASE_REVIEW)
    assert state["unread_messages"] == 1
    expect_tab(page, "reviews")  # the tab with the new post
    reviews_tab = page.locator('.crosscheck [role=tab][data-tab="reviews"] .cc-tab-badge')
    expect(reviews_tab).to_have_text("2 of 2, 1 new message")
    open_tab(page, "reviews")
    pick = page.locator(f'.cc-work-pick[data-review="{thread_id}"]')
    expect(pick.locator(".cc-work-pick-unread")).to_have_text("1 new message")
    pick.click()
    work = page.locator(f'.cc-reviews .cc-work[data-review="{thread_id}"]')
    toggle = work.locator("button.cc-thread-toggle")
    expect(toggle).to_have_text("Conversation (1 new)")
    with handler_response(page, "get_thread"):
        toggle.click()
    expect(toggle).to_have_text("Conversation")
    expect(reviews_tab).to_have_text("2 of 2")
    expect(pick.locator(".cc-work-pick-unread")).to_have_count(0)
    panel = work.locator(".cc-thread")
    theirs = panel.locator(".cc-entry-message")
    assert theirs.locator(".cc-entry-from").first.text_content().startswith("Work ")
    expect(theirs.locator(".cc-entry-text")).to_have_text("The header is there: <b>see the top</b>.")
    form = panel.locator("form.cc-thread-form")
    form.locator("select.cc-thread-phrase").select_option("rechecked_kept")
    form.locator('fieldset.cc-thread-items input[value="c2"]').check()
    form.locator("textarea.cc-thread-text").fill("I looked again at a narrow screen: no header there.")
    with handler_response(page, "post_message") as response:
        form.locator("button.cc-thread-send").click()
    assert response.value.status == 200
    expect(panel.locator(".cc-entry-message")).to_have_count(2)
    expect(panel.locator(".cc-entry-mine .cc-entry-from")).to_have_text("You")
    assert_names_absent(page, [name for name in LEARNERS if name != reviewer], "reviewer's conversation")
    # The read marker is the server's: a reload shows nothing new.
    state = open_block(page, workbench.scenario(TASK, reviewer), PHASE_REVIEW)
    assert state["unread_messages"] == 0

    # ---- the author sees the answer as new; the conversation passes axe in Russian too
    state = open_block(page, workbench.scenario(TASK, author), PHASE_REVIEW)
    assert state["unread_messages"] == 1
    expect(page.locator('.crosscheck [role=tab][data-tab="feedback"] .cc-tab-badge')).to_have_text("2, 1 new message")
    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(TASK, author), PHASE_REVIEW_RU)
    open_tab(ru, "feedback")
    ru_toggle = ru.locator(f'.cc-received button.cc-thread-toggle[data-thread="{thread_id}"]')
    expect(ru_toggle).to_have_text("Переписка (1 новое)")
    ru_toggle.click()
    expect(ru.locator(".cc-received .cc-thread .cc-entry-message")).to_have_count(2)
    expect(ru.locator(".cc-received .cc-thread-notice")).to_have_text("Команда курса может читать эту переписку.")
    assert_names_absent(ru, [name for name in LEARNERS if name != author], "author's conversation (ru)")
    audit(ru, "ru-conversation-author")

    # ---- staff: the Conversations tab, each thread with both usernames; staff answer
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_REVIEW)
    tab_badge = staff.locator('.crosscheck [role=tab][data-tab="threads"] .cc-tab-badge')
    expect(tab_badge).to_have_text("2 new messages")
    open_tab(staff, "threads")
    expect(staff.locator(".cc-threads-unread")).to_have_text("2 messages from learners are unread by course staff.")
    table = staff.locator(".cc-threads-table")
    expect(table.locator("tbody tr")).to_have_count(len(LEARNERS) * 2)
    row = table.locator(f'tbody tr[data-thread="{thread_id}"]')
    expect(row).to_contain_text(author)
    expect(row).to_contain_text(reviewer)
    expect(row.locator(".cc-thread-unread")).to_have_text("2")
    staff.locator(".cc-staff-threads input.cc-filter-input").fill(reviewer)
    expect(table.locator("tbody tr:visible")).not_to_have_count(len(LEARNERS) * 2)
    with handler_response(staff, "get_thread"):
        row.locator("button.cc-thread-open").click()
    detail = staff.locator(".cc-staff-thread")
    expect(detail).to_be_focused()
    expect(detail.locator("h4")).to_contain_text(author)
    expect(detail.locator(".cc-entry-message .cc-entry-from")).to_have_text([
        f"Author ({author})", detail.locator(".cc-entry-message .cc-entry-from").nth(1).text_content()])
    assert reviewer in detail.locator(".cc-entry-message .cc-entry-from").nth(1).text_content()
    expect(tab_badge).to_have_text("")
    expect(staff.locator(".cc-threads-unread")).to_have_text("No unread messages.")
    expect(row.locator(".cc-thread-unread")).to_have_text("0")
    detail.locator("textarea.cc-thread-text").fill("Please both look at the page at 375px.")
    with handler_response(staff, "post_message") as response:
        detail.locator("button.cc-thread-send").click()
    assert response.value.status == 200
    expect(detail.locator(".cc-entry-mine .cc-entry-from")).to_have_text("Course staff (staff)")
    expect(row.locator(".cc-thread-count")).to_have_text("3")
    screenshot(staff, artifacts / "staff-conversations.png")
    audit(staff, "en-staff-conversations")
    staff_ru = context_ru.new_page()
    open_block(staff_ru, workbench.scenario(TASK, "staff"), PHASE_REVIEW_RU)
    open_tab(staff_ru, "threads")
    staff_ru.locator(f'.cc-threads-table tr[data-thread="{thread_id}"] button.cc-thread-open').click()
    expect(staff_ru.locator(".cc-staff-thread .cc-entry-message")).to_have_count(3)
    audit(staff_ru, "ru-staff-conversations")

    # ---- the learners see the staff post as "Course staff"
    open_block(page, workbench.scenario(TASK, reviewer), PHASE_REVIEW)
    expect_tab(page, "reviews")  # the tab with the new post
    page.locator(f'.cc-work-pick[data-review="{thread_id}"]').click()
    toggle = page.locator(f'.cc-reviews .cc-work[data-review="{thread_id}"] button.cc-thread-toggle')
    expect(toggle).to_have_text("Conversation (1 new)")
    toggle.click()
    expect(page.locator(f'.cc-reviews .cc-work[data-review="{thread_id}"] .cc-entry-message .cc-entry-from').last
           ).to_have_text("Course staff")
    assert_names_absent(page, [name for name in LEARNERS if name != reviewer], "reviewer's page")
    assert init_state(page)["unread_messages"] == 1  # the page's first state; the server's is 0 now

    # ---- thanks and complaints (F1–F4): the author thanks for an item's comment
    open_block(page, workbench.scenario(TASK, author), PHASE_REVIEW)
    open_tab(page, "feedback")
    review = page.locator(f'.cc-received-review[data-thread="{thread_id}"]')
    expect(review.locator(".cc-rate-hint")).to_be_visible()
    review.locator("button.cc-thank-comment").click()  # beside the overall comment: opens the thread there
    rate = review.locator(".cc-thread .cc-rate")
    expect(rate.locator('button.cc-thanks-send[data-for="comment"]')).to_be_focused()
    expect(rate).to_contain_text("Thanks are for a comment that helped you, not for the points")
    expect(rate).to_contain_text("A complaint is not an appeal of your grade")
    expect(rate.locator("button.cc-thanks-send")).to_have_count(3)  # the overall comment, c2 and c3
    rate.locator("textarea.cc-thanks-note").fill("This made me look at the header again.")
    with handler_response(page, "rate_review") as response:
        rate.locator('button.cc-thanks-send[data-for="c2"]').click()
    assert response.value.status == 200
    thanks = review.locator(".cc-thread .cc-entry-thanks")
    expect(thanks).to_have_count(1)
    expect(thanks.locator(".cc-entry-rating")).to_contain_text(
        "Thank you for the useful comment on “The page has a header")
    expect(thanks.locator(".cc-entry-note")).to_have_text("This made me look at the header again.")
    expect(review.locator(".cc-thread")).to_be_focused()
    expect(review.locator(".cc-thanks-why")).to_have_text(
        "You have already thanked this reviewer for this version of the review.")
    expect(review.locator("button.cc-thank-comment")).to_have_count(0)
    expect(review.locator(".cc-rated-list .cc-rated-thanks")).to_contain_text(
        "You thanked the reviewer for the comment on")
    screenshot(page, artifacts / "learner-conversation-thanks.png")
    audit(page, "en-conversation-thanks")
    assert_names_absent(page, [name for name in LEARNERS if name != author], "author's page after thanks")

    # ---- another author complains about deducted items of one of their reviews
    other = others[0]
    open_block(page, workbench.scenario(TASK, other), PHASE_REVIEW)
    open_tab(page, "feedback")
    review = page.locator(".cc-received-review").first
    complaint_thread = review.get_attribute("data-thread")
    review.locator("button.cc-thread-toggle").click()
    form = review.locator("form.cc-complaint-form")
    expect(form.locator("input[name=cc-complaint-item]")).to_have_count(2)  # c2 and c3 lost points
    form.locator("button.cc-complaint-send").click()  # refused on the page: nothing ticked
    expect(review.locator(".cc-rate-error")).to_have_text("Tick the items whose points were taken without reason.")
    form.locator('input[value="c2"]').check()
    form.locator('input[value="c3"]').check()
    form.locator("textarea.cc-complaint-note").fill("Both are on the page, see the top and the source.")
    with handler_response(page, "rate_review") as response:
        form.locator("button.cc-complaint-send").click()
    assert response.value.status == 200
    entry = review.locator(".cc-thread .cc-entry-complaint")
    expect(entry.locator(".cc-entry-rating")).to_contain_text("are not justified")
    expect(entry.locator(".cc-entry-outcome")).to_have_text("Waiting for course staff to look at this complaint.")
    expect(review.locator(".cc-complaint-why")).to_have_text(
        "You have already complained about this version of the review.")
    expect(review.locator(".cc-rated-list .cc-rated-complaint")).to_contain_text("waiting for course staff")
    assert_names_absent(page, [name for name in LEARNERS if name != other], "complaining author's page")
    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(TASK, other), PHASE_REVIEW_RU)
    open_tab(ru, "feedback")
    ru.locator(f'.cc-received-review[data-thread="{complaint_thread}"] button.cc-thread-toggle').click()
    expect(ru.locator(".cc-received .cc-thread .cc-entry-complaint")).to_have_count(1)
    audit(ru, "ru-conversation-complaint")

    # ---- the reviewer thanked sees it beside their review
    open_block(page, workbench.scenario(TASK, reviewer), PHASE_REVIEW)
    open_tab(page, "reviews")
    page.locator(f'.cc-work-pick[data-review="{thread_id}"]').click()
    expect(page.locator(f'.cc-reviews .cc-work[data-review="{thread_id}"] .cc-rated-thanks')).to_contain_text(
        "The author thanked you for the comment on")

    # ---- staff read both threads and settle the complaint in the appeals tab
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_REVIEW)
    expect(staff.locator('.crosscheck [role=tab][data-tab="appeals"] .cc-tab-badge')).to_have_text("1")
    open_tab(staff, "threads")
    for token, kind in ((thread_id, "thanks"), (complaint_thread, "complaint")):
        staff.locator(f'.cc-threads-table tr[data-thread="{token}"] button.cc-thread-open').click()
        expect(staff.locator(f".cc-staff-thread .cc-entry-{kind}")).to_have_count(1)
    open_tab(staff, "appeals")
    block = staff.locator(f'.cc-complaint[data-learner^="{other} "]')
    expect(block).to_have_class(re.compile(r"cc-complaint-pending"))
    expect(block).to_contain_text("Both are on the page")
    audit(staff, "en-staff-complaints")
    staff_ru.reload()
    open_tab(staff_ru, "appeals")
    expect(staff_ru.locator(".cc-complaint")).to_have_count(1)
    audit(staff_ru, "ru-staff-complaints")
    block.locator("textarea.cc-complaint-comment").fill("The header is there at every width.")
    with handler_response(staff, "staff_settle_complaint") as response:
        block.locator("button.cc-complaint-uphold").click()
    assert response.value.status == 200
    expect(staff.locator(".cc-staff-appeals .cc-ok")).to_contain_text("Complaint upheld")
    expect(staff.locator(".cc-complaint-upheld")).to_have_count(1)
    expect(staff.locator('.crosscheck [role=tab][data-tab="appeals"] .cc-tab-badge')).to_have_text("")
    # The thread link of a complaint opens it in the Conversations tab.
    staff.locator(".cc-complaint button.cc-complaint-thread").click()
    expect_tab(staff, "threads")
    expect(staff.locator(".cc-staff-thread .cc-entry-complaint .cc-entry-outcome")).to_contain_text("upheld")
    screenshot(staff, artifacts / "staff-complaint-thread.png")

    # ---- the complaining author sees the verdict
    open_block(page, workbench.scenario(TASK, other), PHASE_REVIEW)
    open_tab(page, "feedback")
    review = page.locator(f'.cc-received-review[data-thread="{complaint_thread}"]')
    expect(review.locator(".cc-rated-complaint")).to_contain_text("upheld by course staff")
    review.locator("button.cc-thread-toggle").click()
    expect(review.locator(".cc-entry-complaint .cc-entry-outcome")).to_contain_text(
        "Course staff upheld this complaint")
    expect(review.locator(".cc-entry-complaint .cc-entry-staff-comment")).to_have_text(
        "Course staff: The header is there at every width.")
    assert_names_absent(page, [name for name in LEARNERS if name != other], "author after the verdict")

    # ---- the adjustment period (T6): staff move the end into the past with a day of adjustment;
    # the reviewer corrects the points the author disputed and says so with a phrase.
    now = datetime.now(UTC)
    values = {"submission_due": iso(now - timedelta(hours=3)), "review_start": iso(now - timedelta(hours=2)),
              "review_due": iso(now - timedelta(minutes=5)), "adjustment_days": 1}
    api(staff, "studio_submit", {"values": values})
    open_block(page, workbench.scenario(TASK, reviewer), PHASE_ADJUSTMENT)
    open_tab(page, "reviews")
    page.locator(f'.cc-work-pick[data-review="{thread_id}"]').click()
    work = page.locator(f'.cc-reviews .cc-work[data-review="{thread_id}"]')
    work.locator("details.cc-edit-review > summary").click()  # "Correct the points of this review"
    form = work.locator("form.cc-review-form")
    expect(form).to_contain_text("you may correct the points of this review")
    set_item(form.locator('.cc-item[data-item="c2"]'), "subtask", Fraction(1))
    with handler_response(page, "submit_review") as response:
        form.locator("button[type=submit]").click()
    assert response.value.status == 200, response.value.text()
    state = open_block(page, workbench.scenario(TASK, reviewer), PHASE_ADJUSTMENT)
    corrected = next(review for review in state["reviews"] if review["id"] == thread_id)
    assert len(corrected["history"]) == 2 and corrected["latest"]["items"]["c2"] == 1
    open_tab(page, "reviews")
    page.locator(f'.cc-work-pick[data-review="{thread_id}"]').click()
    work.locator("button.cc-thread-toggle").click()
    panel = work.locator(".cc-thread")
    talk = panel.locator("form.cc-thread-form")
    talk.locator("select.cc-thread-phrase").select_option("rechecked_changed")
    talk.locator('fieldset.cc-thread-items input[value="c2"]').check()
    with handler_response(page, "post_message") as response:
        talk.locator("button.cc-thread-send").click()
    assert response.value.status == 200
    expect(panel.locator(".cc-entry-version")).to_have_count(2)  # the corrected version in the history
    expect(panel.locator(".cc-entry-message").last.locator(".cc-entry-phrase")).to_contain_text(
        "I re-checked items “The page has a header")
    # The author sees the correction and the phrase in the same history.
    open_block(page, workbench.scenario(TASK, author), PHASE_ADJUSTMENT)
    open_tab(page, "feedback")
    toggle = page.locator(f'.cc-received button.cc-thread-toggle[data-thread="{thread_id}"]')
    toggle.click()
    thread = page.locator(f'.cc-received-review[data-thread="{thread_id}"] .cc-thread')
    expect(thread.locator(".cc-entry-version")).to_have_count(2)
    expect(thread.locator(".cc-entry-message").last.locator(".cc-entry-from")).to_have_text(re.compile(r"Reviewer \d"))
    assert_names_absent(page, [name for name in LEARNERS if name != author], "author in the adjustment period")
    audit(page, "en-conversation-adjustment")
