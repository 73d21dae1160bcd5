"""Extra reviews for works whose reviewers did not show up, through the handlers (issue 13, D4, C4)."""
import pytest
from django.db.models import Q

from crosscheck_xblock.models import Assignment, Grade, PoolSample, Work

from .conftest import anon, full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
NAMES = ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"]
NO_SHOWS = ["gus", "hal"]
# The review period runs 03-03 10:00 … 03-07 10:00: its middle is 03-05 10:00.
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-07T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="3" grading_policy="mean" warning_rule="none" {extra}')


class Cohort:
    """Eight learners in review; everyone but the no-shows reviews what they were assigned."""

    def __init__(self, make_block, clock, extra=""):
        self.block, self.clock = make_block(DATES.format(extra=extra)), clock
        self.block.submit_all(NAMES)
        clock.advance(days=1, minutes=1)
        assert self.state("ann")["phase"] == "review"

    def state(self, name):
        return self.block.state(name)

    def review_all(self, names):
        for name in names:
            state = self.state(name)
            for index, review in enumerate(state["reviews"]):
                if review["status"] == "todo":
                    value = 0.5 if review["extra"] else 1.0
                    self.block.ok("submit_review", name, full_review(state, index, value=value))

    def take(self, name, status=200, code=None):
        got, answer = self.block.call("take_extra_review", name, {})
        assert got == status, answer
        if code:
            assert answer["code"] == code, answer
        return answer

    def past_middle(self):
        self.clock.advance(days=2)  # 03-05 10:01


def _work(name):
    return Work.objects.get(student_id=anon(name))


def _part(extra):
    return {key: extra[key] for key in ("available", "open", "done", "limit")}


@pytest.fixture
def cohort(make_block, clock):
    return Cohort(make_block, clock)


def test_before_the_middle_assigned_reviewers_hold_their_works(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    extra = cohort.state("ann")["extra"]
    assert extra == {"available": False, "open": None, "done": 0, "limit": 2, "assigned_due": None,
                     "assigned_closed": False}
    before = table_snapshot()
    cohort.take("ann", 409, "no_extra_needed")
    assert table_snapshot() == before


def test_a_finished_learner_takes_the_neediest_work_after_the_middle(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    cohort.past_middle()
    assert cohort.state("ann")["extra"]["available"] is True
    ann = _work("ann")

    def submitted(work):
        return work.reviews_received.filter(submitted_at__isnull=False).count()

    # Not her own, none she reviews; none whose author reviews her while another needs a review.
    allowed = [w for w in Work.objects.exclude(pk=ann.pk).exclude(reviews_received__reviewer=ann) if submitted(w) < 3]
    mutual = set(Assignment.objects.filter(work=ann).values_list("reviewer_id", flat=True))
    allowed = [w for w in allowed if w.pk not in mutual] or allowed
    state = cohort.take("ann")
    extra = [r for r in state["reviews"] if r["extra"]]
    assert len(extra) == 1 and extra[0]["status"] == "todo" and extra[0]["expires_at"] == "2026-03-05T14:01:00Z"
    assert state["extra"]["open"] == {"review_id": extra[0]["id"], "expires_at": "2026-03-05T14:01:00Z"}
    assert state["extra"]["available"] is False and state["progress"]["reviews_assigned"] == 3
    taken = Assignment.objects.get(token=extra[0]["id"])
    assert taken.work in allowed and submitted(taken.work) == min(submitted(w) for w in allowed)
    # The payload names no learner: a title and the link, as for the assigned reviews.
    assert set(extra[0]) >= {"id", "title", "url"} and "ann" not in str(extra[0]["title"])
    cohort.take("ann", 409, "extra_open")
    cohort.block.ok("submit_review", "ann", full_review(state, state["reviews"].index(extra[0])))
    after = cohort.state("ann")["extra"]
    assert after["done"] == 1 and after["open"] is None
    # It counts in her reviewer rating (+2 for an extra review, F3).
    rating = cohort.block.ok("get_reviewer_rating", "ann")
    assert rating["components"]["points"]["extra"] == 2
    page = cohort.block.ok("staff_overview", "staff")
    row = next(r for r in page["learners"] if r["url"] == taken.work.url)
    assert row["reviews_received_extra"] == 1 and row["reviewers_assigned"] == 3
    assert next(r for r in page["learners"] if r["learner"] == "ann")["extra_reviews_done"] == 1
    assert page["extra_pool"]["samples"] and page["extra_pool"]["limit"] == 2


def test_refusals_change_nothing(cohort):
    cohort.review_all(["ann"])
    cohort.past_middle()
    before = table_snapshot()
    cohort.take("ben", 409, "reviews_unfinished")
    cohort.take("staff", 409, "no_submission")
    assert table_snapshot() == before
    cohort.clock.advance(days=3)  # past the end
    cohort.take("ann", 409, "review_closed")
    assert table_snapshot() == before


def test_an_active_reviewer_keeps_blocking_an_idle_one_does_not(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    gus = cohort.state("gus")
    held = {r["url"] for r in gus["reviews"]}
    for review in gus["reviews"]:  # gus starts every review: a sign of life
        cohort.block.ok("save_draft", "gus", {"form": review["id"], "data": {"items": {}}})
    cohort.past_middle()
    taken = set()
    for name in ("ann", "ben", "cat", "dan", "eve", "fay"):
        state = cohort.block.call("take_extra_review", name, {})[1]
        taken |= {r["url"] for r in state.get("reviews", []) if r.get("extra")}
    assert taken and not taken & held - {r["url"] for r in cohort.state("hal")["reviews"]}


def test_a_lease_runs_out_and_the_work_returns_to_the_pool(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    cohort.past_middle()
    state = cohort.take("ann")
    lease = state["extra"]["open"]["review_id"]
    index = [r["id"] for r in state["reviews"]].index(lease)
    cohort.block.ok("save_draft", "ann", {"form": lease, "data": {"comment": "half done"}})
    cohort.clock.advance(hours=4)
    later = cohort.state("ann")
    assert later["extra"]["open"] is None and lease not in [r["id"] for r in later["reviews"]]
    assert later["extra"]["available"] is True and later["extra"]["done"] == 0
    got, answer = cohort.block.call("submit_review", "ann", full_review(state, index))
    assert (got, answer["code"]) == (409, "extra_expired")
    again = cohort.take("ann")
    assert Assignment.objects.filter(token=lease).count() == 0  # deleted at the next take
    assert again["extra"]["open"]["review_id"] != lease


def test_the_limit_and_extras_turned_off(make_block, clock):
    one = Cohort(make_block, clock, extra='extra_reviews_limit="1"')
    one.review_all([n for n in NAMES if n not in NO_SHOWS])
    one.past_middle()
    one.take("ann")
    one.review_all(["ann"])
    assert _part(one.state("ann")["extra"]) == {"available": False, "open": None, "done": 1, "limit": 1}
    one.take("ann", 409, "extra_limit")


def test_extras_turned_off(make_block, clock):
    off = Cohort(make_block, clock, extra='extra_reviews_limit="0"')
    off.review_all([n for n in NAMES if n not in NO_SHOWS])
    off.past_middle()
    assert _part(off.state("ann")["extra"]) == {"available": False, "open": None, "done": 0, "limit": 0}
    off.take("ann", 409, "extra_limit")


def test_mutual_pairs_only_when_nothing_else_needs_a_review(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    cohort.past_middle()
    takes = 0
    for name in ("ann", "ben", "cat", "dan", "eve", "fay"):
        got, state = cohort.block.call("take_extra_review", name, {})
        if got == 409 and state["code"] == "no_extra_needed":
            continue
        takes += 1
        taken = Assignment.objects.get(token=state["extra"]["open"]["review_id"]).work
        mine = _work(name)
        reviewers_of_mine = set(Assignment.objects.filter(work=mine).values_list("reviewer_id", flat=True))
        reviewing = set(Assignment.objects.filter(reviewer=mine).exclude(work=taken).values_list("work_id", flat=True))
        others = [w for w in Work.objects.exclude(pk=mine.pk) if w.pk not in reviewers_of_mine | reviewing]
        # Before this take (its own lease left out), a work no reviewer of mine wrote lacked a review.
        expected = [w for w in others if w.reviews_received.exclude(token=state["extra"]["open"]["review_id"])
                    .filter(Q(submitted_at__isnull=False) | Q(extra=True)).count() < 3]
        if expected:
            assert taken.pk not in reviewers_of_mine, name
    assert takes >= 2


def test_extra_reviews_count_in_the_grade_not_for_the_reviewers_own(cohort):
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    cohort.past_middle()
    state = cohort.take("ann")
    taken = Assignment.objects.get(token=state["extra"]["open"]["review_id"]).work
    cohort.review_all(["ann"])  # the extra review gives 0.5 of every subtask
    # A lease left unsubmitted at the end: its taker owes nothing for it. The taker is the first
    # learner offered one (the draw is random: in about 1 of 100 ben has no work left to take, as
    # every work lacking a review is his own or one he reviews); offered means the take succeeds.
    second = next(n for n in NAMES[1:] if n not in NO_SHOWS and cohort.state(n)["extra"]["available"])
    cohort.take(second)
    cohort.clock.advance(days=2, hours=1)
    cohort.block.ok("staff_complete", "staff")
    assert Assignment.objects.filter(extra=True, submitted_at__isnull=True).count() == 0
    assert Grade.objects.get(work=_work(second)).status == Grade.GRADED
    assert Grade.objects.get(work=_work("gus")).status == Grade.REVIEWS_UNFINISHED
    # The extra review is one of the work's scores (its reviewer numbered after the assigned ones).
    scores = Grade.objects.get(work=taken).detail["scores"]
    number = Assignment.objects.get(token=state["extra"]["open"]["review_id"]).reviewer_number
    assert number == 4 and [s["total"] for s in scores if s["reviewer"] == number] == [50.0]
    assert len(scores) == taken.reviews_received.filter(submitted_at__isnull=False).count()


@pytest.mark.parametrize("draw", range(3))
def test_offered_exactly_when_a_take_succeeds(cohort, draw):
    """get_state's `available` (one SQL query over the pool) and the take (the rule over every
    open assignment, under the lock) agree for every finished learner, take after take; each
    draw is a new random distribution."""
    cohort.review_all([n for n in NAMES if n not in NO_SHOWS])
    cohort.past_middle()
    for name in ("ann", "ben", "cat", "dan", "eve", "fay"):
        offered = cohort.state(name)["extra"]["available"]
        got, answer = cohort.block.call("take_extra_review", name, {})
        assert (got == 200) is offered, (draw, name, answer)
        if got == 200:
            cohort.review_all([name])  # submitted: the work it filled may leave the pool


def test_the_pool_is_sampled_over_time(cohort):
    cohort.review_all(["ann", "ben"])
    first = PoolSample.objects.count()
    assert first >= 1
    cohort.review_all(["cat"])  # within 15 minutes of the last sample: none more
    assert PoolSample.objects.count() == first
    cohort.clock.advance(minutes=20)
    cohort.review_all(["dan"])
    assert PoolSample.objects.count() == first + 1


def test_a_window_of_extra_reviews_only_before_the_end(make_block, clock):
    """extra_window_hours=24: the assigned reviews are due at 03-06 10:00, a day before the end;
    after that no assigned reviewer holds a slot or may submit, and extras fill the works."""
    window = Cohort(make_block, clock, extra='extra_window_hours="24" extra_reviews_limit="5"')
    window.review_all(["ann", "ben", "cat"])
    gus = window.state("gus")
    for review in gus["reviews"]:  # gus starts but never submits: before the due time he blocks
        window.block.ok("save_draft", "gus", {"form": review["id"], "data": {"items": {}}})
    window.clock.advance(days=3)  # 03-06 10:01: past the assigned reviews' due time
    state = window.state("dan")
    assert state["extra"]["assigned_due"] == "2026-03-06T10:00:00Z" and state["extra"]["assigned_closed"] is True
    before = table_snapshot()
    got, answer = window.block.call("submit_review", "dan", full_review(state, 0))
    assert (got, answer["code"]) == (409, "assigned_reviews_due") and table_snapshot() == before
    taken = window.take("ann")
    lease = Assignment.objects.get(token=taken["extra"]["open"]["review_id"])
    window.block.ok("submit_review", "ann", full_review(taken, [r["id"] for r in taken["reviews"]].index(lease.token)))
    # Every work lacking a review is open to the finished learners, whoever was assigned.
    gus_works = {r["url"] for r in gus["reviews"]}
    urls = set()
    for name in ("ann", "ben", "cat"):
        for _ in range(5):
            got, answer = window.block.call("take_extra_review", name, {})
            if got != 200:
                break
            lease = Assignment.objects.get(token=answer["extra"]["open"]["review_id"])
            urls.add(lease.work.url)
            window.block.ok("submit_review", name, full_review(answer, [r["id"] for r in answer["reviews"]]
                                                                .index(lease.token)))
    assert urls & gus_works  # gus's drafts no longer hold his works
    window.clock.advance(days=1)
    window.block.ok("staff_complete", "staff")
    assert Grade.objects.get(work=_work("dan")).status == Grade.REVIEWS_UNFINISHED
