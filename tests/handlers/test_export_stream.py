"""Staff exports stream (issue 15): `staff_export` checks who asks and what, then redirects to a
signed, short-lived download link of the plugin (`/crosscheck/exports/<token>/`), whose answer is a
`StreamingHttpResponse` read a chunk of works at a time, after the answer left the view."""
import csv
import io
import json
import logging
import time

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch

from crosscheck_xblock import downloads, i18n, services
from crosscheck_xblock.services import exports

from .conftest import anon, download

pytestmark = [pytest.mark.db, pytest.mark.django_db]
TWELVE = [f"learner{i:02}" for i in range(12)]
LINK = "/crosscheck/exports/"


@pytest.fixture
def block(make_block):
    """Twelve learners submitted (the export reads their works)."""
    block = make_block('reviews_per_work="3"')
    block.submit_all(TWELVE)
    return block


def ask(block, query, student="staff", **extra):
    """The handler's own answer (not followed)."""
    return block.client.get(f"/handler/{block.usage_id}/staff_export/?student={student}&{query}", **extra)


def token_of(location: str) -> str:
    assert location.startswith(LINK), location
    return location[len(LINK):].split("/", 1)[0]


def test_the_handler_redirects_to_a_signed_link_that_answers_the_csv(block):
    response = ask(block, "kind=grades")
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    assert "Content-Disposition" not in response and response.content == b""
    location = response["Location"]
    assert location.startswith(LINK) and location.endswith("/?student=staff")  # the workbench's user goes along
    answer = block.client.get(location)
    assert answer.status_code == 200 and answer.streaming is True
    assert answer["Content-Type"] == "text/csv; charset=utf8"
    assert answer["Content-Disposition"] == 'attachment; filename="crosscheck-grades.csv"'
    assert answer["Cache-Control"] == "private, no-store"
    body = answer.getvalue().decode()
    task = services.find_task(block.usage_id)
    assert body == services.grades_csv(task) and len(list(csv.reader(io.StringIO(body)))) == 13


def test_the_token_round_trip_carries_the_request_and_no_learner(block):
    task = services.find_task(block.usage_id)
    location = ask(block, "kind=best_works&header=keys&work_ids=7,3", HTTP_ACCEPT_LANGUAGE="ru")["Location"]
    wanted = downloads.read(token_of(location))
    assert wanted == {"block": task.usage_key, "kind": "best_works", "keys": True, "selection": [7, 3],
                      "language": "ru", "user": "user:staff"}
    # Signed, not encrypted: what it carries is readable, and none of it names a learner.
    text = json.dumps(signing.loads(token_of(location), salt=downloads.SALT))
    assert not [name for name in TWELVE if name in text or anon(name) in text]
    for kind in downloads.KINDS:
        assert downloads.read(token_of(ask(block, f"kind={kind}")["Location"]))["kind"] == kind


def test_refusals_come_before_any_redirect(block):
    bad = ask(block, "kind=everything")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_kind" and "Location" not in bad
    learner = ask(block, "kind=grades", student=TWELVE[0])
    assert learner.status_code == 403 and learner.json()["code"] == "staff_only" and "Location" not in learner
    bad_work = ask(block, "kind=best_works&work_ids=1,x")
    assert bad_work.status_code == 400 and bad_work.json()["code"] == "bad_work" and "Location" not in bad_work


def _refused(block, location, code, status=403):
    with CaptureQueriesContext(connection) as captured:
        response = block.client.get(location)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["error"]
    assert response["Cache-Control"] == "private, no-store" and "Content-Disposition" not in response
    return len(captured)


def test_a_changed_or_foreign_token_is_refused_before_anything_is_read(block):
    location = ask(block, "kind=grades")["Location"]
    token = token_of(location)
    payload, signature = token.rsplit(":", 1)
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    wanted = downloads.read(token)
    others = [
        f"{flipped}:{signature}",  # the request changed, the signature kept
        f"{payload}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # the signature changed
        signing.dumps({**wanted, "kind": "reviews"}, salt="another.salt", compress=True),  # signed for another use
        signing.dumps({**wanted, "kind": "everything"}, salt=downloads.SALT),  # ours, but no such export
        signing.dumps(["grades"], salt=downloads.SALT),  # ours, not a request
        "not-a-token",
    ]
    for other in others:
        assert _refused(block, f"{LINK}{other}/?student=staff", "bad_download_link") == 0, other


def test_an_expired_link_is_refused_and_the_setting_says_when(block, monkeypatch, settings):
    made = int(time.time()) - downloads.DEFAULT_LINK_SECONDS - 5  # the link was made 305 s ago
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda _self: signing.b62_encode(made))
    location = ask(block, "kind=reviews")["Location"]
    monkeypatch.undo()
    assert _refused(block, location, "expired_download_link") == 0
    settings.CROSSCHECK_EXPORT_LINK_SECONDS = 600
    assert block.client.get(location).status_code == 200


def test_the_link_is_for_the_user_it_was_made_for(block):
    location = ask(block, "kind=grades")["Location"]
    path = location.split("?")[0]
    assert _refused(block, f"{path}?student={TWELVE[0]}", "wrong_user") == 0
    assert _refused(block, f"{path}?student=anonymous", "wrong_user") == 0
    assert _refused(block, path, "wrong_user") == 0  # xblock-sdk's default user, student_1
    assert block.client.get(location).status_code == 200


def test_a_task_gone_is_404_and_a_post_is_refused(block):
    location = ask(block, "kind=grades")["Location"]
    assert block.client.post(location).status_code == 405
    services.delete_task(block.usage_id)
    _refused(block, location, "unknown_task", status=404)


def test_the_token_stays_out_of_the_logs(block, caplog):
    caplog.set_level(logging.DEBUG)
    location = ask(block, "kind=grades")["Location"]
    path = location.split("?")[0]
    block.client.get(f"{path}?student={TWELVE[0]}")  # refused: wrong_user
    block.client.get(location.replace(LINK, LINK + "x"))  # refused: bad_download_link
    block.client.get(location).getvalue()
    token = token_of(location)
    assert "export_download refused: wrong_user" in caplog.text and "refused: bad_download_link" in caplog.text
    assert token[:20] not in caplog.text
    assert not [record for record in caplog.records if record.name == "django.request"]


def test_the_header_row_is_in_the_language_of_the_page_that_asked(block):
    location = ask(block, "kind=grades", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")["Location"]
    header = next(csv.reader(io.StringIO(block.client.get(location).getvalue().decode())))  # no Accept-Language
    assert header[0] == i18n.catalog("ru").gettext("Work id") != "Work id"
    keys = download(block.client, f"/handler/{block.usage_id}/staff_export/?student=staff&kind=grades&header=keys",
                    HTTP_ACCEPT_LANGUAGE="ru")
    assert keys.body.decode().startswith('"work_id","learner",')


@pytest.mark.parametrize(("kind", "per_chunk"), [("grades", 4), ("reviews", 2)])
def test_the_stream_reads_each_chunk_only_when_it_is_read(block, monkeypatch, kind, per_chunk):
    """12 works, 5 a chunk: the view answers after one query (the task); the header costs none;
    each later chunk's queries run only when the stream reaches it."""
    monkeypatch.setattr(exports, "CHUNK", 5)
    whole = services.grades_csv if kind == "grades" else services.reviews_csv
    expected = whole(services.find_task(block.usage_id)).encode()
    location = ask(block, f"kind={kind}")["Location"]
    with CaptureQueriesContext(connection) as captured:
        response = block.client.get(location)
        answered = len(captured)
        stream = iter(response.streaming_content)
        pieces = [next(stream)]  # the header row
        after_header = len(captured)
        pieces.append(next(stream))  # the first five works' rows
        after_first = len(captured)
        pieces += list(stream)
        after_all = len(captured)
    assert response.streaming is True and b"".join(pieces) == expected
    assert answered == 1 and after_header == answered  # read_task; the header row is already made
    assert after_first - after_header == per_chunk
    assert after_all - after_first == 2 * per_chunk  # two more chunks (5 and 2 works), read last


def test_without_a_link_the_handler_answers_the_csv_itself(block, monkeypatch):
    streamed = download(block.client, f"/handler/{block.usage_id}/staff_export/?student=staff&kind=grades").body

    def no_plugin_urls(*_args, **_kwargs):
        raise NoReverseMatch("crosscheck:export_download")

    monkeypatch.setattr(downloads, "reverse", no_plugin_urls)  # the plugin's URLs not installed
    direct = ask(block, "kind=grades")
    assert direct.status_code == 200 and direct["Content-Disposition"] == 'attachment; filename="crosscheck-grades.csv"'
    assert direct.content == streamed and direct["Cache-Control"] == "private, no-store"
    monkeypatch.undo()
    monkeypatch.setattr(downloads, "MAX_LINK_LENGTH", 40)  # a selection too long for a Location header
    long = ask(block, "kind=best_works&header=keys&work_ids=" + ",".join(str(n) for n in range(1, 400)))
    assert long.status_code == 200 and long.content.decode().startswith('"work_id","learner"')
