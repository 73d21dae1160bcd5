"""The reviewer rating (issue 11, F3) through the handlers: over two blocks of one course, the
learner sees only their own, staff see everyone's and the CSV, thanks and upheld complaints move
it, and its cost does not grow with the learners or the blocks."""
import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crosscheck_xblock import i18n
from crosscheck_xblock.models import Assignment, Rating, Review, Work
from crosscheck_xblock.scoring.reviewer_rating import COMPLAINT_POINTS, THANKS_POINTS
from crosscheck_xblock.services.exports import RATING_COLUMNS

from .conftest import anon, download, full_review
from .test_ratings import DATES as RATED_DATES
from .test_ratings import Rated

pytestmark = [pytest.mark.db, pytest.mark.django_db]
RU = "ru-RU,ru;q=0.9,en;q=0.5"
SIX = [f"r{i}" for i in range(6)]
# The clock starts at 2026-03-02 10:00 UTC: submissions until 03-03 10:00, reviews until 03-05
# 10:00, no adjustment period.
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="3" grading_policy="mean"')
HARSH = "r0"    # gives far less than the others in both blocks
LAZY = "r1"     # leaves one review of the second block undone


def review_everything(block, skip=()):
    """Every learner reviews every assigned work: HARSH gives 0.2 of each subtask, the others 0.9;
    `skip` holds (reviewer, index) pairs left undone."""
    for name in SIX:
        state = block.state(name)
        for index in range(len(state["reviews"])):
            if (name, index) not in skip:
                block.ok("submit_review", name, full_review(state, index, 0.2 if name == HARSH else 0.9))


@pytest.fixture
def course(make_block, clock):
    """Two cross-check blocks of one course (the workbench puts every block in one course), six
    learners in both, every review done on time except one of LAZY's; both cross-checks over."""
    first, second = make_block(DATES), make_block(DATES)
    for block in (first, second):
        block.submit_all(SIX)
    clock.advance(days=1)  # the cross-checks start (the next page view distributes)
    review_everything(first)
    review_everything(second, skip={(LAZY, 0)})
    clock.advance(days=3)  # past the end
    return first, second


def ratings_by_learner(block):
    return {row["learner"]: row for row in block.ok("staff_reviewer_ratings", "staff")["ratings"]}


def test_the_learner_sees_only_their_own_rating(course):
    first, second = course
    own = first.ok("get_reviewer_rating", "r3")
    assert set(own) == {"rating", "reviews", "components", "explanation", "formula"}
    assert own["reviews"] == 6  # 3 in each block: the rating is the course's, not the block's
    assert 0 <= own["rating"] <= 100
    assert own["components"]["due_reviews"] == 6 and own["components"]["on_time_reviews"] == 6
    assert second.ok("get_reviewer_rating", "r3") == own  # the same from either block
    text = json.dumps(own)
    for name in SIX:
        assert anon(name) not in text
        assert f'"{name}"' not in text and f" {name} " not in text
    assert "student_id" not in text and '"learner"' not in text
    assert own["explanation"][-1].startswith("Your rating rises")
    # The others' ratings are staff's.
    status, body = first.call("staff_reviewer_ratings", "r3")
    assert (status, body["code"]) == (403, "staff_only")


def test_someone_without_reviews_has_no_rating(course):
    first, _ = course
    answer = first.ok("get_reviewer_rating", "newcomer")
    assert answer["rating"] is None and answer["reviews"] == 0
    assert "no rating" in answer["explanation"][0]


def test_staff_see_everyone_across_both_blocks(course):
    first, second = course
    answer = first.ok("staff_reviewer_ratings", "staff")
    assert "70 × agreement" in answer["formula"]
    rows = {row["learner"]: row for row in answer["ratings"]}
    assert set(rows) == set(SIX)
    assert rows["r3"]["student_id"] == anon("r3")
    assert [len(row["tasks"]) for row in rows.values()] == [2] * 6
    ratings = [row["rating"] for row in answer["ratings"]]
    assert ratings == sorted(ratings, reverse=True)
    # The harsh reviewer agrees least with the others, and rates lowest.
    assert rows[HARSH]["components"]["own_agreement"] < min(
        rows[name]["components"]["own_agreement"] for name in SIX if name != HARSH)
    assert rows[HARSH]["rating"] == min(ratings)
    # With 3 reviews a task the model reads such a habit as scatter rather than bias.
    harsh = rows[HARSH]["components"]
    assert harsh["bias"] < -20 or harsh["scatter"] > 20
    # The undone review counts against LAZY's on-time share once the end has passed.
    lazy = rows[LAZY]["components"]
    assert (lazy["due_reviews"], lazy["on_time_reviews"], rows[LAZY]["reviews"]) == (6, 5, 5)
    assert rows[LAZY]["rating"] < rows["r2"]["rating"]
    assert second.ok("staff_reviewer_ratings", "staff")["ratings"] == answer["ratings"]


def _reviews_of(reviewer):
    """The assignments `reviewer` reviewed (over both blocks) with their latest version."""
    work_ids = Work.objects.filter(username=reviewer).values_list("id", flat=True)
    assignments = Assignment.objects.filter(reviewer_id__in=work_ids).order_by("pk")
    return [(a, Review.objects.filter(assignment=a).order_by("-created_at", "-id").first()) for a in assignments]


def _rate(assignment, review, kind, status, clock):
    return Rating.objects.create(assignment=assignment, review=review, kind=kind, status=status,
                                 created_at=clock.current, target="comment" if kind == Rating.THANKS else "",
                                 items=[] if kind == Rating.THANKS else ["c2"])


def test_thanks_raise_it_once_per_review_and_upheld_complaints_lower_it(course, clock):
    first, _ = course
    before = first.ok("get_reviewer_rating", "r2")
    reviews = _reviews_of("r2")
    _rate(*reviews[0], Rating.THANKS, Rating.SENT, clock)
    _rate(*reviews[1], Rating.THANKS, Rating.SENT, clock)
    thanked = first.ok("get_reviewer_rating", "r2")
    assert thanked["components"]["thanks"] == 2
    assert thanked["rating"] == pytest.approx(min(before["rating"] + 2 * THANKS_POINTS, 100), abs=0.01)
    assert any("thanked you for 2 reviews" in sentence for sentence in thanked["explanation"])

    # A thanks of a second version of the same review does not count again.
    assignment, review = reviews[0]
    again = Review.objects.create(assignment=assignment, items=review.items, total=review.total,
                                  comment="better", created_at=clock.current,
                                  checklist_version_id=review.checklist_version_id)
    _rate(assignment, again, Rating.THANKS, Rating.SENT, clock)
    assert first.ok("get_reviewer_rating", "r2")["components"]["thanks"] == 2

    # Complaints count only once staff uphold them.
    complaint = _rate(*reviews[2], Rating.COMPLAINT, Rating.PENDING, clock)
    assert first.ok("get_reviewer_rating", "r2")["rating"] == thanked["rating"]
    Rating.objects.filter(pk=complaint.pk).update(status=Rating.REJECTED)
    assert first.ok("get_reviewer_rating", "r2")["rating"] == thanked["rating"]
    Rating.objects.filter(pk=complaint.pk).update(status=Rating.UPHELD)
    upheld = first.ok("get_reviewer_rating", "r2")
    assert upheld["components"]["complaints_upheld"] == 1
    assert upheld["rating"] == pytest.approx(thanked["rating"] - COMPLAINT_POINTS, abs=0.01)
    assert any("upheld a complaint" in sentence for sentence in upheld["explanation"])
    # Only r2 moved.
    others = ratings_by_learner(first)
    assert others["r2"]["rating"] == upheld["rating"]
    assert others["r3"]["components"]["thanks"] == 0


def export(block, student="staff", header="", language=""):
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    suffix = f"&header={header}" if header else ""
    return download(block.client,
                    f"/handler/{block.usage_id}/staff_export/?student={student}&kind=reviewer_ratings{suffix}", **extra)


def test_the_csv(course):
    first, _ = course
    Work.objects.filter(username="r4").update(username="=HYPERLINK(1)")  # a hostile name
    response = export(first, header="keys")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "crosscheck-reviewer_ratings.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0] == RATING_COLUMNS and len(rows) == 7
    by_name = {row[0]: dict(zip(RATING_COLUMNS, row)) for row in rows[1:]}
    assert "'=HYPERLINK(1)" in by_name and "=HYPERLINK(1)" not in by_name
    assert by_name["r1"]["due_reviews"] == "6" and by_name["r1"]["on_time_reviews"] == "5"
    assert by_name["r1"]["blocks"] == "2"
    assert response.body.decode().count('"') >= 2 * len(RATING_COLUMNS) * 7  # every field quoted
    for row in by_name.values():  # the rating follows from its row (the shares as they count)
        recomputed = (70 * float(row["agreement"]) + 30 * float(row["on_time"]) + min(2 * int(row["thanks"]), 10)
                      + min(2 * int(row["extra_reviews"]), 10) - 10 * int(row["complaints_upheld"]))
        assert float(row["rating"]) == pytest.approx(min(max(recomputed, 0), 100), abs=0.02)
    staff_rows = ratings_by_learner(first)
    assert float(by_name["r3"]["rating"]) == staff_rows["r3"]["rating"]
    english = next(csv.reader(io.StringIO(export(first).body.decode())))
    assert english[:3] == ["Learner", "Anonymous id", "Reviewer rating (0 to 100)"]
    russian = next(csv.reader(io.StringIO(export(first, language=RU).body.decode())))
    assert russian[2] == i18n.catalog("ru").gettext("Reviewer rating (0 to 100)") != english[2]
    learner = export(first, student="r3")
    assert learner.status_code == 403 and learner.json()["code"] == "staff_only"


def test_the_explanation_follows_the_readers_language(course):
    first, _ = course
    response = first.client.post(f"/handler/{first.usage_id}/get_reviewer_rating/?student=r3", data="{}",
                                 content_type="application/json", HTTP_ACCEPT_LANGUAGE=RU)
    answer = response.json()
    english = first.ok("get_reviewer_rating", "r3")
    assert answer["rating"] == english["rating"]
    assert answer["explanation"][-1] == i18n.catalog("ru").gettext(english["explanation"][-1])
    assert answer["explanation"][-1] != english["explanation"][-1]


def _costs(make_block, clock, learners, month):
    """Queries of the staff table, the learner's rating and the CSV after two more blocks of the
    course ran in `month` (the clock is then at the 2nd, 10:00)."""
    names = [f"{learners}-{i}" for i in range(learners)]
    dates = (f'submission_due="2026-{month:02}-03T10:00:00Z" review_due="2026-{month:02}-05T10:00:00Z" '
             'adjustment_days="0" reviews_per_work="2" grading_policy="mean"')
    blocks = [make_block(dates) for _ in range(2)]
    for block in blocks:
        block.submit_all(names)
    clock.advance(days=1)
    for block in blocks:
        for name in names[:4]:
            state = block.state(name)
            for index in range(len(state["reviews"])):
                block.ok("submit_review", name, full_review(state, index, 0.5 + index / 10))
    block = blocks[0]
    block.ok("staff_reviewer_ratings", "staff")  # warm
    with CaptureQueriesContext(connection) as table:
        block.ok("staff_reviewer_ratings", "staff")
    with CaptureQueriesContext(connection) as own:
        block.ok("get_reviewer_rating", names[0])
    with CaptureQueriesContext(connection) as csv_export:
        assert export(block).status_code == 200
    return len(table), len(own), len(csv_export)


def test_query_counts_do_not_grow_with_learners_or_blocks(make_block, clock):
    small = _costs(make_block, clock, 6, 3)
    clock.advance(days=30)  # 2026-04-02: two more blocks with more learners, four in the course now
    large = _costs(make_block, clock, 18, 4)
    assert small == large, f"queries (staff table, own rating, csv): {small} with 6, {large} with 18 learners"
    # The workbench's own per-request reads (user, field data — one per setting — the task's sync)
    # and the rating's 5.
    assert max(small) <= 34, small


def test_studio_visitors_and_staff_viewing_as_a_learner(course):
    first, _ = course
    for handler in ("get_reviewer_rating", "staff_reviewer_ratings"):
        status, body = first.call(handler, "studio")
        assert (status, body["code"]) == (403, "preview")
    visitor = first.ok("get_reviewer_rating", "anonymous")
    assert visitor["rating"] is None and visitor["reviews"] == 0
    assert first.call("staff_reviewer_ratings", "anonymous")[1]["code"] == "staff_only"
    # Staff viewing the course as r3 read r3's own rating, and are no staff there.
    assert first.ok("get_reviewer_rating", "staff-as-r3") == first.ok("get_reviewer_rating", "r3")
    assert first.call("staff_reviewer_ratings", "staff-as-r3")[1]["code"] == "staff_only"


def test_the_authors_thanks_and_staffs_verdict_move_it(make_block, clock):
    """Through the real handlers: the author thanks the review (rate_review), then complains;
    only staff upholding the complaint (staff_settle_complaint) lowers the reviewer's rating."""
    rated = Rated(make_block(RATED_DATES), clock)

    def rating():
        return rated.block.ok("get_reviewer_rating", rated.reviewer)

    before = rating()
    rated.rate({"kind": "thanks", "for": rated.first})
    thanked = rating()
    assert thanked["components"]["thanks"] == 1
    assert thanked["rating"] == pytest.approx(before["rating"] + THANKS_POINTS, abs=0.01)
    rated.rate({"kind": "complaint", "items": [rated.first]})
    assert rating()["rating"] == thanked["rating"]  # waiting for staff: nothing yet
    got, body = rated.block.call("staff_settle_complaint", "staff", {
        "complaint": rated.complaint_id(), "verdict": "upheld", "comment": ""})
    assert got == 200, body
    upheld = rating()
    assert upheld["components"]["complaints_upheld"] == 1
    assert upheld["rating"] == pytest.approx(thanked["rating"] - COMPLAINT_POINTS, abs=0.01)
    # Settled again as unfounded: the penalty goes.
    got, body = rated.block.call("staff_settle_complaint", "staff", {
        "complaint": rated.complaint_id(), "verdict": "rejected", "comment": ""})
    assert got == 200, body
    assert rating()["rating"] == thanked["rating"]
    assert rated.block.ok("get_reviewer_rating", rated.author)["components"]["thanks"] == 0
