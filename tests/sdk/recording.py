"""A transport that records requests and answers from a script, for SDK tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from twilio_sdk.http.response import Response


@dataclass
class Sent:
    method: str
    url: str
    params: dict[str, Any] | None
    data: Any
    headers: dict[str, str]
    auth: tuple[str, str] | None
    timeout: float | None


@dataclass
class Recorder:
    """Official-interface transport: records every request; ``reply`` decides the answer."""

    reply: Callable[[Sent], Response] = field(default=lambda sent: Response(200, "{}", {}))
    sent: list[Sent] = field(default_factory=list)

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
        sent = Sent(method, url, params, data, dict(headers or {}), auth, timeout)
        self.sent.append(sent)
        return self.reply(sent)

    @property
    def last(self) -> Sent:
        return self.sent[-1]


def json_reply(
    status: int, payload: Any, headers: dict[str, str] | None = None
) -> Callable[[Sent], Response]:
    text = json.dumps(payload)
    return lambda sent: Response(status, text, headers or {})


@dataclass
class AsyncRecorder(Recorder):
    """:class:`Recorder` with the official asynchronous interface (``async request``)."""

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
        return Recorder.request(self, method, url, params, data, headers, auth, timeout, allow_redirects)
