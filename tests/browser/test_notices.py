"""Notices in a real browser (issue 14): three learners' works are distributed; each learner's
page shows the Notices badge with the unread count; opening the list shows the texts (no other
learner's name), marks them read and the badge goes; the notification settings say Telegram is not
set up and their checkboxes are disabled. Both languages pass axe with the list and settings open.
"""
import secrets
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from crosscheck_xblock.block import NOTICES_TEST_SCENARIO

from .test_conversations import PHASE_REVIEW, PHASE_REVIEW_RU, PHASE_SUBMISSION, api, iso, scenario_number
from .test_flow import assert_names_absent, handler_response, open_block

TASK = scenario_number(NOTICES_TEST_SCENARIO)  # k = 2
LEARNERS = [f"n{n}-{secrets.token_hex(2)}" for n in range(1, 4)]


def test_the_badge_the_list_and_the_settings(workbench, context, context_ru, audit):
    page = context.new_page()
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        api(page, "submit_work", {"url": f"https://n{secrets.token_hex(4)}.example.org/"})
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    now = datetime.now(UTC)
    api(staff, "studio_submit", {"values": {"submission_due": iso(now - timedelta(hours=1)),
                                            "review_start": iso(now - timedelta(hours=1)),
                                            "review_due": iso(now + timedelta(days=2))}})
    learner = LEARNERS[0]
    open_block(page, workbench.scenario(TASK, learner), PHASE_REVIEW)  # this view distributes
    # The page embeds no notices: it asks get_notices for them once it has rendered (issue 15).
    with handler_response(page, "get_notices") as answer:
        state = open_block(page, workbench.scenario(TASK, learner), PHASE_REVIEW)
    assert state["notices"] is None
    assert {n["kind"] for n in answer.value.json()["notices"]} == {"work_submitted", "review_started"}
    box = page.locator(".crosscheck .cc-notices")
    expect(box.locator(".cc-notice-badge")).to_have_text("2 new")
    with handler_response(page, "mark_notices_read") as response:
        box.locator("summary").first.click()
    assert response.value.status == 200 and response.value.json()["marked"] == 2
    expect(box.locator(".cc-notice-badge")).to_have_count(0)
    expect(box.locator(".cc-notice-list li")).to_have_count(2)
    expect(box.locator(".cc-notice-list")).to_contain_text("you have 2 works to review")
    with handler_response(page, "notification_settings") as response:
        box.locator(".cc-notice-settings summary").click()
    assert response.value.status == 200
    expect(box.locator(".cc-notice-kinds input[type=checkbox]")).to_have_count(12)
    expect(box.locator(".cc-notice-kinds input[type=checkbox]").first).to_be_disabled()
    expect(box).to_contain_text("Telegram is not set up on this site yet")
    assert_names_absent(page, [name for name in LEARNERS if name != learner], "notices")
    audit(page, "en-notices")
    # Reloaded, they stay read.
    open_block(page, workbench.scenario(TASK, learner), PHASE_REVIEW)
    expect(page.locator(".crosscheck .cc-notices .cc-notice-badge")).to_have_count(0)

    # While get_notices is on its way the section holds its line ("Notices", loading), so nothing
    # below it moves when they arrive: held here until the page has rendered.
    held = []
    page.route("**/get_notices/**", lambda route: held.append(route))
    page.bring_to_front()
    page.goto(workbench.scenario(TASK, LEARNERS[2]))
    expect(page.locator(".crosscheck .cc-phase")).to_have_text(PHASE_REVIEW)
    expect(page.locator(".crosscheck .cc-notices .cc-notices-loading")).to_have_attribute("aria-busy", "true")
    while not held:
        page.wait_for_timeout(50)
    tabs_before = page.locator(".crosscheck .cc-tablist").bounding_box()
    held[0].continue_()
    expect(page.locator(".crosscheck .cc-notices .cc-notice-badge")).to_have_text("2 new")
    assert page.locator(".crosscheck .cc-tablist").bounding_box() == tabs_before, "the notices moved the tabs"
    page.unroute("**/get_notices/**")

    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(TASK, LEARNERS[1]), PHASE_REVIEW_RU)
    box = ru.locator(".crosscheck .cc-notices")
    expect(box.locator(".cc-notice-badge")).to_have_text("2 новых")
    with handler_response(ru, "mark_notices_read"):
        box.locator("summary").first.click()
    expect(box.locator(".cc-notice-list")).to_contain_text("вам нужно проверить 2 работы")
    box.locator(".cc-notice-settings summary").click()
    expect(box).to_contain_text("Telegram на этом сайте пока не настроен")
    audit(ru, "ru-notices")
