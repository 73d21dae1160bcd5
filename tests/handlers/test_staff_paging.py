"""The staff table's pages (issue 15): staff_overview answers one page, sorted and searched in the
database, at the same query count with 12 works and with 300; bad paging values are refused; the
grades and reviews exports are read a chunk of works at a time and answer the same CSV."""
import types

import pytest
import webob
from django.db import connection
from django.test.utils import CaptureQueriesContext
from workbench.runtime import WorkbenchRuntime

from crosscheck_xblock import clock, downloads, services
from crosscheck_xblock.models import Work
from crosscheck_xblock.services import exports

from .conftest import download, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
TWELVE = ["alice", "bob", "Carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar"]


def seed_works(block, count):
    """`count` more works in the block's task, written directly (as a data import would)."""
    task = services.find_task(block.usage_id)
    now = clock.now()
    Work.objects.bulk_create([Work(task_id=task.id, student_id=f"seeded-{i}", url=f"https://s{i}.example.org/",
                                   username=f"seeded{i:04d}", submission_uuid="", submitted_at=now, updated_at=now)
                              for i in range(count)])


def _task_with(make_block, n):
    """A block with the twelve learners who submitted through the handler, `n - 12` more works
    seeded directly (as a data import would), distributed, and two reviews submitted."""
    block = make_block('reviews_per_work="3"')
    block.submit_all(TWELVE)
    seed_works(block, n - len(TWELVE))
    block.ok("staff_start", "staff")
    for name in ("alice", "bob"):
        block.ok("submit_review", name, full_review(block.state(name), 0))
    return block


def _queries(block, body):
    with CaptureQueriesContext(connection) as captured:
        answer = block.ok("staff_overview", "staff", body)
    return len(captured), answer


@pytest.mark.parametrize("body", [{}, {"sort": "reviews_done", "order": "desc", "page": 2, "per_page": 5},
                                  {"search": "a", "sort": "learner"}, {"sort": "grade"},
                                  {"sort": "reviews_received", "search": "e"}])
def test_a_page_costs_the_same_queries_with_12_and_300_works(make_block, body):
    small, answer_small = _queries(_task_with(make_block, 12), body)
    large, answer_large = _queries(_task_with(make_block, 300), body)
    assert small == large, f"staff_overview {body}: {small} queries with 12 works, {large} with 300"
    assert answer_large["submissions"] == 300 and answer_small["submissions"] == 12
    assert len(answer_large["learners"]) <= answer_large["per_page"]


def test_pages_cover_every_learner_once_in_order(make_block):
    block = _task_with(make_block, 12)
    first = block.ok("staff_overview", "staff", {"per_page": 5})
    assert (first["page"], first["pages"], first["total"], first["per_page"]) == (1, 3, 12, 5)
    assert (first["sort"], first["order"], first["search"]) == ("submitted_at", "asc", "")
    seen = []
    for page in (1, 2, 3):
        answer = block.ok("staff_overview", "staff", {"per_page": 5, "page": page})
        seen += [row["learner"] for row in answer["learners"]]
    assert seen == TWELVE  # by submission time, every learner once
    # A page past the end (a search shrank the list) answers the last one.
    late = block.ok("staff_overview", "staff", {"per_page": 5, "page": 9})
    assert late["page"] == 3 and [row["learner"] for row in late["learners"]] == TWELVE[10:]
    # The default (no body, as staff_start and staff_complete give it): the first 50.
    assert [row["learner"] for row in block.ok("staff_start", "staff")["overview"]["learners"]] == TWELVE


def test_sorting_and_searching_happen_over_all_works(make_block):
    block = _task_with(make_block, 12)
    by_name = block.ok("staff_overview", "staff", {"sort": "learner"})["learners"]
    assert [row["learner"] for row in by_name] == sorted(TWELVE, key=str.lower)  # case does not matter
    backwards = block.ok("staff_overview", "staff", {"sort": "learner", "order": "desc", "per_page": 3})
    assert [row["learner"] for row in backwards["learners"]] == ["oscar", "mallory", "judy"]
    done = block.ok("staff_overview", "staff", {"sort": "reviews_done", "order": "desc", "per_page": 2})
    assert sorted(row["learner"] for row in done["learners"]) == ["alice", "bob"]
    assert [row["reviews_done"] for row in done["learners"]] == [1, 1]
    received = block.ok("staff_overview", "staff", {"sort": "reviews_received", "order": "desc"})["learners"]
    counts = [row["reviews_received"] for row in received]
    assert counts == sorted(counts, reverse=True) and sum(counts) == 2
    found = block.ok("staff_overview", "staff", {"search": "  RO ", "sort": "learner"})
    assert [row["learner"] for row in found["learners"]] == ["Carol"]
    assert (found["total"], found["submissions"], found["search"], found["pages"]) == (1, 12, "RO", 1)
    assert block.ok("staff_overview", "staff", {"search": "nobody"})["learners"] == []
    # The search is the learner's name, not their link or anything else.
    assert block.ok("staff_overview", "staff", {"search": "example"})["total"] == 0


def test_grades_sort_with_the_ungraded_last(make_block):
    block = _task_with(make_block, 12)
    block.ok("staff_complete", "staff")
    for order in ("asc", "desc"):
        rows = block.ok("staff_overview", "staff", {"sort": "grade", "order": order})["learners"]
        points = [row["grade"]["points"] for row in rows if row["grade"] and row["grade"]["points"] is not None]
        assert points == sorted(points, reverse=order == "desc")


@pytest.mark.parametrize(("body", "code"), [
    ({"page": 0}, "bad_page"), ({"page": "2"}, "bad_page"), ({"page": True}, "bad_page"), ({"page": 1.5}, "bad_page"),
    ({"per_page": 0}, "bad_per_page"), ({"per_page": 201}, "bad_per_page"),
    ({"sort": "url; DROP TABLE"}, "bad_sort"), ({"sort": "student_id"}, "bad_sort"), ({"order": "up"}, "bad_order"),
    ({"search": 5}, "bad_search"), ({"search": "x" * 151}, "bad_search")])
def test_bad_paging_values_are_refused(make_block, body, code):
    block = make_block('reviews_per_work="2"')
    block.submit_all(["alice", "bob", "carol"])
    status, answer = block.call("staff_overview", "staff", body)
    assert status == 400 and answer["code"] == code, answer
    assert block.call("staff_overview", "alice", {"page": 1})[0] == 403  # staff only, as before


def test_exports_are_read_in_chunks_and_answer_the_same_csv(make_block, monkeypatch):
    block = _task_with(make_block, 12)
    task = services.find_task(block.usage_id)
    whole = {kind: download(block.client, f"/handler/{block.usage_id}/staff_export/?student=staff&kind={kind}").body
             for kind in ("grades", "reviews")}
    assert whole["grades"].decode().count("\n") == 13 and whole["reviews"].decode().count("\n") == 3
    monkeypatch.setattr(exports, "CHUNK", 5)  # 12 works: three chunks
    for kind, stream, per_chunk in (("grades", services.grades_stream, 4), ("reviews", services.reviews_stream, 2)):
        pieces = stream(task)
        assert iter(pieces) is pieces  # an iterator, not a text: read as the runtime asks for it
        with CaptureQueriesContext(connection) as captured:
            text = "".join(pieces)
        assert text.encode() == whole[kind]
        assert len(captured) <= 3 * per_chunk, captured.captured_queries  # per chunk, not per work
        response = download(block.client, f"/handler/{block.usage_id}/staff_export/?student=staff&kind={kind}")
        assert response.body == whole[kind]


def test_without_a_download_link_the_handler_answers_a_generator(make_block, monkeypatch):
    """Where no download link can be made (downloads.link gives None), the runtime gets the CSV
    from the handler itself, as an iterator of pieces (webob's app_iter), not one text."""
    block = _task_with(make_block, 12)
    whole = download(block.client, f"/handler/{block.usage_id}/staff_export/?student=staff&kind=grades").body
    monkeypatch.setattr(downloads, "link", lambda *_args: None)
    runtime = WorkbenchRuntime("staff")
    xblock = runtime.get_block(block.usage_id)
    response = xblock.runtime.handle(xblock, "staff_export", webob.Request.blank("/?kind=grades"), "")
    assert response.status_code == 200 and isinstance(response.app_iter, types.GeneratorType)
    assert b"".join(response.app_iter) == whole
