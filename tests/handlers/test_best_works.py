"""The best works page, thanks to the authors and the gallery through the handlers (issue 12, B1–B3)."""
import csv
import io
import json

import pytest

from crosscheck_xblock.models import BestWork, BestWorkChange, Work

from .conftest import download, full_review, table_snapshot

pytestmark = [pytest.mark.db, pytest.mark.django_db]
NAMES = ["amaranth", "bartholomew", "cordelia", "desdemona", "evangeline"]
DATES = ('submission_due="2026-03-03T10:00:00Z" review_due="2026-03-05T10:00:00Z" adjustment_days="0" '
         'reviews_per_work="2" grading_policy="mean" warning_rule="none" max_score="100"')


def _url(name):
    return f"https://site-{name}0.example.org/"


class Best:
    """A cross-check in review where every reviewer of amaranth's work marks it as best (with a
    comment) and one reviewer of cordelia's does; the rest are plain reviews."""

    def __init__(self, block, clock):
        self.block, self.clock = block, clock
        block.submit_all(NAMES, url_pattern="https://site-{name}0.example.org/")
        clock.advance(days=1)
        for name in NAMES:
            state = block.state(name)
            for index, review in enumerate(state["reviews"]):
                body = full_review(state, index, value=0.9 if review["url"] == _url(NAMES[0]) else 0.8)
                if review["url"] == _url(NAMES[0]):
                    body.update(best_work=True, comment=f"Outstanding layout ({name[:3]}).")
                elif review["url"] == _url(NAMES[2]) and not getattr(self, "cordelia_marked", False):
                    body.update(best_work=True, comment="")
                    self.cordelia_marked = True
                block.ok("submit_review", name, body)
        self.works = {work.username: work.pk for work in Work.objects.all()}

    def page(self):
        return self.block.ok("staff_best_works", "staff")

    def edit(self, body, status=200):
        got, answer = self.block.call("staff_best_works_edit", "staff", body)
        assert got == status, answer
        return answer

    def end(self):
        self.clock.advance(days=2)
        assert self.block.state(NAMES[0])["phase"] == "closed"


@pytest.fixture
def best(make_block, clock):
    return Best(make_block(DATES), clock)


def test_marked_works_sorted_by_marks_then_grade(best):
    page = best.page()
    listed = [(row["learner"], row["marks"], row["added_by_staff"]) for row in page["works"]]
    assert listed == [(NAMES[0], 2, False), (NAMES[2], 1, False)]
    first = page["works"][0]
    assert sorted(first["explanations"]) == sorted(f"Outstanding layout ({n[:3]})." for n in NAMES
                                                   if f"({n[:3]})" in " ".join(first["explanations"]))
    assert len(first["explanations"]) == 2 and first["url"] == _url(NAMES[0]) and first["grade"] is None
    assert {row["learner"] for row in page["others"]} == set(NAMES) - {NAMES[0], NAMES[2]}
    assert page["vote"] is None
    best.end()
    graded = best.page()["works"]
    assert graded[0]["grade"] == 90 and graded[1]["grade"] == 80


def test_add_remove_restore_recorded_nothing_lost(best):
    added = best.works[NAMES[4]]
    page = best.edit({"add": [added]})
    row = next(r for r in page["works"] if r["work_id"] == added)
    assert row["added_by_staff"] is True and row["marks"] == 0 and page["works"][-1]["work_id"] == added
    page = best.edit({"remove": [best.works[NAMES[0]], added]})
    assert {r["work_id"]: r["removed"] for r in page["works"]} == {
        best.works[NAMES[0]]: True, best.works[NAMES[2]]: False, added: True}
    page = best.edit({"restore": [best.works[NAMES[0]]]})
    assert [c["action"] for c in page["changes"]] == ["restore", "remove", "remove", "add"]
    assert page["changes"][0]["by"] == "staff" and page["changes"][0]["learner"] == NAMES[0]
    best.edit({"restore": [best.works[NAMES[0]]]})  # already restored: nothing changes, nothing logged
    assert BestWorkChange.objects.count() == 4


@pytest.mark.parametrize("body, status, code", [
    ({"add": "3"}, 400, "bad_work"),
    ({"add": [True]}, 400, "bad_work"),
    ({"remove": [0]}, 400, "bad_work"),
    ({"remove": [10 ** 20]}, 400, "bad_work"),
    ({"add": [999999]}, 404, "unknown_work"),
    ({"remove": ["first"]}, 400, "bad_work"),
])
def test_bad_edits_change_nothing(best, body, status, code):
    before = table_snapshot()
    assert best.edit(body, status=status)["code"] == code
    assert table_snapshot() == before


def test_a_half_bad_edit_changes_nothing(best):
    before = table_snapshot()
    assert best.edit({"add": [best.works[NAMES[1]]], "remove": [999999]}, status=404)["code"] == "unknown_work"
    assert best.edit({"remove": [best.works[NAMES[1]]], "restore": [best.works[NAMES[1]]]},
                     status=400)["code"] == "bad_work"
    assert table_snapshot() == before


def test_thanks_once_per_work_and_the_author_sees_them(best):
    ids = [best.works[NAMES[0]], best.works[NAMES[2]]]
    answer = best.block.ok("staff_best_works_thank", "staff", {"work_ids": ids, "note": "Loved the animations."})
    assert answer == {"thanked": 2, "already": 0}
    again = best.block.ok("staff_best_works_thank", "staff", {"work_ids": ids, "note": "Again?"})
    assert again == {"thanked": 0, "already": 2}
    news = best.block.state(NAMES[0])["best_work"]
    assert news["thanked"] is True and news["note"] == "Loved the animations."
    assert news["text"] == "Your work was chosen as one of the best works of this cross-check."
    assert news["marks"] is None  # the count comes after the end
    assert best.block.state(NAMES[1])["best_work"] is None
    best.end()
    assert best.block.state(NAMES[0])["best_work"]["marks"] == 2
    assert best.block.state(NAMES[2])["best_work"]["marks"] == 1
    assert [row["thanked"] for row in best.page()["works"]] == [True, True]


@pytest.mark.parametrize("body, status, code", [
    ({"work_ids": []}, 400, "bad_work"),
    ({"work_ids": [1], "note": 5}, 400, "bad_note"),
    ({"work_ids": [1], "note": "x" * 2001}, 400, "bad_note"),
    ({"work_ids": [999999]}, 404, "unknown_work"),
])
def test_bad_thanks_change_nothing(best, body, status, code):
    if body.get("work_ids") == [1]:
        body = {**body, "work_ids": [best.works[NAMES[0]]]}
    before = table_snapshot()
    got, answer = best.block.call("staff_best_works_thank", "staff", body)
    assert (got, answer["code"]) == (status, code)
    assert table_snapshot() == before


def test_only_listed_works_are_thanked(best):
    best.edit({"remove": [best.works[NAMES[2]]]})
    for work in (best.works[NAMES[1]], best.works[NAMES[2]]):  # never listed; removed
        got, answer = best.block.call("staff_best_works_thank", "staff", {"work_ids": [best.works[NAMES[0]], work]})
        assert (got, answer["code"]) == (409, "not_best_work")
    assert not BestWork.objects.filter(thanked_at__isnull=False).exists()


def test_staff_only(best):
    for handler in ("staff_best_works", "staff_best_works_edit", "staff_best_works_thank"):
        got, answer = best.block.call(handler, NAMES[0], {"work_ids": [1]})
        assert (got, answer["code"]) == (403, "staff_only")
    got, answer = best.block.call("staff_best_works_edit", "staff-as-amaranth", {"add": []})
    assert (got, answer["code"]) == (403, "masquerade")


def test_gallery_after_the_end_and_the_author_withdraws(best):
    best.edit({"gallery_add": [best.works[NAMES[0]], best.works[NAMES[2]]]})
    assert best.block.state(NAMES[1])["gallery"] is None  # before the end
    best.end()
    gallery = best.block.state(NAMES[1])["gallery"]
    assert gallery == [{"title": "Best work 1", "url": _url(NAMES[0])}, {"title": "Best work 2", "url": _url(NAMES[2])}]
    news = best.block.state(NAMES[2])["best_work"]
    assert news["in_gallery"] is True and news["can_withdraw"] is True
    state = best.block.ok("withdraw_from_gallery", NAMES[2])
    assert state["gallery"] == [{"title": "Best work 1", "url": _url(NAMES[0])}]
    assert state["best_work"]["in_gallery"] is False and state["best_work"]["can_withdraw"] is False
    best.edit({"gallery_add": [best.works[NAMES[2]]]})  # staff cannot put a withdrawn work back
    assert len(best.block.state(NAMES[1])["gallery"]) == 1
    got, answer = best.block.call("withdraw_from_gallery", NAMES[1])
    assert (got, answer["code"]) == (409, "not_in_gallery")
    assert best.page()["changes"][0]["action"] == "withdraw" and best.page()["changes"][0]["by"] == ""


def test_no_learner_payload_names_anyone(best):
    best.block.ok("staff_best_works_thank", "staff", {"work_ids": [best.works[NAMES[0]]], "note": "Well done."})
    best.edit({"gallery_add": [best.works[NAMES[0]]]})
    best.end()
    for name in NAMES:
        state = best.block.state(name)
        for key in ("best_work", "gallery"):
            text = json.dumps(state[key])
            assert not [other for other in NAMES if other != name and other in text.replace(_url(NAMES[0]), "")]


def test_csv_all_or_selected_and_hardened(best):
    best.edit({"add": [best.works[NAMES[4]]]})
    Work.objects.filter(pk=best.works[NAMES[0]]).update(username="=HYPERLINK(1)")
    response = download(best.block.client, f"/handler/{best.block.usage_id}/staff_export/?student=staff"
                                           "&kind=best_works&header=keys")
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0] == ["work_id", "learner", "work_url", "marks", "points", "added_by_staff", "removed",
                       "thanked", "in_gallery"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(1)", NAMES[2], NAMES[4]]
    selected = download(best.block.client, f"/handler/{best.block.usage_id}/staff_export/?student=staff"
                                           f"&kind=best_works&work_ids={best.works[NAMES[4]]}")
    rows = list(csv.reader(io.StringIO(selected.body.decode())))
    assert rows[0][0] == "Work id" and [row[1] for row in rows[1:]] == [NAMES[4]]
    old_name = download(best.block.client, f"/handler/{best.block.usage_id}/staff_export/?student=staff"
                                           f"&kind=best_works&works={best.works[NAMES[2]]}")
    assert [row[1] for row in csv.reader(io.StringIO(old_name.body.decode()))][1:] == [NAMES[2]]
    bad = best.block.client.get(f"/handler/{best.block.usage_id}/staff_export/?student=staff&kind=best_works"
                                "&work_ids=1,x")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_work"
