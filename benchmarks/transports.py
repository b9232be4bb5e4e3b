"""In-process stub transports for both SDKs: canned replies, no HTTP, and a call counter."""

from __future__ import annotations

from typing import Any

from twilio.http import HttpClient as OfficialHttpClient
from twilio.http.response import Response as OfficialResponse

from twilio_sdk.http.response import Response


class Replies:
    """Canned ``(status, body)`` by HTTP method, and what was asked of them."""

    def __init__(self, replies: dict[str, tuple[int, str]]) -> None:
        self.replies = replies
        self.calls = 0
        self.last: tuple[str, str, Any, Any] | None = None

    def answer(self, method: str, url: str, params: Any, data: Any) -> tuple[int, str]:
        self.calls += 1
        self.last = (method, url, params, data)
        return self.replies[method]


class OursStub:
    """A transport for ``twilio_sdk.Client(http_client=...)``."""

    def __init__(self, replies: dict[str, tuple[int, str]]) -> None:
        self.replies = Replies(replies)

    def request(
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = False,
    ) -> Response:
        status, body = self.replies.answer(method, url, params, data)
        return Response(status, body, {})


class OfficialStub(OfficialHttpClient):  # type: ignore[misc]
    """The same transport for the official ``twilio.rest.Client(http_client=...)``."""

    def __init__(self, replies: dict[str, tuple[int, str]]) -> None:
        super().__init__(None, False, None)
        self.replies = Replies(replies)

    def request(
        self,
        method: str,
        uri: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = False,
    ) -> OfficialResponse:
        status, body = self.replies.answer(method, uri, params, data)
        return OfficialResponse(status, body, {})
