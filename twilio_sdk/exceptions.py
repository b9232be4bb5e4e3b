"""The SDK's exceptions: one small hierarchy, Twilio's codes kept as data."""

from __future__ import annotations

from typing import Any

__all__ = [
    "RestException",
    "TransportError",
    "TwilioException",
    "TwilioRestException",
    "TwilioServiceException",
    "from_response",
]


class TwilioException(Exception):
    """Base class of every exception this SDK raises."""


class TransportError(TwilioException):
    """The request did not get an HTTP response (connection refused, reset, timed out).

    ``method`` and ``uri`` name the request (the client fills them in); ``status`` and ``code``
    are ``None``: no answer came, so nothing says whether a POST was carried out."""

    status: int | None = None
    code: int | None = None

    def __init__(
        self, message: str, *, timeout: bool = False, sent: bool = True, method: str = "", uri: str = ""
    ) -> None:
        super().__init__(message)
        self.timeout = timeout
        #: False when the request certainly never reached the server (connect failed).
        self.sent = sent
        self.method = method
        self.uri = uri


class RestException(TwilioException):
    """Twilio answered with an error status."""

    def __init__(
        self,
        status: int,
        uri: str,
        msg: str = "",
        code: int | None = None,
        method: str = "GET",
        details: dict[str, Any] | None = None,
        more_info: str | None = None,
    ) -> None:
        self.status = status
        self.uri = uri
        self.msg = msg
        self.code = code if code is not None else status
        self.method = method
        self.details = details
        self.more_info = more_info or f"https://www.twilio.com/docs/errors/{self.code}"
        super().__init__(str(self))

    @property
    def message(self) -> str:
        return self.msg

    def __str__(self) -> str:
        return f"HTTP {self.status} error: {self.msg} ({self.method} {self.uri}; more info: {self.more_info})"


class TwilioServiceException(RestException):
    """An RFC 9457 problem-details error (``type``, ``title``, ``status``, ``code``)."""

    def __init__(
        self,
        type: str,
        title: str,
        status: int,
        code: int,
        detail: str | None = None,
        instance: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        method: str = "GET",
        uri: str = "",
    ) -> None:
        self.type = type
        self.title = title
        self.detail = detail
        self.instance = instance
        self.errors = errors or []
        super().__init__(status, uri, detail or title, code, method, more_info=type)


#: The official package's name for :class:`RestException`.
TwilioRestException = RestException


def from_response(status: int, text: str | None, method: str, uri: str, action: str) -> RestException:
    """Build the exception for an error response body (legacy or RFC 9457)."""
    import json

    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if all(k in body for k in ("type", "title", "status", "code")):
        return TwilioServiceException(
            body["type"],
            body["title"],
            int(body["status"]),
            int(body["code"]),
            body.get("detail"),
            body.get("instance"),
            body.get("errors"),
            method,
            uri,
        )
    message = body.get("message") or body.get("detail") or f"HTTP {status}"
    code = body.get("code")
    return RestException(
        status,
        uri,
        f"Unable to {action}: {message}",
        int(code) if isinstance(code, (int, str)) and str(code).isdigit() else None,
        method,
        body.get("details"),
        body.get("more_info"),
    )
