"""The learner's course overview (issue 13, S4) in a real browser: three tasks of the course in
different phases (one open for submission, one under review, the graded demo), shown in the block
(collapsible, below the task) and on the plugin's course page, reached from the workbench's index.
Open tasks stand out before the list; links lead to each task's page; nobody else's name shows.
Audited with axe in English and Russian, and opened with the keyboard alone.

Every block of the workbench is in its one course, so the lists also hold the other tests' tasks:
the checks look at this test's three rows by their titles."""
import os
import re
import secrets
from unittest import mock

from playwright.sync_api import expect

from crosscheck_xblock.block import GRADED_SCENARIO, CrossCheckXBlock

from .test_flow import (
    PHASE_CLOSED,
    PHASE_REVIEW,
    PHASE_SUBMISSION,
    assert_names_absent,
    handler_response,
    open_block,
    screenshot,
)

COURSE_PAGE = "/crosscheck/courses/course-v1:Workbench+CrossCheck+Demo/"
OPEN_TITLE, REVIEW_TITLE = "Overview test: open task", "Overview test: under review"
GRADED_TITLE = "Personal page cross-check (demo, graded)"


def scenario_number(name: str) -> int:
    with mock.patch.dict(os.environ, {"CROSSCHECK_TEST_SCENARIOS": "1"}):
        return [title for title, _xml in CrossCheckXBlock.workbench_scenarios()].index(name)


OPEN = scenario_number("Cross-check: overview test, open")
REVIEW = scenario_number("Cross-check: overview test, review")
GRADED = scenario_number(GRADED_SCENARIO)


def row(container, title):
    """The overview's table row of the task `title`."""
    link = container.page.get_by_role("link", name=title, exact=True)
    return container.locator("tr.cc-overview-row").filter(has=link)


def submit(page, workbench, number, name):
    open_block(page, workbench.scenario(number, name), PHASE_SUBMISSION)
    with handler_response(page, "submit_work") as response:
        page.locator(".cc-submit-form input[name=url]").fill(f"https://w{secrets.token_hex(4)}.example.org/")
        page.locator(".cc-submit-form button[type=submit]").click()
    assert response.value.status == 200


def check_rows(container, learner_graded: bool):
    """This test's three rows: the open task first of them (newest), marked, with its countdown."""
    titles = container.locator("tr.cc-overview-row a.cc-overview-link").all_text_contents()
    assert titles.index(OPEN_TITLE) < titles.index(GRADED_TITLE) and REVIEW_TITLE in titles
    opened = row(container, OPEN_TITLE)
    expect(opened).to_have_class(re.compile(r"\bcc-overview-open\b"))
    expect(opened.locator(".cc-overview-open-badge")).to_have_text("open for submission")
    expect(opened.locator(".cc-overview-phase")).to_have_text(PHASE_SUBMISSION)
    expect(opened.locator(".cc-overview-countdown")).to_have_text(
        re.compile(r"^Submission closes in [\d,]+ d \d+ h \(.+\)\.$"))
    expect(opened.locator(".cc-overview-work")).to_have_text("submitted")
    running = row(container, REVIEW_TITLE)
    expect(running.locator(".cc-overview-phase")).to_have_text(PHASE_REVIEW)
    expect(running.locator(".cc-overview-reviews")).to_have_text("0 of 1 done")
    expect(running).not_to_have_class(re.compile(r"\bcc-overview-open\b"))
    graded = row(container, GRADED_TITLE)
    expect(graded.locator(".cc-overview-phase")).to_have_text(PHASE_CLOSED)
    expect(graded.locator(".cc-overview-countdown")).to_have_text("—")
    if learner_graded:
        expect(graded.locator(".cc-overview-grade")).to_have_text(re.compile(r"^\d+ of 100$"))
    else:
        expect(graded.locator(".cc-overview-work")).to_have_text("not yet")
        expect(graded.locator(".cc-overview-grade")).to_have_text("—")
    # Before the list: every task open for submission, with its deadline.
    expect(container.locator(".cc-overview-open-now li").filter(has_text=OPEN_TITLE)).to_contain_text(
        "Submission closes in")


def test_the_course_overview_in_the_block_and_on_the_course_page(workbench, context, context_ru, audit, artifacts):
    tag = secrets.token_hex(2)
    learner, other = f"ov1-{tag}", f"ov2-{tag}"
    page = context.new_page()
    submit(page, workbench, OPEN, learner)
    for name in (learner, other):
        submit(page, workbench, REVIEW, name)
    staff = context.new_page()
    open_block(staff, workbench.scenario(REVIEW, "staff"), PHASE_SUBMISSION)
    with handler_response(staff, "staff_start") as started:
        staff.locator("button.cc-staff_start").click()
    assert started.value.status == 200

    # ---- in the block: collapsed below the task, its summary counting the open tasks
    with handler_response(page, "course_overview") as answer:
        open_block(page, workbench.scenario(REVIEW, learner), PHASE_REVIEW)
    tasks = {task["title"]: task for task in answer.value.json()["tasks"]}
    assert tasks[OPEN_TITLE]["open_for_submission"] and tasks[REVIEW_TITLE]["phase"] == "review"
    assert tasks[GRADED_TITLE]["phase"] == "closed"
    details = page.locator(".crosscheck details.cc-overview")
    expect(details).to_be_visible()
    # After the task: it arrives after the page, and above the tabs it pushed them down under the
    # pointer (a click on a tab once landed where the tab had been).
    assert details.evaluate("d => [...d.closest('.crosscheck').querySelectorAll('.cc-tablist, .cc-panel')]"
                            ".every(part => d.compareDocumentPosition(part) & Node.DOCUMENT_POSITION_PRECEDING)"
                            ), "the overview comes after the tabs and every panel"
    expect(details.locator(".cc-overview-summary")).to_contain_text(
        re.compile(r"All cross-checks of this course: \d+"))
    expect(details.locator(".cc-overview-summary-open")).to_have_text(re.compile(r"^\d+ open for submission$"))
    expect(details.locator("table")).to_be_hidden()
    details.locator(".cc-overview-summary").focus()
    page.keyboard.press("Enter")  # a <summary>: the keyboard opens it
    expect(details).to_have_attribute("open", "")
    check_rows(details, learner_graded=False)
    assert_names_absent(page, [other], "the learner's page with the overview")
    audit(page, "en-course-overview-block")
    screenshot(page, artifacts / "course-overview-block.png")

    # A task's link opens its page as the same learner.
    with page.expect_navigation():
        row(details, OPEN_TITLE).get_by_role("link", name=OPEN_TITLE).click()
    assert page.url == workbench.scenario(OPEN, learner)
    expect(page.locator(".crosscheck .cc-title")).to_have_text(OPEN_TITLE)

    # ---- the course page, from the workbench's index
    index = context.new_page()
    index.goto(workbench.url("/"))
    index.locator("a.cc-course-overview-link", has_text="alice").click()
    expect(index.locator("h1")).to_have_text("Your cross-checks in this course")
    assert index.url == workbench.url(COURSE_PAGE + "?student=alice")
    check_graded = row(index.locator(".cc-course-page"), GRADED_TITLE)
    expect(check_graded.locator(".cc-overview-grade")).to_have_text(re.compile(r"^\d+ of 100$"))  # alice's grade
    course = context.new_page()
    course.goto(workbench.url(COURSE_PAGE + f"?student={learner}"))
    body = course.locator(".cc-course-page")
    check_rows(body, learner_graded=False)
    expect(body.locator(".cc-error")).to_be_hidden()
    assert_names_absent_on_page(course, [other, "alice"])
    audit(course, "en-course-overview-page")
    screenshot(course, artifacts / "course-overview-page.png")
    # Narrow screens: each task is a block of labelled lines, nothing scrolls sideways.
    course.set_viewport_size({"width": 375, "height": 800})
    assert course.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(row(body, OPEN_TITLE).locator(".cc-overview-work")).to_have_attribute("data-label", "Your work")
    audit(course, "en-course-overview-page-narrow")
    screenshot(course, artifacts / "course-overview-page-narrow.png")
    with course.expect_navigation():
        body.locator(".cc-course-back a").click()
    assert course.url == workbench.url(f"/?student={learner}")

    # ---- in Russian: the block and the page
    ru = context_ru.new_page()
    with handler_response(ru, "course_overview"):
        open_block(ru, workbench.scenario(REVIEW, learner), "Кросс-чек идёт: проверьте назначенные вам работы.")
    ru_details = ru.locator(".crosscheck details.cc-overview")
    ru_details.locator(".cc-overview-summary").click()
    expect(ru_details.locator(".cc-overview-summary")).to_contain_text("Все кросс-чеки курса")
    expect(row(ru_details, OPEN_TITLE).locator(".cc-overview-open-badge")).to_have_text("открыт приём работ")
    audit(ru, "ru-course-overview-block")
    ru.goto(workbench.url(COURSE_PAGE + f"?student={learner}"))
    expect(ru.locator("h1")).to_have_text("Ваши кросс-чеки в этом курсе")
    expect(row(ru.locator(".cc-course-page"), OPEN_TITLE).locator(".cc-overview-countdown")).to_contain_text(
        "Приём работ закроется через")
    audit(ru, "ru-course-overview-page")
    screenshot(ru, artifacts / "ru-course-overview-page.png")

    # ---- a visitor who is not signed in
    visitor = context.new_page()
    response = visitor.goto(workbench.url(COURSE_PAGE + "?student=anonymous"))
    assert response.status == 403
    expect(visitor.locator(".cc-error")).to_have_text("Sign in to see your cross-checks.")
    audit(visitor, "en-course-overview-page-visitor")


def assert_names_absent_on_page(page, names):
    """None of `names` in the course page's text or HTML (its own viewer's name is in its links)."""
    text, html = page.locator("body").inner_text(), page.content()
    for name in names:
        assert name not in text and f"student={name}" not in html, name
