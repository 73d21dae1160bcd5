"""The calibration set and the recompute with staff anchors through the handlers (issue 16)."""
import pytest

from crosscheck_xblock.models import Assignment, CalibrationWork, Grade

from .conftest import full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
NAMES = ["ada", "bea", "cyd", "dov", "eli", "fox", "gil", "hob"]
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="3" grading_policy="mean" warning_rule="none" max_score="100" {extra}')


def _items(block, value, name=NAMES[0]):
    state = block.state(name)
    return {item["id"]: (value if item["type"] == "subtask" else 0)
            for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}


class Harsh:
    """Eight learners in review; every reviewer gives 60 % of every subtask (harsher than staff)."""

    def __init__(self, make_block, clock, size=3):
        self.block, self.clock = make_block(DATES.format(extra=f'calibration_works="{size}"')), clock
        self.block.submit_all(NAMES)
        clock.advance(days=1)
        for name in NAMES:
            state = self.block.state(name)
            for index in range(len(state["reviews"])):
                self.block.ok("submit_review", name, full_review(state, index, value=0.6))

    def page(self):
        return self.block.ok("staff_calibration", "staff")

    def grade(self, work_id, value=0.9, status=200):
        got, answer = self.block.call("staff_grade_calibration", "staff",
                                      {"work_id": work_id, "items": _items(self.block, value), "comment": "staff"})
        assert got == status, answer
        return answer

    def end(self):
        self.clock.advance(days=2)
        self.block.ok("staff_complete", "staff")


def test_the_set_is_picked_at_the_start_spread_over_the_reviewers(make_block, clock):
    harsh = Harsh(make_block, clock)
    page = harsh.page()
    assert page["enabled"] and page["open"] and page["size"] == 3 and len(page["works"]) == 3
    assert {row["learner"] for row in page["works"]} <= set(NAMES)
    assert not any(row["graded"] for row in page["works"]) and page["estimate"] is None
    # Spread: the three works together have more distinct reviewers than any one work alone.
    reviewers = {a.reviewer_id for a in Assignment.objects.filter(work_id__in=[r["work_id"] for r in page["works"]])}
    assert len(reviewers) > 3
    assert harsh.block.state(NAMES[0]).get("calibration") is None  # nothing of it on a learner's page


def test_staff_grades_move_every_grade_by_the_offset_they_show(make_block, clock):
    harsh = Harsh(make_block, clock)
    for row in harsh.page()["works"]:
        page = harsh.grade(row["work_id"], 0.9)
    assert all(row["graded"] and row["total"] == pytest.approx(90.0) for row in page["works"])
    estimate = page["estimate"]
    assert estimate["offset"]["value"] < -10 and estimate["offset"]["low"] < estimate["offset"]["value"] \
        < estimate["offset"]["high"] and estimate["anchors"] == 3
    analytics = harsh.block.ok("staff_analytics", "staff")
    assert analytics["calibration"]["offset"]["value"] == pytest.approx(estimate["offset"]["value"])
    harsh.end()
    grades = list(Grade.objects.filter(status=Grade.GRADED))
    assert len(grades) == len(NAMES) and all(g.exact_points > 60.5 for g in grades)
    assert all(g.detail["calibration"] > 0.5 for g in grades)
    explanation = harsh.block.state(NAMES[1])["grade"]["message"]
    assert "Staff graded 3 works of this task themselves" in explanation and "raised by" in explanation
    # After grading the set is closed.
    harsh.grade(page["works"][0]["work_id"], 0.5, status=409)


def test_without_anchors_nothing_moves(make_block, clock):
    harsh = Harsh(make_block, clock)  # the set exists but staff graded none of it
    harsh.end()
    assert all(g.exact_points == pytest.approx(60.0) for g in Grade.objects.all())
    assert all("calibration" not in g.detail for g in Grade.objects.all())
    assert harsh.block.ok("staff_analytics", "staff")["calibration"] is None


def test_bad_grades_of_the_set_change_nothing(make_block, clock):
    harsh = Harsh(make_block, clock)
    outside = next(a.work_id for a in Assignment.objects.all()
                   if not CalibrationWork.objects.filter(work_id=a.work_id).exists())
    before = table_snapshot()
    for body, status, code in [({"work_id": "1", "items": {}}, 400, "bad_work"),
                               ({"work_id": outside, "items": _items(harsh.block, 1)}, 404, "unknown_work"),
                               ({"work_id": harsh.page()["works"][0]["work_id"], "items": {"c2": 7}}, 400, None)]:
        got, answer = harsh.block.call("staff_grade_calibration", "staff", body)
        assert got == status and (code is None or answer["code"] == code), answer
    got, answer = harsh.block.call("staff_grade_calibration", NAMES[0],
                                   {"work_id": outside, "items": _items(harsh.block, 1)})
    assert got == 403
    assert table_snapshot() == before


def test_recompute_with_staff_rechecks_previews_then_applies(make_block, clock):
    harsh = Harsh(make_block, clock, size=0)
    harsh.end()
    assert harsh.block.ok("staff_calibration", "staff")["enabled"] is False
    # Two appeals re-checked by staff at 90 %: anchors that say the peers were harsh.
    for name in NAMES[:2]:
        items = list(_items(harsh.block, 1))[:1]
        harsh.block.ok("submit_appeal", name, {"reason": "Item two is done.", "items": items})
    for row in harsh.block.ok("staff_appeals", "staff")["appeals"]:
        harsh.block.ok("staff_recheck", "staff", {"work_id": row["work_id"], "items": _items(harsh.block, 0.9)})
    before = {g.work_id: g.points for g in Grade.objects.all()}
    snapshot = table_snapshot()
    preview = harsh.block.ok("staff_recompute", "staff", {"apply": False})
    assert preview["applied"] is False and preview["anchors"] == {"calibration_set": 0, "rechecks": 2}
    assert len(preview["changes"]) == len(NAMES) - 2 and all(c["after"] > c["before"] for c in preview["changes"])
    assert table_snapshot() == snapshot  # a preview writes nothing
    got, answer = harsh.block.call("staff_recompute", "staff", {"apply": "yes"})
    assert (got, answer["code"]) == (400, "bad_apply")
    applied = harsh.block.ok("staff_recompute", "staff", {"apply": True})
    assert applied["applied"] and applied["changes"] == preview["changes"]
    for change in applied["changes"]:
        grade = Grade.objects.get(work_id=change["work_id"])
        assert grade.points == change["after"] and grade.score_written and grade.detail["recomputed"]["before"] == \
            before[change["work_id"]]
    rechecked = [g for g in Grade.objects.all() if g.detail.get("recheck")]
    assert len(rechecked) == 2 and all(g.points == 90 for g in rechecked)  # staff's re-checks stay
    assert harsh.block.ok("staff_recompute", "staff", {"apply": False})["changes"] == []


def test_recompute_before_grading_is_refused(make_block, clock):
    harsh = Harsh(make_block, clock)
    got, answer = harsh.block.call("staff_recompute", "staff", {"apply": False})
    assert (got, answer["code"]) == (409, "not_graded")


def test_the_next_task_corrects_reviewers_staff_found_harsh_in_an_earlier_one(make_block, clock,
                                                                                django_assert_num_queries):
    """Task A: every reviewer gives 60 % where staff, grading the calibration set, give 90 %.
    Task B of the same course has no anchors: its reliability model starts the reviewers whose
    reviews staff could compare from A's evidence, so B's grades move towards staff."""
    from crosscheck_xblock.models import Task
    from crosscheck_xblock.services import grading, latest, registry

    first = Harsh(make_block, clock)
    # No history yet: no priors, in one query.
    task_a = registry.find_task(Task.objects.get().usage_key)
    with django_assert_num_queries(1):
        assert grading.history_priors(task_a) == {}
    for row in first.page()["works"]:
        first.grade(row["work_id"], value=0.9)
    first.end()

    second = make_block(DATES.format(extra="").replace('grading_policy="mean"', 'grading_policy="reliability"')
                        .replace("2026-03-03", "2026-03-06").replace("2026-03-05", "2026-03-08"))
    second.submit_all(NAMES)
    clock.advance(days=1)
    for n, name in enumerate(NAMES):  # reviewers differ a little, so the model has habits to fit
        state = second.state(name)
        for index in range(len(state["reviews"])):
            second.ok("submit_review", name, full_review(state, index, value=0.55 + 0.02 * n))
    row_b = Task.objects.exclude(pk=task_a.id).get()
    task_b = registry.find_task(row_b.usage_key)
    assert task_b.course_id == task_a.course_id
    with django_assert_num_queries(5):  # whatever the number of earlier tasks and works
        priors = grading.history_priors(task_b)
    assert priors and all(value < -5 and sd > 0 for value, sd in priors.values())
    reviews = latest.latest_reviews(task_b)
    plain = grading.grade_reviews(task_b, reviews).outcome.works
    clock.advance(days=2)
    second.ok("staff_complete", "staff")
    grades = {g.work_id: g.exact_points for g in Grade.objects.filter(work__task_id=row_b.pk, status=Grade.GRADED)}
    assert grades and sum(grades.values()) / len(grades) > sum(w.points for w in plain.values()) / len(plain) + 1
    # Task A, graded before B existed, is unchanged by B (history only looks back).
    task_a = registry.find_task(Task.objects.get(pk=task_a.id).usage_key)
    assert grading.history_priors(task_a) == {}


def test_a_task_graded_item_by_item_is_calibrated_item_by_item(make_block, clock):
    """Per-item aggregation: the set's staff checklist grades are item-level anchors; each item
    of every grade moves by its own offset and the detail says by how much."""
    harsh = Harsh.__new__(Harsh)
    harsh.block, harsh.clock = make_block(DATES.format(extra='calibration_works="3" aggregation="per_item"')), clock
    harsh.block.submit_all(NAMES)
    clock.advance(days=1)
    for name in NAMES:
        state = harsh.block.state(name)
        for index in range(len(state["reviews"])):
            harsh.block.ok("submit_review", name, full_review(state, index, value=0.6))
    for row in harsh.page()["works"]:
        harsh.grade(row["work_id"], value=0.9)
    estimate = harsh.page()["estimate"]
    assert estimate["items_applied"] is True and estimate["items"]
    values = [item["value"] for item in estimate["items"].values()]
    assert min(values) < -1 and max(values) <= 1e-9  # subtasks under-scored; penalties agree (0)
    harsh.end()
    grades = list(Grade.objects.filter(status=Grade.GRADED))
    assert grades
    for grade in grades:
        moved = [item["calibration"] for item in grade.detail["items"] if "calibration" in item]
        assert moved and all(m > 0 for m in moved)
        assert grade.detail["calibration"] == pytest.approx(sum(moved), abs=1e-3)
        assert "item by item" in grade.detail["summary"]["msgid"]
    # The learner sees each item's move, and the sentence, in their language.
    shown = harsh.block.state(NAMES[0])["grade"]
    assert any(item["calibration"] > 0 for item in shown["items"])
    assert "item by item" in shown["message"]


def test_rechecks_of_a_task_graded_item_by_item_recompute_item_by_item(make_block, clock):
    harsh = Harsh.__new__(Harsh)
    harsh.block, harsh.clock = make_block(DATES.format(extra='calibration_works="0" aggregation="per_item"')), clock
    harsh.block.submit_all(NAMES)
    clock.advance(days=1)
    for name in NAMES:
        state = harsh.block.state(name)
        for index in range(len(state["reviews"])):
            harsh.block.ok("submit_review", name, full_review(state, index, value=0.6))
    harsh.end()
    appealed = list(_items(harsh.block, 1))[:1]
    for name in NAMES[:3]:
        harsh.block.ok("submit_appeal", name, {"reason": "Item two is done.", "items": appealed})
    for row in harsh.block.ok("staff_appeals", "staff")["appeals"]:
        harsh.block.ok("staff_recheck", "staff", {"work_id": row["work_id"], "items": _items(harsh.block, 0.9)})
    preview = harsh.block.ok("staff_recompute", "staff", {"apply": False})
    assert preview["anchors"] == {"calibration_set": 0, "rechecks": 3}
    assert preview["estimate"]["items_applied"] is True
    assert preview["changes"] and all(c["after"] > c["before"] for c in preview["changes"])
    harsh.block.ok("staff_recompute", "staff", {"apply": True})
    moved = Grade.objects.get(work_id=preview["changes"][0]["work_id"])
    assert any(item.get("calibration", 0) > 0 for item in moved.detail["items"])
