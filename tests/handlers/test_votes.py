"""The vote on the best works among the top reviewers through the handlers (issue 12, B4)."""
import json

import pytest

from crosscheck_xblock.models import Ballot, BestWorkVote

from .conftest import table_snapshot
from .test_best_works import NAMES, Best

pytestmark = [pytest.mark.db, pytest.mark.django_db]
CLOSES = "2026-03-10T10:00:00Z"  # the clock is at 03-05 10:00 after the end


@pytest.fixture
def ended(make_block, clock):
    from .test_best_works import DATES

    best = Best(make_block(DATES), clock)
    best.end()
    return best


def _open(best, status=200, **overrides):
    body = {"closes_at": CLOSES, "votes_per_voter": 2, "eligible": {"top": 3}, **overrides}
    got, answer = best.block.call("staff_open_vote", "staff", body)
    assert got == status, answer
    return answer


def _voters(best):
    return [name for name in NAMES if best.block.state(name)["vote"]["eligible"]]


def test_staff_open_a_vote_for_the_top_reviewers(ended):
    page = _open(ended)
    vote = page["vote"]
    assert vote["eligible"] == {"top": 3} and vote["voters"] == 3 and vote["voted"] == 0 and vote["open"] is True
    assert [r["votes"] for r in vote["results"]] == [0, 0]
    voters = _voters(ended)
    assert len(voters) == 3
    others = [name for name in NAMES if name not in voters]
    state = ended.block.state(others[0])
    assert state["vote"]["eligible"] is False and state["vote"]["works"] == []
    ballot = ended.block.state(voters[0])["vote"]
    assert [w["title"] for w in ballot["works"]] == ["Shortlisted work 1", "Shortlisted work 2"]
    assert ballot["my_votes"] == [] and ballot["results"] is None


def test_vote_change_own_work_and_limits(ended):
    _open(ended, votes_per_voter=1)
    voters = _voters(ended)
    voter = next((name for name in voters if name != NAMES[0]), voters[0])
    ballot = ended.block.state(voter)["vote"]
    ids = [w["id"] for w in ballot["works"] if not w["own"]]
    state = ended.block.ok("cast_votes", voter, {"work_ids": ids[:1]})
    assert state["vote"]["my_votes"] == ids[:1]
    if len(ids) > 1:
        state = ended.block.ok("cast_votes", voter, {"work_ids": ids[1:2]})  # changed until the close
        assert state["vote"]["my_votes"] == ids[1:2]
    got, answer = ended.block.call("cast_votes", voter, {"work_ids": [w["id"] for w in ballot["works"]]})
    assert (got, answer["code"]) == (400, "too_many_votes")
    assert answer["error"] == "You have 1 vote: choose at most 1 work."  # the count's own plural form
    got, answer = ended.block.call("cast_votes", voter, {"work_ids": [999999]})
    assert (got, answer["code"]) == (404, "unknown_work")
    got, answer = ended.block.call("cast_votes", voter, {"work_ids": "all"})
    assert (got, answer["code"]) == (400, "bad_work")
    assert Ballot.objects.count() == 1


def test_no_vote_for_ones_own_work(ended):
    _open(ended, eligible={"top_percent": 100})
    author = NAMES[0]  # amaranth's work is shortlisted
    ballot = ended.block.state(author)["vote"]
    own = next(w["id"] for w in ballot["works"] if w["own"])
    before = table_snapshot()
    got, answer = ended.block.call("cast_votes", author, {"work_ids": [own]})
    assert (got, answer["code"]) == (400, "own_work")
    assert table_snapshot() == before


def test_not_eligible_and_closed(ended):
    _open(ended, eligible={"top": 1})
    outsider = next(name for name in NAMES if name not in _voters(ended))
    got, answer = ended.block.call("cast_votes", outsider, {"work_ids": []})
    assert (got, answer["code"]) == (403, "not_eligible")
    voter = _voters(ended)[0]
    work = next(w["id"] for w in ended.block.state(voter)["vote"]["works"] if not w["own"])
    ended.block.ok("cast_votes", voter, {"work_ids": [work]})
    ended.clock.advance(days=6)
    got, answer = ended.block.call("cast_votes", voter, {"work_ids": []})
    assert (got, answer["code"]) == (409, "vote_closed")
    results = ended.block.state(voter)["vote"]["results"]
    assert results[0] == {"id": work, "title": results[0]["title"], "votes": 1}
    staff = ended.page()["vote"]
    assert staff["open"] is False and staff["voted"] == 1 and staff["results"][0]["votes"] == 1
    assert ended.block.state(outsider)["vote"]["results"] is None


@pytest.mark.parametrize("overrides, code", [
    ({"closes_at": "2026-03-01T10:00:00Z"}, "bad_vote"),
    ({"closes_at": "soon"}, "bad_vote"),
    ({"votes_per_voter": 0}, "bad_vote"),
    ({"votes_per_voter": True}, "bad_vote"),
    ({"eligible": {"top": 0}}, "bad_vote"),
    ({"eligible": {"top_percent": 101}}, "bad_vote"),
    ({"eligible": {"top": 3, "top_percent": 10}}, "bad_vote"),
    ({"eligible": "all"}, "bad_vote"),
])
def test_bad_votes_change_nothing(ended, overrides, code):
    before = table_snapshot()
    assert _open(ended, status=400, **overrides)["code"] == code
    assert table_snapshot() == before


def test_when_a_vote_can_open(make_block, clock):
    from .test_best_works import DATES

    best = Best(make_block(DATES), clock)
    assert _open(best, status=409)["code"] == "vote_not_ready"  # before the end
    best.edit({"remove": [row["work_id"] for row in best.page()["works"]]})
    best.end()
    assert _open(best, status=409)["code"] == "no_best_works"
    best.edit({"restore": [best.works[NAMES[0]]]})
    _open(best)
    assert _open(best, status=409)["code"] == "vote_exists"
    assert BestWorkVote.objects.get().shortlist == [best.works[NAMES[0]]]
    got, answer = best.block.call("staff_open_vote", NAMES[0], {})
    assert (got, answer["code"]) == (403, "staff_only")


def test_the_ballot_names_nobody(ended):
    _open(ended, eligible={"top_percent": 100})
    for name in NAMES:
        vote = ended.block.state(name)["vote"]
        text = json.dumps(vote)
        for work in vote["works"]:
            text = text.replace(work["url"], "")
        assert not [other for other in NAMES if other != name and other in text]
