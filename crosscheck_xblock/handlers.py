"""`json_api`: the JSON handler decorator of the block, and the edge where requests come in.

Like XBlock's own `json_handler` (POST only, JSON in and out), but stricter, because the LMS
also serves every handler under the CSRF-exempt `handler_noauth` URL:
- only `Content-Type: application/json` is read (a cross-site form cannot send it), else 415;
- the body must be a JSON object of at most 2 MB, nested at most 32 deep, without NaN,
  infinities or lone surrogates (which no database stores), else 400 or 413;
- who may call it is checked before the handler runs: nothing in Studio or its preview touches
  the live task (403 preview), staff viewing as a learner may only read (403 masquerade),
  staff handlers need course staff (403 staff_only);
- every refusal is a 4xx `{"error": <sentence>, "code": <word>}`, the shape the README
  documents; an unexpected failure is logged and answered as a 500 in the same shape.
"""
import functools
import json
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime

from webob import Response
from xblock.core import XBlock

from . import clock, compat, i18n
from .errors import BadRequest, CrossCheckError, MethodNotAllowed, NotAllowed, TooLarge, UnsupportedMediaType
from .i18n import N_, Text, gettext

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 2_000_000
MAX_DEPTH = 32

# Who may call a handler, and in which modes (see `json_api`).
LEARNER_READ = "learner_read"    # the learner's own page; also while staff view as the learner
LEARNER_WRITE = "learner_write"  # a learner's action; refused while staff view as the learner
STAFF_READ = "staff_read"        # course staff only
STAFF_WRITE = "staff_write"      # course staff only, never as another learner
EDITOR = "editor"                # the Studio editor: Studio (author mode) or course staff
ACCESS = (LEARNER_READ, LEARNER_WRITE, STAFF_READ, STAFF_WRITE, EDITOR)

# msgids: translated where they are raised or shown.
PREVIEW_REFUSAL = N_("This is a preview in Studio: nothing here is saved or sent. Learners use the "
                     "published cross-check in the LMS.")
MASQUERADE_REFUSAL = N_("You are viewing this cross-check as a learner: the page is read-only, so "
                        "nothing is saved in their name.")


def json_response(body: dict, status: int = 200) -> Response:
    """A JSON webob response."""
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf8")


def json_script_tag(value, css_class: str) -> str:
    """`value` as a JSON <script> element that no string inside it can break out of."""
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="{css_class}">{text}</script>'


@dataclass
class Call:
    """One handler call: who calls, the one clock reading of the request, and the block."""

    viewer: compat.Viewer
    now: datetime
    block: object
    _task: object = field(default=None, repr=False)

    @property
    def task(self):
        """The live task of the block (its row synced from the published settings), once."""
        if self._task is None:
            self._task = self.block.live_task()
        return self._task

    @task.setter
    def task(self, value):
        self._task = value


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("a number too large")
    return value


def _too_deep() -> str:
    return Text(N_("The request is nested more than %(depth)s levels deep."), {"depth": MAX_DEPTH}).render()


def _check_values(data) -> None:
    """Refuse nesting deeper than MAX_DEPTH and text that no database can store (lone
    surrogates from `\\ud800` escapes); iterative, so depth costs no recursion."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadRequest(_too_deep(), "bad_json")
        if isinstance(value, dict):
            stack.extend((key, depth) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as err:
                raise BadRequest(gettext("The request holds text that is not valid Unicode."), "bad_json") from err


def parse_body(request) -> dict:
    """The request's JSON object, or the 4xx error saying what is wrong with it."""
    if request.method != "POST":
        raise MethodNotAllowed(gettext("Use POST."), "method_not_allowed")
    if request.content_type != "application/json":
        raise UnsupportedMediaType(gettext("Send the request as JSON (Content-Type: application/json)."),
                                   "unsupported_media_type")
    # Checked before the body is read: Django refuses to read one over its own limit (2.5 MB).
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise TooLarge(gettext("The request is too large."), "too_large")
    try:
        body = request.body
    except Exception as err:  # Django's RequestDataTooBig, or a client that hung up
        raise TooLarge(gettext("The request is too large."), "too_large") from err
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge(gettext("The request is too large."), "too_large")
    if not body.strip():
        return {}
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as err:
        raise BadRequest(_too_deep(), "bad_json") from err
    except (UnicodeDecodeError, ValueError) as err:
        raise BadRequest(gettext("The request body is not valid JSON."), "bad_json") from err
    if not isinstance(data, dict):
        raise BadRequest(gettext("The request body must be a JSON object."), "bad_json")
    _check_values(data)
    return data


def check_access(block, access: str) -> Call:
    """The call, if the current person may make it here; else NotAllowed with the reason."""
    viewer = compat.current_viewer(block)
    author_mode = compat.in_author_mode(block)
    if author_mode and access != EDITOR:
        raise NotAllowed(gettext(PREVIEW_REFUSAL), "preview")
    if viewer.masquerading and access in (LEARNER_WRITE, STAFF_WRITE):
        raise NotAllowed(gettext(MASQUERADE_REFUSAL), "masquerade")
    needs_staff = access in (STAFF_READ, STAFF_WRITE) or (access == EDITOR and not author_mode)
    if needs_staff and not viewer.is_staff:
        raise NotAllowed(gettext("Only course staff can do this."), "staff_only")
    return Call(viewer=viewer, now=clock.now(), block=block)


def translated(block):
    """For the rest of the request, texts in its language: through the runtime's i18n service
    (the LMS's loads this package's catalogs), else this package's own catalog."""
    language = i18n.language_code(compat.current_language())
    service = compat.i18n_service(block)
    return i18n.active(service if service is not None else i18n.catalog(language), language)


def json_api(access: str):
    """Make `func(self, call: Call, data: dict)` a POST-only JSON handler open to `access`."""
    if access not in ACCESS:
        raise ValueError(f"unknown access {access!r}")

    def decorate(func):
        @XBlock.handler
        @functools.wraps(func)
        def wrapper(self, request, suffix=""):  # noqa: ARG001 - the runtime passes suffix
            with translated(self):
                return _answer(self, func, access, request)

        wrapper.access = access
        return wrapper

    return decorate


def _answer(block, func, access: str, request) -> Response:
    """The handler's JSON answer, or the error it refused with, in the API's shape."""
    try:
        data = parse_body(request)
        call = check_access(block, access)
        return json_response(func(block, call, data))
    except CrossCheckError as err:
        log.info("crosscheck %s refused: %s (%s)", func.__name__, err.code, err.message)
        response = json_response(err.as_json(), err.status)
        if isinstance(err, MethodNotAllowed):
            response.allow = ["POST"]
        return response
    except Exception:  # a bug: log it, and still answer in the API's shape
        log.exception("crosscheck %s failed", func.__name__)
        return json_response({"error": gettext("Something went wrong on the server; please try again."),
                              "code": "server_error"}, 500)
