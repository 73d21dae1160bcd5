"""The community re-check of an appeal (issue 12, B4) in a real browser, on a task of its own.

Four learners submit and review (through the API: the review form has its own tests); staff
move the cross-check end into the past and the grades are written. The first learner appeals.
In the Appeals tab staff ask one of the course's top reviewers (by the reviewer rating) to
re-check the appealed work; that learner finds the request in "Reviews to do" — the work as
"Appealed work 1" with its link and the disputed items, nobody's name — fills the checklist,
sends it, sees that it was sent and corrects it. Staff see the re-check beside the appeal and
still decide with their own re-check, which closes the request. The views pass axe in English
and Russian.
"""
import secrets
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from playwright.sync_api import expect

from crosscheck_xblock.block import COMMUNITY_TEST_SCENARIO

from .test_conversations import api, iso, scenario_number, submit_reviews
from .test_flow import (
    assert_names_absent,
    expect_tab,
    handler_response,
    open_block,
    open_tab,
    screenshot,
    set_item,
)

TASK = scenario_number(COMMUNITY_TEST_SCENARIO)  # k = 2, max 100
LEARNERS = [f"r{n}-{secrets.token_hex(2)}" for n in range(1, 5)]
PHASE_SUBMISSION = "Submission is open."
PHASE_REVIEW = "The cross-check is running: review the works assigned to you."
PHASE_CLOSED = "The cross-check is complete."
PHASE_CLOSED_RU = "Кросс-чек завершён."


def test_staff_ask_a_top_reviewer_to_recheck_an_appeal(workbench, context, context_ru, audit, artifacts):
    page = context.new_page()
    links = {name: f"https://w{secrets.token_hex(4)}.example.org/" for name in LEARNERS}
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        api(page, "submit_work", {"url": links[name]})
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    api(staff, "staff_start", {})
    for name in LEARNERS:
        submit_reviews(page, open_block(page, workbench.scenario(TASK, name), PHASE_REVIEW))  # 80 of 100 each
    now = datetime.now(UTC)
    api(staff, "studio_submit", {"values": {
        "submission_due": iso(now - timedelta(hours=3)), "review_start": iso(now - timedelta(hours=2)),
        "review_due": iso(now - timedelta(minutes=5)), "adjustment_days": 0}})
    author, reviewer = LEARNERS[0], LEARNERS[1]
    state = open_block(page, workbench.scenario(TASK, author), PHASE_CLOSED)
    assert state["grade"]["points"] == 80 and state["appeal"]["open"] is True
    api(page, "submit_appeal", {"reason": "The header and the semantic tags are there.", "items": ["c2", "c3"]})
    items = state["checklist"]["items"]

    # ---- staff ask a top reviewer (not the author, who is not offered) to re-check the appealed work
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_CLOSED)
    with handler_response(staff, "staff_appeals"):
        open_tab(staff, "appeals")
    appeal = staff.locator(f'.cc-appeals .cc-appeal-pending[data-learner="{author}"]')
    part = appeal.locator(".cc-community-staff")
    expect(part.locator("h5")).to_have_text("Community re-checks")
    toggle = part.locator("button.cc-community-open")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    with handler_response(staff, "staff_top_reviewers") as response:
        toggle.click()
    top = response.value.json()["reviewers"]
    assert reviewer in [row["learner"] for row in top], "the reviewer has a rating among the course's best 50"
    expect(toggle).to_have_attribute("aria-expanded", "true")
    picks = part.locator("label.cc-community-pick")
    expect(picks.first).to_be_visible()
    expect(picks.filter(has_text=author)).to_have_count(0)
    picks.filter(has_text=f"{reviewer} (rating").locator("input").check()
    with handler_response(staff, "staff_request_community_recheck") as response:
        part.locator("button.cc-community-send").click()
    assert response.value.status == 200, response.value.text()
    assert response.value.json()["result"] == {"requested": 1, "already": 0}
    expect(staff.locator(".cc-appeals .cc-ok")).to_have_text("1 reviewer asked to re-check.")
    expect(part.locator(".cc-community-list li")).to_have_count(1)
    expect(part.locator(".cc-community-waiting")).to_contain_text(f"{reviewer} (asked ")
    expect(part.locator(".cc-community-waiting")).to_contain_text("by staff): not sent yet")
    audit(staff, "en-community-staff-asked")

    # ---- the reviewer: the request in "Reviews to do", by pseudonym and link, nobody's name
    open_block(page, workbench.scenario(TASK, reviewer), PHASE_CLOSED)
    expect_tab(page, "reviews")  # a request waits: the page opens where it is
    badge = page.locator('.crosscheck [role=tab][data-tab="reviews"] .cc-tab-badge')
    expect(badge).to_have_text("2 of 2, 1 re-check asked of you")
    section = page.locator(".crosscheck section.cc-community")
    expect(section).to_be_visible()
    expect(section.locator("h3")).to_have_text("Re-checks asked of you")
    request = section.locator(".cc-community-request")
    expect(request).to_have_count(1)
    expect(request.locator("h4")).to_have_text("Appealed work 1 Waiting for your re-check")
    expect(request.locator("a")).to_have_attribute("href", links[author])
    expect(request).to_contain_text("The author disputes: ")
    assert_names_absent(page, [name for name in LEARNERS if name != reviewer], "the asked reviewer's page")
    audit(page, "en-community-request")
    form = request.locator("form.cc-community-form")
    expect(form.locator("input.cc-best-work")).to_have_count(0)  # no best-work mark in a re-check
    scored = [item for item in items if item["type"] in ("subtask", "penalty")]
    for item in scored:  # everything done, c2 half, no penalty
        value = Fraction(0) if item["type"] == "penalty" else (Fraction(1, 2) if item["id"] == "c2" else Fraction(1))
        set_item(form.locator(f'.cc-item[data-item="{item["id"]}"]'), item["type"], value)
    expect(form.locator(".cc-total")).to_have_text("Total: 95 of 100")
    form.locator("textarea.cc-comment-input").fill("The semantic tags are there; the header only on wide screens.")
    with handler_response(page, "submit_community_recheck") as response:
        form.locator("button.cc-submit").click()
    assert response.value.status == 200, response.value.text()
    sent = request.locator(".cc-community-sent")
    expect(sent).to_contain_text("You sent your re-check on")
    expect(sent).to_contain_text(": 95 of 100. Course staff see it beside the appeal.")
    expect(sent).to_be_focused()
    expect(request.locator("h4 .cc-badge")).to_have_text("Sent")
    expect(badge).to_have_text("2 of 2")
    expect(page.locator(".cc-announce")).to_have_text("Your re-check of Appealed work 1 is sent to course staff.")
    # Corrected while the appeal waits.
    request.locator("details.cc-community-edit > summary").click()
    set_item(request.locator('form.cc-community-form .cc-item[data-item="c2"]'), "subtask", Fraction(1))
    with handler_response(page, "submit_community_recheck") as response:
        request.locator("form.cc-community-form button.cc-submit").click()
    assert response.value.status == 200, response.value.text()
    expect(sent).to_contain_text(": 100 of 100.")
    assert_names_absent(page, [name for name in LEARNERS if name != reviewer], "the reviewer's page after sending")
    screenshot(page, artifacts / "community-recheck-learner.png")
    audit(page, "en-community-sent")
    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(TASK, reviewer), PHASE_CLOSED_RU)
    expect(ru.locator(".crosscheck .cc-community h3")).to_have_text("Перепроверки, о которых вас просят")
    expect(ru.locator(".crosscheck .cc-community-request h4")).to_contain_text("Работа с апелляцией 1")
    audit(ru, "ru-community-sent")

    # ---- staff see the re-check beside the appeal, and still decide
    with handler_response(staff, "staff_appeals"):
        staff.locator("button.cc-staff_appeals").click()  # Refresh appeals
    done = part.locator(".cc-community-done")
    expect(done).to_contain_text(f"{reviewer} (asked ")
    expect(done).to_contain_text("100 of 100, sent")
    expect(done.locator(".cc-comment")).to_have_text("The semantic tags are there; the header only on wide screens.")
    table = part.locator("table.cc-points-table")
    expect(table.locator("thead th").nth(1)).to_have_text(f"{reviewer}: 100")
    expect(table.locator('tbody tr[data-item="c2"] td')).to_have_text("10")
    screenshot(staff, artifacts / "community-recheck-staff.png")
    audit(staff, "en-community-staff-sent")
    staff_ru = context_ru.new_page()
    open_block(staff_ru, workbench.scenario(TASK, "staff"), PHASE_CLOSED_RU)
    open_tab(staff_ru, "appeals")
    expect(staff_ru.locator(f'.cc-appeal-pending[data-learner="{author}"] .cc-community-done')).to_have_count(1)
    audit(staff_ru, "ru-community-staff")
    everything = {item["id"]: (0 if item["type"] == "penalty" else 1) for item in scored}
    api(staff, "staff_recheck", {"work_id": int(appeal.get_attribute("data-work")), "items": everything,
                                 "comment": "Both items are there."})

    # ---- the appeal is settled: the request is closed for the reviewer
    open_block(page, workbench.scenario(TASK, reviewer), PHASE_CLOSED)
    open_tab(page, "reviews")
    expect(request.locator("h4 .cc-badge")).to_have_text("Closed")
    expect(request.locator(".cc-community-closed")).to_have_text(
        "Course staff have settled this appeal: the re-check is closed.")
    expect(request.locator("form.cc-community-form")).to_have_count(0)
