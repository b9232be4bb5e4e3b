"""The plain values the mock core speaks: one request in, one response out.

Every way in (the ``responses`` interceptor, the in-process SDK transport, the HTTP
server) turns its input into a :class:`MockRequest`, calls ``Backend.handle`` and turns
the :class:`MockResponse` back into its own kind of response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class MockRequest:
    """A request as Twilio would receive it.

    ``url`` is the canonical Twilio URL (``https://api.twilio.com/2010-04-01/...``, query
    string included). ``origin``, when set (the HTTP server), is the base that absolute URLs
    in responses must point back at: ``f"{origin}/{product}"`` replaces
    ``https://{product}.twilio.com``. ``received_url`` is the URL exactly as the client sent
    it, when it differs from the canonical ``url`` (set by the HTTP server: scheme, ``Host``,
    the raw path with its product prefix, the raw query); Public Key Client Validation hashes
    that one, since the client signed what it sent. ``served``: the way in is a server front
    that acts a response's ``delay`` out as a real wait (in process, the core moves the virtual
    clock instead).
    """

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    origin: str | None = None
    received_url: str | None = None
    served: bool = False

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.url).query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    @property
    def form(self) -> list[tuple[str, str]]:
        """Form-encoded body pairs, repeated keys kept in order."""
        ctype = (self.header("Content-Type") or "").lower()
        if not self.body or "json" in ctype:
            return []
        return parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class MockResponse:
    """A response as Twilio would send it.

    A scripted fault (:mod:`twilio_mock.core.faults`) may ask the way in to misbehave instead of
    answering as-is: ``delay`` seconds of latency before the answer (the virtual clock in
    process, a real wait on the server); ``fault`` ``"reset"`` (the connection drops without an
    answer: a TCP reset on the server, ``requests``' ``ConnectionError`` in process) or
    ``"timeout"`` (no answer arrives: the client's own timeout fires; the server holds the
    connection until the client gives up or ``delay`` runs out, then closes it).
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fault: str | None = None
    delay: float = 0.0

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @classmethod
    def of_json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> MockResponse:
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(status, {"Content-Type": "application/json", **(headers or {})}, body)
