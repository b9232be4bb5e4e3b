"""In-process transports: requests go straight to a backend, no sockets.

``Client(sid, token, http_client=MockTransport(backend))`` — the object has the official
``request(method, url, params, data, headers, auth, timeout, allow_redirects)`` interface;
:class:`AsyncMockTransport` is its asynchronous twin (``async request(...)``, ``is_async``), for
the ``*_async`` methods of our SDK and of the official package alike.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from twilio_mock.core.wire import MockRequest
from twilio_sdk.exceptions import TransportError
from twilio_sdk.http.response import Response


class MockTransport:
    """Encodes a request the way ``requests`` would and hands it to ``backend.handle``. A
    scripted reset or timeout raises ``TransportError`` as the SDK's ``requests`` transport
    does (``sent=True``; ``timeout=True``)."""

    is_async = False

    def __init__(self, backend: Any, origin: str | None = None) -> None:
        self.backend = backend
        self.origin = origin
        self.last_request: MockRequest | None = None
        self.last_response: Response | None = None

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        return self._exchange(method, url, params, data, headers, auth)

    def _exchange(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None,
        data: Any,
        headers: dict[str, str] | None,
        auth: tuple[str, str] | None,
    ) -> Response:
        headers = dict(headers or {})
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{encode(params)}"
        body = b""
        if isinstance(data, dict):
            body = encode(data).encode()
            if not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(data, str):
            body = data.encode("utf-8")
        elif isinstance(data, bytes):
            body = data
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        request = MockRequest(method.upper(), url, headers, body, self.origin)
        self.last_request = request
        answer = self.backend.handle(request)
        if answer.fault == "timeout":  # as twilio_sdk.http.http_client reports requests' errors
            raise TransportError(
                f"timeout: {method.upper()} {url}: read timed out (twilio-mock fault)", timeout=True
            )
        if answer.fault is not None:
            raise TransportError(
                f"connection error: {method.upper()} {url}: connection reset by peer (twilio-mock fault)",
                sent=True,
            )
        response = Response(answer.status, answer.body.decode("utf-8", "replace"), answer.headers)
        self.last_response = response
        return response


class AsyncMockTransport(MockTransport):
    """:class:`MockTransport` for asynchronous clients: the same request, awaited."""

    is_async = True

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        return self._exchange(method, url, params, data, headers, auth)

    async def close(self) -> None:
        """Nothing to close (no sockets); here so ``async with`` clients can call it."""


def encode(values: dict[str, Any]) -> str:
    """Form/query encoding with repeated keys for lists; ``None`` values dropped."""
    pairs = []
    for key, value in values.items():
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, bool):
                item = "true" if item else "false"
            pairs.append((key, item))
    return urlencode(pairs)
