"""The errors a refused request raises, one class per meaning; each carries its HTTP status.

The services and the Studio editor raise them; the handler edge (`handlers.py`) turns them into a
4xx JSON answer `{"error": <sentence for people>, "code": <word for programs>, …details}`. Nothing
in a refused request has been written by then: the services check before they write, or roll the
transaction back. One code always comes with one status: `tests/unit/test_layers.py` reads every
`raise` in the package and fails when a code is raised with two different classes.

Pure: no framework imports.
"""


class CrossCheckError(Exception):
    """A refused request: `message` is a sentence for people, `code` a stable word for programs.

    Raise one of the subclasses, which say what kind of refusal it is. `details` are extra JSON
    fields of the answer (e.g. the Studio field a message is about); None values are left out.
    """

    status = 400

    def __init__(self, message: str, code: str, **details):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details

    def as_json(self) -> dict:
        """The JSON body of the 4xx answer."""
        body = {"error": self.message, "code": self.code}
        body.update({key: value for key, value in self.details.items() if value is not None})
        return body


class BadRequest(CrossCheckError):
    """The request itself is wrong: a missing, malformed or out-of-range value."""

    status = 400


class NotAllowed(CrossCheckError):
    """This person may not do this here (not signed in, not staff, not assigned, preview)."""

    status = 403


class NotFound(CrossCheckError):
    """The thing the request names does not exist."""

    status = 404


class MethodNotAllowed(CrossCheckError):
    """The handler takes another HTTP method."""

    status = 405


class Conflict(CrossCheckError):
    """The request is well formed, but the cross-check's state does not allow it now."""

    status = 409


class TooLarge(CrossCheckError):
    """The request, or a part of it, is over a size limit."""

    status = 413


class TooManyRequests(CrossCheckError):
    """The caller did this too often in a short time (a flood limit); they may try again later."""

    status = 429


class UnsupportedMediaType(CrossCheckError):
    """The body is not JSON (`Content-Type: application/json` is required)."""

    status = 415


ERROR_CLASSES = (BadRequest, NotAllowed, NotFound, MethodNotAllowed, Conflict, TooLarge,
                 TooManyRequests, UnsupportedMediaType)
