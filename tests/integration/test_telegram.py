"""The Telegram sender against the project's fake Bot API, over real HTTP (issue 14).

python-telegram-bot is not mocked: its Bot talks HTTP to `FakeBotApi` on a free local port, which
records every request (method, chat, text, arrival time) and answers 429/403/500 when told to.
No database: these run in `make test`'s SQLite pass and take a few seconds (the limits are real:
one message a second per chat, 30 a second in all).
"""
import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crosscheck_xblock.notifications import telegram
from crosscheck_xblock.notifications.fake_bot_api import DROP, FakeBotApi
from crosscheck_xblock.notifications.telegram import BLOCKED, FAILED, SENT

# Faster retries for the tests that count attempts rather than measure the limits.
QUICK = replace(telegram.LIMITS, chat_interval=0.05, backoff=0.05)


@pytest.fixture
def fake():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def config(fake):
    return telegram.Config(bot_token=fake.token, bot_username=fake.username, api_url=fake.base_url,
                           webhook_secret="s3cret_-Value")


def send(config, messages, limits=telegram.LIMITS, **kwargs):
    """deliver() with a pace of its own, so one test's sends do not slow the next."""
    return telegram.deliver(messages, config, limits, pace=telegram.Pace(), **kwargs)


def gaps(calls):
    return [later.time - earlier.time for earlier, later in zip(calls, calls[1:])]


# ---------------------------------------------------------------------- delivering

def test_every_message_arrives_once_with_its_text(fake, config):
    messages = [("n1", 101, "Your work was reviewed."), ("n2", 102, "Новое сообщение <b>1</b> & 2"),
                ("n3", 101, "The review period ends tomorrow."), ("n4", 103, "Thanked")]
    results = send(config, messages)
    assert [(r.message_id, r.chat_id, r.status) for r in results] == [
        ("n1", 101, SENT), ("n2", 102, SENT), ("n3", 101, SENT), ("n4", 103, SENT)]
    assert [r.attempts for r in results] == [1, 1, 1, 1]
    assert len({r.telegram_id for r in results}) == 4
    assert [c.text for c in fake.sent(101)] == ["Your work was reviewed.", "The review period ends tomorrow."]
    assert [c.text for c in fake.sent(102)] == ["Новое сообщение <b>1</b> & 2"]
    assert [c.text for c in fake.sent(103)] == ["Thanked"]
    assert len(fake.sent()) == 4
    # Plain text: no parse_mode, so a learner's "<b>" is not markup; and no link preview.
    params = fake.sent(102)[0].params
    assert "parse_mode" not in params
    assert params["link_preview_options"] == {"is_disabled": True}
    assert [entry["from"] for entry in fake.chat(101)] == ["bot", "bot"]


def test_retry_after_is_waited_out_then_sent_once(fake, config):
    fake.fail_next(201, 429, retry_after=1)
    [result] = send(config, [("n", 201, "Deadline in 3 days")])
    assert (result.status, result.attempts) == (SENT, 2)
    first, second = fake.attempts(201)
    assert (first.status, second.status) == (429, 200)
    assert second.time - first.time >= 1.0
    assert [c.text for c in fake.sent(201)] == ["Deadline in 3 days"]


def test_retry_after_pauses_the_whole_bot(fake, config):
    """Telegram's flood control is per bot: after a 429 nobody sends until it has passed."""
    fake.fail_next(211, 429, retry_after=2)
    send(config, [("a", 211, "first"), ("b", 212, "second"), ("c", 212, "third")])
    told = fake.attempts(211)[0].time
    # Without the pause "third" would go a second after "second"; it waited for the 2 s.
    assert fake.sent(212)[1].time - told >= 2.0
    assert fake.sent(211)[0].time - told >= 2.0
    assert sorted(c.text for c in fake.sent()) == ["first", "second", "third"]


def test_a_long_retry_after_is_reported_failed_for_later(fake, config):
    fake.fail_next(221, 429, retry_after=3600)
    [result] = send(config, [("n", 221, "text")])
    assert (result.status, result.attempts, result.retry_after) == (FAILED, 1, 3600.0)
    assert fake.sent(221) == []


def test_a_server_error_is_retried_and_delivered_once(fake, config):
    fake.fail_next(301, 500)
    [result] = send(config, [("n", 301, "Reviews done")])
    assert (result.status, result.attempts) == (SENT, 2)
    assert [c.status for c in fake.attempts(301)] == [500, 200]
    assert [c.text for c in fake.sent(301)] == ["Reviews done"]


def test_a_dropped_connection_is_retried_and_delivered_once(fake, config):
    fake.fail_next(311, DROP)
    [result] = send(config, [("n", 311, "Marked best")], QUICK)
    assert (result.status, result.attempts) == (SENT, 2)
    assert [c.text for c in fake.sent(311)] == ["Marked best"]


def test_retries_are_bounded_then_failed(fake, config):
    fake.fail_next(321, 502, times=10)
    [result] = send(config, [("n", 321, "text")], replace(QUICK, attempts=3))
    assert (result.status, result.attempts) == (FAILED, 3)
    assert len(fake.attempts(321)) == 3
    assert fake.sent(321) == []


def test_backoff_doubles_between_retries(fake, config):
    fake.fail_next(331, 500, times=2)
    send(config, [("n", 331, "text")], replace(QUICK, backoff=0.3))
    first, second = gaps(fake.attempts(331))
    assert second >= 0.6 and first >= 0.3


def test_a_blocked_bot_is_reported_and_not_retried(fake, config):
    fake.fail_next(401, 403)
    results = send(config, [("a", 401, "one"), ("b", 402, "other chat"), ("c", 401, "two")])
    assert [(r.status, r.attempts) for r in results] == [(BLOCKED, 1), (SENT, 1), (BLOCKED, 0)]
    assert "blocked" in results[0].error
    assert len(fake.attempts(401)) == 1  # the second message to that chat was never sent
    assert [c.text for c in fake.sent(402)] == ["other chat"]


def test_a_bad_request_is_failed_not_retried(fake, config):
    [result] = send(config, [("n", 501, "x" * 5000)])
    assert (result.status, result.attempts) == (FAILED, 1)
    assert "too long" in result.error


def test_a_rejected_token_fails_the_batch_without_sending(fake, config):
    results = send(replace(config, bot_token="999:wrong"), [("a", 601, "one"), ("b", 602, "two")])
    assert [(r.status, r.attempts) for r in results] == [(FAILED, 0), (FAILED, 0)]
    assert fake.sent() == []


def test_an_unreachable_api_fails_the_batch(config):
    closed = FakeBotApi().start()
    closed.stop()  # its port is free again: nothing answers there
    results = send(replace(config, api_url=closed.base_url), [("a", 611, "one")])
    assert [(r.status, r.attempts) for r in results] == [(FAILED, 0)]


def test_the_rate_limits_hold(fake, config):
    """40 chats and three messages to one of them: at most 30 in any second, one a second per chat."""
    messages = [(f"n{chat}", chat, f"notice for {chat}") for chat in range(1000, 1040)]
    messages += [("again1", 1000, "second to 1000"), ("again2", 1000, "third to 1000")]
    started = time.monotonic()
    results = send(config, messages)
    took = time.monotonic() - started
    assert {r.status for r in results} == {SENT}
    sent = fake.sent()
    assert len(sent) == len(messages) == len({(c.chat_id, c.text) for c in sent})
    times = sorted(c.time for c in sent)
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert busiest == 30  # the limit, and it was used
    assert min(gaps(fake.sent(1000))) >= 1.0
    assert [c.text for c in fake.sent(1000)] == ["notice for 1000", "second to 1000", "third to 1000"]
    assert took < 4.0


def test_the_limits_hold_from_one_batch_to_the_next(fake, config):
    pace = telegram.Pace()
    telegram.deliver([("a", 701, "one")], config, pace=pace)
    telegram.deliver([("b", 701, "two")], config, pace=pace)
    assert [c.text for c in fake.sent(701)] == ["one", "two"]
    assert gaps(fake.sent(701))[0] >= 1.0


def test_each_result_is_reported_once_as_it_is_known(fake, config):
    import asyncio

    seen, loops = [], []

    def mark(result):
        try:
            asyncio.get_running_loop()
            loops.append(True)
        except RuntimeError:
            loops.append(False)  # no loop in this thread: the Django ORM may run here
        seen.append((result.message_id, result.status, len(fake.sent())))

    fake.fail_next(802, 403)
    send(config, [("a", 801, "one"), ("b", 802, "two"), ("c", 801, "three")], on_result=mark)
    assert sorted(m for m, _, _ in seen) == ["a", "b", "c"]
    assert dict((m, s) for m, s, _ in seen) == {"a": SENT, "b": BLOCKED, "c": SENT}
    assert loops == [False, False, False]
    # "a" was reported before "c" was sent (a second later): marks are not held to the end.
    assert dict((m, n) for m, _, n in seen)["a"] < 2


def test_answer_replies_in_the_learners_language(fake, config):
    result = telegram.answer(901, telegram.reply_text("connected", "ru"), config)
    assert result.status == SENT
    [call] = fake.sent(901)
    assert call.text.startswith("Подключено")
    assert telegram.reply_text("disconnected", "en").startswith("Disconnected")
    assert telegram.reply_text("link_expired", "ru") != telegram.reply_text("link_expired", "en")


# ---------------------------------------------------------------------- settings

def test_without_a_token_telegram_is_off(settings, fake):
    settings.CROSSCHECK_TELEGRAM = {}
    assert telegram.enabled() is False
    with pytest.raises(telegram.TelegramOff, match="BOT_TOKEN"):
        telegram.deliver([("a", 1, "text")])
    with pytest.raises(telegram.TelegramOff):
        telegram.poll()
    del settings.CROSSCHECK_TELEGRAM
    assert telegram.enabled() is False
    assert fake.calls == []


def test_the_settings_are_read_from_django(settings, fake):
    settings.CROSSCHECK_TELEGRAM = {"BOT_TOKEN": fake.token, "BOT_USERNAME": "@crosscheck_fake_bot",
                                    "API_URL": fake.base_url, "WEBHOOK_SECRET": "abc"}
    read = telegram.config()
    assert read.enabled and telegram.enabled()
    assert (read.bot_username, read.api_url, read.webhook_secret) == ("crosscheck_fake_bot", fake.base_url, "abc")
    [result] = telegram.deliver([("a", 1001, "through the settings")], pace=telegram.Pace())
    assert result.status == SENT and fake.sent(1001)
    assert telegram.config({"BOT_TOKEN": "1:x"}).api_url == "https://api.telegram.org/bot"


# ---------------------------------------------------------------------- linking

def test_link_tokens_are_random_and_fit_a_deep_link():
    tokens = {telegram.link_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(telegram.LINK_TOKEN.fullmatch(token) and len(token) <= 64 for token in tokens)
    token = tokens.pop()
    assert telegram.deep_link("crosscheck_bot", token) == f"https://t.me/crosscheck_bot?start={token}"
    assert telegram.deep_link("@crosscheck_bot", token) == f"https://t.me/crosscheck_bot?start={token}"


@pytest.mark.parametrize("bot, token", [("crosscheck_bot", "a" * 65), ("crosscheck_bot", "has space"),
                                        ("crosscheck_bot", ""), ("crosscheck_bot", "tok&evil=1"),
                                        ("bad/name", "token"), ("", "token")])
def test_a_deep_link_refuses_what_telegram_would_not_take(bot, token):
    with pytest.raises(ValueError):
        telegram.deep_link(bot, token)


def message(text, chat_id=42, chat_type="private"):
    return {"update_id": 7, "message": {"message_id": 1, "date": 0, "text": text,
                                        "chat": {"id": chat_id, "type": chat_type}}}


@pytest.mark.parametrize("update, parsed", [
    (message("/start abc_DEF-123"), ("start", 42, "abc_DEF-123")),
    (message("  /start   tok  "), ("start", 42, "tok")),
    (message("/stop"), ("stop", 42)),
    (message("/stop please"), ("stop", 42)),
    (message("/start@crosscheck_fake_bot tok"), ("start", 42, "tok")),
    (message("/stop@other_bot"), None),
    (message("/start"), None),  # the bot opened without a link
    (message("/start " + "a" * 65), None),
    (message("/start to<k>"), None),
    (message("/start a b"), None),
    (message("/start tok", chat_type="group"), None),
    (message("/stop", chat_type="supergroup"), None),
    (message("hello"), None),
    (message(""), None),
    (message("/start tok", chat_id=True), None),
    (message("/start tok", chat_id="42"), None),
    ({"update_id": 1, "edited_message": message("/stop")["message"]}, None),
    ({"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "photo": []}}, None),
    ({"update_id": 1}, None),
    ({}, None),
    (None, None),
    ([1, 2], None),
    ("not json", None),
    (b"\xff\xfe", None),
    ('{"message": "x"}', None),
])
def test_parse_update(update, parsed):
    assert telegram.parse_update(update, bot_username="crosscheck_fake_bot") == parsed


def test_parse_update_reads_the_json_text_of_a_webhook_body():
    assert telegram.parse_update(json.dumps(message("/start tok9"))) == ("start", 42, "tok9")


def test_the_webhook_secret_check(config, monkeypatch):
    assert telegram.check_webhook_secret("s3cret_-Value", config) is True
    for wrong in ["s3cret_-valuE", "s3cret_-Value ", "", None, 12, "s3cret"]:
        assert telegram.check_webhook_secret(wrong, config) is False
    unset = replace(config, webhook_secret="")
    assert telegram.check_webhook_secret("", unset) is False
    assert telegram.check_webhook_secret("anything", unset) is False
    compared = []
    real = telegram.hmac.compare_digest
    monkeypatch.setattr(telegram.hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    assert telegram.check_webhook_secret("guess", config) is False
    assert compared == [1]  # constant time: hmac.compare_digest, not ==


# ---------------------------------------------------------------------- updates

def test_polling_gets_the_queued_updates_and_confirms_them(fake, config):
    fake.queue_message(42, "/start tok_1")
    fake.queue_message(43, "/stop")
    updates, offset = telegram.poll(None, 0, config)
    assert [telegram.parse_update(u, config.bot_username) for u in updates] == [
        ("start", 42, "tok_1"), ("stop", 43)]
    assert offset == updates[-1]["update_id"] + 1
    again, same = telegram.poll(offset, 0, config)
    assert (again, same) == ([], offset)
    fake.queue_message(44, "/stop")
    later, after = telegram.poll(offset, 0, config)
    assert [telegram.parse_update(u) for u in later] == [("stop", 44)] and after == offset + 1


def test_a_long_poll_returns_when_an_update_comes(fake, config):
    threading.Timer(0.3, fake.queue_message, (45, "/start tok_2")).start()
    started = time.monotonic()
    updates, _ = telegram.poll(None, 5, config)
    assert [telegram.parse_update(u) for u in updates] == [("start", 45, "tok_2")]
    assert time.monotonic() - started < 3


class Receiver(BaseHTTPRequestHandler):
    """A stand-in for the webhook view: checks the secret header, parses the update."""

    config = None
    got = []

    def do_POST(self):  # http.server calls it by this name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        header = self.headers.get(telegram.SECRET_HEADER)
        if not telegram.check_webhook_secret(header, self.config):
            self.send_response(403)
        else:
            self.got.append(telegram.parse_update(body))
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # http.server calls it with these names
        pass


def test_the_webhook_receives_updates_with_the_secret(fake, config):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Receiver.config, Receiver.got = config, []
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/crosscheck/telegram/webhook/"
        telegram.set_webhook(url, config)
        assert fake.webhook == {"url": url, "secret_token": config.webhook_secret}
        with pytest.raises(telegram.TelegramUnavailable, match="webhook"):
            telegram.poll(None, 0, config)  # Telegram refuses getUpdates while a webhook is set
        fake.queue_message(46, "/start tok_3")
        assert fake.push_to_webhook() == [200]
        assert Receiver.got == [("start", 46, "tok_3")]
        Receiver.config = replace(config, webhook_secret="another")
        fake.queue_message(47, "/stop")
        assert fake.push_to_webhook() == [403]  # a wrong secret is refused
        telegram.delete_webhook(config)
        assert fake.webhook is None
        updates, _ = telegram.poll(None, 0, config)
        assert [telegram.parse_update(u) for u in updates] == [("stop", 47)]
    finally:
        server.shutdown()
        server.server_close()


def test_a_webhook_needs_a_secret(fake, config):
    with pytest.raises(telegram.TelegramOff, match="WEBHOOK_SECRET"):
        telegram.set_webhook("https://lms.example.com/crosscheck/telegram/webhook/",
                             replace(config, webhook_secret=""))
    assert fake.webhook is None
