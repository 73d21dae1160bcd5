"""The one error type the service layer raises for a request it refuses.

Handlers turn it into a 4xx JSON answer `{"error": <sentence>, "code": <word>}`; nothing else
in a refused request has been written by then (the service functions check before they write).
"""


class CrossCheckError(Exception):
    """A refused request: `message` is a sentence for people, `code` a stable word for programs."""

    def __init__(self, message: str, code: str = "bad_request", status: int = 400):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def as_json(self) -> dict:
        """The JSON body of the 4xx answer."""
        return {"error": self.message, "code": self.code}
