"""The review form in a real browser: stars by mouse and keyboard, autosave and reload, the live
total with penalties and the cap, self-check → review → what each side then sees (R2–R8)."""
import re
import secrets

from playwright.sync_api import expect

from .test_flow import expect_tab, handler_response, open_block, open_tab, pick_work, screenshot, submit_link
from .test_russian_run import handler

TASK = 3  # scenario crosscheck.3: k = 2, max score 60 (the checklist totals 100)
LEARNERS = [f"f{n}-{secrets.token_hex(2)}" for n in range(1, 4)]


def scale(form, item_id):
    return form.locator(f'.cc-item[data-item="{item_id}"] .cc-scale')


def test_review_form_end_to_end(workbench, context, artifacts):
    page = context.new_page()
    links = {name: f"https://w{secrets.token_hex(4)}.example.org/" for name in LEARNERS}
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), "Submission is open.")
        submit_link(page, links[name])
    author = LEARNERS[0]

    # ---- self-check: a star by mouse, stars by keyboard, autosave survives a reload
    open_block(page, workbench.scenario(TASK, author), "Submission is open.")
    expect_tab(page, "work")
    expect(page.locator(".cc-progress-self")).to_have_text("Self-check: not done")
    form = page.locator("form.cc-self-form")
    scale(form, "c2").locator('button[data-value="0.7"]').click()
    expect(form.locator('.cc-item[data-item="c2"] .cc-points')).to_have_value("7")
    expect(scale(form, "c2").locator("button.cc-lit")).to_have_count(7)
    not_done = scale(form, "c3").locator('button[data-value="0"]')
    not_done.focus()
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    checked = scale(form, "c3").locator('button[aria-checked="true"]')
    expect(checked).to_have_attribute("data-value", "0.3")
    expect(checked).to_be_focused()
    # Every control names its checklist item (the item's text as the page shows it).
    c3 = " ".join(form.locator('.cc-item[data-item="c3"] .cc-item-text > span').first.text_content().split())
    expect(checked).to_have_attribute("aria-label", f"30% (3 points) for ‘{c3}’")
    expect(scale(form, "c3")).to_have_attribute("aria-label", f"Points for ‘{c3}’")
    expect(form.locator('.cc-item[data-item="c3"] .cc-points')).to_have_attribute(
        "aria-label", f"Points for ‘{c3}’ (of 10)")
    expect(form.locator('.cc-item[data-item="c3"] textarea.cc-item-comment')).to_have_attribute(
        "aria-label", f"Comment on ‘{c3}’")
    page.keyboard.press("End")
    expect(scale(form, "c3").locator('button[aria-checked="true"]')).to_have_attribute("data-value", "1")
    form.locator('.cc-item[data-item="c4"] .cc-points').fill("2.5")  # the number input alternative
    expect(form.locator(".cc-total")).to_have_text("Total: 19.5 of 60")
    expect(form.locator(".cc-draft-status")).to_contain_text("Draft saved", timeout=5000)
    open_block(page, workbench.scenario(TASK, author), "Submission is open.")
    form = page.locator("form.cc-self-form")
    expect(form.locator('.cc-item[data-item="c2"] .cc-points')).to_have_value("7")
    expect(form.locator('.cc-item[data-item="c4"] .cc-points')).to_have_value("2.5")
    expect(form.locator(".cc-total")).to_have_text("Total: 19.5 of 60")
    for item_id in ("c6", "c7", "c9", "c10", "c11", "c13", "c14"):
        scale(form, item_id).locator('button[data-value="1"]').click()
    for item_id in ("c15", "c16"):
        scale(form, item_id).locator('button[data-value="0"]').click()
    expect(form.locator(".cc-total")).to_have_text("Total: 60 of 60 (capped at the task's maximum)")
    with handler_response(page, "submit_self_check") as response:
        form.locator("button.cc-submit").click()
    assert response.value.status == 200
    expect(page.locator(".cc-self-status")).to_contain_text("Self-check saved")
    expect(page.locator(".cc-progress-self")).to_have_text("Self-check: done")
    expect(page.locator(".cc-announce")).to_have_text("Your self-check is saved.")

    # ---- staff start
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), "Submission is open.")
    with handler_response(staff, "staff_start") as response:
        staff.locator("button.cc-staff_start").click()
    assert response.value.status == 200

    # ---- a reviewer of the author's work: the total with penalties, floor and cap
    reviewer, block = None, None
    for name in LEARNERS[1:]:
        open_block(page, workbench.scenario(TASK, name),
                   "The cross-check is running: review the works assigned to you.")
        candidate = page.locator(".cc-work").filter(has=page.locator(f'a[href="{links[author]}"]'))
        if candidate.count():
            reviewer, block = name, candidate
            break
    assert reviewer, "nobody reviews the author's work"
    pick_work(page, block.get_attribute("data-review"))
    form = block.locator("form.cc-review-form")
    total = form.locator(".cc-total")
    for item_id in ("c2", "c3", "c4", "c6", "c7", "c9", "c10", "c11", "c13", "c14"):
        scale(form, item_id).locator('button[data-value="1"]').click()
    scale(form, "c15").locator('button[data-value="0"]').click()
    scale(form, "c16").locator('button[data-value="1"]').click()
    expect(total).to_have_text("Total: 60 of 60 (capped at the task's maximum)")  # 100 − 20 = 80 → 60
    scale(form, "c15").locator('button[data-value="1"]').click()
    expect(total).to_have_text("Total: 0 of 60")  # 80 − 100 → floor 0
    scale(form, "c15").locator('button[data-value="0"]').click()
    scale(form, "c16").locator('button[data-value="0"]').click()
    scale(form, "c2").locator('button[data-value="0.5"]').click()
    expect(total).to_have_text("Total: 60 of 60 (capped at the task's maximum)")
    # The comment rule (deducted, 10 characters): c2 lost points, so it needs a comment first.
    need = form.locator('.cc-item[data-item="c2"] .cc-comment-needed')
    summary = form.locator(".cc-comment-summary")
    expect(need).to_be_visible()
    expect(need).to_have_text("Points were taken here: say why in a comment of at least 10 characters.")
    expect(form.locator(".cc-comment-needed:visible")).to_have_count(1)
    expect(summary).to_have_text("Before submitting: 1 item that lost points still needs a comment.")
    expect(summary).to_have_attribute("aria-live", "polite")
    note = form.locator('.cc-item[data-item="c2"] textarea.cc-item-comment')
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "submit_review" in request.url else None)
    form.locator("button.cc-submit").click()
    expect(note).to_be_focused()  # refused here: the first missing comment, opened
    expect(note).to_have_attribute("aria-describedby", need.get_attribute("id"))
    note.fill("   too short  ")  # 9 characters once trimmed
    expect(need).to_be_visible()
    assert requests == []
    form.locator('.cc-item[data-item="c2"] textarea.cc-item-comment').fill("<b>No footer</b> on mobile.")
    expect(need).to_be_hidden()
    expect(summary).to_have_text("")
    form.locator("textarea.cc-comment-input").fill("Solid work.")
    form.locator("input.cc-best-work").check()
    expect(form.locator(".cc-draft-status")).to_contain_text("Draft saved", timeout=5000)
    expect(page.locator(f'.cc-work-pick[data-review="{block.get_attribute("data-review")}"]')).to_contain_text(
        "Draft saved")
    screenshot(page, artifacts / "learner-review-form.png")
    with handler_response(page, "submit_review") as response:
        form.locator("button.cc-submit").click()
    assert response.value.status == 200
    # R8: after submitting, the reviewer sees the author's self-check beside their own points.
    table = block.locator(".cc-points-table")
    expect(table.locator("thead th")).to_have_text(["Item", "Your review: 60", "Author's self-check: 60"])
    expect(table.locator("thead th").first).to_have_attribute("scope", "col")
    expect(table.locator('tr[data-item="c2"] th')).to_have_attribute("scope", "row")  # the item heads its row
    expect(table.locator('tr[data-item="c2"] td').nth(0)).to_contain_text("5")
    expect(table.locator('tr[data-item="c2"] td').nth(1)).to_have_text("7")

    # ---- the author sees the review per item beside the self-check (R7); text stays text
    open_block(page, workbench.scenario(TASK, author), "The cross-check is running: review the works assigned to you.")
    expect_tab(page, "reviews")  # the author has reviews of their own to do first
    open_tab(page, "feedback")
    received = page.locator(".cc-received")
    head = received.locator(".cc-points-table thead th")
    expect(head.nth(1)).to_have_text("Your self-check: 60")
    expect(head.nth(2)).to_contain_text("Reviewer ")
    expect(received.locator('tr[data-item="c2"] .cc-cell-note')).to_have_text("<b>No footer</b> on mobile.")
    expect(received.locator(".cc-received-review h4")).to_contain_text("marked your work as a best work")
    expect(received.locator(".cc-comment")).to_have_text("Solid work.")
    screenshot(page, artifacts / "learner-received-reviews.png")


def test_countdown_to_the_next_date(workbench, context):
    """The page counts down to the date the current phase waits for (here: the cross-check end)."""
    page = context.new_page()
    page.goto(workbench.scenario(TASK, "staff"))
    expect(page.locator(".cc-countdown")).to_be_hidden()  # no dates set yet
    # The test before leaves the task started; where this one runs without it (alone, or in a
    # workbench of its own), two works are submitted and the task started here.
    if handler(page, "get_state")["body"]["phase"] == "submission":
        for name in ("countdown-a", "countdown-b"):
            assert handler(page, "submit_work", {"url": f"https://{name}.example.org/"}, student=name)["status"] == 200
        assert handler(page, "staff_start")["status"] == 200
        page.reload()
    # Set a deadline two days ahead through the Studio handler; T1 fills the end (+3 days).
    status = page.evaluate("""async () => {
        const usage = document.querySelector('[data-usage]').getAttribute('data-usage');
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const due = new Date(Date.now() + 2 * 86400000).toISOString();
        const response = await fetch(`/handler/${usage}/studio_submit/?student=staff`, {
            method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
            body: JSON.stringify({values: {submission_due: due, review_start: '', review_due: ''}})});
        return response.status;
    }""")
    assert status == 200
    page.reload()
    # The task was started by the previous test, so the next date is the end: about 5 days away.
    expect(page.locator(".cc-countdown")).to_have_text(re.compile(r"^The cross-check ends in [45] d \d+ h \(.+\)\.$"))
