"""The staff table's pages (issue 15) on the demo's staff page: rows per page, previous/next with
"Page x of y", sortable headers (buttons, aria-sort) and the search by learner, all answered by
the server (staff_overview); the keyboard alone works them; axe audits it in English and Russian.

It only reads the demo (crosscheck.0), so it runs in a group of its own: whatever the demo's
phase, its twelve learners are there."""
from .test_flow import DEMO, DEMO_LEARNERS, Bilingual, expect, handler_response


def open_staff(page, url):
    page.goto(url)
    expect(page.locator(".cc-progress-table tbody tr")).to_have_count(len(DEMO_LEARNERS))


def learners(page):
    return page.locator(".cc-progress-table tbody tr td:first-child").all_inner_texts()


def test_the_staff_table_pages_sorts_and_searches_on_the_server(workbench, context):
    page = context.new_page()
    open_staff(page, workbench.scenario(DEMO, "staff"))
    table = page.locator(".cc-staff-learners")
    expect(table.locator(".cc-row-count")).to_have_text(f"Learners 1–12 of {len(DEMO_LEARNERS)}")
    expect(table.locator(".cc-page-status")).to_have_text("Page 1 of 1")
    expect(table.locator(".cc-page-prev")).to_be_disabled()
    expect(table.locator(".cc-page-next")).to_be_disabled()
    expect(table.locator('th[aria-sort="ascending"] button')).to_have_text("Submitted")

    # Ten rows a page: two pages; the keyboard goes to the next one.
    with handler_response(page, "staff_overview") as response:
        table.locator("select.cc-per-page").select_option("10")
    assert response.value.json()["per_page"] == 10
    expect(table.locator("tbody tr")).to_have_count(10)
    expect(table.locator(".cc-page-status")).to_have_text("Page 1 of 2")
    first_page = learners(page)
    table.locator(".cc-page-next").focus()
    page.keyboard.press("Enter")
    expect(table.locator(".cc-page-status")).to_have_text("Page 2 of 2")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator(".cc-row-count")).to_have_text("Learners 11–12 of 12")
    expect(table.locator(".cc-page-next")).to_be_disabled()
    expect(table.locator(".cc-page-prev")).to_be_focused()  # the focus did not fall to the page's top
    assert sorted(first_page + learners(page)) == sorted(DEMO_LEARNERS)

    # A header sorts all the works, from the first page; again, the other way.
    learner = table.locator("thead th").first
    learner.locator("button").click()
    expect(learner).to_have_attribute("aria-sort", "ascending")
    expect(table.locator(".cc-page-status")).to_have_text("Page 1 of 2")
    expect(table.locator("tbody tr").first).to_have_attribute("data-learner", "alice")
    assert learners(page) == sorted(DEMO_LEARNERS)[:10]
    learner.locator("button").press("Enter")
    expect(learner).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr").first).to_have_attribute("data-learner", "oscar")
    expect(table.locator('th[aria-sort] button')).to_have_count(1)

    # The search asks the server for the matching learners (case does not matter).
    box = table.locator("input.cc-staff-search-input")
    box.fill("AL")
    box.press("Enter")
    expect(table.locator(".cc-row-count")).to_have_text("Learners 1–2 of 2")
    assert learners(page) == ["mallory", "alice"]  # still sorted by learner, backwards
    expect(table.locator(".cc-page-status")).to_have_text("Page 1 of 1")
    box.fill("nobody")
    box.press("Enter")
    expect(table.locator(".cc-row-count")).to_have_text("No learner matches “nobody”.")
    expect(table.locator("tbody tr")).to_have_count(0)
    box.fill("")
    box.press("Enter")
    expect(table.locator("tbody tr")).to_have_count(10)


def test_the_paged_table_passes_axe_in_english_and_russian(workbench, context, context_ru, audit, artifacts):
    both = Bilingual(context, context_ru, audit, artifacts)

    def second_page(page):
        page.locator(".cc-staff-learners select.cc-per-page").select_option("10")
        expect(page.locator(".cc-staff-learners tbody tr")).to_have_count(10)
        page.locator(".cc-staff-learners .cc-page-next").click()
        page.locator(".cc-staff-learners thead th").nth(3).locator("button").click()
        expect(page.locator(".cc-staff-learners thead th").nth(3)).to_have_attribute("aria-sort", "ascending")

    both.check(workbench.scenario(DEMO, "staff"), "staff-paging", ready=".cc-progress-table tbody tr",
               action=second_page, then=".cc-pager")
    ru = both.pages["ru"]
    expect(ru.locator(".cc-page-status")).to_have_text("Страница 1 из 2")
    expect(ru.locator(".cc-page-next")).to_have_text("Следующая страница")
    expect(ru.locator(".cc-staff-learners label").first).to_have_text("Поиск по учащемуся")
