"""The calibration set in a real browser (issue 16): the reviewers are harsh (60 % of every item);
staff grade the two works the block picked, with the checklist, in the Analytics tab; the offset
the staff grades show is on the page, item by item (the task is graded item by item); grading
moves every item by its own offset and the learner reads why, item by item; after grading a
recompute preview changes nothing more. The panel and the learner's grade pass axe, in English
and Russian.
"""
import secrets
from fractions import Fraction

from playwright.sync_api import expect

from crosscheck_xblock.block import CALIBRATION_TEST_SCENARIO

from .test_conversations import PHASE_REVIEW, PHASE_SUBMISSION, api, scenario_number
from .test_flow import handler_response, open_block, open_tab, set_item

TASK = scenario_number(CALIBRATION_TEST_SCENARIO)  # k = 2, mean, per item, a calibration set of 2
LEARNERS = [f"k{n}-{secrets.token_hex(2)}" for n in range(1, 6)]


def _harsh_reviews(page, state):
    for review in state["reviews"]:
        items = {item["id"]: (0.6 if item["type"] == "subtask" else 0) for item in state["checklist"]["items"]
                 if item["type"] in ("subtask", "penalty")}
        comments = {item["id"]: "Only partly there." for item in state["checklist"]["items"]
                    if item["type"] == "subtask"}
        api(page, "submit_review", {"review_id": review["id"], "items": items, "item_comments": comments,
                                    "comment": "Strict but fair."})


def test_staff_grade_the_calibration_set_and_the_grades_follow(workbench, context, context_ru, audit):
    page = context.new_page()
    for name in LEARNERS:
        open_block(page, workbench.scenario(TASK, name), PHASE_SUBMISSION)
        api(page, "submit_work", {"url": f"https://k{secrets.token_hex(4)}.example.org/"})
    staff = context.new_page()
    open_block(staff, workbench.scenario(TASK, "staff"), PHASE_SUBMISSION)
    api(staff, "staff_start", {})
    for name in LEARNERS:
        state = open_block(page, workbench.scenario(TASK, name), PHASE_REVIEW)
        _harsh_reviews(page, state)

    state = open_block(staff, workbench.scenario(TASK, "staff"), PHASE_REVIEW)
    open_tab(staff, "analytics")
    panel = staff.locator(".cc-calibration")
    expect(panel.locator(".cc-calibration-work")).to_have_count(2)
    expect(panel.locator(".cc-calibration-estimate")).to_have_text(
        "No staff grades yet: the peers' grades are used as they are.")
    audit(staff, "en-calibration-set")
    for index in range(2):
        work = staff.locator(".cc-calibration .cc-calibration-work").nth(index)
        work.locator("details.cc-calibration-grade > summary").click()
        form = work.locator("form.cc-calibration-form")
        for item in state["checklist"]["items"]:
            if item["type"] in ("subtask", "penalty"):
                set_item(form.locator(f'.cc-item[data-item="{item["id"]}"]'), item["type"],
                         Fraction(1 if item["type"] == "subtask" else 0))
        with handler_response(staff, "staff_grade_calibration") as response:
            form.locator("button[type=submit]").click()
        assert response.value.status == 200
        expect(staff.locator(".cc-calibration .cc-ok")).to_have_text("Staff grade saved.")
    estimate = staff.locator(".cc-calibration .cc-calibration-estimate")
    expect(estimate).to_contain_text("From 2 staff grades, the peers' grades are estimated to be -")
    expect(staff.locator(".cc-calibration .cc-calibration-work").first).to_contain_text("Your grade: 100 of 100")
    audit(staff, "en-calibration-graded")
    # Item by item: every subtask's offset with its interval, named as in the checklist.
    scored = [item for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")]
    listed = staff.locator(".cc-calibration .cc-calibration-items")
    expect(listed.locator("li")).to_have_count(len(scored))
    expect(listed).to_contain_text("points from staff's (95-percent interval")

    api(staff, "staff_complete", {})
    learner = open_block(page, workbench.scenario(TASK, LEARNERS[0]), "The cross-check is complete.")
    assert "Staff graded 2 works of this task themselves with the checklist" in learner["grade"]["message"]
    assert learner["grade"]["points"] > 60
    assert any(item["calibration"] > 0 for item in learner["grade"]["items"])
    expect(page.locator(".cc-grade-items")).to_contain_text("(raised by")
    audit(page, "en-calibration-learner-items")
    ru = context_ru.new_page()
    open_block(ru, workbench.scenario(TASK, LEARNERS[0]), "Кросс-чек завершён.")
    expect(ru.locator(".cc-grade-items")).to_contain_text("(повышено на")
    audit(ru, "ru-calibration-learner-items")
    staff_ru = context_ru.new_page()
    open_block(staff_ru, workbench.scenario(TASK, "staff"), "Кросс-чек завершён.")
    open_tab(staff_ru, "analytics")
    expect(staff_ru.locator(".cc-calibration .cc-calibration-items")).to_contain_text("95-процентный интервал")
    audit(staff_ru, "ru-calibration-items")
    open_block(staff, workbench.scenario(TASK, "staff"), "The cross-check is complete.")
    open_tab(staff, "analytics")
    with handler_response(staff, "staff_recompute") as response:
        staff.locator(".cc-calibration button.cc-recompute-preview").click()
    assert response.value.status == 200
    expect(staff.locator(".cc-recompute-result")).to_contain_text("0 grades would change.")
