"""Recording: the request sent on to Twilio (or to a ``twilio-mock serve``) with urllib3.

Not through ``requests``: ``responses`` patches its adapter, so a forwarded request would come
straight back into the cassette. With ``record_url`` (the base URL of a ``twilio-mock serve``),
``https://api.twilio.com/2010-04-01/...`` goes to ``<record_url>/2010-04-01/...`` with the Twilio
host it was meant for in ``Host``, which the server answers as that host (the README's
``LocalTwilio`` recipe): the URLs in its answers are then Twilio's (``next_page_url`` leads back
into the cassette, and the file holds no local port), and a Public Key Client Validation token,
which signs ``Host`` and the path, stays valid. A request the app sent under a base URL itself
(``<base>/<product>/<path>``, as ``TWILIO_API_BASE`` makes the SDK send) goes to ``record_url``
(else that base) in the same layout, its headers as they were.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from requests.exceptions import ConnectionError as RequestsConnectionError

from twilio_mock.ways_in.interceptor import TWILIO_URL

__all__ = ["Forwarder"]

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0
# Not passed on: urllib3 sets them for the connection it makes.
_REQUEST_DROP = {"host", "content-length", "connection", "transfer-encoding"}
# Not passed back: the body comes back decoded and whole.
_RESPONSE_DROP = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}


class Forwarder:
    """Sends requests on; one connection pool per cassette session, made on first use."""

    def __init__(self, record_url: str | None, bases: list[str]) -> None:
        self.record_url = record_url.rstrip("/") if record_url else None
        self.bases = [b.rstrip("/") for b in bases if b]
        self._pool: Any = None

    def target(self, url: str, headers: dict[str, str]) -> tuple[str, dict[str, str]]:
        """Where a request goes and with which headers."""
        sent = {k: v for k, v in headers.items() if k.lower() not in _REQUEST_DROP}
        for base in self.bases:
            if url.startswith(base + "/"):
                return (self.record_url or base) + url[len(base) :], sent
        if self.record_url and TWILIO_URL.match(url):
            parts = urlsplit(url)
            server = urlsplit(self.record_url)
            path = server.path.rstrip("/") + (parts.path or "/")
            sent["Host"] = parts.netloc
            return urlunsplit((server.scheme, server.netloc, path, parts.query, "")), sent
        return url, sent

    def send(
        self, method: str, url: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        """The real answer: status, headers, body (decoded)."""
        import urllib3

        if self._pool is None:
            options: dict[str, Any] = {}
            try:
                import certifi  # what requests verifies with, so recording trusts the same CAs

                options["ca_certs"] = certifi.where()
            except ImportError:  # pragma: no cover - requests depends on certifi
                pass
            self._pool = urllib3.PoolManager(
                retries=False, timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT), **options
            )
        target, sent = self.target(url, headers)
        try:
            answer = self._pool.request(
                method, target, body=body or None, headers=sent, redirect=False, preload_content=True
            )
        except urllib3.exceptions.HTTPError as exc:
            raise RequestsConnectionError(
                f"twilio_mock.cassettes: recording {method} {target}: {exc}"
            ) from exc
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in _RESPONSE_DROP}
        return int(answer.status), kept, bytes(answer.data)
