"""M3: no learner ever receives another learner's username, user id or anonymous id; text is escaped."""
import json

import pytest

from .conftest import anon, full_review

pytestmark = [pytest.mark.db, pytest.mark.django_db]
# Names that occur nowhere else in the page (not "ben", which "workbench" contains).
NAMES = ["amaranth", "bartholomew", "cordelia", "desdemona", "evangeline", "fitzgerald"]


def _identities(name):
    return {name, anon(name)}


def test_learner_json_and_html_name_nobody_else(make_block):
    block = make_block('reviews_per_work="2"')
    # Neutral links: a link may name its author by its nature; here it does not.
    block.submit_all(NAMES, url_pattern="https://site-{name}0.example.org/")
    block.ok("staff_start", "staff")
    for name in NAMES:
        state = block.state(name)
        for index in range(len(state["reviews"])):
            block.ok("submit_review", name, full_review(state, index, value=0.7))
    block.ok("staff_complete", "staff")
    for name in NAMES:
        texts = [json.dumps(block.state(name)), block.page(name)]
        for other in NAMES:
            if other == name:
                continue
            for identity in _identities(other):
                for text in texts:
                    leaked = text.replace(f"site-{other}0", "")  # the neutral link is not an identity
                    assert identity not in leaked, (name, other, identity)
    # Staff do see who is who (they need to), and only through a staff-only handler.
    overview = block.ok("staff_overview", "staff")
    assert sorted(row["learner"] for row in overview["learners"]) == sorted(NAMES)


def test_learner_text_cannot_break_out_of_the_page(make_block):
    block = make_block('reviews_per_work="2"')
    block.submit_all(NAMES[:3])
    block.ok("staff_start", "staff")
    evil = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
    for name in NAMES[:3]:
        state = block.state(name)
        for index in range(len(state["reviews"])):
            review = full_review(state, index)
            review["comment"] = evil
            block.ok("submit_review", name, review)
    page = block.page(NAMES[0])
    assert "alert" in page  # the comment is there…
    assert "<script>alert" not in page and "<img src=x" not in page  # …but only as escaped JSON text
