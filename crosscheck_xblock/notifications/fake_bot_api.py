"""A small fake of the Telegram Bot API over real HTTP, for the tests and the workbench demo.

It serves `POST /bot<token>/<method>` as api.telegram.org does, for the methods the block's bot
uses (getMe, sendMessage, getUpdates, setWebhook, deleteWebhook, getWebhookInfo), and answers in
the Bot API's JSON shape: `{"ok": true, "result": …}` or `{"ok": false, "error_code": …,
"description": …, "parameters": {"retry_after": n}}`. python-telegram-bot talks to it when its
`Bot` gets `base_url=fake.base_url`, so the tests exercise the library's real HTTP path.

It records every request (`calls`: method, chat_id, text, arrival time, the status answered), can
be told to answer the next request(s) for a chat with 429 + retry_after, 403 ("bot was blocked by
the user"), 500, or no answer at all (`fail_next`), keeps every chat as its learner would see it
(`chat`), and queues updates (`queue_message(chat_id, "/start <token>")`) for getUpdates, or
pushes them to the webhook that setWebhook registered (`push_to_webhook`).

    with FakeBotApi() as fake:
        bot = telegram.Bot(fake.token, base_url=fake.base_url)

Run alone (the workbench demo): `python -m crosscheck_xblock.notifications.fake_bot_api --port 8081`.
Standard library only; one thread per connection.
"""
from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_TOKEN = "123456:FAKE-token_for-tests"
DEFAULT_USERNAME = "crosscheck_fake_bot"
BOT_ID = 123456
MAX_TEXT = 4096  # the Bot API's limit on a message's text
MAX_POLL_WAIT = 30.0  # seconds a getUpdates long poll may hold the request here
DROP = 0  # fail_next(chat, DROP): close the connection without answering (a network error)
DEMO_PREFIX = "/_fake/"  # the workbench demo's own requests (not the Bot API's)
PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
# Parameters that are text as sent; the others arrive JSON-encoded (python-telegram-bot's form data).
TEXT_PARAMETERS = {"text", "url", "secret_token", "parse_mode"}

DESCRIPTIONS = {
    400: "Bad Request",  # i18n: code
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",  # i18n: code
    404: "Not Found",  # i18n: code
    409: ("Conflict: can't use getUpdates method while webhook is active; "  # i18n: code
          "use deleteWebhook to delete the webhook first"),
    429: "Too Many Requests: retry after {retry_after}",  # i18n: code
    500: "Internal Server Error",  # i18n: code
}


@dataclass(frozen=True)
class Call:
    """One request the fake received: `time` is `time.monotonic()` on arrival, `status` the HTTP
    status it answered (200 for a message that was delivered)."""

    method: str
    chat_id: int | str | None
    text: str | None
    time: float
    status: int
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """An answer to give instead of delivering: 429 (with retry_after), 403, 500 …"""

    status: int
    retry_after: int | None = None
    description: str | None = None

    def body(self) -> dict:
        """The Bot API's error JSON."""
        text = self.description or DESCRIPTIONS.get(self.status, "Error").format(retry_after=self.retry_after)
        answer = {"ok": False, "error_code": self.status, "description": text}
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return answer


class FakeBotApi:
    """The fake Bot API server; `start()` (or `with`) serves it on host:port (0: a free port)."""

    def __init__(self, token: str = DEFAULT_TOKEN, username: str = DEFAULT_USERNAME,
                 host: str = "127.0.0.1", port: int = 0, auto_push: bool = False):
        self.token = token
        # Push each update to the webhook as soon as it is queued, as Telegram does (the demo).
        self.auto_push = auto_push
        # Seconds a sendMessage is held after the message arrived (recorded, in the chat) and
        # before it is answered: a sender killed meanwhile had its message delivered.
        self.send_delay = 0.0
        self.held = 0  # sendMessage requests being held now
        self.username = username
        self.host = host
        self.port = port
        self._lock = threading.Condition()
        self._calls: list[Call] = []
        self._failures: dict[int | str, deque[Failure]] = {}
        self._blocked: set[int | str] = set()
        self._updates: list[dict] = []  # not yet confirmed by a getUpdates offset
        self._next_update_id = 1
        self._next_message_id = 1
        self._chats: dict[int | str, list[dict]] = {}
        self._webhook: dict | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    # ------------------------------------------------------------------ running

    def start(self) -> FakeBotApi:
        """Serve in a daemon thread; `port` is the bound one afterwards."""
        self._server = _Server((self.host, self.port), _handler_for(self))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-bot-api",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (long polls waiting for updates return at once)."""
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The `base_url` for python-telegram-bot's Bot (the token is appended to it)."""
        return f"http://{self.host}:{self.port}/bot"

    # ------------------------------------------------------------------ what happened

    @property
    def calls(self) -> list[Call]:
        """Every request so far, in arrival order."""
        with self._lock:
            return list(self._calls)

    def sent(self, chat_id: int | str | None = None) -> list[Call]:
        """The sendMessage requests that delivered a message (answered 200), for one chat or all."""
        return [call for call in self.calls if call.method == "sendMessage" and call.status == 200
                and (chat_id is None or call.chat_id == chat_id)]

    def attempts(self, chat_id: int | str) -> list[Call]:
        """Every sendMessage request for a chat, whatever it was answered."""
        return [call for call in self.calls if call.method == "sendMessage" and call.chat_id == chat_id]

    def chat(self, chat_id: int | str) -> list[dict]:
        """The chat as its learner sees it: `{"from": "user" | "bot", "text", "date"}`, oldest first."""
        with self._lock:
            return [dict(entry) for entry in self._chats.get(chat_id, [])]

    def chats(self) -> list[int | str]:
        """Every chat that has a message, in the order they first had one."""
        with self._lock:
            return list(self._chats)

    @property
    def webhook(self) -> dict | None:
        """`{"url", "secret_token"}` as setWebhook registered it, None without a webhook."""
        with self._lock:
            return dict(self._webhook) if self._webhook else None

    def reset(self) -> None:
        """Forget the requests, failures, blocks, updates, chats and the webhook."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._blocked.clear()
            self._updates.clear()
            self._chats.clear()
            self._webhook = None

    # ------------------------------------------------------------------ what will happen

    def fail_next(self, chat_id: int | str, status: int, times: int = 1, retry_after: int | None = None,
                  description: str | None = None) -> None:
        """Answer the next `times` sendMessage requests for `chat_id` with `status` (429 takes
        `retry_after`, 1 s unless given; DROP closes the connection unanswered) instead of
        delivering them."""
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            queue = self._failures.setdefault(chat_id, deque())
            queue.extend(Failure(status, retry_after, description) for _ in range(times))

    def block(self, chat_id: int | str) -> None:
        """The learner blocked the bot: every message to the chat is answered 403 from now on."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock(self, chat_id: int | str) -> None:
        """The learner unblocked the bot."""
        with self._lock:
            self._blocked.discard(chat_id)

    def queue_update(self, update: dict) -> int:
        """Add an update (its update_id is set here) for getUpdates or `push_to_webhook`."""
        with self._lock:
            update = {**update, "update_id": self._next_update_id}
            self._next_update_id += 1
            self._updates.append(update)
            self._lock.notify_all()
            return update["update_id"]

    def queue_message(self, chat_id: int, text: str, first_name: str = "Learner",
                      language_code: str = "en") -> int:
        """The learner of a private chat sends `text` (e.g. "/start <token>" after pressing Start)."""
        with self._lock:
            message_id = self._next_message_id
            self._next_message_id += 1
            now = int(time.time())
            self._chats.setdefault(chat_id, []).append({"from": "user", "text": text, "date": now})
        message = {
            "message_id": message_id, "date": now, "text": text,
            "from": {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": language_code},
            "chat": {"id": chat_id, "type": "private", "first_name": first_name},
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        update_id = self.queue_update({"message": message})
        if self.auto_push and self.webhook is not None:
            threading.Thread(target=self._push_quietly, name="fake-bot-api-push", daemon=True).start()
        return update_id

    def _push_quietly(self) -> None:
        try:
            self.push_to_webhook()
        except (OSError, RuntimeError):
            pass  # the webhook is down: the update waits for the next push, as Telegram's would

    def push_to_webhook(self, timeout: float = 10) -> list[int]:
        """POST the queued updates to the webhook (with its secret header), as Telegram does; an
        update answered 2xx is done, any other is kept for the next push. The statuses, in order."""
        hook = self.webhook
        if hook is None:
            raise RuntimeError("no webhook is set")
        with self._lock:
            pending = list(self._updates)
        statuses = []
        for update in pending:
            request = urllib.request.Request(hook["url"], data=json.dumps(update).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            if hook.get("secret_token"):
                request.add_header("X-Telegram-Bot-Api-Secret-Token", hook["secret_token"])
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    status = response.status
            except urllib.error.HTTPError as err:
                status = err.code
            statuses.append(status)
            if 200 <= status < 300:
                with self._lock:
                    self._updates = [u for u in self._updates if u["update_id"] != update["update_id"]]
        return statuses

    # ------------------------------------------------------------------ the demo's "phones"

    def demo(self, path: str, body: bytes) -> tuple[int, dict]:
        """Not the Bot API: what the workbench's phone page asks (under DEMO_PREFIX).
        `GET /_fake/chat?chat_id=N` → the chat as its learner sees it; `POST /_fake/message` with
        {"chat_id", "text", "language_code"} → the learner sends a message to the bot."""
        parts = urlsplit(path)
        try:
            if parts.path == DEMO_PREFIX + "chat":
                chat_id = int(parse_qs(parts.query).get("chat_id", ["0"])[-1])
                return 200, {"ok": True, "result": self.chat(chat_id)}
            if parts.path == DEMO_PREFIX + "message":
                data = json.loads(body.decode("utf-8") or "{}")
                text = str(data.get("text") or "").strip()[:MAX_TEXT]
                if not text:
                    return 400, Failure(400, description="Bad Request: message text is empty").body()  # i18n: code
                update_id = self.queue_message(int(data["chat_id"]), text,
                                               language_code=str(data.get("language_code") or "en")[:8])
                return 200, {"ok": True, "result": {"update_id": update_id}}
        except (KeyError, TypeError, ValueError):
            return 400, Failure(400).body()
        return 404, Failure(404).body()

    # ------------------------------------------------------------------ the API

    def answer(self, path: str, params: dict) -> tuple[int, dict]:
        """(status, JSON body) for one request; records it."""
        arrived = time.monotonic()
        match = PATH.match(urlsplit(path).path)
        method = match["method"] if match else path
        chat_id, text = params.get("chat_id"), params.get("text")
        if match is None:
            status, body = 404, Failure(404).body()
        elif match["token"] != self.token:
            status, body = 401, Failure(401).body()
        else:
            handler = getattr(self, f"_api_{method.lower()}", None)
            status, body = handler(params) if handler else (404, Failure(404).body())
        with self._lock:
            self._calls.append(Call(method, chat_id, text, arrived, status, dict(params)))
        return status, body

    def _bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Cross-check", "username": self.username,
                "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _api_getme(self, _params: dict) -> tuple[int, dict]:
        return 200, {"ok": True, "result": self._bot_user()}

    def _api_sendmessage(self, params: dict) -> tuple[int, dict]:
        chat_id, text = params.get("chat_id"), params.get("text")
        if chat_id in (None, ""):
            return 400, Failure(400, description="Bad Request: chat_id is empty").body()  # i18n: code
        if not isinstance(text, str) or not text.strip():
            return 400, Failure(400, description="Bad Request: message text is empty").body()  # i18n: code
        if len(text) > MAX_TEXT:
            return 400, Failure(400, description="Bad Request: message is too long").body()  # i18n: code
        with self._lock:
            queue = self._failures.get(chat_id)
            if queue:
                failure = queue.popleft()
                return failure.status, failure.body()
            if chat_id in self._blocked:
                return 403, Failure(403).body()
            message_id = self._next_message_id
            self._next_message_id += 1
            now = int(time.time())
            self._chats.setdefault(chat_id, []).append({"from": "bot", "text": text, "date": now})
        if self.send_delay:
            with self._lock:
                self.held += 1
            time.sleep(self.send_delay)
            with self._lock:
                self.held -= 1
        chat = {"id": chat_id, "type": "private", "first_name": "Learner"}
        return 200, {"ok": True, "result": {"message_id": message_id, "date": now, "chat": chat,
                                            "from": self._bot_user(), "text": text}}

    def _api_getupdates(self, params: dict) -> tuple[int, dict]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        wait = min(float(params.get("timeout") or 0), MAX_POLL_WAIT)
        deadline = time.monotonic() + wait
        with self._lock:
            if self._webhook:
                return 409, Failure(409).body()
            # An offset confirms every update before it: they are never sent again.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._stopping and (left := deadline - time.monotonic()) > 0:
                self._lock.wait(left)
            return 200, {"ok": True, "result": [dict(u) for u in self._updates[:limit]]}

    def _api_setwebhook(self, params: dict) -> tuple[int, dict]:
        url = params.get("url") or ""
        with self._lock:
            self._webhook = {"url": url, "secret_token": params.get("secret_token") or ""} if url else None
        described = "Webhook was set" if url else "Webhook is already deleted"  # i18n: code
        return 200, {"ok": True, "result": True, "description": described}

    def _api_deletewebhook(self, params: dict) -> tuple[int, dict]:
        with self._lock:
            self._webhook = None
            if params.get("drop_pending_updates") in (True, "true", "True"):
                self._updates.clear()
        return 200, {"ok": True, "result": True, "description": "Webhook was deleted"}  # i18n: code

    def _api_getwebhookinfo(self, _params: dict) -> tuple[int, dict]:
        with self._lock:
            url = self._webhook["url"] if self._webhook else ""
            pending = len(self._updates)
        return 200, {"ok": True, "result": {"url": url, "has_custom_certificate": False,
                                            "pending_update_count": pending}}


def parse_body(content_type: str, body: bytes) -> dict:
    """The request's parameters: JSON, form-encoded (python-telegram-bot's way: non-text values
    JSON-encoded) or multipart; the query string's are merged in by the caller."""
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if kind == "application/json":
        data = json.loads(body.decode("utf-8"))
        return data if isinstance(data, dict) else {}
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        raw = {part.get_param("name", header="content-disposition"): part.get_content()
               for part in message.iter_parts()}
        return {name: decode_value(name, value) for name, value in raw.items() if name}
    pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    return {name: decode_value(name, values[-1]) for name, values in pairs.items()}


def decode_value(name: str, value):
    """A form value as the Bot API reads it: text parameters as sent, the rest JSON when they are."""
    if name in TEXT_PARAMETERS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # A batch opens its connections at once; the default backlog of 5 would drop the SYNs of the
    # others, and their retransmission a second later would bunch requests the sender spaced.
    request_queue_size = 128


def _handler_for(fake: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects of a Bot API server

        def do_POST(self):  # http.server calls it by this name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.startswith(DEMO_PREFIX):
                self.reply(*fake.demo(self.path, body))
                return
            query = {name: decode_value(name, values[-1])
                     for name, values in parse_qs(urlsplit(self.path).query).items()}
            try:
                params = {**query, **parse_body(self.headers.get("Content-Type", ""), body)}
            except ValueError:
                unreadable = Failure(400, description="Bad Request: can't parse the request")  # i18n: code
                status, answer = 400, unreadable.body()
            else:
                status, answer = fake.answer(self.path, params)
            if status == DROP:  # a network failure: the connection ends with no answer
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.reply(status, answer)

        do_GET = do_POST  # the Bot API takes GET with a query string as well

        def reply(self, status: int, answer: dict) -> None:
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # http.server calls it with these names
            pass  # the fake records calls itself; stderr stays quiet in tests

    return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve a fake Bot API until interrupted (the workbench demo's "Telegram")."""
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API for the workbench demo.")  # i18n: code
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--username", default=DEFAULT_USERNAME)
    args = parser.parse_args(argv)
    fake = FakeBotApi(args.token, args.username, args.host, args.port, auto_push=True).start()
    print(f"Fake Bot API on {fake.base_url}<token>/<method> (token {fake.token})", flush=True)  # i18n: code
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
