"""The learner's course overview (issue 13, S4): the `course_overview` handler of every block and the
plugin's course page `/crosscheck/courses/<course id>/`, through the workbench over HTTP.

Every block of the workbench is in its one stand-in course, and each test has a fresh database, so
the blocks a test makes are the course's tasks."""
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import services
from crosscheck_xblock.block import DEFAULT_CHECKLIST
from crosscheck_xblock.checklist import parse_checklist

from .conftest import anon, full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
COURSE = settings.CROSSCHECK_FALLBACK_COURSE_ID
PAGE = f"/crosscheck/courses/{COURSE}/"
# The fields, and the unread notices (issue 14) beside them.
FIELDS = {"title", "phase", "phase_text", "next_date", "submitted", "reviews_done", "reviews_assigned", "grade",
          "url", "open_for_submission", "unread_notices"}


def page_init(client, student="alice", path=PAGE, **headers):
    """(status, the JSON the course page embeds, the page's HTML)."""
    response = client.get(f"{path}?student={student}", **headers)
    html = response.content.decode()
    found = re.search(r'<script type="application/json" class="cc-init">(.*?)</script>', html, re.S)
    return response.status_code, json.loads(found.group(1)), html


def three_phases(make_block, clock):
    """Three tasks of the course, deadlines a few days apart: one graded (closed), one under
    review, one open for submission with its deadline a week ahead; alice takes part in the
    first two. Staff start the first two before their deadlines (their start is the deadline)."""
    graded = make_block('display_name="First task" reviews_per_work="2" submission_due="2026-03-02T12:00:00Z"')
    graded.submit_all(["alice", "bob", "carol"])
    graded.ok("staff_start", "staff")
    for name in ("alice", "bob", "carol"):
        state = graded.state(name)
        for index in range(len(state["reviews"])):
            graded.ok("submit_review", name, full_review(state, index))
    graded.ok("staff_complete", "staff")
    clock.advance(days=1)
    running = make_block('display_name="Second task" reviews_per_work="2" submission_due="2026-03-04T12:00:00Z"')
    running.submit_all(["alice", "bob", "carol"])
    running.ok("staff_start", "staff")
    state = running.state("alice")
    running.ok("submit_review", "alice", full_review(state, 0))
    clock.advance(days=1)
    open_task = make_block('display_name="Third task" submission_due="2026-03-11T18:00:00Z"')
    open_task.state("alice")  # the first view makes the task row, as in the LMS
    return graded, running, open_task


def test_every_task_of_the_course_newest_first_with_the_learners_own_numbers(make_block, clock):
    graded, running, open_task = three_phases(make_block, clock)
    tasks = open_task.ok("course_overview", "alice")["tasks"]
    assert [task["title"] for task in tasks] == ["Third task", "Second task", "First task"]
    assert all(set(task) == FIELDS for task in tasks)
    third, second, first = tasks
    assert third == {"title": "Third task", "phase": "submission", "phase_text": "Submission is open.",
                     "next_date": "2026-03-11T18:00:00Z", "submitted": False, "reviews_done": 0,
                     "reviews_assigned": 0, "grade": None, "url": f"/scenario/{open_task.scenario}/?student=alice",
                     "open_for_submission": True, "unread_notices": 0}
    # The cross-check ends 3 days after its start, the deadline (T1).
    assert (second["phase"], second["next_date"]) == ("review", "2026-03-07T12:00:00Z")
    assert not second["open_for_submission"] and second["submitted"] and second["grade"] is None
    assert (second["reviews_done"], second["reviews_assigned"]) == (1, 2)
    assert first["phase"] == "closed" and first["phase_text"] == "The cross-check is complete."
    alice_grade = graded.state("alice")["grade"]
    assert first["grade"] == {"status": "graded", "points": alice_grade["points"], "max": 100}
    assert (first["reviews_done"], first["reviews_assigned"]) == (2, 2)
    # The same list from every block of the course, and it agrees with each block's own page.
    assert graded.ok("course_overview", "alice")["tasks"] == tasks
    for block, row in ((graded, first), (running, second), (open_task, third)):
        state = block.state("alice")
        assert (row["phase"], row["phase_text"]) == (state["phase"], state["phase_text"])
        assert row["submitted"] == (state["submission"] is not None)
        assert [row["reviews_done"], row["reviews_assigned"]] == list(state["progress"].values())


def test_each_learner_sees_only_their_own_rows(make_block, clock):
    graded, running, open_task = three_phases(make_block, clock)
    dave = open_task.ok("course_overview", "dave")["tasks"]  # took part in nothing
    assert [(t["submitted"], t["reviews_assigned"], t["grade"]) for t in dave] == [(False, 0, None)] * 3
    bob = running.ok("course_overview", "bob")["tasks"]
    assert bob[1]["reviews_done"] == 0 and bob[2]["grade"]["points"] == graded.state("bob")["grade"]["points"]
    # No learner's name or anonymous id is in anyone's answer or page (the viewer's own name is
    # only in the workbench's links, which say who is looking).
    for name in ("alice", "bob", "carol", "dave"):
        text = json.dumps(open_task.ok("course_overview", name)) + page_init(open_task.client, name)[2]
        for other in ("alice", "bob", "carol", "dave"):
            assert anon(other) not in text
            if other != name:
                assert other not in text, (name, other)


def test_a_task_that_has_started_reads_as_its_stored_status_says(make_block, clock):
    """No automatic step runs for the overview: a start nobody has seen yet reads `waiting`,
    as the block itself would before its own view starts it."""
    block = make_block('display_name="Due" submission_due="2026-03-02T12:00:00Z"')
    block.submit_all(["alice", "bob"])
    clock.advance(hours=3)
    [row] = block.ok("course_overview", "alice")["tasks"]
    assert (row["phase"], row["next_date"], row["open_for_submission"]) == ("waiting", "2026-03-02T12:00:00Z", False)
    assert block.state("alice")["phase"] == "review"  # the block's own view runs the start
    assert block.ok("course_overview", "alice")["tasks"][0]["phase"] == "review"


def test_tasks_of_other_courses_are_not_listed(make_block):
    block = make_block('display_name="Ours"')
    block.submit_all(["alice"])
    config = {"display_name": "Theirs", "checklist": parse_checklist(DEFAULT_CHECKLIST).to_rs()}
    services.sync_task("block-v1:Other+Course+Run+type@crosscheck+block@x", "course-v1:Other+Course+Run", config)
    assert [row["title"] for row in block.ok("course_overview", "alice")["tasks"]] == ["Ours"]
    status, init, _html = page_init(block.client, "alice", "/crosscheck/courses/course-v1:Other+Course+Run/")
    assert status == 200 and [row["title"] for row in init["overview"]["tasks"]] == ["Theirs"]
    assert init["overview"]["tasks"][0]["url"].startswith("/scenario/")


# ---------------------------------------------------------------- who may ask, bad input

def test_visitors_are_refused_and_bad_requests_change_nothing(make_block):
    block = make_block()
    block.submit_all(["alice"])
    before = table_snapshot()
    assert block.call("course_overview", "anonymous") == (403, {
        "error": "Sign in to see your cross-checks.", "code": "not_signed_in"})
    assert block.call("course_overview", "alice", raw="[1]")[1]["code"] == "bad_json"
    assert block.call("course_overview", "alice", raw="{", content_type="application/json")[0] == 400
    assert block.call("course_overview", "alice", raw="{}", content_type="text/plain")[0] == 415
    assert block.call("course_overview", "alice", method="get")[0] == 405
    assert block.call("course_overview", "studio")[1]["code"] == "preview"
    # Fields the handler does not read are ignored, as in every body-less read handler.
    assert block.ok("course_overview", "alice", {"junk": [1, {"x": None}]})["tasks"][0]["submitted"] is True
    assert table_snapshot() == before


def test_staff_viewing_as_a_learner_read_the_learners_overview(make_block):
    block = make_block()
    block.submit_all(["alice"])
    own = block.ok("course_overview", "alice")["tasks"]
    seen = block.ok("course_overview", "staff-as-alice")["tasks"]
    assert [row["submitted"] for row in seen] == [row["submitted"] for row in own] == [True]
    assert seen[0]["url"].endswith("?student=staff-as-alice")  # the link keeps who is looking


# ---------------------------------------------------------------- the course page

def test_the_course_page_embeds_the_same_overview_escaped(make_block, clock):
    three_phases(make_block, clock)
    hostile = make_block('display_name="&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; co"')
    hostile.state("alice")
    status, init, html = page_init(hostile.client, "alice")
    assert status == 200
    assert init["overview"] == hostile.ok("course_overview", "alice")
    assert init["overview"]["tasks"][0]["title"] == "</script><img src=x onerror=alert(1)> & co"
    assert "<img src=x" not in html and "</script><img" not in html  # only in the escaped JSON
    assert '<html lang="en">' in html and "<title>Your cross-checks in this course</title>" in html
    assert 'href="/?student=alice"' in html  # back to the course (the workbench's index)
    assert "CrossCheckOverview.page(" in html and "<script>" in html


def test_the_course_page_in_russian(make_block, clock):
    three_phases(make_block, clock)
    status, init, html = page_init(make_block().client, HTTP_ACCEPT_LANGUAGE="ru")
    assert status == 200 and init["language"] == "ru"
    assert '<html lang="ru">' in html and "Ваши кросс-чеки в этом курсе" in html and "Назад к курсу" in html
    assert "CrossCheckI18N" in html  # the packaged JS catalog, inline
    texts = [row["phase_text"] for row in init["overview"]["tasks"]]
    assert texts[0] != "Submission is open." and all(re.search("[а-я]", text) for text in texts)


def test_the_course_page_refuses_visitors_and_other_methods(make_block):
    block = make_block()
    block.state("alice")
    status, init, html = page_init(block.client, "anonymous")
    assert status == 403 and init["code"] == "not_signed_in" and "overview" not in init
    assert init["login_url"] is None  # the workbench signs nobody in; the LMS gives its login page
    assert block.client.post(f"{PAGE}?student=alice").status_code == 405
    assert block.client.head(f"{PAGE}?student=alice").status_code == 200


def test_the_workbench_index_links_the_course_page(make_block):
    block = make_block('display_name="Listed"')
    html = block.client.get("/").content.decode()
    assert f'href="{PAGE}?student=alice"' in html and f'href="{PAGE}?student=staff"' in html
    assert f'href="/scenario/{block.scenario}/"' in html  # xblock-sdk's list of scenarios is still there


# ---------------------------------------------------------------- a fixed number of queries

def _queries(make_block, clock, n_tasks):
    blocks = []
    for number in range(n_tasks):
        block = make_block(f'display_name="Task {number}" reviews_per_work="2"')
        block.submit_all(["alice", "bob", "carol"])
        if number % 3 == 1:  # some started, some graded: every kind of row the overview reads
            block.ok("staff_start", "staff")
        if number % 3 == 2:
            block.ok("staff_start", "staff")
            state = block.state("alice")
            block.ok("submit_review", "alice", full_review(state, 0))
            block.ok("staff_complete", "staff")
        blocks.append(block)
    first = blocks[0]
    first.ok("course_overview", "alice")  # warm: the task row is synced
    with CaptureQueriesContext(connection) as handler:
        tasks = first.ok("course_overview", "alice")["tasks"]
    with CaptureQueriesContext(connection) as page:
        status, init, _html = page_init(first.client)
    assert status == 200 and init["overview"]["tasks"] == tasks
    return len(tasks), len(handler), len(page)


def test_the_overview_costs_the_same_queries_whatever_the_number_of_tasks(make_block, clock):
    # The blocks of each round stay in the course: 1, then 1 + 3, then 1 + 3 + 10 tasks.
    tasks_one, *one = _queries(make_block, clock, 1)
    tasks_three, *three = _queries(make_block, clock, 3)
    tasks_ten, *ten = _queries(make_block, clock, 10)
    assert (tasks_one, tasks_three, tasks_ten) == (1, 4, 14)
    assert one == three == ten, f"queries (handler, page): {one} with 1 task, {three} with 4, {ten} with 14"
    # The page reads the settings copies, the learner's works with their grades and their
    # assignment counts: 3. The handler also syncs its own block's row (as every handler does)
    # and reads the block's fields from the workbench's field storage, one query per field
    # (25 in all when this was written, so each new setting adds one; the LMS caches field data
    # per request).
    # The learner's unread notices per task (issue 14) are one query more: 4.
    assert one[1] == 4 and one[0] <= 31, one


def test_extra_reviews_are_not_counted_as_assigned(make_block, clock):
    """As in the block's progress (A7 counts the assigned reviews): an extra review (D4) the
    learner took is not one of the reviews assigned to them."""
    from crosscheck_xblock.models import Assignment, Work

    _graded, running, open_task = three_phases(make_block, clock)
    alice = Work.objects.get(task__usage_key=running.usage_id, student_id=anon("alice"))
    # A work alice does not review (everyone reviews everyone else among three), taken as an extra.
    other = Work.objects.create(task_id=alice.task_id, student_id=anon("dave"), url="https://dave.example.org/",
                                submission_uuid="0" * 32, submitted_at=clock(), updated_at=clock())
    Assignment.objects.create(task_id=alice.task_id, reviewer=alice, work=other, position=9, reviewer_number=9,
                              token="e" * 24, extra=True, submitted_at=clock())
    row = next(t for t in open_task.ok("course_overview", "alice")["tasks"] if t["title"] == "Second task")
    assert (row["reviews_done"], row["reviews_assigned"]) == (1, 2)
    state = running.state("alice")
    assert list(state["progress"].values()) == [1, 2] and state["extra"]["done"] == 1  # the extra is there


def test_each_task_says_how_many_notices_are_unread(make_block, clock):
    """Issue 14: the overview shows the unread notices beside each task, and marking them read
    clears the count."""
    block = make_block('display_name="Noticed" reviews_per_work="2"')
    block.submit_all(["alice", "bob", "carol"])
    block.ok("staff_start", "staff")  # N4 and N5 for everyone
    row = block.ok("course_overview", "alice")["tasks"][0]
    notices = block.state("alice")["notices"]
    assert notices and row["unread_notices"] == sum(1 for n in notices if not n["read"])
    block.ok("mark_notices_read", "alice", {"ids": [n["id"] for n in notices]})
    assert block.ok("course_overview", "alice")["tasks"][0]["unread_notices"] == 0
