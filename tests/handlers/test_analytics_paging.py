"""The analytics view's pages (issue 15): `staff_analytics` answers one page of its works' table,
sorted and searched over every work, at the same query count with 12 works and with 120; the
reviewers' chart and the comment flags are bounded; bad paging values are refused."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock.services import analytics

from .conftest import full_review
from .test_staff_paging import TWELVE, seed_works

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _reviewed(make_block, n=12):
    """The twelve learners through the handlers, `n - 12` more works seeded (as an import would),
    distributed (k=3), and every one of the twelve reviews all three works, at different points."""
    block = make_block('reviews_per_work="3" grading_policy="mean"')
    block.submit_all(TWELVE)
    seed_works(block, n - len(TWELVE))
    block.ok("staff_start", "staff")
    for number, name in enumerate(TWELVE):
        state = block.state(name)
        for index in range(len(state["reviews"])):
            value = min(1.0, round(0.2 + 0.05 * number + 0.1 * index, 1))
            block.ok("submit_review", name, full_review(state, index, value))
    return block


def _ids(answer):
    return [row["work_id"] for row in answer["works"]]


def test_the_first_page_is_the_largest_spread_first(make_block):
    block = _reviewed(make_block)
    whole = block.ok("staff_analytics", "staff", {"per_page": 200})
    assert (whole["sort"], whole["order"]) == ("spread", "desc")
    assert (whole["page"], whole["pages"], whole["total"]) == (1, 1, 12)
    spreads = [row["largest_spread"] for row in whole["works"]]
    present = [spread for spread in spreads if spread is not None]
    assert present == sorted(present, reverse=True) and spreads[:len(present)] == present  # empty cells last
    # The default page is the same rows, fifty at most.
    assert _ids(block.ok("staff_analytics", "staff")) == _ids(whole)[:50]


def test_pages_cover_every_work_once_for_each_sort(make_block):
    block = _reviewed(make_block)
    everyone = set(_ids(block.ok("staff_analytics", "staff", {"per_page": 200})))
    for sort in analytics.SORTS:
        for order in ("asc", "desc"):
            seen = []
            for page in (1, 2, 3):
                body = {"per_page": 5, "page": page, "sort": sort, "order": order}
                answer = block.ok("staff_analytics", "staff", body)
                assert (answer["page"], answer["pages"], answer["total"]) == (page, 3, 12)
                seen += _ids(answer)
            assert len(seen) == 12 and set(seen) == everyone, f"{sort} {order}: {seen}"


def test_sorting_by_learner_and_search_ignore_case(make_block):
    block = _reviewed(make_block)
    def learners(order):
        answer = block.ok("staff_analytics", "staff", {"sort": "learner", "order": order})
        return [row["learner"] for row in answer["works"]]
    names = learners("asc")
    assert names == sorted(TWELVE, key=str.casefold)
    down = learners("desc")
    assert down == names[::-1]
    found = block.ok("staff_analytics", "staff", {"search": "CARO"})
    assert [row["learner"] for row in found["works"]] == ["Carol"] and found["total"] == 1
    none = block.ok("staff_analytics", "staff", {"search": "nobody"})
    assert none["works"] == [] and (none["total"], none["pages"], none["page"]) == (0, 1, 1)
    # The rest of the view still counts every work: the histogram and the warnings do not page.
    assert sum(b["count"] for b in none["histogram"]["bins"]) == 12 and none["warnings"]["reviewers"] == 12
    # A page past the end shows the last one.
    assert block.ok("staff_analytics", "staff", {"per_page": 5, "page": 9})["page"] == 3


def test_sorting_by_grade_and_flags(make_block):
    block = _reviewed(make_block)
    block.ok("staff_complete", "staff")
    rows = block.ok("staff_analytics", "staff", {"sort": "grade", "order": "asc"})["works"]
    points = [row["grade"]["points"] for row in rows]
    assert points == sorted(points) and len(set(points)) > 1
    flagged = block.ok("staff_analytics", "staff", {"sort": "flags", "order": "desc"})["works"]

    def count(row):
        return (row["ideal"] + row["needs_staff"] + row["author_warned_by_fixed_rule"]
                + sum(r["excluded_by_fixed_rule"] + bool(r["evidence_flag"]) + r["thin_comment"]
                      for r in row["reviews"]))
    counts = [count(row) for row in flagged]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0


def test_a_page_costs_the_same_queries_with_12_and_120_works(make_block):
    costs = {}
    for n in (12, 120):
        block = _reviewed(make_block, n)
        block.ok("staff_analytics", "staff")  # warm
        with CaptureQueriesContext(connection) as captured:
            answer = block.ok("staff_analytics", "staff", {"sort": "learner", "page": 2, "per_page": 5})
        costs[n] = len(captured)
        assert len(answer["works"]) == 5 and answer["total"] == n
    assert costs[12] == costs[120], costs


def test_the_chart_and_the_comment_flags_are_bounded(make_block, monkeypatch):
    monkeypatch.setattr(analytics, "REVIEWERS_SHOWN", 4)
    block = _reviewed(make_block)
    data = block.ok("staff_analytics", "staff")
    assert data["reviewers_total"] == 12 and len(data["reviewers"]) == 4
    shown = [row["mean_deviation"] for row in data["reviewers"]]
    monkeypatch.setattr(analytics, "REVIEWERS_SHOWN", 50)
    every = [row["mean_deviation"] for row in block.ok("staff_analytics", "staff")["reviewers"]]
    assert len(every) == 12 and every == sorted(every)
    assert shown == every[:2] + every[-2:]  # the furthest below and the furthest above
    # Comment flags: every reviewer wrote full_review's one overall comment ("ok") into all three
    # reviews, so all twelve pasted one comment; the list holds four of them.
    assert data["comment_flags_total"] == data["warnings"]["pasted_comment_reviewers"] == 12
    assert len(data["comment_flags"]) == 4 and all(row["pasted_comment"] for row in data["comment_flags"])


@pytest.mark.parametrize(("body", "code"), [
    ({"page": 0}, "bad_page"), ({"per_page": 201}, "bad_per_page"), ({"sort": "submitted_at"}, "bad_sort"),
    ({"sort": "spread; DROP TABLE"}, "bad_sort"), ({"order": "up"}, "bad_order"), ({"search": ["a"]}, "bad_search")])
def test_bad_paging_values_are_refused(make_block, body, code):
    block = make_block('reviews_per_work="2"')
    block.submit_all(["alice", "bob", "carol"])
    status, answer = block.call("staff_analytics", "staff", body)
    assert status == 400 and answer["code"] == code, answer
    assert block.call("staff_analytics", "alice", {"page": 1})[0] == 403  # staff only, as before
