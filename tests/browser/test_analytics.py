"""The staff analytics view in a real browser: the demo task (crosscheck.0) before its start.

It must not start the demo: test_flow.py (run after this file) expects it open.
"""
import pytest

from .test_flow import DEMO, DEMO_LEARNERS, PHASE_SUBMISSION, expect, handler_response, open_block, open_tab, screenshot

pytestmark = pytest.mark.browser


def test_demo_staff_analytics(workbench, context, audit, artifacts):
    page = context.new_page()
    open_block(page, workbench.scenario(DEMO, "staff"), PHASE_SUBMISSION)
    links = page.locator(".cc-staff-exports a")
    expect(links).to_have_count(2)
    for link in links.all():
        href = link.get_attribute("href")
        assert "/staff_export/" in href and href.count("?") == 1 and "kind=" in href
    # A click downloads the grades: the browser follows the handler's redirect to the streamed download link.
    with page.expect_download() as download:
        links.first.click()
    assert download.value.suggested_filename == "crosscheck-grades.csv"
    with open(download.value.path(), encoding="utf-8") as saved:
        assert saved.read().startswith("\"Work id\",\"Learner\",")
    with handler_response(page, "staff_analytics") as response:  # opening the tab loads the analytics
        open_tab(page, "analytics")
    data = response.value.json()
    assert data["status"] == "open" and len(data["works"]) == len(DEMO_LEARNERS)
    box = page.locator(".cc-staff-analytics .cc-analytics")
    expect(box.locator(".cc-analytics-message")).to_have_text(
        "No reviews yet: the numbers appear once reviews come in.")
    expect(box.locator("table.cc-analytics-table thead th")).to_have_text(
        ["Work", "Self-check", "Reviewer totals", "Largest spread", "Grade", "Ideal / flags"])
    expect(box.locator("table.cc-analytics-table tbody tr")).to_have_count(len(DEMO_LEARNERS))
    expect(box.locator("svg.cc-histogram")).to_be_visible()
    expect(box.locator("svg.cc-agreement-chart")).to_be_visible()
    expect(page.locator(".cc-error")).to_be_hidden()
    # Both warning rules beside their simulated rates, and the rule this task uses.
    rules = box.locator("table.cc-analytics-rules-table")
    expect(rules.locator("tbody tr")).to_have_count(2)
    expect(rules.locator("tr[data-rule=evidence] th")).to_have_text("evidence (used)")
    expect(rules.locator("tr[data-rule=fixed] th")).to_have_text("fixed (15%)")
    simulated = data["simulated"]["rules"]
    for rule in ("fixed", "evidence"):
        cells = rules.locator(f"tr[data-rule={rule}] td")
        # Shares as English writes them (the page formats them for its language: "69%", "69 %").
        expect(cells.nth(1)).to_have_text(f"{round(simulated[rule]['honest_warned'] * 100)}%")
        expect(cells.nth(2)).to_have_text(f"{round(simulated[rule]['careless_caught'] * 100)}%")
    expect(box.locator(".cc-analytics-rule-used")).to_contain_text("This task uses the evidence rule at grading")
    expect(box.locator(".cc-analytics-simulated")).to_contain_text("k = 4, threshold 15%, maximum 100")
    expect(box.locator(".cc-analytics-written")).to_have_text("Warnings written so far: none.")
    # The grades export answers a CSV to staff (same session cookie as the page).
    answer = context.request.get(workbench.url(links.first.get_attribute("href")))
    # Its header row in the page's language (English here); &header=keys gives the stable names.
    assert answer.status == 200 and answer.text().startswith("\"Work id\",\"Learner\",")
    keys = context.request.get(workbench.url(links.first.get_attribute("href") + "&header=keys"))
    assert keys.status == 200 and keys.text().startswith("\"work_id\",\"learner\",")
    screenshot(page, artifacts / "staff-analytics.png")
    audit(page, "en-staff-analytics-demo")
    # The works table sorts by a column (header button, aria-sort) and searches by learner, on the
    # server (issue 15: a page of 50 rows of 10,000), keeping the rest of the view as it was.
    table = box.locator("table.cc-analytics-table")
    work_header = table.locator("thead th").first
    expect(table.locator("thead th").nth(3)).to_have_attribute("aria-sort", "descending")  # the largest spread
    with handler_response(page, "staff_analytics") as sorted_up:
        work_header.locator("button.cc-sort").click()
    assert sorted_up.value.request.post_data_json["sort"] == "learner"
    expect(work_header).to_have_attribute("aria-sort", "ascending")
    expect(table.locator("tbody tr td:first-child")).to_have_text(sorted(DEMO_LEARNERS))
    work_header.locator("button.cc-sort").press("Enter")
    expect(work_header).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr td:first-child")).to_have_text(sorted(DEMO_LEARNERS, reverse=True))
    expect(box.locator(".cc-row-count")).to_have_text(f"Works 1–{len(DEMO_LEARNERS)} of {len(DEMO_LEARNERS)}")
    search = box.locator("input.cc-staff-search-input")
    with handler_response(page, "staff_analytics") as searched:
        search.fill("ALI")  # case does not matter
        search.press("Enter")
    assert searched.value.json()["total"] == 1
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr td").first).to_have_text("alice")
    expect(box.locator(".cc-row-count")).to_have_text("Work 1–1 of 1")
    expect(box.locator(".cc-page-status")).to_have_text("Page 1 of 1")
    expect(box.locator("svg.cc-histogram")).to_be_visible()
    audit(page, "en-staff-analytics-searched")
    search.fill("")
    search.press("Enter")
    expect(table.locator("tbody tr")).to_have_count(len(DEMO_LEARNERS))
    expect(page.locator(".cc-phase")).to_have_text(PHASE_SUBMISSION)  # not started
