"""Staff analytics and CSV exports (issue 5): staff only, the numbers, the CSVs, query counts."""
import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import i18n
from crosscheck_xblock.services.exports import GRADE_COLUMNS, REVIEW_COLUMNS

from .conftest import download, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
FIVE = ["a", "b", "c", "d", "e"]
# (reviewer, author) → the share of every subtask the reviewer gives; 0.6 otherwise.
GIVEN = {("b", "a"): 0.8, ("c", "a"): 0.8, ("e", "a"): 0.8, ("d", "a"): 0.4,
         ("a", "b"): 0.7, ("c", "b"): 0.7, ("d", "b"): 0.7, ("e", "b"): 0.7}


def export(block, kind, student="staff", header="", language=""):
    """The CSV export as `student`: `header="keys"` asks for the stable column names, `language`
    is the browser's Accept-Language."""
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    suffix = f"&header={header}" if header else ""
    return download(block.client, f"/handler/{block.usage_id}/staff_export/?student={student}&kind={kind}{suffix}",
                    **extra)


def self_check(state, value):
    items = {item["id"]: (value if item["type"] == "subtask" else 0)
             for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}
    return {"items": items, "comment": "mine"}


@pytest.fixture
def reviewed(make_block):
    """Five learners, k=4 (everyone reviews the four others); a and b did a self-check."""
    block = make_block('reviews_per_work="4" grading_policy="mean"')
    block.submit_all(FIVE)
    block.ok("submit_self_check", "a", self_check(block.state("a"), 0.85))
    block.ok("submit_self_check", "b", self_check(block.state("b"), 0.75))
    block.ok("staff_start", "staff")
    for reviewer in FIVE:
        state = block.state(reviewer)
        for index, review in enumerate(state["reviews"]):
            author = review["url"].split("//")[1].split(".")[0]
            block.ok("submit_review", reviewer, full_review(state, index, GIVEN.get((reviewer, author), 0.6)))
    return block


def test_analytics_and_exports_are_staff_only(reviewed):
    status, body = reviewed.call("staff_analytics", "a")
    assert status == 403 and body["code"] == "staff_only"
    for kind in ("grades", "reviews", "nope", ""):
        response = export(reviewed, kind, student="a")
        assert response.status_code == 403
        assert response.json()["code"] == "staff_only"
        assert "attachment" not in response.get("Content-Disposition", "")


def test_unknown_export_kind_is_a_400(reviewed):
    response = export(reviewed, "everything")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "code"} and response.json()["code"] == "bad_kind"


def test_the_numbers_of_a_hand_made_case(reviewed):
    data = reviewed.ok("staff_analytics", "staff")
    works = {row["learner"]: row for row in data["works"]}
    a, b, c = works["a"], works["b"], works["c"]
    assert data["works"][0]["learner"] == "a"  # the largest spread comes first
    assert a["self_check"] == pytest.approx(85)
    assert sorted(r["total"] for r in a["reviews"]) == pytest.approx([40, 80, 80, 80])
    assert a["largest_spread"] == pytest.approx(45) and a["ideal"] is False
    excluded = [r for r in a["reviews"] if r["excluded_by_fixed_rule"]]
    assert [(r["reviewer_learner"], r["total"]) for r in excluded] == [("d", pytest.approx(40))]
    assert a["fixed_rule_points"] == pytest.approx(80)
    assert sorted(r["spread"] for r in a["reviews"]) == pytest.approx([5, 5, 5, 45])
    assert b["largest_spread"] == pytest.approx(5) and b["ideal"] is True
    assert c["self_check"] is None and c["ideal"] is True and c["largest_spread"] == 0
    assert not any(r["excluded_by_fixed_rule"] for w in (b, c, works["d"]) for r in w["reviews"])
    assert all(w["grade"] is None for w in data["works"])
    assert a["expected"] == pytest.approx(70)  # mean policy
    assert data["warnings"]["fixed_rule"] == 1 and data["warnings"]["reviewers"] == 5
    assert isinstance(data["warnings"]["evidence_rule"], int)
    reviewers = {row["reviewer_learner"]: row for row in data["reviewers"]}
    assert reviewers["d"]["mean_deviation"] == pytest.approx(-10)
    assert reviewers["d"]["warned_by_fixed_rule"] is True
    assert reviewers["a"]["warned_by_fixed_rule"] is False
    assert sum(b["count"] for b in data["histogram"]["bins"]) == 5
    assert data["histogram"]["expected"] == 5 and len(data["histogram"]["bins"]) == 10

    reviewed.ok("staff_complete", "staff")
    done = reviewed.ok("staff_analytics", "staff")
    graded = {row["learner"]: row for row in done["works"]}
    assert graded["a"]["grade"]["points"] == 70 and done["histogram"]["graded"] == 5
    assert [bin_["count"] for bin_ in done["histogram"]["bins"]][6:8] == [3, 2]  # c, d, e 60; a, b 70


def test_both_rules_beside_their_simulated_rates(reviewed):
    data = reviewed.ok("staff_analytics", "staff")
    assert (data["warning_rule"], data["aggregation"]) == ("evidence", "total")  # the defaults
    assert "no grade changes" in data["warning_rule_text"]
    warnings = data["warnings"]
    assert warnings["fixed_rule_share"] == pytest.approx(0.2)  # d, 1 of 5 reviewers
    assert warnings["evidence_rule_share"] == pytest.approx(warnings["evidence_rule"] / 5)
    assert set(warnings["written"]) == {"outlier_review", "outlier_self_check", "evidence_reviewer",
                                        "appeal_review", "appeal_self_check", "complaint_upheld",
                                        "complaint_rejected"}
    assert not any(warnings["written"].values())  # nothing is written before grading
    simulated = data["simulated"]
    assert (simulated["k"], simulated["threshold"], simulated["max_score"]) == (4, 0.15, 100)
    fixed, evidence = simulated["rules"]["fixed"], simulated["rules"]["evidence"]
    assert fixed["honest_warned"] > evidence["honest_warned"]
    assert fixed["careless_caught"] > evidence["careless_caught"]


def test_a_fixed_rule_task_shows_its_threshold_expected_grades_and_written_warnings(make_block):
    block = make_block('reviews_per_work="4" grading_policy="mean" warning_rule="fixed" '
                       'outlier_threshold="12.5" max_score="200"')
    block.submit_all(FIVE)
    block.ok("staff_start", "staff")
    for reviewer in FIVE:
        state = block.state(reviewer)
        for index, review in enumerate(state["reviews"]):
            author = review["url"].split("//")[1].split(".")[0]
            block.ok("submit_review", reviewer, full_review(state, index, GIVEN.get((reviewer, author), 0.6)))
    data = block.ok("staff_analytics", "staff")
    assert data["warning_rule"] == "fixed" and data["threshold"] == pytest.approx(0.125)
    assert data["simulated"]["threshold"] == pytest.approx(0.125) and data["simulated"]["max_score"] == 200
    works = {row["learner"]: row for row in data["works"]}
    # Expected under the task's own rule: d's 40 is left out (more than 25 from 80), so 80, not 70.
    assert works["a"]["expected"] == pytest.approx(80) and works["a"]["fixed_rule_points"] == pytest.approx(80)
    block.ok("staff_complete", "staff")
    done = block.ok("staff_analytics", "staff")
    assert done["warnings"]["written"]["outlier_review"] == 1
    assert {row["learner"]: row for row in done["works"]}["a"]["grade"]["exact"] == pytest.approx(80)


def test_csv_headers_and_rows(reviewed):
    response = export(reviewed, "reviews", header="keys")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0] == REVIEW_COLUMNS and len(rows) == 1 + 20
    reviewed.ok("staff_complete", "staff")
    rows = list(csv.DictReader(io.StringIO(export(reviewed, "grades", header="keys").body.decode())))
    assert list(rows[0]) == GRADE_COLUMNS and len(rows) == 5
    assert {row["learner"]: row["status"] for row in rows} == dict.fromkeys(FIVE, "graded")


def test_csv_header_row_is_in_the_readers_language(reviewed):
    english = next(csv.reader(io.StringIO(export(reviewed, "grades").body.decode())))
    russian = next(csv.reader(io.StringIO(export(reviewed, "grades", language="ru-RU,ru;q=0.9").body.decode())))
    assert english[:3] == ["Work id", "Learner", "Link to the work"]
    assert russian[:3] == [i18n.catalog("ru").gettext(text) for text in english[:3]]
    assert russian[0] != english[0] and len(russian) == len(GRADE_COLUMNS)


def test_analytics_of_an_open_task(make_block):
    block = make_block()
    data = block.ok("staff_analytics", "staff")
    assert data["works"] == [] and data["message"]
    block.submit_all(FIVE)
    data = block.ok("staff_analytics", "staff")
    assert len(data["works"]) == 5 and "No reviews" in data["message"]
    assert len(list(csv.reader(io.StringIO(export(block, "grades").body.decode())))) == 6


def _costs(make_block, n):
    block = make_block('reviews_per_work="3"')
    names = [f"q{i}" for i in range(n)]
    block.submit_all(names)
    block.ok("staff_start", "staff")
    for name in names[:3]:
        state = block.state(name)
        for index in range(3):
            block.ok("submit_review", name, full_review(state, index, 0.5 + index / 10))
    block.ok("staff_analytics", "staff")  # warm
    with CaptureQueriesContext(connection) as analytics:
        block.ok("staff_analytics", "staff")
    with CaptureQueriesContext(connection) as grades:
        export(block, "grades")
    with CaptureQueriesContext(connection) as reviews:
        export(block, "reviews")
    return len(analytics), len(grades), len(reviews)


def test_query_counts_do_not_grow_with_works(make_block):
    small, large = _costs(make_block, 10), _costs(make_block, 40)
    assert small == large, f"queries (analytics, grades csv, reviews csv): {small} with 10, {large} with 40"


def test_the_cycle_collector_is_paused_for_the_view_and_restored_after(make_block):
    """The view turns Python's cycle collector off while it builds its answer (a quarter of its
    CPU at 10,000 works) and back on after, also after an error, across nested and overlapping
    calls, and leaves it off if it was off."""
    import gc
    import threading

    from crosscheck_xblock.services import analytics

    assert gc.isenabled()
    with analytics._collector_paused():
        assert not gc.isenabled()
        with analytics._collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), analytics._collector_paused():
        raise RuntimeError
    assert gc.isenabled()
    # Two threads whose calls overlap, the first leaving first: it comes back on after the second.
    first_in, first_out, second_in = threading.Event(), threading.Event(), threading.Event()

    def first():
        with analytics._collector_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with analytics._collector_paused():
        second_in.set()
        first_out.wait(5)
        assert not gc.isenabled()  # the first left, this one is still inside
    thread.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with analytics._collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    block = make_block('reviews_per_work="3"')
    block.submit_all(FIVE)
    block.ok("staff_analytics", "staff")
    assert gc.isenabled()
