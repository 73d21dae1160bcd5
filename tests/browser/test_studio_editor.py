"""The Studio editor (studio_view) in headless Chromium against the workbench server.

It edits the demo scenario (crosscheck.0) only, and puts back what it changed: test_flow.py checks
the demo's learners and the other scenario's settings on the same server. The demo is not started,
so the "cross-check has started" warning is tested by marking the editor's start data as started
(the server-side flag itself is covered in tests/handlers/test_studio_submit.py).
"""
import json
import os
import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the same rule as a missing Chromium (see conftest.py)
    if os.environ.get("CI"):
        raise
    pytest.skip("the playwright package is missing: pip install -r requirements/test.txt",
                allow_module_level=True)

pytestmark = pytest.mark.browser

DEMO = 0
EDITOR = "/scenario/crosscheck.{n}/studio_view/?student=staff"
STARTED = "The cross-check has started: the changed checklist applies to reviews submitted from now on"
YAML_UPLOAD = """taskName: Uploaded task
criteria:
  - type: title
    title: Uploaded part
  - type: subtask
    text: Uploaded <b>bold</b> item
    max: 70
  - type: penalty
    text: Uploaded penalty
    max: -5
"""


def open_editor(page: Page, workbench) -> None:
    """Open the demo's editor and wait until the JS has rendered the checklist."""
    page.bring_to_front()
    page.goto(workbench.url(EDITOR.format(n=DEMO)))
    expect(page.locator(".ccs-items .ccs-item").first).to_be_visible()
    expect(page.locator(".ccs-preview-body .ccs-p-item").first).to_be_visible()


def shown_in_name(text: str) -> str:
    """An item's text as the editor puts it in its controls' names (studio_checklist.js plainText):
    tags dropped, spaces collapsed, cut to 60 characters."""
    words = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return words if len(words) <= 60 else words[:59].strip() + "…"


def item_row(page: Page, position: int):
    return page.locator(".ccs-items > li").nth(position - 1)


def handler(page: Page, name: str):
    return page.expect_response(lambda r: f"/{name}/" in r.url and r.request.method == "POST")


def save(page: Page):
    """Click Save; returns the studio_submit response."""
    with handler(page, "studio_submit") as response:
        page.locator(".ccs-save").click()
    return response.value


def set_item(page: Page, position: int, text: str, points) -> None:
    """Type a new text and points into one item and wait for the preview to show them."""
    row = item_row(page, position)
    row.locator("textarea.ccs-item-text").fill(text)
    with handler(page, "studio_preview"):
        row.locator("input.ccs-item-max").fill(str(points))
    expect(page.locator(".ccs-preview-body")).to_contain_text(re.sub(r"<[^>]+>", "", text))  # rendered


def learner_items(page: Page, workbench, student="alice") -> list[dict]:
    """The checklist items of the learner view's server state (script.cc-init)."""
    page.goto(workbench.scenario(DEMO, student))
    expect(page.locator(".crosscheck .cc-phase")).not_to_be_empty()
    return json.loads(page.locator(".crosscheck script.cc-init").text_content())["state"]["checklist"]["items"]


def test_edit_one_item_save_and_see_it_as_a_learner(workbench, context, artifacts):
    """Change the text and points of one item, save, and find them in a learner's view;
    invalid values are refused with the server's message and save nothing."""
    page = context.new_page()
    open_editor(page, workbench)
    row = item_row(page, 2)
    old_text = row.locator("textarea").input_value()
    old_max = row.locator("input.ccs-item-max").input_value()
    count = page.locator(".ccs-items > li").count()
    expect(page.locator(".ccs-totals")).to_have_text("The subtasks add up to the maximum score of 100 points.")

    new_text = "The page has a <code>header</code>, a main section and a footer (edited in the browser)."
    set_item(page, 2, new_text, 15)
    # 105 points of subtasks on a task of 100: allowed, and the preview says it is capped.
    expect(page.locator(".ccs-totals")).to_contain_text("capped at 100")
    preview_item = page.locator(".ccs-preview-body .ccs-p-item").first
    expect(preview_item.locator("code")).to_have_text("header")  # the sanitized HTML, rendered
    expect(preview_item.locator(".ccs-p-max")).to_have_text("(+15)")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "studio-editor.png"), full_page=True)

    response = save(page)
    assert response.status == 200, response.text()
    expect(page.locator(".ccs-status")).to_have_text("Saved.")
    expect(page.locator(".ccs-error")).to_be_hidden()

    items = learner_items(page, workbench)
    assert len(items) == count
    assert (items[1]["text"], items[1]["max"]) == (new_text, 15)
    assert "(edited in the browser)" in page.locator(".crosscheck").inner_text()

    # An invalid setting: the server's sentence is shown, the field marked, and nothing saved.
    open_editor(page, workbench)
    expect(item_row(page, 2).locator("textarea")).to_have_value(new_text)
    page.fill(".ccs-form input[name=reviews_per_work]", "11")
    item_row(page, 3).locator("textarea").fill("This change must not be saved")
    response = save(page)
    assert response.status == 400
    message = response.json()["error"]
    assert message == "Reviews per work must be a whole number from 1 to 10, not 11."
    expect(page.locator(".ccs-error")).to_have_text(message)
    expect(page.locator(".ccs-form input[name=reviews_per_work]")).to_have_attribute("aria-invalid", "true")

    # An invalid item: the preview and the save both name it, and its row is marked.
    page.fill(".ccs-form input[name=reviews_per_work]", "4")
    penalty = page.locator(".ccs-items > li.ccs-type-penalty").first
    with handler(page, "studio_preview"):
        penalty.locator("input.ccs-item-max").fill("5")
    expect(page.locator(".ccs-preview-error")).to_contain_text("a penalty must have a negative")
    response = save(page)
    assert response.status == 400
    body = response.json()
    assert body["code"] == "bad_checklist" and body["position"] >= 1
    expect(page.locator(".ccs-error")).to_have_text(body["error"])
    expect(page.locator(".ccs-error")).to_contain_text(f"item {body['position']} (")
    expect(penalty).to_have_class(re.compile(r"\bccs-invalid\b"))

    open_editor(page, workbench)
    expect(page.locator(".ccs-form input[name=reviews_per_work]")).to_have_value("4")
    expect(item_row(page, 3).locator("textarea")).not_to_have_value("This change must not be saved")
    expect(page.locator(".ccs-items > li.ccs-type-penalty input.ccs-item-max").first).not_to_have_value("5")

    # Put the demo back as it was.
    set_item(page, 2, old_text, old_max)
    assert save(page).status == 200
    items = learner_items(page, workbench)
    assert (items[1]["text"], str(items[1]["max"])) == (old_text, old_max)


def test_started_cross_check_warns_before_saving(workbench, context):
    """Once the cross-check started, a changed checklist is saved only after the warning."""
    page = context.new_page()
    # The demo is not started: mark the editor's start data as started (see the module docstring).
    def mark_started(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('"started": false', '"started": true'))
    page.route(re.compile(r".*/studio_view/.*"), mark_started)
    open_editor(page, workbench)
    expect(page.locator(".ccs-started")).to_contain_text(STARTED)
    row = item_row(page, 2)
    old_text = row.locator("textarea").input_value()
    row.locator("textarea").fill(old_text + " (v2)")

    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/studio_submit/" in request.url else None)
    page.locator(".ccs-save").click()
    expect(page.locator(".ccs-confirm")).to_be_visible()
    expect(page.locator(".ccs-confirm-text")).to_contain_text(STARTED)
    page.locator(".ccs-confirm-back").click()
    expect(page.locator(".ccs-confirm")).to_be_hidden()
    assert not sent, "the warning must come before anything is sent"

    page.locator(".ccs-save").click()
    with handler(page, "studio_submit") as response:
        page.locator(".ccs-confirm-save").click()
    assert response.value.status == 200
    assert learner_items(page, workbench)[1]["text"] == old_text + " (v2)"

    open_editor(page, workbench)
    item_row(page, 2).locator("textarea").fill(old_text)
    page.locator(".ccs-save").click()
    with handler(page, "studio_submit") as response:
        page.locator(".ccs-confirm-save").click()
    assert response.value.status == 200


def test_reorder_import_download_and_dates_without_saving(workbench, context, tmp_path):
    """Keyboard reordering, YAML upload (and the server's refusal of a bad file), JSON download
    and the date rule, all in the form; nothing here is saved."""
    page = context.new_page()
    open_editor(page, workbench)
    texts = page.locator(".ccs-items textarea.ccs-item-text")
    first, second = texts.nth(1).input_value(), texts.nth(2).input_value()

    # Reorder with the keyboard: the focus stays on the moved item's button.
    page.locator(".ccs-items > li").nth(1).locator(".ccs-down").focus()
    page.keyboard.press("Enter")
    expect(texts.nth(1)).to_have_value(second)
    expect(texts.nth(2)).to_have_value(first)
    # The focused button names the item it moves, by its new position and its text.
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == f"Move item 3 ‘{shown_in_name(first)}’ down"
    page.keyboard.press("Shift+Tab")  # to "Move item 3 ‘…’ up"
    page.keyboard.press("Enter")
    expect(texts.nth(1)).to_have_value(first)

    # Add, retype and delete an item.
    count = texts.count()
    page.locator(".ccs-add button[data-add=penalty]").click()
    expect(texts).to_have_count(count + 1)
    expect(page.locator(".ccs-items > li").last.locator("input.ccs-item-max")).to_have_value("-10")
    page.locator(".ccs-items > li").last.locator("select.ccs-item-type").select_option("subtask")
    expect(page.locator(".ccs-items > li").last.locator("input.ccs-item-max")).to_have_value("10")
    page.locator(".ccs-items > li").last.locator(".ccs-delete").click()
    expect(texts).to_have_count(count)

    # The date rule: setting the deadline fills start and end (+3 days) in the form.
    page.fill(".ccs-form input[name=submission_due]", "2026-05-04T18:30")
    page.locator(".ccs-form input[name=submission_due]").dispatch_event("change")
    expect(page.locator(".ccs-form input[name=review_start]")).to_have_value("2026-05-04T18:30")
    expect(page.locator(".ccs-form input[name=review_due]")).to_have_value("2026-05-07T18:30")

    # Upload YAML: parsed by the server, the items replace the list and the preview follows.
    page.locator(".ccs-import summary").click()
    good = tmp_path / "upload.yaml"
    good.write_text(YAML_UPLOAD, encoding="utf-8")
    with handler(page, "studio_preview"):
        page.locator("input.ccs-file").set_input_files(str(good))
    expect(page.locator(".ccs-import-status")).to_have_text(
        "Imported 3 items from upload.yaml. Check them, then save.")
    expect(texts).to_have_count(3)
    expect(page.locator(".ccs-preview-body .ccs-p-item b")).to_have_text("bold")
    expect(page.locator(".ccs-totals")).to_contain_text("70 points, less than the maximum score of 100")

    bad = tmp_path / "bad.json"
    bad.write_text('{"taskName": "Bad", "criteria": [{"type": "subtask", "text": "No points"}]}')
    with handler(page, "studio_preview"):
        page.locator("input.ccs-file").set_input_files(str(bad))
    expect(page.locator(".ccs-import-status")).to_have_text(
        'bad.json: Checklist: item 1 (“No points”): missing "max" (a subtask needs its number of points).')
    expect(page.locator(".ccs-items > li")).to_have_count(3)  # the bad file replaced nothing

    # Download the checklist as rs JSON.
    with page.expect_download() as download:
        page.locator(".ccs-download").click()
    assert download.value.suggested_filename == "uploaded-task.json"
    rs = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert rs == {"taskName": "Uploaded task", "criteria": [
        {"type": "title", "title": "Uploaded part"},
        {"type": "subtask", "text": "Uploaded <b>bold</b> item", "max": 70},
        {"type": "penalty", "text": "Uploaded penalty", "max": -5}]}


def rates_row(page: Page, rule: str):
    return page.locator(f".ccs-rates-table tr[data-rule={rule}]")


def test_grading_options_with_the_simulated_rates(workbench, context, artifacts):
    """The warning rule, threshold, aggregation and appeal window: their explanations, the
    simulated rates next to the rule, a refusal naming the field, a save, and the demo put back."""
    page = context.new_page()
    open_editor(page, workbench)
    form = page.locator(".ccs-form")
    expect(form.locator("select[name=warning_rule]")).to_have_value("evidence")
    expect(page.locator("[data-help=warning_rule]")).to_contain_text("no grade changes")
    expect(form.locator("input[name=outlier_threshold]")).to_have_value("15")
    expect(form.locator("select[name=aggregation]")).to_have_value("total")
    expect(form.locator("input[name=appeal_days]")).to_have_value("3")
    expect(page.get_by_label("Outlier threshold (percent of the maximum score)")).to_be_visible()

    # The numbers to choose by: every rule's false warnings and catches, the chosen one marked.
    table = page.locator(".ccs-rates-table")
    # Percentages as the language writes them (common.js percent: "15%" in English).
    expect(table.locator("caption")).to_contain_text("k = 4, threshold 15%, maximum 100")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(rates_row(page, "evidence").locator("th")).to_have_text("Evidence from all reviews (chosen)")
    fixed_honest = int(rates_row(page, "fixed").locator("td").first.inner_text().rstrip(" %"))
    evidence_honest = int(rates_row(page, "evidence").locator("td").first.inner_text().rstrip(" %"))
    assert fixed_honest > 50 > 15 > evidence_honest
    expect(rates_row(page, "none").locator("td")).to_have_text(["0%", "0%"])
    expect(page.locator(".ccs-rates-stale")).to_be_empty()

    form.locator("select[name=warning_rule]").select_option("fixed")
    expect(rates_row(page, "fixed").locator("th")).to_have_text("Fixed threshold (chosen)")
    expect(page.locator("[data-help=warning_rule]")).to_contain_text("left out of the grade")
    form.locator("select[name=aggregation]").select_option("per_item")
    expect(page.locator("[data-help=aggregation]")).to_contain_text("each checklist item")

    # A threshold out of range: the server's sentence, the field marked, nothing saved.
    form.locator("input[name=outlier_threshold]").fill("60")
    expect(page.locator(".ccs-rates-stale")).to_contain_text("save to measure the new ones")
    response = save(page)
    assert response.status == 400
    assert response.json()["field"] == "outlier_threshold"
    expect(page.locator(".ccs-error")).to_have_text(
        "Outlier threshold must be a percentage of the maximum score from 5 to 50, not 60.")
    expect(form.locator("input[name=outlier_threshold]")).to_have_attribute("aria-invalid", "true")

    # A valid save: the rates follow the saved threshold.
    form.locator("input[name=outlier_threshold]").fill("20")
    form.locator("input[name=appeal_days]").fill("4.5")
    response = save(page)
    assert response.status == 200, response.text()
    assert response.json()["warning_rates"]["threshold"] == 0.2
    expect(page.locator(".ccs-status")).to_have_text("Saved.")
    expect(table.locator("caption")).to_contain_text("threshold 20%")
    expect(page.locator(".ccs-rates-stale")).to_be_empty()
    after = int(rates_row(page, "fixed").locator("td").first.inner_text().rstrip(" %"))
    assert after < fixed_honest  # a wider threshold warns fewer honest reviewers
    page.locator(".ccs-grading").screenshot(path=str(artifacts / "studio-grading-options.png"))

    open_editor(page, workbench)
    expect(form.locator("select[name=warning_rule]")).to_have_value("fixed")
    expect(form.locator("input[name=outlier_threshold]")).to_have_value("20")
    expect(form.locator("select[name=aggregation]")).to_have_value("per_item")
    expect(form.locator("input[name=appeal_days]")).to_have_value("4.5")

    # Put the demo back as it was.
    form.locator("select[name=warning_rule]").select_option("evidence")
    form.locator("input[name=outlier_threshold]").fill("15")
    form.locator("select[name=aggregation]").select_option("total")
    form.locator("input[name=appeal_days]").fill("3")
    assert save(page).status == 200
