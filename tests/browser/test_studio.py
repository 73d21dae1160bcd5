"""The settings editor (studio_view) saves in the workbench and refuses invalid values."""
from playwright.sync_api import expect


def test_studio_edit_saves_and_refuses_invalid(workbench, context, artifacts):
    """Rename the demo task in the editor; an out-of-range k is refused with the server's message."""
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    editor = workbench.url("/scenario/crosscheck.0/studio_view/?student=staff")
    page.goto(editor)
    page.fill("input#xb-field-edit-display_name", "Renamed <b>portfolio</b> task")
    with page.expect_response(lambda r: "submit_studio_edits" in r.url) as saved:
        page.click(".save-button")
    assert saved.value.status == 200
    page.screenshot(path=str(artifacts / "studio-editor.png"), full_page=True)

    page.goto(workbench.scenario(0, "alice"))
    expect(page.locator(".cc-title")).to_have_text("Renamed <b>portfolio</b> task")  # shown as text

    page.goto(editor)
    page.fill("input#xb-field-edit-reviews_per_work", "11")
    with page.expect_response(lambda r: "submit_studio_edits" in r.url) as refused:
        page.click(".save-button")
    assert refused.value.status == 400
    page.goto(editor)
    expect(page.locator("input#xb-field-edit-reviews_per_work")).to_have_value("4")
