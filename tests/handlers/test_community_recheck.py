"""Community re-checks of appealed works by top reviewers through the handlers (issue 12, B4)."""
import json

import pytest

from crosscheck_xblock import services
from crosscheck_xblock.models import CommunityRecheck

from .conftest import anon, table_snapshot
from .test_best_works import NAMES, Best

pytestmark = [pytest.mark.db, pytest.mark.django_db]
AUTHOR = NAMES[1]


@pytest.fixture
def appealed(make_block, clock):
    from .test_best_works import DATES

    best = Best(make_block(DATES), clock)
    best.end()
    items = [item["id"] for item in best.block.state(AUTHOR)["checklist"]["items"] if item["type"] == "subtask"]
    best.block.ok("submit_appeal", AUTHOR, {"reason": "Item one works.", "items": items[:1]})
    best.items = items
    best.work_id = best.works[AUTHOR]
    return best


def _ask(best, reviewers, status=200, work_id=None):
    got, answer = best.block.call("staff_request_community_recheck", "staff",
                                  {"work_id": work_id or best.work_id, "reviewers": reviewers})
    assert got == status, answer
    return answer


def _form(best, value=1.0):
    state = best.block.state(NAMES[0])
    return {item["id"]: (value if item["type"] == "subtask" else 0)
            for item in state["checklist"]["items"] if item["type"] in ("subtask", "penalty")}


def test_staff_ask_top_reviewers_and_see_their_rechecks(appealed):
    top = appealed.block.ok("staff_top_reviewers", "staff")["reviewers"]
    assert top and all(row["rating"] is not None for row in top)
    picked = [row["student_id"] for row in top if row["learner"] != AUTHOR][:2]
    answer = _ask(appealed, picked)
    assert answer["result"] == {"requested": 2, "already": 0}
    assert _ask(appealed, picked[:1])["result"] == {"requested": 0, "already": 1}
    name = next(row["learner"] for row in top if row["student_id"] == picked[0])
    asked = appealed.block.state(name)["community_rechecks"]
    assert len(asked) == 1 and asked[0]["title"] == "Appealed work 1" and asked[0]["open"] is True
    assert asked[0]["disputed_items"] == appealed.items[:1] and asked[0]["submitted"] is None
    state = appealed.block.ok("submit_community_recheck", name, {"id": asked[0]["id"], "items": _form(appealed),
                                                                 "comment": "Item one works for me."})
    assert state["community_rechecks"][0]["submitted"]["total"] == 100
    appeal = next(a for a in appealed.block.ok("staff_appeals", "staff")["appeals"] if a["work_id"] == appealed.work_id)
    done = [c for c in appeal["community"] if c["submitted_at"]]
    assert [(c["reviewer"], c["total"], c["comment"]) for c in done] == [(name, 100, "Item one works for me.")]
    assert len(appeal["community"]) == 2
    # Staff still decide; then the community re-check is closed.
    appealed.block.ok("staff_recheck", "staff", {"work_id": appealed.work_id, "items": _form(appealed, 0.85)})
    got, body = appealed.block.call("submit_community_recheck", name, {"id": asked[0]["id"], "items": _form(appealed)})
    assert (got, body["code"]) == (409, "recheck_closed")
    assert appealed.block.state(name)["community_rechecks"][0]["open"] is False
    assert _ask(appealed, picked, status=409)["code"] == "recheck_closed"


@pytest.mark.parametrize("reviewers, code", [
    ([], "bad_reviewers"), ("all", "bad_reviewers"), ([""], "bad_reviewers"), (["nobody-at-all"], "bad_reviewers"),
])
def test_bad_requests_change_nothing(appealed, reviewers, code):
    before = table_snapshot()
    assert _ask(appealed, reviewers, status=400)["code"] == code
    assert table_snapshot() == before


def test_not_the_author_and_only_appealed_works(appealed):
    assert _ask(appealed, [anon(AUTHOR)], status=400)["code"] == "own_work"
    assert _ask(appealed, [anon(NAMES[0])], status=404, work_id=appealed.works[NAMES[0]])["code"] == "unknown_work"
    assert _ask(appealed, [anon(NAMES[0])], status=400, work_id="x")["code"] == "bad_work"
    for handler in ("staff_top_reviewers", "staff_request_community_recheck"):
        got, body = appealed.block.call(handler, NAMES[0], {})
        assert (got, body["code"]) == (403, "staff_only")


def test_only_the_asked_reviewer_submits(appealed):
    _ask(appealed, [anon(NAMES[0])])
    token = appealed.block.state(NAMES[0])["community_rechecks"][0]["id"]
    before = table_snapshot()
    for student in (NAMES[2], AUTHOR):
        got, body = appealed.block.call("submit_community_recheck", student, {"id": token, "items": _form(appealed)})
        assert (got, body["code"]) == (403, "not_assigned")
    got, body = appealed.block.call("submit_community_recheck", NAMES[0], {"id": "nope", "items": _form(appealed)})
    assert (got, body["code"]) == (400, "bad_review_id")
    got, body = appealed.block.call("submit_community_recheck", NAMES[0], {"id": token, "items": {}})
    assert got == 400
    assert table_snapshot() == before


def test_nobody_learns_who(appealed):
    _ask(appealed, [anon(NAMES[0])])
    asked = json.dumps(appealed.block.state(NAMES[0])["community_rechecks"]).replace(
        f"https://site-{AUTHOR}0.example.org/", "")
    assert AUTHOR not in asked
    author_view = json.dumps(appealed.block.state(AUTHOR)["appeal"])
    assert "community" not in author_view and NAMES[0] not in author_view


def test_retirement_forgets_the_reviewer_name(appealed):
    _ask(appealed, [anon(NAMES[0])])
    services.forget_username(NAMES[0])
    assert CommunityRecheck.objects.get().reviewer_name == ""
