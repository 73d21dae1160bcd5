"""Telegram: send notices through python-telegram-bot 22, link chats by deep link, read updates.

No models here: the callers (services/outbox.py and services/telegram_links.py) store link
tokens, linked chats and which notices were sent; this module only talks to the Bot API, so it is the same under
a Celery worker, a management command and a webhook view.

- `deliver(messages)` sends a batch [(message_id, chat_id, text)] with one `Bot(token,
  base_url=API_URL)` inside one `asyncio.run`, keeping Telegram's limits: at most 30 messages a
  second in all and one a second per chat. A 429 (`RetryAfter`) pauses the whole bot as long as
  Telegram says, then the message is sent again; network errors and 5xx are retried with a
  doubling backoff, a bounded number of times; a 403 (the learner blocked the bot) is `blocked`
  and that chat is sent nothing more in the batch. Every message gets one `Result`: sent, failed
  or blocked, so the caller marks its outbox row exactly once (a failed one is tried again later).
- `link_token()` and `deep_link(bot, token)` make the "Connect Telegram" link
  `https://t.me/<bot>?start=<token>`; `parse_update(update)` reads `/start <token>` and `/stop`
  from an update (webhook body or `poll()`), `check_webhook_secret(header)` checks the webhook's
  `X-Telegram-Bot-Api-Secret-Token`, `answer(chat_id, text)` replies ("Connected").
- Settings: Django's `CROSSCHECK_TELEGRAM = {"BOT_TOKEN", "BOT_USERNAME", "API_URL",
  "WEBHOOK_SECRET"}` (and "LINK_URL", where deep links point; https://t.me/), read by
  `config()`; without a BOT_TOKEN Telegram is off (`enabled()` is false and `deliver` refuses
  with `TelegramOff`). Every function also takes an explicit `Config`.

Texts go as plain text (no parse_mode), so nothing in a notice is read as markup, and without a
link preview (the LMS's login page is no preview worth showing).
"""
from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import secrets
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.conf import settings as django_settings
from telegram import Bot, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from ..i18n import N_, gettext, using

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_LINK_URL = "https://t.me/"
# Deep-link payloads: at most 64 characters of A-Za-z0-9_- (Telegram's rule for ?start=).
LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
BOT_USERNAME = re.compile(r"[A-Za-z0-9_]{5,32}")
# setWebhook's secret_token: 1-256 characters of A-Za-z0-9_-.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

SENT, FAILED, BLOCKED = "sent", "failed", "blocked"

# What the bot answers in the chat, in the learner's language (`reply_text`).
REPLIES = {
    "connected": N_("Connected: your cross-check notices will come to this chat. Send /stop to turn them off."),
    "disconnected": N_("Disconnected: this chat will get no more cross-check notices."),
    "link_expired": N_("This link has expired or was already used. Open the cross-check in your course "
                       "and press “Connect Telegram” again."),
}


class TelegramOff(RuntimeError):
    """Telegram is not configured (no BOT_TOKEN in CROSSCHECK_TELEGRAM)."""


class TelegramUnavailable(RuntimeError):
    """The Bot API did not answer, or refused (polling, setting the webhook)."""


# ---------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Config:
    """CROSSCHECK_TELEGRAM, read once: the bot's token and username, the Bot API base URL (the
    token is appended to it, as python-telegram-bot does) and the webhook's secret."""

    bot_token: str = ""
    bot_username: str = ""
    api_url: str = DEFAULT_API_URL
    webhook_secret: str = ""
    # Where a deep link points: Telegram's own https://t.me/ (the workbench demo points it at its
    # stand-in "phone" page instead).
    link_url: str = DEFAULT_LINK_URL

    @property
    def enabled(self) -> bool:
        """Telegram is on when there is a token."""
        return bool(self.bot_token)


def config(raw: Mapping | None = None) -> Config:
    """The settings from `raw`, else Django's CROSSCHECK_TELEGRAM (missing or empty: off)."""
    if raw is None:
        raw = getattr(django_settings, "CROSSCHECK_TELEGRAM", None) if django_settings.configured else None
    raw = raw or {}
    return Config(bot_token=str(raw.get("BOT_TOKEN") or "").strip(),
                  bot_username=str(raw.get("BOT_USERNAME") or "").strip().lstrip("@"),
                  api_url=str(raw.get("API_URL") or DEFAULT_API_URL).strip(),
                  webhook_secret=str(raw.get("WEBHOOK_SECRET") or "").strip(),
                  link_url=str(raw.get("LINK_URL") or DEFAULT_LINK_URL).strip())


def enabled(settings: Config | None = None) -> bool:
    """Whether Telegram is configured (a BOT_TOKEN); without it only in-app notices exist."""
    return (settings or config()).enabled


def _required(settings: Config | None) -> Config:
    settings = settings or config()
    if not settings.enabled:
        raise TelegramOff("Telegram is off: CROSSCHECK_TELEGRAM has no BOT_TOKEN")  # i18n: code
    return settings


# ---------------------------------------------------------------------- sending

@dataclass(frozen=True)
class Limits:
    """How the sender paces and retries. Telegram allows about 30 messages a second in all and
    one a second per chat; `margin` is kept on top of both against timing jitter."""

    per_second: int = 30
    chat_interval: float = 1.0
    margin: float = 0.05
    attempts: int = 5             # sends of one message on network errors and 5xx, in all
    backoff: float = 1.0          # the first wait after one, doubling up to backoff_max
    backoff_max: float = 30.0
    retry_after_max: float = 60.0  # a longer RetryAfter is reported failed (the outbox tries later)
    retry_after_times: int = 3    # RetryAfters one message may wait out
    connections: int = 30         # requests in flight at once (the HTTP connection pool's size)
    timeout: float = 10.0         # seconds for connecting, writing, reading one request


LIMITS = Limits()
# A reply in the chat, from a webhook request: short waits only.
ANSWER_LIMITS = replace(LIMITS, attempts=2, backoff=0.5, retry_after_max=5.0, retry_after_times=1)


@dataclass(frozen=True)
class Result:
    """What happened to one message: `status` is SENT, FAILED or BLOCKED; `attempts` the requests
    made for it; `error` Telegram's or the network's words; `telegram_id` the message's id in the
    chat when it was sent; `retry_after` the seconds Telegram asked for when that made it fail."""

    message_id: object
    chat_id: int | str
    status: str
    attempts: int = 0
    error: str = ""
    telegram_id: int | None = None
    retry_after: float | None = None
    # A failure that sending again cannot mend (a 400 such as "chat not found", a bad token):
    # the outbox gives the message up instead of trying it later.
    final: bool = False


@dataclass
class Pace:
    """Send times that outlive a batch, so the limits also hold from one `deliver` to the next in
    a process (the module keeps one). Concurrent batches (threads, processes) do not share it."""

    finished: deque = field(default_factory=deque)  # when the last requests were answered (monotonic s)
    chat_ready: dict = field(default_factory=dict)  # chat id → when it may be sent to again
    paused_until: float = 0.0                       # a RetryAfter's end: nothing is sent before

    def forget_old(self, now: float, window: float) -> None:
        """Drop what no longer limits anything (the dict and the deque stay small)."""
        self.chat_ready = {chat: ready for chat, ready in self.chat_ready.items() if ready > now}
        while self.finished and self.finished[0] <= now - window:
            self.finished.popleft()


PACE = Pace()


class _Gate:
    """The pacing of one batch, on one event loop, over a `Pace`.

    The limits are kept against the times requests were *answered*, not sent: a request counts
    against "30 in a second" from when it leaves until a second after its answer, and the next
    one to a chat leaves a second after the previous one's answer. Whatever the delays on the way,
    Telegram then receives no more than that, as it measures on its side."""

    def __init__(self, pace: Pace, limits: Limits):
        self.pace = pace
        self.limits = limits
        self.window = 1.0 + limits.margin
        self.interval = limits.chat_interval + limits.margin
        self.changed = asyncio.Condition()
        self.in_flight = 0
        # A request takes its slot only once a connection is free for it: waiting for the pool
        # after the slot would let requests bunch up behind it.
        self.connections = asyncio.Semaphore(limits.connections)
        pace.forget_old(time.monotonic(), self.window)

    @contextlib.asynccontextmanager
    async def turn(self, chat_id):
        """Within it, one request to `chat_id` may be made: a connection is free, and the limits
        allow it now."""
        async with self.connections:
            await self._wait_turn(chat_id)
            try:
                yield
            finally:
                async with self.changed:
                    now = time.monotonic()
                    self.in_flight -= 1
                    self.pace.finished.append(now)
                    self.pace.chat_ready[chat_id] = now + self.interval
                    self.changed.notify_all()

    async def _wait_turn(self, chat_id) -> None:
        pace = self.pace
        while (wait := pace.chat_ready.get(chat_id, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        async with self.changed:
            while True:
                now = time.monotonic()
                while pace.finished and pace.finished[0] <= now - self.window:
                    pace.finished.popleft()
                busy = self.in_flight + len(pace.finished) >= self.limits.per_second
                if now >= pace.paused_until and not busy:
                    break
                # Until the pause ends, the oldest answer leaves the window, or a request ends.
                wakes = [pace.paused_until - now] if now < pace.paused_until else []
                if busy and pace.finished:
                    wakes.append(pace.finished[0] + self.window - now)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), max(wakes) if wakes else None)
            self.in_flight += 1
            pace.chat_ready[chat_id] = float("inf")  # until this request is answered

    def pause(self, seconds: float) -> None:
        """Telegram's flood control is the bot's: after a RetryAfter, nobody sends for a while."""
        self.pace.paused_until = max(self.pace.paused_until, time.monotonic() + seconds)


def retry_after_seconds(err: RetryAfter) -> float:
    """RetryAfter's wait in seconds (an int or a timedelta, depending on PTB_TIMEDELTA)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _bot(settings: Config, limits: Limits) -> Bot:
    request = HTTPXRequest(connection_pool_size=limits.connections, connect_timeout=limits.timeout,
                           read_timeout=limits.timeout, write_timeout=limits.timeout,
                           pool_timeout=limits.timeout)
    return Bot(settings.bot_token, base_url=settings.api_url, request=request)


async def _send(bot: Bot, gate: _Gate, message_id, chat_id, text: str, on_start=None) -> Result:
    limits = gate.limits
    attempts = retry_afters = failures = 0
    while True:
        attempts += 1
        try:
            async with gate.turn(chat_id):
                if attempts == 1 and on_start is not None:
                    # Once the limits let it go, right before the request: the mark means "may
                    # have arrived" for as short a time as can be.
                    await _report(on_start, message_id)
                sent = await bot.send_message(chat_id, text,
                                              link_preview_options=LinkPreviewOptions(is_disabled=True))
        except RetryAfter as err:
            seconds = retry_after_seconds(err)
            if seconds > limits.retry_after_max or retry_afters >= limits.retry_after_times:
                return Result(message_id, chat_id, FAILED, attempts, str(err), retry_after=seconds)
            retry_afters += 1
            gate.pause(seconds)
        except Forbidden as err:
            return Result(message_id, chat_id, BLOCKED, attempts, str(err))
        except BadRequest as err:  # a 400 (chat not found, text too long …): sending again won't help
            return Result(message_id, chat_id, FAILED, attempts, str(err), final=True)
        except NetworkError as err:  # no answer, or a 5xx (TimedOut is one too)
            failures += 1
            if failures >= limits.attempts:
                return Result(message_id, chat_id, FAILED, attempts, str(err))
            await asyncio.sleep(min(limits.backoff * 2 ** (failures - 1), limits.backoff_max))
        except TelegramError as err:  # a token the server rejected, a migrated chat …
            return Result(message_id, chat_id, FAILED, attempts, str(err), final=True)
        else:
            return Result(message_id, chat_id, SENT, attempts, telegram_id=sent.message_id)


async def _report(callback, value) -> None:
    """Call `callback(value)` (on_result with a Result, on_start with a message id) in a worker
    thread: no event loop runs there, so the callback may use the Django ORM."""
    if callback is None:
        return
    try:
        await asyncio.to_thread(callback, value)
    except Exception:  # one failed mark must not stop the batch; the result is still returned
        log.exception("Telegram: the outbox callback failed for message %s",
                      getattr(value, "message_id", value))


async def _deliver_chat(bot, gate, chat_id, items, results, on_result, on_start) -> None:
    blocked = False
    for index, message_id, text in items:
        if blocked:  # the learner blocked the bot: nothing more goes to that chat
            result = Result(message_id, chat_id, BLOCKED, 0, "the chat blocked the bot")
        else:
            result = await _send(bot, gate, message_id, chat_id, text, on_start)
            blocked = result.status == BLOCKED
        results[index] = result
        await _report(on_result, result)


async def _deliver(settings, messages, limits, pace, on_result, on_start=None) -> list[Result]:
    results: list[Result | None] = [None] * len(messages)
    by_chat: dict = {}
    for index, (message_id, chat_id, text) in enumerate(messages):
        by_chat.setdefault(chat_id, []).append((index, message_id, text))
    gate = _Gate(pace, limits)
    bot = _bot(settings, limits)
    try:
        await bot.initialize()  # getMe: checks the token once per batch
    except TelegramError as err:
        await bot.shutdown()
        log.error("Telegram: the batch was not sent: %s", err)
        failed = [Result(message_id, chat_id, FAILED, 0, str(err)) for message_id, chat_id, _ in messages]
        for result in failed:
            await _report(on_result, result)
        return failed
    try:
        await asyncio.gather(*(_deliver_chat(bot, gate, chat_id, items, results, on_result, on_start)
                               for chat_id, items in by_chat.items()))
    finally:
        await bot.shutdown()
    return results


def deliver(messages: Iterable[tuple[object, int | str, str]], settings: Config | None = None,
            limits: Limits = LIMITS, pace: Pace | None = None,
            on_result: Callable[[Result], None] | None = None,
            on_start: Callable[[object], None] | None = None) -> list[Result]:
    """Send [(message_id, chat_id, text)]; one Result per message, in the same order.

    Messages to one chat go in their order, one a second; at most `limits.per_second` go in any
    second in all. `on_result(result)` (optional) is called as soon as each message's outcome is
    known, in a worker thread (so it may write the outbox row at once: a batch killed half-way
    leaves the sent ones marked). `on_start(message_id)` (optional) is called the same way just
    before a message's first request (when the limits let it go), so the caller can tell "not
    tried" from "maybe arrived" when the process dies half-way. Raises TelegramOff when Telegram
    is not configured. Call it from synchronous code (a Celery task, a command): it runs its own
    event loop.
    """
    settings = _required(settings)
    batch = [(message_id, chat_id, str(text)) for message_id, chat_id, text in messages]
    if not batch:
        return []
    return asyncio.run(_deliver(settings, batch, limits, PACE if pace is None else pace, on_result, on_start))


def answer(chat_id: int | str, text: str, settings: Config | None = None) -> Result:
    """Reply in a chat (after /start or /stop), with short retries only."""
    return deliver([(None, chat_id, text)], settings, ANSWER_LIMITS)[0]


def reply_text(kind: str, language: str) -> str:
    """The bot's reply `kind` (REPLIES: connected, disconnected, link_expired) in `language`."""
    with using(language):
        return gettext(REPLIES[kind])


# ---------------------------------------------------------------------- linking

def link_token() -> str:
    """A random single-use deep-link token: 43 characters of A-Za-z0-9_- (256 random bits).
    The caller stores it with its user and an expiry, and accepts it once."""
    return secrets.token_urlsafe(32)


def deep_link(bot_username: str, token: str, link_url: str = DEFAULT_LINK_URL) -> str:
    """`https://t.me/<bot>?start=<token>`: Telegram opens the bot, and Start sends `/start <token>`.
    `link_url` replaces `https://t.me/` (setting LINK_URL; the workbench's stand-in phone)."""
    bot_username = (bot_username or "").lstrip("@")
    if not BOT_USERNAME.fullmatch(bot_username):
        raise ValueError(f"not a bot username: {bot_username!r}")
    if not isinstance(token, str) or not LINK_TOKEN.fullmatch(token):
        raise ValueError("a deep-link token is 1-64 characters of A-Za-z0-9_-")
    return f"{link_url}{bot_username}?start={token}"


def parse_update(update, bot_username: str | None = None) -> tuple | None:
    """("start", chat_id, token) for `/start <token>`, ("stop", chat_id) for `/stop`, in a private
    chat; None for anything else (other chats, other texts, junk). `update` is the update's JSON
    (a dict, or its text). A command addressed to another bot (`/stop@other_bot`) is None."""
    if isinstance(update, (str, bytes)):
        try:
            update = json.loads(update)
        except ValueError:
            return None
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return None
    chat, text = message.get("chat"), message.get("text")
    # Only a learner's own chat with the bot links: a group would get one learner's notices.
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(text, str):
        return None
    chat_id = chat.get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return None
    words = text.split()
    if not words:
        return None
    command, _, addressed = words[0].partition("@")
    if addressed and bot_username and addressed.lower() != bot_username.lstrip("@").lower():
        return None
    if command == "/start" and len(words) == 2 and LINK_TOKEN.fullmatch(words[1]):
        return ("start", chat_id, words[1])
    if command == "/stop":
        return ("stop", chat_id)
    return None


def check_webhook_secret(header_value, settings: Config | None = None) -> bool:
    """Whether the request's X-Telegram-Bot-Api-Secret-Token is our WEBHOOK_SECRET (compared in
    constant time). Without a configured secret, no request passes."""
    secret = (settings or config()).webhook_secret
    if not secret or not isinstance(header_value, str):
        return False
    return hmac.compare_digest(header_value.encode(), secret.encode())


# ---------------------------------------------------------------------- updates

def poll(offset: int | None = None, timeout: int = 0, settings: Config | None = None) -> tuple[list[dict], int | None]:
    """(updates, next_offset) through getUpdates: each update as its JSON (for `parse_update`);
    pass next_offset to the next call, which confirms these updates (Telegram drops them).
    `timeout` > 0 long-polls that many seconds. Raises TelegramUnavailable when the Bot API does
    not answer or refuses (e.g. 409 while a webhook is set)."""
    settings = _required(settings)

    async def fetch():
        async with _bot(settings, LIMITS) as bot:
            return await bot.get_updates(offset=offset, timeout=timeout, allowed_updates=["message"])

    try:
        updates = asyncio.run(fetch())
    except TelegramError as err:
        raise TelegramUnavailable(str(err)) from err
    found = [json.loads(update.to_json()) for update in updates]
    next_offset = max(update["update_id"] for update in found) + 1 if found else offset
    return found, next_offset


def set_webhook(url: str, settings: Config | None = None) -> None:
    """Have Telegram POST updates (messages only) to `url`, with our WEBHOOK_SECRET in the
    X-Telegram-Bot-Api-Secret-Token header. Refuses without a valid secret."""
    settings = _required(settings)
    if not WEBHOOK_SECRET.fullmatch(settings.webhook_secret):
        raise TelegramOff("a webhook needs WEBHOOK_SECRET: 1-256 characters of A-Za-z0-9_-")  # i18n: code

    async def register():
        async with _bot(settings, LIMITS) as bot:
            await bot.set_webhook(url, secret_token=settings.webhook_secret, allowed_updates=["message"])

    try:
        asyncio.run(register())
    except TelegramError as err:
        raise TelegramUnavailable(str(err)) from err


def delete_webhook(settings: Config | None = None) -> None:
    """Stop the webhook (polling works again)."""
    settings = _required(settings)

    async def unregister():
        async with _bot(settings, LIMITS) as bot:
            await bot.delete_webhook()

    try:
        asyncio.run(unregister())
    except TelegramError as err:
        raise TelegramUnavailable(str(err)) from err
