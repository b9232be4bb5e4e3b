"""The default asynchronous transport: one pooled ``aiohttp`` session with a finite timeout.

Needs the ``async`` extra (``pip install twilio-toolkit[async]``); nothing imports this
module unless a user does.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from typing import Any

import aiohttp
from yarl import URL

from twilio_sdk._serialize import form_encode
from twilio_sdk.exceptions import TransportError
from twilio_sdk.http import AsyncHttpClient
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response

__all__ = ["DEFAULT_TIMEOUT", "AsyncTwilioHttpClient"]

DEFAULT_TIMEOUT = 30.0
_logger = logging.getLogger("twilio_sdk.async_http_client")


class AsyncTwilioHttpClient(AsyncHttpClient):
    """``aiohttp``-based transport with the official constructor.

    Unlike the official one it honours ``timeout`` (30 s by default; official issue #925),
    makes its session on first use inside the running loop (and a new one for a new loop),
    closes a per-request session even when the request fails (``pool_connections=False``),
    and reports connection failures as :class:`TransportError` so the client's retry
    policy can judge them. ``max_retries`` retries requests that were never sent (refused
    connections), as the sync transport's ``max_retries`` does; 429 and 5xx retries are the
    client's (``auto_retry=True``). ``pool_size`` caps open connections (default 100).
    """

    def __init__(
        self,
        pool_connections: bool = True,
        trace_configs: list[Any] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        logger: logging.Logger = _logger,
        proxy_url: str | None = None,
        max_retries: int | None = None,
        pool_size: int = 100,
    ) -> None:
        super().__init__(logger, True, timeout)
        self.pool_connections = pool_connections
        self.trace_configs = trace_configs
        self.proxy_url = proxy_url
        self.max_retries = max_retries or 0
        self.pool_size = pool_size
        self.session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._auth: dict[tuple[str, str], str] = {}
        self._timeouts: dict[float | None, aiohttp.ClientTimeout] = {}
        self._urls: dict[str, URL] = {}  # parsed once: an app sends to a few URLs again and again

    def _new_session(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(limit=self.pool_size, ttl_dns_cache=300)
        # Twilio's REST API sets no cookies a client must send back: no jar to update per request.
        return aiohttp.ClientSession(
            connector=connector, trace_configs=self.trace_configs, cookie_jar=aiohttp.DummyCookieJar()
        )

    def _pooled(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self.session is None or self.session.closed or self._loop is not loop:
            # A session belongs to the loop it was made in; a new ``asyncio.run`` needs its own.
            if self.session is not None and not self.session.closed:
                _abandon(self.session)
            self.session = self._new_session()
            self._loop = loop
        return self.session

    def _timeout(self, timeout: float | None) -> aiohttp.ClientTimeout:
        value = timeout if timeout is not None else self.timeout
        found = self._timeouts.get(value)
        if found is None:
            found = self._timeouts[value] = aiohttp.ClientTimeout(total=value)
        return found

    def _url(self, url: str) -> URL:
        found = self._urls.get(url)
        if found is None:
            if len(self._urls) >= 1024:
                self._urls.clear()
            found = self._urls[url] = URL(url, encoded=True)
        return found

    def _authorization(self, auth: tuple[str, str]) -> str:
        found = self._auth.get(auth)
        if found is None:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            found = self._auth[auth] = f"Basic {token}"
        return found

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
        if timeout is not None and timeout <= 0:
            raise ValueError(timeout)
        method = method.upper()
        headers = dict(headers or {})
        if auth is not None:
            headers["Authorization"] = self._authorization(auth)
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{form_encode(params)}"
        body: Any = data
        if isinstance(data, dict):
            body = form_encode(data).encode()
            if "Content-Type" not in headers and not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif isinstance(data, str):
            body = data.encode("utf-8")
        self.last_request = Request(method, url, params, data, headers, auth)
        if self.logger.isEnabledFor(logging.DEBUG):
            shown = {k: ("***" if k.lower() == "authorization" else v) for k, v in headers.items()}
            self.logger.debug("%s %s headers=%s", method, url, shown)
        attempt = 0
        while True:
            try:
                response = await self._send(method, url, body, headers, timeout, allow_redirects)
            except TransportError as exc:
                if exc.sent or attempt >= self.max_retries:
                    raise
                attempt += 1
                continue
            self.last_response = response
            return response

    async def _send(
        self,
        method: str,
        url: str,
        body: Any,
        headers: dict[str, str],
        timeout: float | None,
        allow_redirects: bool,
    ) -> Response:
        session = self._pooled() if self.pool_connections else self._new_session()
        try:
            async with session.request(
                method,
                self._url(url),
                data=body,
                headers=headers,
                timeout=self._timeout(timeout),
                allow_redirects=allow_redirects,
                proxy=self.proxy_url,
            ) as resp:
                raw = await resp.read()
                return Response(resp.status, raw.decode(resp.charset or "utf-8", "replace"), resp.headers)
        except aiohttp.ClientConnectorError as exc:
            raise TransportError(f"connection error: {exc}", sent=False) from exc
        except (aiohttp.InvalidURL, ValueError) as exc:
            raise TransportError(f"cannot send {method} {url}: {exc}", sent=False) from exc
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise TransportError(f"timeout: {method} {url}: {exc or 'timed out'}", timeout=True) from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise TransportError(f"connection error: {method} {url}: {exc}") from exc
        finally:
            if not self.pool_connections:
                await session.close()

    async def close(self) -> None:
        """Close the pooled session (``async with`` does it on exit)."""
        if self.session is not None and not self.session.closed:
            await self.session.close()
        self.session = None

    async def __aenter__(self) -> AsyncTwilioHttpClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def _abandon(session: aiohttp.ClientSession) -> None:
    """Let go of a session whose event loop has ended: its sockets can only be dropped."""
    connector = session.connector
    session.detach()
    if connector is not None:
        # ``close()`` is a coroutine for the dead loop; its synchronous half marks the connector
        # closed and drops its sockets (aiohttp 3.x's ``_close``).
        # A transport may still ask the closed loop to schedule its close: RuntimeError.
        with contextlib.suppress(RuntimeError):
            connector._close()
