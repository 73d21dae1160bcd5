"""The learner page in a Russian browser: the page's language, its formats, and its JS texts.

The Russian JS texts come from the compiled catalog (ru-learner.json applied and compiled by
`python -m i18n_tools.translations apply ru ru-learner.json && … compile`). The test asserts them
when the page's catalog knows the tab labels, and otherwise that the page falls back to English
(the msgids): it asserts either way, and after compiling it asserts the Russian.
"""
import json
from pathlib import Path

from .test_flow import DEMO, expect, expect_tab

TRANSLATIONS = json.loads((Path(__file__).resolve().parents[2] / "ru-learner.json").read_text(encoding="utf-8"))
TABS = ["My work", "Reviews to do", "Feedback on my work", "Grade and appeal"]


def test_russian_browser_gets_a_russian_page(workbench, context_ru, audit, artifacts):
    page = context_ru.new_page()
    page.goto(workbench.scenario(DEMO, "alice"))
    box = page.locator(".crosscheck")
    expect(box).to_have_attribute("lang", "ru")
    tabs = box.locator("[role=tab] .cc-tab-label")
    expect(tabs).to_have_count(len(TABS))
    expect_tab(page, "work")
    # Numbers and dates follow the page's language whatever the catalogs hold.
    assert page.evaluate("CrossCheckCommon.fmtNumber(2.5)") == "2,5"
    assert page.evaluate("CrossCheckCommon.percent(0.15)") == "15\u00a0%"
    compiled = page.evaluate("!!window.CrossCheckI18N && CrossCheckI18N.gettext('My work') !== 'My work'")
    if compiled:  # the Russian catalog is compiled: the JS texts are Russian, plurals in three forms
        expect(tabs).to_have_text([TRANSLATIONS[label] for label in TABS])
        forms = TRANSLATIONS["%(n)s point"]
        assert [page.evaluate(f"CrossCheckCommon.nt('%(n)s point', '%(n)s points', {n})") for n in (1, 3, 5)] == [
            form.replace("%(n)s", str(n)) for form, n in zip(forms, (1, 3, 5))]
        expect(box.locator(".cc-progress-work")).to_have_text(TRANSLATIONS["Work: submitted"])
    else:  # not compiled yet: the English msgids, never an empty or broken label
        expect(tabs).to_have_text(TABS)
        expect(box.locator(".cc-progress-work")).to_have_text("Work: submitted")
    page.screenshot(path=str(artifacts / "screens" / "ru-demo-my-work.png"), full_page=True)
    audit(page, "ru-demo-my-work")
