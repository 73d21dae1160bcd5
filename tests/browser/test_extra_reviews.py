"""Extra reviews in a real browser (issue 13, D4): one of five learners never reviews; past the
middle of the review period a learner who finished is offered one more work, takes it on the
page, fills the checklist there and submits it; the work's author then has k reviews. The offer,
the lease note and the badge pass axe in English; the offer reads in Russian too; no learner's
name is on the taker's page.
"""
import secrets
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from playwright.sync_api import expect

from .test_conversations import PHASE_REVIEW, PHASE_REVIEW_RU, PHASE_SUBMISSION, api, iso, scenario_number
from .test_flow import assert_names_absent, handler_response, open_block, open_tab, set_item

TASK = scenario_number("Cross-check: extra review test")  # k = 2, mean
LEARNERS = [f"x{n}-{secrets.token_hex(2)}" for n in range(1, 6)]
NO_SHOW = LEARNERS[-1]


def _review_everything(page, state):
    scored = [item["id"] for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")]
    for review in state["reviews"]:
        items = {item_id: (1 if item["type"] == "subtask" else 0)
                 for item_id, item in ((i["id"], i) for i in state["checklist"]["items"]) if item_id in scored}
        api(page, "submit_review", {"review_id": review["id"], "items": items, "comment": "All done."})


def test_a_learner_takes_an_extra_review_and_the_author_gets_k_reviews(workbench, context, context_ru, audit):
    page = context.new_page()
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        api(page, "submit_work", {"url": f"https://x{secrets.token_hex(4)}.example.org/"})
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    now = datetime.now(UTC)
    # The period started three hours ago and ends in an hour: its middle has passed.
    api(staff, "studio_submit", {"values": {"submission_due": iso(now - timedelta(hours=3)),
                                            "review_start": iso(now - timedelta(hours=3)),
                                            "review_due": iso(now + timedelta(hours=1))}})
    for name in LEARNERS[:-1]:
        state = open_block(page, workbench.scenario(TASK, name), PHASE_REVIEW)
        _review_everything(page, state)

    taker = LEARNERS[0]
    ru = context_ru.new_page()  # the offer reads in Russian
    open_block(ru, workbench.scenario(TASK, taker), PHASE_REVIEW_RU)
    open_tab(ru, "reviews")
    expect(ru.locator(".cc-take-extra")).to_have_text("Проверить ещё одну работу")
    state = open_block(page, workbench.scenario(TASK, taker), PHASE_REVIEW)
    assert state["extra"]["available"] is True and state["progress"] == {"reviews_done": 2, "reviews_assigned": 2}
    open_tab(page, "reviews")
    offer = page.locator(".cc-reviews .cc-extra")
    expect(offer).to_contain_text("you may review one more work")
    audit(page, "en-extra-offer")
    with handler_response(page, "take_extra_review") as response:
        offer.locator("button.cc-take-extra").click()
    assert response.value.status == 200
    taken = response.value.json()["extra"]["open"]
    work = page.locator(f'.cc-reviews .cc-work[data-review="{taken["review_id"]}"]')
    expect(work).to_be_visible()
    expect(work.locator(".cc-extra-badge")).to_have_text("Extra review")
    expect(page.locator(".cc-extra-open")).to_contain_text("as an extra review. Submit it by")
    expect(page.locator(".cc-take-extra")).to_have_count(0)  # one open extra at a time
    audit(page, "en-extra-taken")
    assert_names_absent(page, [n for n in LEARNERS if n != taker], "the taker's page")

    form = work.locator("form.cc-review-form")
    for item in state["checklist"]["items"]:
        if item["type"] in ("subtask", "penalty"):
            set_item(form.locator(f'.cc-item[data-item="{item["id"]}"]'), item["type"],
                     Fraction(1 if item["type"] == "subtask" else 0))
    form.locator("textarea.cc-comment-input").fill("An extra pair of eyes: everything is in place.")
    with handler_response(page, "submit_review") as response:
        form.locator("button[type=submit]").click()
    assert response.value.status == 200
    after = response.value.json()
    assert after["extra"]["done"] == 1 and after["extra"]["open"] is None
    expect(page.locator(".cc-extra-done")).to_contain_text("You did 1 extra review of 2 possible.")

    # The work's author now has k = 2 reviews (one of them the extra one).
    url = next(r["url"] for r in after["reviews"] if r["id"] == taken["review_id"])
    overview = api(staff, "staff_overview", {})
    row = next(r for r in overview["learners"] if r["url"] == url)
    assert row["reviews_received"] == 2 and row["reviews_received_extra"] == 1
    author = row["learner"]
    author_page = context.new_page()
    author_state = open_block(author_page, workbench.scenario(TASK, author), PHASE_REVIEW)
    assert len(author_state["received"]) == 2
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_REVIEW)
    expect(staff.locator(".cc-extra-pool")).to_contain_text("1 work lacks reviews now")
