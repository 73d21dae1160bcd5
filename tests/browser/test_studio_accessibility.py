"""The Studio editor and Studio's preview of the block, for people using a keyboard or a screen
reader, in English and Russian: axe-core in every state the editor has (no serious or critical
violation), controls named after their checklist item, visible focus, announced status changes,
and an edit saved with the keyboard alone.

Like test_studio_editor.py it edits the demo scenario only and leaves its settings as they were.
The Russian runs read the shipped catalogs (crosscheck_xblock/translations, compiled by
`make translations`): the editor's own texts are asserted in Russian.
"""
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

from .test_studio_editor import (
    DEMO,
    YAML_UPLOAD,
    handler,
    item_row,
    learner_items,
    open_editor,
    save,
    set_item,
    shown_in_name,
)

pytestmark = pytest.mark.browser

SCREENS = "screens"
# The editor's own words in each language (its catalogs), to tell the languages apart.
WORDS = {
    "en": {"legend": "Task", "save": "Save", "saved": "Saved.", "points": "Points for item {n} ‘{text}’",
           "delete": "Delete item {n} ‘{text}’", "type": "Type of item {n} ‘{text}’", "text": "Text of item {n}",
           "up": "Move item {n} ‘{text}’ up", "down": "Move item {n} ‘{text}’ down",
           "form": "The review form", "only": "Preview only: nothing was sent or saved.",
           "imported": "Imported 3 items from upload.yaml. Check them, then save.",
           "preview_updated": "Preview updated:", "chosen": "(chosen)"},
    "ru": {"legend": "Задание", "save": "Сохранить", "saved": "Сохранено.", "points": "Баллы за пункт {n} «{text}»",
           "delete": "Удалить пункт {n} «{text}»", "type": "Тип пункта {n} «{text}»", "text": "Текст пункта {n}",
           "up": "Переместить пункт {n} «{text}» выше", "down": "Переместить пункт {n} «{text}» ниже",
           "form": "Форма проверки", "only": "Это только предпросмотр: ничего не отправлено и не сохранено.",
           "imported": "Из файла upload.yaml импортировано 3 пункта. Проверьте их и сохраните.",
           "preview_updated": "Предпросмотр обновлён:", "chosen": "(выбрано)"},
}
LANGUAGES = ["en", "ru"]


@pytest.fixture(params=LANGUAGES)
def lang(request):
    return request.param


@pytest.fixture
def page(request, lang):
    """A page in a browser asking for `lang` (conftest's context or context_ru)."""
    ctx = request.getfixturevalue("context" if lang == "en" else "context_ru")
    return ctx.new_page()


def screen(artifacts, name):
    folder = artifacts / SCREENS
    folder.mkdir(exist_ok=True)
    return str(folder / name)


def open_in(page: Page, workbench, lang: str):
    open_editor(page, workbench)
    expect(page.locator(".ccs-group > legend").first).to_have_text(WORDS[lang]["legend"])
    expect(page.locator(".ccs-save")).to_have_text(WORDS[lang]["save"])


def focus_ring(page: Page) -> dict:
    """The focused element's outline, as the browser draws it."""
    return page.evaluate("""() => { const node = document.activeElement;
        const target = node.type === 'file' ? node.closest('label') : node;
        const style = getComputedStyle(target);
        return {tag: node.tagName, style: style.outlineStyle, width: parseFloat(style.outlineWidth)}; }""")


def tab_to(page: Page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focus is on an element matching `selector` (the keyboard's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


# ---------------------------------------------------------------- the editor, state by state

def test_editor_states_pass_axe(workbench, page, lang, audit, artifacts, tmp_path):
    """Fresh, the rates table with a changed rule, a checklist with errors shown, an import's
    result, the date fields refused, saved: axe finds nothing serious in any of them."""
    words = WORDS[lang]
    open_in(page, workbench, lang)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screen(artifacts, f"{lang}-studio-editor.png"), full_page=True)
    audit(page, f"{lang}-studio-editor-fresh")

    # Table headers carry their scope; the chosen rule says so in its row heading.
    table = page.locator(".ccs-rates-table")
    expect(table.locator("th")).not_to_have_count(0)
    expect(table.locator("th:not([scope])")).to_have_count(0)
    expect(table.locator("tr[data-rule=evidence] th")).to_contain_text(words["chosen"])

    # The grading options changed: another rule chosen, the numbers said to be for the saved settings.
    form = page.locator(".ccs-form")
    form.locator("select[name=warning_rule]").select_option("fixed")
    expect(table.locator("tr[data-rule=fixed] th")).to_contain_text(words["chosen"])
    form.locator("input[name=outlier_threshold]").fill("25")
    stale = page.locator(".ccs-rates-stale")
    expect(stale).to_have_attribute("role", "status")
    expect(stale).not_to_be_empty()
    audit(page, f"{lang}-studio-editor-rates")

    # A checklist with errors: the preview's alert, then the save's, and the item marked.
    open_in(page, workbench, lang)
    penalty = page.locator(".ccs-items > li.ccs-type-penalty").first
    with handler(page, "studio_preview"):
        penalty.locator("input.ccs-item-max").fill("5")
    expect(page.locator(".ccs-preview-error")).to_be_visible()
    expect(page.locator(".ccs-preview-error")).to_have_attribute("role", "alert")
    assert save(page).status == 400
    error = page.locator(".ccs-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(penalty).to_have_class(re.compile(r"\bccs-invalid\b"))
    # The marked item's text field is focused and described by the message.
    marked = penalty.locator("textarea")
    expect(marked).to_be_focused()
    expect(marked).to_have_attribute("aria-invalid", "true")
    error_id = error.get_attribute("id")
    assert error_id in marked.get_attribute("aria-describedby").split()
    audit(page, f"{lang}-studio-editor-checklist-errors")

    # An import's result: a good file and a refused one, each in the status region.
    open_in(page, workbench, lang)
    page.locator(".ccs-import summary").focus()
    page.keyboard.press("Enter")  # opens the details from the keyboard
    expect(page.locator(".ccs-import textarea")).to_be_visible()
    good = tmp_path / "upload.yaml"
    good.write_text(YAML_UPLOAD, encoding="utf-8")
    with handler(page, "studio_preview"):
        page.locator("input.ccs-file").set_input_files(str(good))
    status = page.locator(".ccs-import-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(words["imported"])
    audit(page, f"{lang}-studio-editor-import-good")
    bad = tmp_path / "bad.json"
    bad.write_text('{"taskName": "Bad", "criteria": [{"type": "subtask", "text": "No points"}]}')
    with handler(page, "studio_preview"):
        page.locator("input.ccs-file").set_input_files(str(bad))
    expect(status).to_contain_text("bad.json: ")
    expect(status).to_have_class(re.compile(r"\bccs-bad\b"))
    audit(page, f"{lang}-studio-editor-import-bad")

    # The date fields refused: an end before the start, the end field marked and described.
    open_in(page, workbench, lang)
    page.fill(".ccs-form input[name=review_start]", "2026-06-10T12:00")
    page.fill(".ccs-form input[name=review_due]", "2026-06-01T12:00")
    response = save(page)
    assert response.status == 400 and response.json()["field"] == "review_due"
    end = page.locator(".ccs-form input[name=review_due]")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_be_focused()
    assert page.locator(".ccs-error").get_attribute("id") in end.get_attribute("aria-describedby").split()
    expect(page.locator(".ccs-error")).to_be_visible()
    audit(page, f"{lang}-studio-editor-date-error")
    # A fresh editor for the saved state (the refused dates were never saved).
    open_in(page, workbench, lang)

    # Saved (nothing changed): the status region says so beside the button.
    response = save(page)
    assert response.status == 200, response.text()
    expect(page.locator(".ccs-status")).to_have_text(words["saved"])
    expect(page.locator(".ccs-status")).to_have_attribute("role", "status")
    expect(page.locator(".ccs-error")).to_be_hidden()
    expect(page.locator("[aria-invalid]")).to_have_count(0)
    audit(page, f"{lang}-studio-editor-saved")


def test_item_controls_are_named_after_their_item(workbench, page, lang):
    """Every control of an item names the item (position and text), and follows its text."""
    words = WORDS[lang]
    open_in(page, workbench, lang)
    row = item_row(page, 2)
    text = shown_in_name(row.locator("textarea").input_value())
    fill = {"n": 2, "text": text}
    expect(page.get_by_role("spinbutton", name=words["points"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name=words["type"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=words["delete"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=words["up"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=words["down"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name=words["text"].format(n=2), exact=True)).to_have_value(
        row.locator("textarea").input_value())
    # Every control in the list has a name that includes its item's position.
    for position in range(1, page.locator(".ccs-items > li").count() + 1):
        labels = item_row(page, position).locator("[aria-label]")
        for index in range(labels.count()):
            assert f" {position}" in labels.nth(index).get_attribute("aria-label")

    # Typing a new text renames the controls; the preview's update is announced.
    with handler(page, "studio_preview"):
        row.locator("textarea").fill("Header is <b>sticky</b>")
    fill["text"] = "Header is sticky"
    expect(page.get_by_role("button", name=words["delete"].format(**fill), exact=True)).to_be_visible()
    expect(page.get_by_role("spinbutton", name=words["points"].format(**fill), exact=True)).to_be_visible()
    expect(page.locator(".ccs-preview-status")).to_contain_text(words["preview_updated"])
    expect(page.locator(".ccs-preview-status")).to_have_attribute("role", "status")
    # Staff text is never markup in the editor: the tag is in the value and the name, not the DOM.
    expect(row.locator("b")).to_have_count(0)
    expect(page.locator(".ccs-preview-body b")).to_have_text("sticky")  # the server's sanitized copy


def test_focus_is_visible_on_every_kind_of_control(workbench, page, lang):
    open_in(page, workbench, lang)
    seen = set()
    for selector in ("input[name=display_name]", "select[name=submission_kind]", "input[name=grading_policy]",
                     "input[name=submission_due]", ".ccs-item-type", ".ccs-item-text", ".ccs-item-max",
                     ".ccs-down", ".ccs-delete", ".ccs-add button", ".ccs-import summary", ".ccs-save"):
        tab_to(page, selector)
        ring = focus_ring(page)
        assert ring["style"] != "none" and ring["width"] >= 2, (selector, ring)
        seen.add(ring["tag"])
    assert {"INPUT", "SELECT", "TEXTAREA", "BUTTON", "SUMMARY"} <= seen


def test_edit_and_save_with_the_keyboard_only(workbench, page, lang):
    """Tab to an item, retype its text and points, add an item and delete it again, reach Save
    and press Enter: no clicks. The learner's view has the edit; the demo is put back after."""
    words = WORDS[lang]
    open_in(page, workbench, lang)
    old_text = item_row(page, 2).locator("textarea").input_value()
    old_max = item_row(page, 2).locator("input.ccs-item-max").input_value()
    count = page.locator(".ccs-items > li").count()

    tab_to(page, ".ccs-items > li:nth-child(2) .ccs-item-text")
    page.keyboard.press("Control+A")
    page.keyboard.type("Keyboard-only edit of the header item")
    page.keyboard.press("Tab")  # to its points
    assert page.evaluate("document.activeElement.classList.contains('ccs-item-max')")
    page.keyboard.press("Control+A")
    page.keyboard.type("12")

    # Add a subtask with Space, then delete it with Enter: the focus lands where it can go on.
    tab_to(page, ".ccs-add button[data-add=subtask]")
    page.keyboard.press("Space")
    expect(page.locator(".ccs-items > li")).to_have_count(count + 1)
    assert page.evaluate("document.activeElement.matches('.ccs-items > li:last-child .ccs-item-text')")
    page.keyboard.type("Temporary item")
    tab_to(page, ".ccs-items > li:last-child .ccs-delete")
    page.keyboard.press("Enter")
    expect(page.locator(".ccs-items > li")).to_have_count(count)
    assert page.evaluate("document.activeElement.matches('.ccs-items > li:last-child .ccs-delete')")
    expect(page.locator(".ccs-announce")).not_to_be_empty()

    tab_to(page, ".ccs-save")
    with handler(page, "studio_submit") as response:
        page.keyboard.press("Enter")
    assert response.value.status == 200, response.value.text()
    expect(page.locator(".ccs-status")).to_have_text(words["saved"])
    expect(page.locator(".ccs-save")).to_be_focused()  # the keyboard is still where it was

    items = learner_items(page, workbench)
    assert len(items) == count
    assert (items[1]["text"], items[1]["max"]) == ("Keyboard-only edit of the header item", 12)

    open_editor(page, workbench)
    set_item(page, 2, old_text, old_max)
    assert save(page).status == 200
    items = learner_items(page, workbench)
    assert (items[1]["text"], str(items[1]["max"])) == (old_text, old_max)


# ---------------------------------------------------------------- Studio's preview of the block

@pytest.mark.parametrize("view", ["author_view", "student_view"])
def test_studio_preview_passes_axe(workbench, page, lang, view, audit, artifacts):
    words = WORDS[lang]
    path = f"/scenario/crosscheck.{DEMO}/author_view/?student=studio" if view == "author_view" else \
        f"/scenario/crosscheck.{DEMO}/?student=studio"
    page.goto(workbench.url(path))
    box = page.locator(".cc-preview")
    expect(box.locator(".cc-title")).to_have_text("Portfolio cross-check (demo)")
    expect(box.locator(".cc-preview-form h3")).to_have_text(words["form"])
    expect(page.get_by_role("region", name=words["form"])).to_be_visible()
    expect(box.locator(".cc-preview-status")).to_have_attribute("role", "status")
    if view == "author_view":
        page.screenshot(path=screen(artifacts, f"{lang}-studio-preview.png"), full_page=True)
    audit(page, f"{lang}-studio-preview-{view}")
    form = box.locator("form.cc-review-form")
    form.locator(".cc-item .cc-scale").first.locator('button[data-value="1"]').click()
    form.locator("button.cc-submit").click()
    expect(box.locator(".cc-preview-status")).to_have_text(words["only"])
    audit(page, f"{lang}-studio-preview-{view}-submitted")
