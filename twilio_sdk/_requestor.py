"""The request pipeline, once for both kinds of transport: default headers and auth, ``None``
values dropped, host rules, retry decisions, logging with secrets redacted.

:meth:`Requestor.send` and :meth:`Requestor.send_async` differ only in what they await: every
rule lives in :meth:`Requestor.prepare` and in :class:`_Attempts`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from twilio_sdk import __version__
from twilio_sdk import _log as log
from twilio_sdk._retry import RetryPolicy
from twilio_sdk.exceptions import TransportError
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response

if TYPE_CHECKING:
    from twilio_sdk._credentials import Credentials

RetryHook = Callable[[int, float, Request, "Response | Exception"], None]
ASYNC_ON_SYNC = "http_client must be asynchronous to support async API requests"  # the official text
SYNC_ON_ASYNC = (
    "http_client is asynchronous: call the *_async methods (create_async, fetch_async, list_async, ...) "
    "inside a coroutine, or build the Client with a synchronous http_client"
)
_UA_BASE: str | None = None


def user_agent_base() -> str:
    global _UA_BASE
    if _UA_BASE is None:
        import platform

        _UA_BASE = (
            f"twilio-sdk-python/{__version__} ({platform.system()} {platform.machine()}) "
            f"Python/{platform.python_version()}"
        )
    return _UA_BASE


class Requestor:
    """Sends prepared requests through ``http_client`` (sync or async) for one client."""

    def __init__(
        self,
        credentials: Credentials,
        http_client: Any = None,
        *,
        timeout: float | None = None,
        auto_retry: bool = False,
        retry_policy: RetryPolicy | None = None,
        on_retry: RetryHook | None = None,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
        user_agent_extensions: list[str] | None = None,
    ) -> None:
        self.credentials = credentials
        self._http_client = http_client
        self.timeout = timeout
        self.auto_retry = auto_retry
        self.retry_policy = retry_policy or RetryPolicy()
        self.on_retry = on_retry
        self.sleep = sleep
        self.async_sleep = async_sleep
        self.user_agent_extensions = list(user_agent_extensions or [])
        self._header_cache: dict[tuple[str, str], dict[str, str]] = {}
        self.last_request: Request | None = None
        self.last_response: Response | None = None

    # Transport --------------------------------------------------------------------
    @property
    def http_client(self) -> Any:
        """The transport; the ``requests``-based default is created on first use."""
        if self._http_client is None:
            from twilio_sdk.http.http_client import TwilioHttpClient

            self._http_client = TwilioHttpClient(timeout=self.timeout or 30.0)
        return self._http_client

    @http_client.setter
    def http_client(self, value: Any) -> None:
        self._http_client = value

    @property
    def is_async(self) -> bool:
        return bool(getattr(self._http_client, "is_async", False))

    # Preparing --------------------------------------------------------------------
    def user_agent(self) -> str:
        base = user_agent_base()
        return " ".join([base, *self.user_agent_extensions]) if self.user_agent_extensions else base

    def prepare(
        self,
        method: str,
        uri: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Request:
        """The request as the transport will get it: default headers and auth added, ``None``
        values dropped, region/edge/``api_base`` applied (``.url`` is the URL that is sent)."""
        method = method.upper()
        headers = {**self._default_headers(method), **headers} if headers else self._default_headers(method)
        creds = self.credentials
        if creds.credential_provider is not None:
            headers["Authorization"] = creds.credential_provider.to_auth_strategy().get_auth_string()
            auth = None
        else:
            auth = auth or creds.auth
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None}
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        return Request(method, creds.url(uri), params, data, headers, auth)

    def _default_headers(self, method: str) -> dict[str, str]:
        """A fresh dict of the headers every request of this method carries."""
        key = (method, self.user_agent())
        cached = self._header_cache.get(key)
        if cached is None:
            cached = {
                "User-Agent": key[1],
                "X-Twilio-Client": f"python-{__version__}",
                "Accept-Charset": "utf-8",
            }
            if method in ("POST", "PUT", "PATCH"):
                cached["Content-Type"] = "application/x-www-form-urlencoded"
            if method != "DELETE":
                cached["Accept"] = "application/json"
            self._header_cache[key] = cached
        return dict(cached)

    # Sending ------------------------------------------------------------------------
    def send(self, request: Request, timeout: float | None = None, allow_redirects: bool = False) -> Response:
        """Hand a prepared request to a synchronous transport, with retries and logging."""
        transport = self.http_client
        if getattr(transport, "is_async", False):
            raise RuntimeError(SYNC_ON_ASYNC)
        attempts = _Attempts(self, request, timeout, allow_redirects)
        while True:
            try:
                response: Response = transport.request(request.method, request.url, **attempts.start())
            except TransportError as exc:
                self.sleep(attempts.failed(exc))
                continue
            if not isinstance(response, Response) and hasattr(response, "__await__"):
                getattr(response, "close", lambda: None)()  # a coroutine: never awaited, so close it
                raise RuntimeError(SYNC_ON_ASYNC)
            delay = attempts.answered(response)
            if delay is None:
                return response
            self.sleep(delay)

    async def send_async(
        self, request: Request, timeout: float | None = None, allow_redirects: bool = False
    ) -> Response:
        """The same as :meth:`send`, awaiting an asynchronous transport (and the backoff)."""
        transport = self.http_client
        if not getattr(transport, "is_async", False):
            raise RuntimeError(ASYNC_ON_SYNC)
        attempts = _Attempts(self, request, timeout, allow_redirects)
        sleep = self.async_sleep
        if sleep is None:
            import asyncio

            sleep = asyncio.sleep
        while True:
            try:
                response: Response = await transport.request(request.method, request.url, **attempts.start())
            except TransportError as exc:
                await sleep(attempts.failed(exc))
                continue
            delay = attempts.answered(response)
            if delay is None:
                return response
            await sleep(delay)

    # Logging -----------------------------------------------------------------------
    def safe_url(self, url: str) -> str:
        return log.scrub_text(url, self.credentials.secrets())

    def log_request(self, request: Request) -> None:
        secrets = self.credentials.secrets()
        log.get().debug(
            "%s %s params=%s data=%s headers=%s",
            request.method,
            self.safe_url(request.url),
            log.redact_params(request.params, secrets),
            log.redact_params(request.data, secrets)
            if isinstance(request.data, dict)
            else "<body>"
            if request.data
            else None,
            log.redact_headers(request.headers),
        )


class _Attempts:
    """The tries of one request: what each try sends, and after each answer or transport
    error whether to go again and after how long (``None``: done). Logs as it goes."""

    __slots__ = ("_owner", "_request", "_kwargs", "_attempt", "_started", "_debug")

    def __init__(
        self, owner: Requestor, request: Request, timeout: float | None, allow_redirects: bool
    ) -> None:
        self._owner = owner
        self._request = request
        self._kwargs = {
            "params": request.params,
            "data": request.data,
            "headers": request.headers,
            "auth": request.auth,
            "timeout": timeout if timeout is not None else owner.timeout,
            "allow_redirects": allow_redirects,
        }
        self._attempt = 0
        self._started = 0.0
        self._debug = log.get().isEnabledFor(10)

    def start(self) -> dict[str, Any]:
        """The transport's keyword arguments for the next try."""
        self._owner.last_request = self._request
        self._started = time.perf_counter()
        if self._debug:
            self._owner.log_request(self._request)
        return self._kwargs

    def failed(self, exc: TransportError) -> float:
        """The wait before trying again after ``exc``; raises it when no retry is due."""
        owner, request = self._owner, self._request
        exc.method = exc.method or request.method
        exc.uri = exc.uri or owner.safe_url(request.url)
        if self._debug:
            log.get().debug("%s %s failed: %s", request.method, owner.safe_url(request.url), exc)
        policy = owner.retry_policy
        if not (
            owner.auto_retry
            and self._attempt < policy.max_retries
            and policy.should_retry_error(request.method, exc.sent)
        ):
            raise exc
        return self._next(policy.delay(self._attempt + 1), exc)

    def answered(self, response: Response) -> float | None:
        """The wait before trying again after ``response``, or ``None`` to hand it back."""
        owner, request = self._owner, self._request
        owner.last_response = response
        if self._debug:
            log.get().debug(
                "%s %s -> %s in %.1f ms",
                request.method,
                owner.safe_url(request.url),
                response.status_code,
                (time.perf_counter() - self._started) * 1000,
            )
        policy = owner.retry_policy
        if not (
            owner.auto_retry
            and self._attempt < policy.max_retries
            and policy.should_retry_status(request.method, response.status_code)
        ):
            return None
        return self._next(policy.delay(self._attempt + 1, response.headers), response)

    def _next(self, delay: float, cause: Response | Exception) -> float:
        self._attempt += 1
        owner, request = self._owner, self._request
        log.get().info(
            "retry %d of %s %s in %.3f s", self._attempt, request.method, owner.safe_url(request.url), delay
        )
        if owner.on_retry is not None:
            owner.on_retry(self._attempt, delay, request, cause)
        return delay
