"""Linking a learner's Telegram chat (issue 14): the "Connect Telegram" deep link, `/start`, `/stop`.

- `telegram_part` is get_state's `"telegram": {"enabled", "linked", "link", "bot"}`. The link
  carries a single-use token (notifications.telegram.link_token: 43 characters of A-Za-z0-9_-)
  stored with the LMS user (site-wide) and the page's language; one token is reused while it has
  more than REUSE_MARGIN to live, so a page view writes a row at most once per LINK_TTL.
- `handle_update` takes one update (the webhook's body, or one of `crosscheck_telegram_poll`'s):
  `/start <token>` links the chat to the token's user (a second chat of the same user replaces
  the first: notices go to one place) and answers "Connected"; an unknown, used or expired token
  answers that the link has expired; `/stop` unlinks every user of that chat. Replaying an
  update changes nothing more (the token is used once).
- `unlink` is the block's "Disconnect", and what the outbox does after a 403.
"""
from datetime import datetime, timedelta

from django.db import transaction

from ..i18n import language_code
from ..models import TelegramChat, TelegramLinkToken
from ..notifications import telegram
from .guard import guarded

LINK_TTL = timedelta(hours=1)
REUSE_MARGIN = timedelta(minutes=15)  # a page shown now keeps a link valid at least this long


@guarded
def telegram_part(user_key: str | None, language: str, may_link: bool, now: datetime) -> dict:
    """`{"enabled", "linked", "link", "bot"}` for the viewer. `link` is the deep link while the
    user is signed in, not linked, and `may_link` (not staff viewing as the learner); None else.
    Off (no BOT_TOKEN): `{"enabled": false, …}` and no query."""
    settings = telegram.config()
    part = {"enabled": settings.enabled, "linked": False, "link": None, "bot": settings.bot_username or None}
    if not settings.enabled or not user_key:
        return part
    part["linked"] = TelegramChat.objects.filter(user_key=user_key).exists()
    if part["linked"] or not may_link or not settings.bot_username:
        return part
    token = (TelegramLinkToken.objects.filter(user_key=user_key, used_at__isnull=True,
                                              expires_at__gt=now + REUSE_MARGIN)
             .order_by("-expires_at").values_list("token", flat=True).first())
    if token is None:
        token = telegram.link_token()
        with transaction.atomic():
            TelegramLinkToken.objects.filter(user_key=user_key, expires_at__lte=now).delete()
            TelegramLinkToken.objects.create(token=token, user_key=user_key, language=language_code(language),
                                             created_at=now, expires_at=now + LINK_TTL)
    part["link"] = telegram.deep_link(settings.bot_username, token, settings.link_url)
    return part


@guarded
def handle_update(update: object, now: datetime, reply: bool = True) -> str | None:
    """Act on one Telegram update; what it did: "linked", "link_expired", "unlinked", or None (an
    update that is not ours to act on: other chats, other texts). With `reply`, the bot answers in
    the chat in the learner's language (a failed answer does not undo the link)."""
    settings = telegram.config()
    parsed = telegram.parse_update(update, settings.bot_username or None)
    if parsed is None:
        return None
    if parsed[0] == "stop":
        chat_id = parsed[1]
        chats = TelegramChat.objects.filter(chat_id=chat_id)
        language = chats.values_list("language", flat=True).first() or ""
        chats.delete()
        outcome = "unlinked"
    else:
        _start, chat_id, token = parsed
        outcome, language = _link(chat_id, token, now)
    if reply and settings.enabled:
        kind = {"linked": "connected", "unlinked": "disconnected"}.get(outcome, "link_expired")
        telegram.answer(chat_id, telegram.reply_text(kind, language or _update_language(update)), settings)
    return outcome


def _link(chat_id: int, token: str, now: datetime) -> tuple[str, str]:
    with transaction.atomic():
        row = TelegramLinkToken.objects.select_for_update().filter(token=token).first()
        if row is None or row.used_at is not None or row.expires_at <= now:
            return "link_expired", row.language if row is not None else ""
        row.used_at = now
        row.save(update_fields=["used_at"])
        # One chat per user; a chat linked to another user before now follows this one's link.
        TelegramChat.objects.filter(chat_id=chat_id).exclude(user_key=row.user_key).delete()
        TelegramChat.objects.update_or_create(
            user_key=row.user_key, defaults={"chat_id": chat_id, "language": row.language, "linked_at": now})
    return "linked", row.language


def _update_language(update: object) -> str:
    """The Telegram app's language of the sender, for answering someone we do not know."""
    message = update.get("message") if isinstance(update, dict) else None
    sender = message.get("from") if isinstance(message, dict) else None
    return language_code(sender.get("language_code") if isinstance(sender, dict) else None)


@guarded
def token_owner(token: str, now: datetime) -> str | None:
    """The user a link token that can still be used belongs to (None otherwise)."""
    if not isinstance(token, str) or not telegram.LINK_TOKEN.fullmatch(token):
        return None
    return (TelegramLinkToken.objects.filter(token=token, used_at__isnull=True, expires_at__gt=now)
            .values_list("user_key", flat=True).first())


@guarded
def unlink(user_key: str | None) -> bool:
    """Forget the user's chat (the block's "Disconnect"); whether there was one."""
    if not user_key:
        return False
    deleted, _ = TelegramChat.objects.filter(user_key=user_key).delete()
    return deleted > 0


@guarded
def unlink_chat(chat_id: int) -> None:
    """Forget a chat that blocked the bot (a 403): nothing more is sent to it."""
    TelegramChat.objects.filter(chat_id=chat_id).delete()
