"""The staff tables at a thousand rows (issue 10): common.js's dataTable, the one the best works,
reviewer ratings and conversations tabs use (progress and analytics page on the server, issue 15),
on the learner page's own scripts — sort by a column (both ways, empty
cells last), filter by learner with the count announced, headers that stay in view, and a
keyboard that reaches the sort buttons."""
from .test_flow import DEMO, expect

ROWS = 1000
BUILD = """(n) => {
  const rows = Array.from({length: n}, (_, i) => ({
    learner: "learner" + String(i).padStart(4, "0"), done: (i * 7) % 5, grade: i % 10 === 0 ? null : (i * 37) % 101}));
  const table = CrossCheckCommon.dataTable([
    {label: "Learner", value: r => r.learner, cell: r => r.learner, rowHeader: true},
    {label: "Reviews done", value: r => r.done, cell: r => String(r.done)},
    {label: "Grade", value: r => r.grade, cell: r => r.grade === null ? "" : String(r.grade)}],
    rows, {caption: "A thousand learners", filter: r => r.learner, tableClass: "cc-test-table"});
  table.id = "cc-test-wrap";
  document.querySelector(".crosscheck").appendChild(table);
}"""


def column(page, index):
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('#cc-test-wrap tbody tr'))
        .filter(tr => !tr.hidden).map(tr => tr.children[{index}].textContent)""")


def test_a_thousand_rows_sort_filter_and_keep_their_headers(workbench, context):
    page = context.new_page()
    page.goto(workbench.scenario(DEMO, "staff"))
    expect(page.locator(".crosscheck [role=tab]").first).to_be_visible()
    page.evaluate(BUILD, ROWS)
    wrap = page.locator("#cc-test-wrap")
    expect(wrap.locator("tbody tr")).to_have_count(ROWS)
    expect(wrap.locator(".cc-row-count")).to_have_text(f"{ROWS:,} of {ROWS:,} rows shown")

    grade = wrap.locator("thead th").nth(2)
    grade.locator("button").click()
    expect(grade).to_have_attribute("aria-sort", "ascending")
    grades = column(page, 2)
    numbers = [int(g) for g in grades if g]
    assert numbers == sorted(numbers) and grades[len(numbers):] == [""] * (ROWS - len(numbers))
    grade.locator("button").click()
    expect(grade).to_have_attribute("aria-sort", "descending")
    grades = column(page, 2)
    numbers = [int(g) for g in grades if g]
    assert numbers == sorted(numbers, reverse=True) and grades[-1] == ""  # empty cells last both ways

    # The keyboard reaches the first sort button and Enter sorts by learner.
    learner = wrap.locator("thead th").first
    learner.locator("button").focus()
    page.keyboard.press("Enter")
    expect(learner).to_have_attribute("aria-sort", "ascending")
    expect(grade).not_to_have_attribute("aria-sort", "descending")
    assert column(page, 0)[:2] == ["learner0000", "learner0001"]

    box = wrap.locator("input[type=search]")
    box.fill("learner09")
    expect(wrap.locator(".cc-row-count")).to_have_text(f"100 of {ROWS:,} rows shown")
    assert column(page, 0) == [f"learner{i:04d}" for i in range(900, 1000)]
    box.fill("")
    expect(wrap.locator(".cc-row-count")).to_have_text(f"{ROWS:,} of {ROWS:,} rows shown")

    # Scrolled to the bottom of its region, the header row stays at the region's top.
    region = wrap.locator(".cc-table-scroll")
    region.evaluate("node => { node.scrollTop = node.scrollHeight; }")
    assert region.evaluate("node => node.scrollTop") > 10_000  # the rows did scroll by
    assert wrap.locator("thead th").first.evaluate("th => getComputedStyle(th).position") == "sticky"
    assert abs(wrap.locator("thead th").first.bounding_box()["y"] - region.bounding_box()["y"]) < 2
