"""The Telegram outbox (issue 14): every notice reaches its learner's linked chat at most once.

A notice is created with `telegram_state` "" (services/notices.py). `deliver_outbox` (the Celery
task `deliver_notices`, queued when notices are created, and the sweep for what is left) moves
it along:

    ""  ──claim──▶ pending ──request starts──▶ sending ──answer──▶ sent | blocked | failed
     └──────────▶ off (no linked chat, the kind turned off, or older than MAX_AGE)
    failed ──after RETRY_DELAY, fewer than ATTEMPTS tries──▶ pending …

- **One sender at a time.** A deliverer first takes the outbox lease (a SweepState row named
  OUTBOX: its holder and the lease's end), renewed at every batch; others that find it held
  leave (the holder goes on until nothing is left). So Telegram's limits (30 messages a second,
  one a second per chat: notifications.telegram) hold across workers, and no two processes claim
  the same notice. A holder that dies loses the lease after CROSSCHECK_OUTBOX_LEASE_SECONDS.
- **Never twice.** Each notice is marked `sending` (committed) just before its request and
  `sent` just after the answer, from the sender's worker threads. After a dead sender, a
  `pending` notice (never tried) is claimed again, but a `sending` one (its request may have
  arrived) is given up as failed: a duplicate is worse than one missing message, which the
  learner still has in the block.
- **Retries.** 429 and network errors are waited out and retried inside the batch (telegram.py);
  what still failed is tried again by a later batch after RETRY_DELAY, at most ATTEMPTS times;
  a 400 is given up at once. A 403 (the learner blocked the bot) unlinks the chat.
- **Words.** The message is the notice's sentence in the learner's language and time zone (the
  LMS's preferences where set, else the language they linked in and the zone their browser
  reported), with the task's name and the unit's absolute link; it names no other learner.
"""
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models import F, Q

from .. import clock, compat
from ..i18n import in_zone, language_code, using
from ..models import Notice, NotificationSettings, SweepState, TelegramChat
from ..notifications import telegram
from . import notices
from .guard import guarded
from .task_settings import TaskSettings
from .telegram_links import unlink_chat

log = logging.getLogger(__name__)

OUTBOX = "telegram-outbox"
BATCH = 200            # notices claimed at once
PER_CHAT = 5           # of them at most to one chat (one a second: a batch stays short)
MAX_BATCHES = 50       # per call; the next task or sweep goes on
ATTEMPTS = 5           # batches that may try one notice
RETRY_DELAY = timedelta(minutes=1)
MAX_AGE = timedelta(days=2)  # an older notice is not sent (e.g. made before Telegram was set up)
DEFAULT_LEASE_SECONDS = 300
GIVEN_UP = "the sender stopped during the request; not sent again, as it may have arrived"  # i18n: code


def lease_seconds() -> int:
    """How long a sender holds the outbox without renewing it (CROSSCHECK_OUTBOX_LEASE_SECONDS)."""
    return max(5, int(getattr(django_settings, "CROSSCHECK_OUTBOX_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def _acquire(holder: str, now: datetime) -> bool:
    SweepState.objects.get_or_create(name=OUTBOX, defaults={"chain": "", "beat_at": now})
    taken = (SweepState.objects.filter(name=OUTBOX)
             .filter(Q(chain="") | Q(chain=holder) | Q(beat_at__lte=now))
             .update(chain=holder, beat_at=now + timedelta(seconds=lease_seconds())))
    return taken == 1


def _release(holder: str) -> None:
    SweepState.objects.filter(name=OUTBOX, chain=holder).update(chain="")


def _claimable(now: datetime) -> Q:
    retry = Q(telegram_state="failed", telegram_attempts__lt=ATTEMPTS, telegram_at__lte=now - RETRY_DELAY)
    return (Q(telegram_state__in=("", "pending")) | retry) & Q(created_at__gte=now - MAX_AGE)


@guarded
def has_pending(now: datetime) -> bool:
    """Whether the outbox has something to send (Telegram on): for the sweep (one query)."""
    return telegram.enabled() and _pending(now)


def _pending(now: datetime) -> bool:
    return Notice.objects.filter(_claimable(now)).exists()


@guarded
def deliver_outbox(now: datetime, settings: telegram.Config | None = None,
                   limits: telegram.Limits = telegram.LIMITS, max_batches: int = MAX_BATCHES) -> dict:
    """Send what the outbox holds, batch after batch, while this process holds the outbox lease.
    `{"sent", "failed", "blocked", "off", "batches", "busy"}`; `busy` when another sender held
    the lease (it sends these too). Telegram off: nothing happens."""
    settings = settings or telegram.config()
    counts = {"sent": 0, "failed": 0, "blocked": 0, "off": 0, "batches": 0, "busy": False}
    if not settings.enabled:
        return counts
    holder = secrets.token_hex(8)
    while counts["batches"] < max_batches:
        if not _acquire(holder, now):
            counts["busy"] = True
            return counts
        try:
            while counts["batches"] < max_batches:
                messages = _claim(holder, now, counts)
                if not messages:
                    break
                counts["batches"] += 1
                _send(holder, messages, settings, limits, counts)
                now = clock.now()
                _acquire(holder, now)  # renew
        finally:
            _release(holder)
        # A notice made while the lease was held may have found it busy: one more look.
        if not _pending(now):
            break
    return counts


def _claim(holder: str, now: datetime, counts: dict) -> list[tuple[int, int, str]]:
    """Claim the next batch: [(notice id, chat id, text)]; marks what cannot go as off."""
    with transaction.atomic():
        counts["off"] += (Notice.objects.filter(telegram_state="", created_at__lt=now - MAX_AGE)
                          .update(telegram_state="off", telegram_at=now))
        # A dead sender's request in flight: given up (see the module's docstring).
        (Notice.objects.filter(telegram_state="sending").exclude(telegram_batch=holder)
         .update(telegram_state="failed", telegram_attempts=ATTEMPTS, telegram_error=GIVEN_UP, telegram_at=now))
        rows = list(Notice.objects.filter(_claimable(now)).select_related("task")
                    .order_by("created_at", "id")[:BATCH])
        if not rows:
            return []
        recipients = _recipients(rows)
        messages, off, per_chat = [], [], {}
        for notice in rows:
            found = recipients.get(notice.pk)
            if found is None:
                off.append(notice.pk)
                continue
            chat_id, language, zone = found
            if per_chat.get(chat_id, 0) >= PER_CHAT:
                continue  # the next batch: one a second to a chat
            per_chat[chat_id] = per_chat.get(chat_id, 0) + 1
            messages.append((notice.pk, chat_id, _message(notice, language, zone)))
        if off:
            counts["off"] += Notice.objects.filter(pk__in=off).update(telegram_state="off", telegram_at=now)
        claimed = [notice_id for notice_id, _chat, _text in messages]
        Notice.objects.filter(pk__in=claimed).update(telegram_state="pending", telegram_batch=holder, telegram_at=now)
    return messages


def _recipients(rows: list[Notice]) -> dict[int, tuple[int, str, str]]:
    """{notice id: (chat id, language, time zone)} for the notices that go to a chat."""
    keys: dict[tuple[str, str], str] = {}
    by_course: dict[str, set] = {}
    for notice in rows:
        by_course.setdefault(notice.task.course_id, set()).add(notice.student_id)
    for course_id, student_ids in by_course.items():
        for student_id, user_key in compat.user_keys(course_id, sorted(student_ids)).items():
            keys[(course_id, student_id)] = user_key
    user_keys = set(keys.values())
    chats = {chat.user_key: chat for chat in TelegramChat.objects.filter(user_key__in=user_keys)}
    stored = {row.user_key: row for row in NotificationSettings.objects.filter(user_key__in=list(chats))}
    preferences = compat.user_preferences(list(chats))
    found = {}
    for notice in rows:
        user_key = keys.get((notice.task.course_id, notice.student_id))
        chat = chats.get(user_key)
        if chat is None:
            continue
        own = stored.get(user_key)
        if own is not None and own.telegram.get(notice.kind, True) is False:
            continue  # the learner turned this kind off for Telegram
        preferred = preferences.get(user_key, {})
        language = language_code(preferred.get("language") or chat.language)
        zone = preferred.get("time_zone") or (own.time_zone if own is not None else "")
        found[notice.pk] = (chat.chat_id, language, zone)
    return found


def _absolute(link: str) -> str:
    if link.startswith("/"):
        return str(getattr(django_settings, "LMS_ROOT_URL", "") or "").rstrip("/") + link
    return link


def _message(notice: Notice, language: str, zone: str) -> str:
    """The Telegram text of a notice: the task's name, the sentence, the link (plain text)."""
    task = notice.task
    name = TaskSettings.from_config(task.config).display_name
    with using(language), in_zone(zone):
        sentence = notices.text(notice.kind, notice.detail or {}, name)
    link = _absolute(compat.unit_link(task.course_id, task.usage_key))
    return f"{name}\n\n{sentence}\n\n{link}"


def _send(holder: str, messages, settings, limits, counts: dict) -> None:
    def started(notice_id) -> None:
        try:
            Notice.objects.filter(pk=notice_id, telegram_batch=holder).update(
                telegram_state="sending", telegram_at=clock.now())
        finally:
            connection.close()  # this worker thread ends with the batch

    def finished(result: telegram.Result) -> None:
        try:
            _mark(holder, result)
        finally:
            connection.close()

    for result in telegram.deliver(messages, settings, limits, on_result=finished, on_start=started):
        counts[result.status] += 1


def _mark(holder: str, result: telegram.Result) -> None:
    rows = Notice.objects.filter(pk=result.message_id, telegram_batch=holder)
    now = clock.now()
    if result.status == telegram.SENT:
        rows.update(telegram_state="sent", telegram_at=now, telegram_error="",
                    telegram_attempts=F("telegram_attempts") + 1)
    elif result.status == telegram.BLOCKED:
        unlink_chat(result.chat_id)
        rows.update(telegram_state="blocked", telegram_at=now, telegram_error=result.error[:200])
    else:
        tries = ATTEMPTS if result.final else F("telegram_attempts") + 1
        rows.update(telegram_state="failed", telegram_at=now, telegram_error=result.error[:200],
                    telegram_attempts=tries)
        log.warning("Telegram: notice %s not sent (%s)", result.message_id, result.error)
