"""The client: credentials, hosts, and one request pipeline (auth, headers, retries, logs)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from twilio_sdk import __version__, hosts, log
from twilio_sdk import spec as _spec
from twilio_sdk.exceptions import TransportError, TwilioException
from twilio_sdk.http import HttpClient
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response
from twilio_sdk.retry import RetryPolicy

_UA_BASE: str | None = None


class Client:
    """A Twilio REST client in the official package's dialect.

    Credentials: ``Client(account_sid, auth_token)``, or an API key
    ``Client(api_key_sid, api_key_secret, account_sid)`` (also as ``api_key=``,
    ``api_secret=``), or a ``credential_provider`` (OAuth); otherwise the
    ``TWILIO_ACCOUNT_SID``/``TWILIO_AUTH_TOKEN`` (or ``TWILIO_API_KEY``/``TWILIO_API_SECRET``)
    environment variables. ``auto_retry`` retries 429s with full-jitter backoff.
    """

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        account_sid: str | None = None,
        region: str | None = None,
        http_client: HttpClient | Any = None,
        environment: Mapping[str, str] | None = None,
        edge: str | None = None,
        user_agent_extensions: list[str] | None = None,
        credential_provider: Any = None,
        *,
        auth_token: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        api_base: str | None = None,
        timeout: float | None = None,
        auto_retry: bool = False,
        max_retries: int = 3,
        max_retry_delay: float = 3.0,
        on_retry: Callable[[int, float, Request, Response | Exception], None] | None = None,
        log_level: str | int | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        env = os.environ if environment is None else environment
        username = username or api_key
        password = password or auth_token or api_secret
        if not username and credential_provider is None:
            if env.get("TWILIO_API_KEY") and env.get("TWILIO_API_SECRET"):
                username, password = env["TWILIO_API_KEY"], env["TWILIO_API_SECRET"]
            else:
                username = account_sid or env.get("TWILIO_ACCOUNT_SID")
                password = password or env.get("TWILIO_AUTH_TOKEN")
        account_sid = account_sid or (username if username and username.startswith("AC") else None)
        account_sid = account_sid or env.get("TWILIO_ACCOUNT_SID")
        if credential_provider is None and not (username and password):
            raise TwilioException(
                "Credentials are required to create a Client: pass account_sid and auth_token "
                "(or an API key, secret and account_sid), or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
            )
        if username and username.startswith("SK") and not account_sid:
            raise TwilioException("An API key (SK…) needs account_sid= (or TWILIO_ACCOUNT_SID)")
        self.username = username
        self.password = password
        self.account_sid: str = account_sid or ""
        self.credential_provider = credential_provider
        self.region = region or env.get("TWILIO_REGION")
        self.edge = edge or env.get("TWILIO_EDGE")
        base = api_base or env.get("TWILIO_API_BASE") or None
        self._api_base = (
            hosts.check_base(base, "api_base" if api_base else "TWILIO_API_BASE") if base else None
        )
        self.user_agent_extensions = list(user_agent_extensions or [])
        self.timeout = timeout
        self.auto_retry = auto_retry
        self.retry_policy = RetryPolicy(max_retries=max_retries, max_delay=max_retry_delay)
        self.on_retry = on_retry
        self._sleep = sleep
        self._http_client = http_client
        self._header_cache: dict[tuple[str, str], dict[str, str]] = {}
        self.last_request: Request | None = None
        self.last_response: Response | None = None
        log.configure(log_level or env.get("TWILIO_LOG_LEVEL"))
        if credential_provider is not None and hasattr(credential_provider, "bind"):
            # The token request goes through this client's transport and hosts.
            credential_provider.bind(self)

    @property
    def api_base(self) -> str | None:
        """One base URL for every Twilio host (``<base>/<product>/<path>``), or ``None``."""
        return self._api_base

    @api_base.setter
    def api_base(self, value: str | None) -> None:
        self._api_base = hosts.check_base(value) if value else None

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
    def auth(self) -> tuple[str, str]:
        return (self.username or "", self.password or "")

    def user_agent(self) -> str:
        global _UA_BASE
        if _UA_BASE is None:
            import platform

            _UA_BASE = (
                f"twilio-sdk-python/{__version__} ({platform.system()} {platform.machine()}) "
                f"Python/{platform.python_version()}"
            )
        if not self.user_agent_extensions:
            return _UA_BASE
        return " ".join([_UA_BASE, *self.user_agent_extensions])

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Send one request to Twilio (with auth, headers, host rules, retries, logging)."""
        return self.send(self.prepare(method, uri, params, data, headers, auth), timeout, allow_redirects)

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
        if self.credential_provider is not None:
            headers["Authorization"] = self.credential_provider.to_auth_strategy().get_auth_string()
            auth = None
        else:
            auth = auth or self.auth
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None}
        if params:
            params = {k: v for k, v in params.items() if v is not None}
        url = hosts.rewrite(uri, self.region, self.edge, self._api_base)
        return Request(method, url, params, data, headers, auth)

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

    def send(self, request: Request, timeout: float | None = None, allow_redirects: bool = False) -> Response:
        """Hand a prepared request to the transport, with retries and logging."""
        policy = self.retry_policy
        logger = log.get()
        debug = logger.isEnabledFor(10)
        attempt = 0
        while True:
            self.last_request = request
            started = time.perf_counter()
            if debug:
                self._log_request(request)
            try:
                response: Response = self.http_client.request(
                    request.method,
                    request.url,
                    params=request.params,
                    data=request.data,
                    headers=request.headers,
                    auth=request.auth,
                    timeout=timeout if timeout is not None else self.timeout,
                    allow_redirects=allow_redirects,
                )
            except TransportError as exc:
                exc.method = exc.method or request.method
                exc.uri = exc.uri or self._safe_url(request.url)
                if debug:
                    logger.debug("%s %s failed: %s", request.method, self._safe_url(request.url), exc)
                if not (
                    self.auto_retry
                    and attempt < policy.max_retries
                    and policy.should_retry_error(request.method, exc.sent)
                ):
                    raise
                attempt += 1
                self._wait(attempt, policy.delay(attempt), request, exc)
                continue
            self.last_response = response
            if debug:
                logger.debug(
                    "%s %s -> %s in %.1f ms",
                    request.method,
                    self._safe_url(request.url),
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
            if not (
                self.auto_retry
                and attempt < policy.max_retries
                and policy.should_retry_status(request.method, response.status_code)
            ):
                return response
            attempt += 1
            self._wait(attempt, policy.delay(attempt, response.headers), request, response)

    def _wait(self, attempt: int, delay: float, request: Request, cause: Response | Exception) -> None:
        log.get().info(
            "retry %d of %s %s in %.3f s", attempt, request.method, self._safe_url(request.url), delay
        )
        if self.on_retry is not None:
            self.on_retry(attempt, delay, request, cause)
        self._sleep(delay)

    # Logging -----------------------------------------------------------------------
    def _secrets(self) -> tuple[str, ...]:
        import base64

        secrets = [self.password or ""]
        if self.password:
            raw = f"{self.username}:{self.password}".encode()
            secrets.append(base64.b64encode(raw).decode())
        return tuple(s for s in secrets if s)

    def _safe_url(self, url: str) -> str:
        return log.scrub_text(url, self._secrets())

    def _log_request(self, request: Request) -> None:
        secrets = self._secrets()
        log.get().debug(
            "%s %s params=%s data=%s headers=%s",
            request.method,
            self._safe_url(request.url),
            log.redact_params(request.params, secrets),
            log.redact_params(request.data, secrets)
            if isinstance(request.data, dict)
            else "<body>"
            if request.data
            else None,
            log.redact_headers(request.headers),
        )

    # Navigation ----------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        from twilio_sdk.resource import Domain, _missing

        if name in _spec.domains():
            domain = self.__dict__[name] = Domain(self, name)
            return domain
        route = _spec.index()["shortcuts"].get(name)
        if route is None:
            raise _missing("Client", name, [*_spec.domains(), *_spec.index()["shortcuts"]])
        node: Any = self.api
        for step in route:
            node = getattr(node, step)
        # Cached like the official package's account context caches its lists; assigning
        # ``client.api.v2010.account`` drops these (see ``Version.account``).
        self.__dict__[name] = node
        return node

    def _forget_shortcuts(self) -> None:
        for name in _spec.index()["shortcuts"]:
            self.__dict__.pop(name, None)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_spec.domains(), *_spec.index()["shortcuts"]})

    def __repr__(self) -> str:
        return f"<twilio_sdk Client {self.account_sid or self.username}>"
