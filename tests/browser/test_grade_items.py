"""The learner's grade graded item by item, as the page draws it (renderGrade).

Grading a whole task item by item in the browser would change the demo other files use, so the
page of the demo (crosscheck.0, not started) is loaded with a grade put into its start data: the
same JSON `grade_explanation` answers for a per-item grade (tests/handlers/test_grading_options.py
checks that JSON against real grading).
"""
import json
import re

import pytest

from .test_flow import DEMO, PHASE_SUBMISSION, expect, open_block

pytestmark = pytest.mark.browser

GRADE = {
    "status": "graded", "points": 78, "max": 100, "exact": 77.5, "policy": "median",
    "message": "Your grade is 78 of 100: First, 1 score more than 15 points from the other scores of "
               "your work was left out. Each checklist item was graded on its own (the middle of the "
               "reviewers' points for it), then the items were added up.",
    "scores": [{"reviewer": "Reviewer 1", "total": 80.0, "counted": True, "weight": None, "adjusted": 80.0,
                "reason": ""},
               {"reviewer": "Reviewer 2", "total": 75.0, "counted": True, "weight": None, "adjusted": 75.0,
                "reason": ""},
               {"reviewer": "Reviewer 3", "total": 20.0, "counted": False, "weight": 0.0, "adjusted": 20.0,
                "reason": "more than 15 points from the other scores"}],
    "aggregation": "per_item",
    "items": [
        {"id": "c2", "type": "subtask", "text": "A <code>header</code> <img src=x>", "max": 10,
         "html": "A <code>header</code> &lt;img src=x&gt;", "points": 7.5,
         "scores": [{"reviewer": "Reviewer 1", "points": 10.0, "counted": True, "reason": ""},
                    {"reviewer": "Reviewer 2", "points": 5.0, "counted": True, "reason": ""}]},
        {"id": "c16", "type": "penalty", "text": "Late commits", "max": -20, "html": "Late commits",
         "points": 0.0,
         "scores": [{"reviewer": "Reviewer 1", "points": 0.0, "counted": True, "reason": ""},
                    {"reviewer": "Reviewer 2", "points": -20.0, "counted": False,
                     "reason": "below the middle score"}]},
    ],
}


def test_per_item_grade_lists_every_item_and_reviewer(workbench, context, artifacts):
    page = context.new_page()
    text = json.dumps(GRADE).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    def with_grade(route):
        response = route.fetch()
        body = response.text()
        assert '"grade": null' in body
        route.fulfill(response=response, body=body.replace('"grade": null', '"grade": ' + text, 1))

    page.route(re.compile(r".*/scenario/crosscheck\.0/\?student=alice$"), with_grade)
    open_block(page, workbench.scenario(DEMO, "alice"), PHASE_SUBMISSION)
    grade = page.locator(".cc-grade")
    expect(grade.locator(".cc-grade-points")).to_have_text("78 of 100")
    expect(grade.locator(".cc-grade-scores li.cc-dropped")).to_have_text(
        "Reviewer 3: 20 (left out: more than 15 points from the other scores)")
    items = grade.locator(".cc-grade-items li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_text("A header <img src=x>: 7.5 of 10 — Reviewer 1 10, Reviewer 2 5")
    expect(items.nth(0).locator("code")).to_have_text("header")  # the sanitized item HTML
    expect(items.nth(0).locator("img")).to_have_count(0)
    expect(items.nth(1)).to_have_text(
        "Late commits: no penalty — Reviewer 1 0, Reviewer 2 -20 (not counted: below the middle score)")
    expect(page.locator(".cc-error")).to_be_hidden()
    grade.screenshot(path=str(artifacts / "learner-grade-per-item.png"))
