"""`json_api`: the JSON handler decorator of the block.

Like XBlock's own `json_handler` (POST only, JSON in and out), but every refusal is a 4xx with
`{"error": <sentence>, "code": <word>}`, the shape the README documents for the public API.
"""
import functools
import json
import logging

from webob import Response
from xblock.core import XBlock

from .errors import CrossCheckError

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 2_000_000


def json_response(body: dict, status: int = 200) -> Response:
    """A JSON webob response."""
    return Response(json.dumps(body), status=status, content_type="application/json", charset="utf8")


def json_script_tag(value, css_class: str) -> str:
    """`value` as a JSON <script> element that no string inside it can break out of."""
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" class="{css_class}">{text}</script>'


def json_api(func):
    """Make `func(self, data: dict, suffix)` a POST-only JSON handler with 4xx JSON errors."""

    @XBlock.handler
    @functools.wraps(func)
    def wrapper(self, request, suffix=""):
        if request.method != "POST":
            response = json_response({"error": "Use POST.", "code": "method_not_allowed"}, 405)
            response.allow = ["POST"]
            return response
        if len(request.body) > MAX_BODY_BYTES:
            return json_response({"error": "The request is too large.", "code": "too_large"}, 413)
        try:
            data = json.loads(request.body.decode("utf-8")) if request.body.strip() else {}
        except (UnicodeDecodeError, ValueError):
            return json_response({"error": "The request body is not valid JSON.", "code": "bad_json"}, 400)
        if not isinstance(data, dict):
            return json_response({"error": "The request body must be a JSON object.", "code": "bad_json"}, 400)
        try:
            return json_response(func(self, data, suffix))
        except CrossCheckError as err:
            log.info("crosscheck %s refused: %s (%s)", func.__name__, err.code, err.message)
            return json_response(err.as_json(), err.status)

    return wrapper
