"""The reviewer rating (F3) in a real browser: the learner's own panel under the grade and the
staff tab with the course's table and CSV link, both audited with axe. The rating is the
course's: the demo (crosscheck.0) is still open here (this file runs before test_flow.py, which
starts it), but its learners reviewed in the demo under review (crosscheck.2) of the same
workbench course, so they have a rating there and here."""
import pytest

from .test_flow import (
    DEMO,
    DEMO_LEARNERS,
    PHASE_SUBMISSION,
    expect,
    handler_response,
    open_block,
    open_tab,
    screenshot,
)

pytestmark = pytest.mark.browser


def test_the_learners_own_rating_and_the_staff_table(workbench, context, audit, artifacts):
    page = context.new_page()
    open_block(page, workbench.scenario(DEMO, "alice"), PHASE_SUBMISSION)
    with handler_response(page, "get_reviewer_rating") as response:  # the grade tab loads it
        open_tab(page, "grade")
    own = response.value.json()
    assert own["rating"] is not None and own["reviews"] > 0  # alice's reviews in crosscheck.2
    section = page.locator(".crosscheck .cc-reviewer-rating")
    expect(section.locator("h3")).to_have_text("Your rating as a reviewer")
    expect(section.locator(".cc-rating-number")).to_have_text(f"{own['rating']:g} of 100")
    expect(section.locator("table.cc-rating-parts tbody tr")).to_have_count(5)
    expect(section.locator(".cc-rating-explanation li")).to_have_count(len(own["explanation"]))
    expect(section.locator(".cc-rating-explanation li").last).to_contain_text("Your rating rises")
    expect(page.locator(".cc-error")).to_be_hidden()
    expect(page.locator('.crosscheck [role=tab][data-tab="ratings"]')).to_have_count(0)  # staff only
    screenshot(page, artifacts / "reviewer-rating-learner.png")
    audit(page, "en-reviewer-rating-learner")

    staff = context.new_page()
    open_block(staff, workbench.scenario(DEMO, "staff"), PHASE_SUBMISSION)
    with handler_response(staff, "staff_reviewer_ratings") as response:
        open_tab(staff, "ratings")
    ratings = response.value.json()["ratings"]
    assert {row["learner"] for row in ratings} >= set(DEMO_LEARNERS)
    panel = staff.locator(".crosscheck .cc-panel-ratings")
    expect(panel.locator("table.cc-ratings-table tbody tr")).to_have_count(len(ratings))
    expect(panel.locator(".cc-rating-formula")).to_contain_text("70 × agreement")
    href = panel.locator(".cc-staff-exports a").get_attribute("href")
    assert "kind=reviewer_ratings" in href
    answer = context.request.get(workbench.url(href + "&header=keys"))
    assert answer.status == 200 and answer.text().startswith('"learner","student_id","rating",')
    expect(staff.locator(".cc-error")).to_be_hidden()
    screenshot(staff, artifacts / "reviewer-ratings-staff.png")
    audit(staff, "en-reviewer-ratings-staff")
