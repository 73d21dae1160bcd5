"""Limits that keep one learner from flooding what others read: review versions per assignment,
self-check versions, link replacements per work. Each answers 409 and writes nothing."""
from datetime import timedelta

import pytest

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.errors import Conflict
from crosscheck_xblock.models import LinkChange, Review, SelfCheck
from crosscheck_xblock.services.reviews import MAX_VERSIONS
from crosscheck_xblock.services.submissions import MAX_LINK_CHANGES

from ..factories import DEADLINE, T0, full_items, make_task, start, task

pytestmark = [pytest.mark.db, pytest.mark.django_db]
ALICE = anonymous_id("w000")


def test_a_review_has_at_most_twenty_versions():
    make_task("versions", 4, k=2, comment_rule="none")  # points without comments: only versions count here
    start("versions", DEADLINE)
    current = task("versions")
    token = services.learner_state(current, ALICE, DEADLINE)["reviews"][0]["id"]
    now = DEADLINE + timedelta(minutes=1)
    for i in range(MAX_VERSIONS):
        services.submit_review(current, ALICE, token, {"items": full_items(current, (i % 10) / 10)}, now)
    with pytest.raises(Conflict) as raised:
        services.submit_review(current, ALICE, token, {"items": full_items(current)}, now)
    assert raised.value.code == "too_many_versions"
    assert Review.objects.filter(assignment__token=token).count() == MAX_VERSIONS == 20
    # The author's page carries what it shows: the twenty versions, each once, to the minute.
    received = [r for name in ("w001", "w002", "w003")
                for r in services.learner_state(current, anonymous_id(name), now)["received"]
                if len(r["history"]) > 1]
    assert [len(r["history"]) for r in received] == [MAX_VERSIONS]
    assert all(v["submitted_at"].endswith(":00Z") for v in received[0]["history"])


def test_a_self_check_has_at_most_twenty_versions():
    current = make_task("self-versions", 2)
    for _ in range(MAX_VERSIONS):
        services.submit_self_check(current, ALICE, {"items": full_items(current)}, T0)
    with pytest.raises(Conflict) as raised:
        services.submit_self_check(current, ALICE, {"items": full_items(current)}, T0)
    assert raised.value.code == "too_many_versions" and SelfCheck.objects.count() == MAX_VERSIONS


def test_a_link_is_replaced_at_most_twenty_times():
    current = make_task("links", 1)
    for i in range(MAX_LINK_CHANGES):
        services.submit_work(current, ALICE, f"https://w000.example.org/v{i}", T0)
    with pytest.raises(Conflict) as raised:
        services.submit_work(current, ALICE, "https://w000.example.org/one-more", T0)
    assert raised.value.code == "too_many_link_changes"
    assert LinkChange.objects.count() == MAX_LINK_CHANGES == 20
    # Sending the link it already has is not a replacement and is not refused.
    services.submit_work(current, ALICE, f"https://w000.example.org/v{MAX_LINK_CHANGES - 1}", T0)
