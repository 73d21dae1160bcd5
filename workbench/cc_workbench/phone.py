"""The workbench demo's stand-in phones (issue 14): each demo learner's Telegram chat with the bot.

`make workbench` runs the project's fake Bot API (crosscheck_xblock/notifications/fake_bot_api.py)
and points the block's deep links here (CROSSCHECK_TELEGRAM["LINK_URL"] = "/phone/"): pressing
"Connect Telegram" as alice opens alice's phone with a Start button; Start sends `/start <token>`
to the bot, the fake pushes it to the block's webhook as Telegram would, and the bot's answer and
every notice after it appear in the chat. This page is the workbench's, not the block's: English.
"""
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from crosscheck_xblock import clock, services

from .demo import LEARNERS

PHONE_CHAT_BASE = 7_000_000  # chat ids of the demo's phones: this plus the learner's place
LANGUAGES = {"en": "English", "ru": "Русский"}


def chat_id(name: str) -> int | None:
    """The chat id of a demo learner's phone (None for a name that is not a demo learner)."""
    return PHONE_CHAT_BASE + LEARNERS.index(name) if name in LEARNERS else None


def _fake_root() -> str:
    api_url = settings.CROSSCHECK_TELEGRAM.get("API_URL", "")
    return api_url[: -len("/bot")] if api_url.endswith("/bot") else api_url.rstrip("/")


def _fake(path: str, data: dict | None = None) -> dict | None:
    """Ask the fake Bot API's demo endpoints; None when it does not answer."""
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(_fake_root() + "/_fake/" + path, data=body, method="POST" if body else "GET",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read().decode())
    except (OSError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
def phone(request, bot: str = ""):
    """`/phone/`: the phones; `?student=NAME`: that learner's chat; `/phone/<bot>?start=TOKEN` (the
    deep link): the phone of the learner the token belongs to, with Start. POST sends a message."""
    name = request.POST.get("student") or request.GET.get("student") or ""
    if request.method == "POST":
        text = (request.POST.get("text") or "").strip()
        if chat_id(name) is not None and text:
            _fake("message", {"chat_id": chat_id(name), "text": text,
                              "language_code": request.POST.get("language") or "en"})
        return redirect(f"/phone/?student={name}")
    start = request.GET.get("start") or ""
    if start and not name:
        owner = services.token_owner(start, clock.now()) or ""
        name = owner.split(":", 1)[1] if owner.startswith("user:") else ""
    context = {"learners": LEARNERS, "name": name if chat_id(name) is not None else "", "start": start,
               "bot": bot or settings.CROSSCHECK_TELEGRAM.get("BOT_USERNAME", ""), "languages": LANGUAGES,
               "enabled": bool(settings.CROSSCHECK_TELEGRAM.get("BOT_TOKEN")), "reachable": True, "messages": []}
    if context["name"] and context["enabled"]:
        answer = _fake(f"chat?chat_id={chat_id(name)}")
        context["reachable"] = answer is not None
        context["messages"] = (answer or {}).get("result", [])
    return render(request, "cc_workbench/phone.html", context)
