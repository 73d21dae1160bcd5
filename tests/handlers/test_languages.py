"""The block speaks the reader's language (issue 10): the browser's Accept-Language, or the
workbench's ?lang= switch, picks it for pages, handler answers and error sentences alike; what
is stored (grade explanations) is worded for each reader, and nothing else changes."""
import json

import pytest

from crosscheck_xblock import i18n

from .conftest import full_review

pytestmark = pytest.mark.db
RU = "ru-RU,ru;q=0.9,en;q=0.5"
FIVE = ["a", "b", "c", "d", "e"]


def call(block, handler, student, body=None, language=""):
    extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    response = block.client.post(f"/handler/{block.usage_id}/{handler}/?student={student}",
                                 data=json.dumps(body or {}), content_type="application/json", **extra)
    return response.status_code, response.json()


def ru(message: str) -> str:
    return i18n.catalog("ru").gettext(message)


@pytest.fixture
def graded(make_block):
    """Five learners, k=2, every review given, grades published."""
    block = make_block('reviews_per_work="2" grading_policy="mean"')
    block.submit_all(FIVE)
    block.ok("staff_start", "staff")
    for name in FIVE:
        state = block.state(name)
        for index in range(len(state["reviews"])):
            block.ok("submit_review", name, full_review(state, index, value=1.0))
    block.ok("staff_complete", "staff")
    return block


def test_the_phase_sentence_follows_the_browser(make_block):
    block = make_block()
    _, english = call(block, "get_state", "alice")
    _, russian = call(block, "get_state", "alice", language=RU)
    assert english["phase_text"] == "Submission is open."
    assert russian["phase_text"] == ru("Submission is open.") == "Приём работ открыт."


def test_a_refusal_is_worded_in_russian_and_keeps_its_code(make_block):
    block = make_block()
    status, body = call(block, "submit_review", "alice", {"review_id": "nope"}, language=RU)
    assert (status, body["code"]) == (409, "review_closed")
    assert body["error"] == ru("Reviews are not accepted now: the cross-check is not running.")
    assert body["error"].startswith("Проверки сейчас не принимаются")
    status, body = call(block, "staff_start", "alice", language=RU)
    assert (status, body["code"], body["error"]) == (403, "staff_only", "Это может делать только команда курса.")


def test_one_stored_grade_reads_in_each_readers_language(graded):
    _, english = call(graded, "get_state", "a")
    _, russian = call(graded, "get_state", "a", language=RU)
    assert english["grade"]["message"].startswith("Your grade is ")
    assert russian["grade"]["message"].startswith("Ваша оценка — ")
    assert ru("The grade is the average of all the scores the work received.") in russian["grade"]["message"]
    assert [s["reviewer"] for s in russian["grade"]["scores"]] == [
        s["reviewer"].replace("Reviewer", "Проверяющий") for s in english["grade"]["scores"]]
    assert russian["grade"]["points"] == english["grade"]["points"]  # only words differ
    assert [r["title"].split()[0] for r in russian["reviews"]] == ["Работа"] * len(russian["reviews"])


def test_the_page_loads_the_russian_js_catalog_only_for_russian(make_block, client):
    block = make_block()
    english = client.get(f"/scenario/{block.scenario}/?student=alice").content.decode()
    russian = client.get(f"/scenario/{block.scenario}/?student=alice", HTTP_ACCEPT_LANGUAGE=RU).content.decode()
    assert "public/js/translations/ru/djangojs.js" in russian
    assert "djangojs.js" not in english
    assert '<html lang="ru">' in russian and '<html lang="en">' in english
    assert '&quot;language&quot;: &quot;ru&quot;' in russian or '"language": "ru"' in russian


def test_the_workbench_switch_is_remembered_for_the_handlers(make_block, client):
    block = make_block()
    page = client.get(f"/scenario/{block.scenario}/?student=alice&lang=ru")
    assert page.cookies["django_language"].value == "ru"
    _, state = call(block, "get_state", "alice")  # no Accept-Language: the cookie decides
    assert state["phase_text"] == "Приём работ открыт."
    client.get(f"/scenario/{block.scenario}/?student=alice&lang=en")
    _, state = call(block, "get_state", "alice", language=RU)  # the switch wins over the browser
    assert state["phase_text"] == "Submission is open."


def test_an_unknown_language_falls_back_to_english(make_block):
    block = make_block()
    _, state = call(block, "get_state", "alice", language="de-DE,de;q=0.9")
    assert state["phase_text"] == "Submission is open."
