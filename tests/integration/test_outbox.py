"""The Telegram outbox and chat links against the project's fake Bot API over real HTTP (issue 14).

python-telegram-bot is not mocked: the outbox's Bot talks HTTP to `FakeBotApi` on a free port.
Notices are real rows of a real task; linking goes through the plugin's webhook URL (Django's
test client, with the secret header) and through `crosscheck_telegram_poll`. The outbox marks
notices from the sender's worker threads, so these tests commit (transaction=True). SQLite and
MariaDB (`make test`'s database passes).
"""
import re
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from cc_workbench.services import anonymous_id
from crosscheck_xblock import services
from crosscheck_xblock.models import Notice, NotificationSettings, SweepState, TelegramChat, TelegramLinkToken
from crosscheck_xblock.notifications import telegram
from crosscheck_xblock.notifications.fake_bot_api import FakeBotApi
from crosscheck_xblock.services import notices, outbox

from ..factories import T0, learners, make_task

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

QUICK = replace(telegram.LIMITS, chat_interval=0.05, backoff=0.05)
SECRET = "hook_Secret-1"
WEBHOOK = "/crosscheck/telegram/webhook/"
NAMES = learners(4)
CYRILLIC = re.compile("[а-яА-ЯёЁ]")
# A detail for each kind, as the events store it.
DETAILS = {
    "task_opened": {"due": "2026-03-03T10:00:00Z"}, "deadline_in_3_days": {"due": "2026-03-03T10:00:00Z"},
    "deadline_in_1_day": {"due": "2026-03-03T10:00:00Z"},
    "work_submitted": {"reviewers": 3, "end": "2026-03-05T10:00:00Z"},
    "review_started": {"works": 3, "end": "2026-03-05T10:00:00Z"},
    "review_end_in_1_day": {"left": 2, "end": "2026-03-05T10:00:00Z"}, "reviews_done": {"reviews": 3},
    "new_message": {"side": "author", "reviewer": 2, "staff": False}, "thanked": {"work": 1},
    "complained": {"work": 2}, "work_reviewed": {"reviewer": 1}, "marked_best": {"count": 2},
}


def user_keys(_course_id, student_ids):
    """compat.user_keys' stand-in for these tests: the learners w000… as user:<name>."""
    known = {anonymous_id(name): f"user:{name}" for name in NAMES}
    return {student_id: known[student_id] for student_id in student_ids if student_id in known}


@pytest.fixture
def fake():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot(fake, settings, clock):
    """Telegram on, pointing at the fake; whom notices go to; a task of four learners."""
    settings.CROSSCHECK_TELEGRAM = {"BOT_TOKEN": fake.token, "BOT_USERNAME": fake.username,
                                    "API_URL": fake.base_url, "WEBHOOK_SECRET": SECRET}
    settings.CROSSCHECK_USER_KEYS = "tests.integration.test_outbox.user_keys"
    settings.LMS_ROOT_URL = "https://lms.example.org"
    task = make_task("block-v1:Test+Outbox+type@crosscheck+block@one", len(NAMES))
    return task


def link(name, chat_id, language="en"):
    TelegramChat.objects.create(user_key=f"user:{name}", chat_id=chat_id, language=language, linked_at=T0)


def add_notices(task, name, kinds=tuple(DETAILS), occasion=""):
    """Notice rows as the events make them (without waking the outbox: the test sends)."""
    Notice.objects.bulk_create([Notice(task_id=task.id, student_id=anonymous_id(name), kind=kind,
                                       occasion=occasion, detail=DETAILS[kind], created_at=T0) for kind in kinds])


def deliver(limits=QUICK):
    return services.deliver_outbox(T0 + timedelta(minutes=1), limits=limits)


def texts(fake, chat_id):
    return [entry["text"] for entry in fake.chat(chat_id) if entry["from"] == "bot"]


def states():
    return Counter(Notice.objects.values_list("telegram_state", flat=True))


def update(chat_id, text, update_id=1, language="en"):
    message = {"message_id": update_id, "date": 0, "text": text,
               "from": {"id": chat_id, "is_bot": False, "first_name": "L", "language_code": language},
               "chat": {"id": chat_id, "type": "private", "first_name": "L"}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def token_of(link_url):
    return link_url.split("?start=", 1)[1]


# ---------------------------------------------------------------------- linking

def test_linking_through_the_webhook(bot, fake):
    part = services.telegram_part("user:w000", "ru", True, T0)
    assert part["enabled"] and not part["linked"] and part["bot"] == fake.username
    assert part["link"].startswith(f"https://t.me/{fake.username}?start=")
    token = token_of(part["link"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token)
    # The same link while it has time to live: a page view writes no new token.
    assert services.telegram_part("user:w000", "ru", True, T0 + timedelta(minutes=5))["link"] == part["link"]
    client = Client()
    body = update(555, f"/start {token}")
    refused = [client.post(WEBHOOK, body, content_type="application/json"),
               client.post(WEBHOOK, body, content_type="application/json",
                           headers={telegram.SECRET_HEADER: "wrong"}),
               client.post(WEBHOOK, "not json", content_type="application/json",
                           headers={telegram.SECRET_HEADER: SECRET}),
               client.post(WEBHOOK, {"no": "update"}, content_type="application/json",
                           headers={telegram.SECRET_HEADER: SECRET})]
    assert [answer.status_code for answer in refused] == [403, 403, 400, 400]
    assert client.get(WEBHOOK).status_code == 405
    assert not TelegramChat.objects.exists() and not fake.sent()
    answer = client.post(WEBHOOK, body, content_type="application/json", headers={telegram.SECRET_HEADER: SECRET})
    assert answer.status_code == 200 and answer.json() == {"ok": True, "action": "linked"}
    chat = TelegramChat.objects.get()
    assert (chat.user_key, chat.chat_id, chat.language) == ("user:w000", 555, "ru")
    assert texts(fake, 555) == [telegram.reply_text("connected", "ru")]
    assert CYRILLIC.search(texts(fake, 555)[0])
    # The token is single use: the same update again (Telegram retries) links nothing more.
    again = client.post(WEBHOOK, body, content_type="application/json", headers={telegram.SECRET_HEADER: SECRET})
    assert again.json()["action"] == "link_expired" and TelegramChat.objects.count() == 1
    assert services.telegram_part("user:w000", "ru", True, T0) == {
        "enabled": True, "linked": True, "link": None, "bot": fake.username}
    # Staff viewing as the learner are given no link.
    assert services.telegram_part("user:w001", "en", False, T0)["link"] is None


def test_an_expired_link_and_stop(bot, fake):
    token = token_of(services.telegram_part("user:w001", "en", True, T0)["link"])
    assert services.handle_update(update(601, f"/start {token}"), T0 + timedelta(hours=2)) == "link_expired"
    assert not TelegramChat.objects.exists()
    assert "expired" in texts(fake, 601)[0]
    later = T0 + timedelta(hours=2)
    fresh = token_of(services.telegram_part("user:w001", "en", True, later)["link"])
    assert fresh != token and services.handle_update(update(601, f"/start {fresh}", 2), later) == "linked"
    assert services.handle_update(update(601, "/stop", 3), later) == "unlinked"
    assert not TelegramChat.objects.exists()
    assert texts(fake, 601)[-1] == telegram.reply_text("disconnected", "en")
    assert services.handle_update(update(601, "hello", 4), T0) is None  # not ours to act on


def test_linking_through_polling(bot, fake):
    token = token_of(services.telegram_part("user:w002", "en", True, T0)["link"])
    fake.queue_message(700, f"/start {token}")
    call_command("crosscheck_telegram_poll", "--once")
    assert TelegramChat.objects.get().chat_id == 700
    fake.queue_message(700, "/stop")
    call_command("crosscheck_telegram_poll", "--once")
    assert not TelegramChat.objects.exists()
    # Confirmed updates are not read again.
    call_command("crosscheck_telegram_poll", "--once")
    assert texts(fake, 700) == [telegram.reply_text("connected", "en"), telegram.reply_text("disconnected", "en")]


def test_a_second_chat_replaces_the_first(bot):
    token = token_of(services.telegram_part("user:w000", "en", True, T0)["link"])
    assert services.handle_update(update(801, f"/start {token}"), T0, reply=False) == "linked"
    # Linked, the block offers no link; a token made before (another tab) links the new phone.
    assert services.telegram_part("user:w000", "en", True, T0)["link"] is None
    TelegramLinkToken.objects.create(token="second-token", user_key="user:w000", created_at=T0,
                                     expires_at=T0 + timedelta(hours=1))
    assert services.handle_update(update(802, "/start second-token"), T0, reply=False) == "linked"
    assert list(TelegramChat.objects.values_list("user_key", "chat_id")) == [("user:w000", 802)]
    assert TelegramLinkToken.objects.filter(used_at__isnull=True).count() == 0


# ---------------------------------------------------------------------- delivering

def test_each_of_the_twelve_notices_goes_once_to_the_right_chat_in_its_language(bot, fake):
    link("w000", 901, "ru")
    link("w001", 902, "en")
    for name in ("w000", "w001", "w002"):  # w002 has no chat: in-app only
        add_notices(bot, name)
    counts = deliver()
    assert (counts["sent"], counts["off"], counts["failed"]) == (24, 12, 0)
    russian, english = texts(fake, 901), texts(fake, 902)
    assert len(russian) == len(english) == 12 == len(set(russian)) == len(set(english))
    for text in russian:
        name_line, sentence, link_line = text.split("\n\n")
        assert name_line == "Scheduled cross-check" and CYRILLIC.search(sentence)
        assert link_line.startswith("https://lms.example.org/") and bot.usage_key in link_line  # absolute
    assert not any(CYRILLIC.search(text) for text in english)
    assert not any(re.search(r"w00\d", text) for text in russian + english)  # no learner is named
    # Nothing goes twice: another delivery (the sweep, a retried task) sends nothing.
    assert deliver()["sent"] == 0 and len(fake.sent()) == 24
    assert states() == {"sent": 24, "off": 12}


def test_retries_after_429_and_500_send_each_notice_once(bot, fake):
    link("w000", 911)
    link("w001", 912)
    add_notices(bot, "w000", ["thanked", "complained"])
    add_notices(bot, "w001", ["thanked", "complained"])
    fake.fail_next(911, 429, retry_after=1)
    fake.fail_next(912, 500, times=2)
    assert deliver()["sent"] == 4
    assert len(texts(fake, 911)) == len(set(texts(fake, 911))) == 2
    assert len(texts(fake, 912)) == len(set(texts(fake, 912))) == 2
    assert len(fake.attempts(912)) == 4  # two 500s, then the two messages
    assert states() == {"sent": 4}


def test_a_failure_left_is_tried_again_by_a_later_batch_then_given_up(bot, fake):
    link("w000", 921)
    add_notices(bot, "w000", ["thanked"])
    fake.fail_next(921, 500, times=100)
    one_try = replace(QUICK, attempts=1)
    assert services.deliver_outbox(T0, limits=one_try)["failed"] == 1
    assert services.deliver_outbox(T0, limits=one_try)["failed"] == 0  # not before RETRY_DELAY
    later = T0
    for _ in range(outbox.ATTEMPTS):
        later += outbox.RETRY_DELAY
        services.deliver_outbox(later, limits=one_try)
    notice = Notice.objects.get()
    assert (notice.telegram_state, notice.telegram_attempts) == ("failed", outbox.ATTEMPTS)
    assert not services.has_pending(later + timedelta(hours=1))


def test_a_learner_who_blocked_the_bot_is_unlinked(bot, fake):
    link("w000", 931)
    link("w001", 932)
    add_notices(bot, "w000", ["thanked", "complained"])
    add_notices(bot, "w001", ["thanked"])
    fake.block(931)
    counts = deliver()
    assert (counts["blocked"], counts["sent"]) == (2, 1)
    assert list(TelegramChat.objects.values_list("chat_id", flat=True)) == [932]
    add_notices(bot, "w000", ["marked_best"])
    assert deliver()["off"] == 1  # no chat any more: nothing is tried
    assert len(fake.attempts(931)) == 1


def test_kinds_turned_off_stay_in_the_block(bot, fake):
    link("w000", 941)
    notices.notification_settings(bot, "user:w000", {"telegram": {"thanked": False}}, T0)
    add_notices(bot, "w000", ["thanked", "complained"])
    assert deliver()["sent"] == 1
    assert [kind for kind, state in Notice.objects.values_list("kind", "telegram_state")
            if state == "off"] == ["thanked"]
    assert len(texts(fake, 941)) == 1


def test_dates_are_in_the_learners_time_zone(bot, fake):
    link("w000", 951)
    notices.notification_settings(bot, "user:w000", {"time_zone": "Asia/Tokyo"}, T0)
    assert NotificationSettings.objects.get().time_zone == "Asia/Tokyo"
    add_notices(bot, "w000", ["deadline_in_1_day"])
    deliver()
    assert "19:00 (Asia/Tokyo)" in texts(fake, 951)[0]  # 10:00 UTC
    with pytest.raises(services.BadRequest) as refused:
        notices.notification_settings(bot, "user:w000", {"time_zone": "Mars/Olympus"}, T0)
    assert refused.value.code == "bad_time_zone"
    assert NotificationSettings.objects.get().time_zone == "Asia/Tokyo"


def test_a_dead_senders_notices_are_sent_at_most_once(bot, fake):
    link("w000", 961)
    add_notices(bot, "w000", ["thanked", "complained", "marked_best"])
    thanked, complained, _best = Notice.objects.order_by("id")
    # A sender died: it had claimed `thanked` (never tried) and was sending `complained`.
    Notice.objects.filter(pk=thanked.pk).update(telegram_state="pending", telegram_batch="dead")
    Notice.objects.filter(pk=complained.pk).update(telegram_state="sending", telegram_batch="dead")
    SweepState.objects.create(name=outbox.OUTBOX, chain="dead", beat_at=T0)  # its lease ran out
    assert deliver()["sent"] == 2
    got = dict(Notice.objects.values_list("kind", "telegram_state"))
    assert got == {"thanked": "sent", "complained": "failed", "marked_best": "sent"}
    assert Notice.objects.get(kind="complained").telegram_error == outbox.GIVEN_UP
    assert len(texts(fake, 961)) == 2


def test_one_sender_at_a_time(bot, fake):
    link("w000", 971)
    add_notices(bot, "w000", ["thanked"])
    SweepState.objects.create(name=outbox.OUTBOX, chain="other", beat_at=T0 + timedelta(hours=1))
    assert deliver()["busy"] is True and not fake.sent()
    assert services.has_pending(T0)


def test_the_limits_hold_across_chats(bot, fake):
    for index, name in enumerate(NAMES):
        link(name, 981 + index)
        add_notices(bot, name, ["thanked", "complained", "marked_best"])
    deliver(limits=telegram.LIMITS)
    for index in range(len(NAMES)):
        times = [call.time for call in fake.sent(981 + index)]
        assert len(times) == 3
        assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:]))


def test_an_event_wakes_the_outbox_when_it_commits(bot, fake):
    link("w000", 991)
    with transaction.atomic():
        notices.notify(bot, [anonymous_id("w000")], "thanked", T0, occasion="7", detail={"work": 1})
        assert not fake.sent()  # not before the commit
    assert len(texts(fake, 991)) == 1  # eager Celery in the tests: sent at the commit
    with transaction.atomic():
        notices.notify(bot, [anonymous_id("w000")], "complained", T0, occasion="8", detail={"work": 1})
        transaction.set_rollback(True)  # the event failed: no notice, nothing sent
    assert len(texts(fake, 991)) == 1 and Notice.objects.count() == 1


def test_telegram_off_sends_nothing(bot, fake, settings):
    settings.CROSSCHECK_TELEGRAM = {}
    link("w000", 999)
    add_notices(bot, "w000", ["thanked"])
    assert deliver() == {"sent": 0, "failed": 0, "blocked": 0, "off": 0, "batches": 0, "busy": False}
    assert not services.has_pending(T0)
    assert services.telegram_part("user:w000", "en", True, T0) == {
        "enabled": False, "linked": False, "link": None, "bot": None}
    assert Client().post(WEBHOOK, update(1, "/stop"), content_type="application/json").status_code == 404
