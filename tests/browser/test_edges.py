"""Studio's view of the block and the read-only page of staff viewing as a learner, in a browser."""
from playwright.sync_api import expect

from .test_flow import DEMO, PHASE_SUBMISSION, open_block, screenshot


def test_studio_shows_a_static_preview_of_the_form(workbench, context, artifacts):
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request) if "/handler/" in request.url else None)
    page.goto(workbench.url(f"/scenario/crosscheck.{DEMO}/author_view/?student=studio"))
    box = page.locator(".cc-preview")
    expect(box.locator(".cc-title")).to_have_text("Portfolio cross-check (demo)")
    expect(box.locator(".cc-preview-note")).to_contain_text("Nothing you enter here is saved")
    expect(box.locator(".cc-preview-list")).to_contain_text("Reviews per work")
    form = box.locator("form.cc-review-form")
    expect(form.locator(".cc-item").first).to_be_visible()
    form.locator(".cc-item .cc-scale").first.locator('button[data-value="1"]').click()
    form.locator("button.cc-submit").click()
    expect(box.locator(".cc-preview-status")).to_have_text("Preview only: nothing was sent or saved.")
    assert requests == []  # the preview never calls the server
    screenshot(page, artifacts / "studio-preview.png")


def test_staff_viewing_as_a_learner_get_a_read_only_page(workbench, context, artifacts):
    page = context.new_page()
    open_block(page, workbench.scenario(DEMO, "staff-as-alice"), PHASE_SUBMISSION)
    expect(page.locator(".cc-read-only")).to_contain_text("You are viewing this cross-check as a learner")
    expect(page.locator(".cc-submitted a")).to_have_attribute("href", "https://alice-portfolio.example.com/")
    expect(page.locator(".crosscheck form")).to_have_count(0)  # nothing to send in alice's name
    expect(page.locator(".cc-staff")).to_be_hidden()
    screenshot(page, artifacts / "staff-as-learner.png")
    # alice herself has her forms.
    open_block(page, workbench.scenario(DEMO, "alice"), PHASE_SUBMISSION)
    expect(page.locator(".cc-read-only")).to_be_hidden()
    expect(page.locator("form.cc-submit-form")).to_be_visible()
