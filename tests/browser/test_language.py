"""The learner page in a Russian browser: the page's language, its formats, its JS texts (from
the shipped catalog, crosscheck_xblock/public/js/translations/ru/djangojs.js) and the server's
sentences (from text.mo), with Russian plural forms."""
import gettext

from crosscheck_xblock import i18n

from .test_flow import DEMO, expect, expect_tab

JS_CATALOG = gettext.translation("djangojs", str(i18n.LOCALE_DIR), ["ru"])
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
    expect(tabs).to_have_text([JS_CATALOG.gettext(label) for label in TABS])
    expect(tabs.first).to_have_text("Моя работа")
    assert [page.evaluate(f"CrossCheckCommon.nt('%(n)s point', '%(n)s points', {n})") for n in (1, 3, 5, 21)] == [
        "1 балл", "3 балла", "5 баллов", "21 балл"]
    expect(box.locator(".cc-progress-work")).to_have_text("Работа: отправлена")
    # The server's sentence for the phase, worded by text.mo for the same request language.
    expect(box.locator(".cc-phase")).to_contain_text(i18n.catalog("ru").gettext("Submission is open."))
    page.screenshot(path=str(artifacts / "screens" / "ru-demo-my-work.png"), full_page=True)
    audit(page, "ru-demo-my-work")
