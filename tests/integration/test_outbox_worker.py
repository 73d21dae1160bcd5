"""A real Celery worker on Redis delivers the Telegram outbox (issue 14); one killed mid-batch leaves
no notice sent twice and none lost. MariaDB (shared_db): the worker is another process.

The fake Bot API runs in this test process; the workers reach it over HTTP. It holds every
sendMessage answer a moment after the message arrived, so the kill lands while requests are in
flight: those messages arrived, and the outbox must not send them again.
"""
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from cc_workbench.services import anonymous_id
from crosscheck_xblock.models import Notice, TelegramChat
from crosscheck_xblock.notifications.fake_bot_api import FakeBotApi
from crosscheck_xblock.services import outbox

from ..factories import make_task
from .test_celery_worker import celery_env, wait_for  # noqa: F401 - the fixture
from .test_outbox import DETAILS

pytestmark = [pytest.mark.db, pytest.mark.shared_db, pytest.mark.django_db(transaction=True)]
# Demo learners: the workbench's stand-in (compat.user_keys) knows them in the worker process.
NAMES = ["alice", "bob", "carol", "dave", "erin"]
CHAT = {name: 5000 + index for index, name in enumerate(NAMES)}


@pytest.fixture
def fake():
    with FakeBotApi() as server:
        yield server


def bot_texts(fake, chat_id):
    return [entry["text"] for entry in fake.chat(chat_id) if entry["from"] == "bot"]


def arrived(fake) -> int:
    return sum(len(bot_texts(fake, chat_id)) for chat_id in CHAT.values())


def test_a_killed_worker_leaves_no_notice_sent_twice_and_none_lost(celery_env, fake):  # noqa: F811 - the fixture
    # Now, not T0: `crosscheck_tick` runs on the real clock (the workers read the clock file).
    now = datetime.now(UTC).replace(microsecond=0)
    task = make_task("block-v1:Test+Outbox+Worker+type@crosscheck+block@one", 0)
    for name in NAMES:
        TelegramChat.objects.create(user_key=f"user:{name}", chat_id=CHAT[name], language="en", linked_at=now)
        Notice.objects.bulk_create([Notice(task_id=task.id, student_id=anonymous_id(name), kind=kind,
                                           detail=detail, created_at=now) for kind, detail in DETAILS.items()])
    celery_env.update({
        "CROSSCHECK_TELEGRAM_TOKEN": fake.token, "CROSSCHECK_TELEGRAM_BOT": fake.username,
        "CROSSCHECK_TELEGRAM_API_URL": fake.base_url, "CROSSCHECK_OUTBOX_LEASE_SECONDS": "5",
    })
    celery_env.set_clock(now)
    fake.send_delay = 0.4
    first = celery_env.worker()
    assert "Telegram: delivery queued" in celery_env.manage("crosscheck_tick", "--enqueue")
    # Killed when every chat has a request in flight (arrived, not yet answered): a kill between
    # the "sending" mark and the request's arrival would lose that one message, by design.
    wait_for(lambda: arrived(fake) >= 12 and fake.held == len(NAMES), "the first worker to send some notices",
             worker=first)
    first.kill()
    cut = Counter(Notice.objects.values_list("telegram_state", flat=True))
    assert cut["sent"] < Notice.objects.count()  # killed half-way
    # The dead worker's lease runs out; the next worker (queued by the next tick) finishes.
    celery_env.set_clock(now + timedelta(minutes=1))
    fake.send_delay = 0
    second = celery_env.worker()
    celery_env.manage("crosscheck_tick", "--enqueue")
    left = ("", "pending", "sending")
    wait_for(lambda: not Notice.objects.filter(telegram_state__in=left).exists(), "the outbox to empty",
             timeout=90, worker=second)
    rows = list(Notice.objects.values_list("student_id", "telegram_state", "telegram_error"))
    for name in NAMES:
        texts = bot_texts(fake, CHAT[name])
        mine = [row for row in rows if row[0] == anonymous_id(name)]
        # None twice, none lost: every notice of the learner arrived, each exactly once.
        assert len(texts) == len(set(texts)) == len(mine), (name, Counter(texts).most_common(2))
    # What the first worker had in flight is given up, not sent again (it had arrived).
    states = Counter(state for _student, state, _error in rows)
    assert set(states) <= {"sent", "failed"}
    assert all(error == outbox.GIVEN_UP for _student, state, error in rows if state == "failed")
