"""The best works page (issue 12) in a real browser, on the demo under review (crosscheck.2),
whose reviewers marked some works as best: staff select works with the keyboard and the mouse,
thank their authors with a note, get the selection's CSV; the author reads the thanks. Audited
with axe in English and Russian."""
import pytest

from crosscheck_xblock.block import RUNNING_SCENARIO, CrossCheckXBlock

from .test_flow import PHASE_REVIEW, expect, handler_response, open_block, open_tab, screenshot

pytestmark = pytest.mark.browser
RUNNING = [title for title, _xml in CrossCheckXBlock.workbench_scenarios()].index(RUNNING_SCENARIO)
PHASE_REVIEW_RU = "Кросс-чек идёт: проверьте назначенные вам работы."


def test_staff_thank_the_authors_of_selected_best_works(workbench, context, context_ru, audit, artifacts):
    staff = context.new_page()
    open_block(staff, workbench.scenario(RUNNING, "staff"), PHASE_REVIEW)
    with handler_response(staff, "staff_best_works") as response:
        open_tab(staff, "best")
    works = response.value.json()["works"]
    assert works, "the demo's reviewers marked works as best"
    panel = staff.locator(".crosscheck .cc-panel-best")
    rows = panel.locator("table.cc-best-table tbody tr")
    expect(rows).to_have_count(len(works))
    expect(panel.locator(".cc-selection-count")).to_have_text("0 works selected")
    expect(panel.locator(".cc-best-thank")).to_be_disabled()
    first = panel.locator("input.cc-best-select").first
    first.focus()
    staff.keyboard.press("Space")  # keyboard-operable
    expect(panel.locator(".cc-selection-count")).to_have_text("1 work selected")
    href = panel.locator(".cc-best-export-selected").get_attribute("href")
    assert f"work_ids={works[0]['work_id']}" in href
    csv = context.request.get(workbench.url(href + "&header=keys"))
    assert csv.status == 200 and csv.text().count("\n") == 2  # the header and the one selected work
    audit(staff, "en-best-works-staff")
    panel.locator(".cc-thanks-note").fill("Clean code and a very clear README.")
    with handler_response(staff, "staff_best_works_thank") as thanked:
        panel.locator(".cc-best-thank").click()
    assert thanked.value.json() == {"thanked": 1, "already": 0}
    expect(panel.locator(".cc-result")).to_have_text("1 author thanked.")
    expect(panel.locator("table.cc-best-table tbody tr").first).to_contain_text("author thanked")
    panel.get_by_role("button", name="Select all").click()
    expect(panel.locator(".cc-selection-count")).to_have_text(
        f"{len(works)} work selected" if len(works) == 1 else f"{len(works)} works selected")
    panel.locator(".cc-best-thank").click()  # thanked once: the first is counted as already thanked
    expect(panel.locator(".cc-result")).to_contain_text("already were")
    expect(staff.locator(".cc-error")).to_be_hidden()
    screenshot(staff, artifacts / "best-works-staff.png")

    author = works[0]["learner"]
    page = context.new_page()
    open_block(page, workbench.scenario(RUNNING, author), PHASE_REVIEW)
    open_tab(page, "grade")
    news = page.locator(".crosscheck .cc-best-learner")
    expect(news.locator(".cc-best-thanks")).to_have_text(
        "Your work was chosen as one of the best works of this cross-check.")
    expect(news).to_contain_text("Clean code and a very clear README.")
    for other in works[1:]:  # (the page also has the links of the works the author reviews)
        expect(news).not_to_contain_text(other["learner"])
    audit(page, "en-best-works-learner")

    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(RUNNING, "staff"), PHASE_REVIEW_RU)
    open_tab(ru, "best")
    expect(ru.locator(".crosscheck .cc-panel-best h3")).to_have_text("Лучшие работы")
    audit(ru, "ru-best-works-staff")
    ru_author = context_ru.new_page()
    open_block(ru_author, workbench.scenario(RUNNING, author), PHASE_REVIEW_RU)
    open_tab(ru_author, "grade")
    expect(ru_author.locator(".crosscheck .cc-best-thanks")).to_have_text(
        "Ваша работа выбрана одной из лучших работ этого кросс-чека.")
    audit(ru_author, "ru-best-works-learner")
