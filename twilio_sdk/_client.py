"""The client: the navigation root, over its credentials and its one request pipeline."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from twilio_sdk import spec as _spec
from twilio_sdk._credentials import Credentials
from twilio_sdk._requestor import Requestor
from twilio_sdk._retry import RetryPolicy
from twilio_sdk.http import HttpClient
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response

if TYPE_CHECKING:
    # The generated typing layer (tools/typing_stubs.py): every domain and shortcut, typed.
    from twilio_sdk._types import ClientSurface as _Surface
else:
    _Surface = object

T = TypeVar("T")


class _Forward(Generic[T]):
    """An attribute of the client kept by one of its parts (``credentials`` or ``requestor``)."""

    def __init__(self, part: str) -> None:
        self.part = part

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Forward[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...
    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return getattr(obj.__dict__[self.part], self.name)

    def __set__(self, obj: Any, value: T) -> None:
        setattr(obj.__dict__[self.part], self.name, value)


class Client(_Surface):
    """A Twilio REST client in the official package's dialect.

    Credentials: ``Client(account_sid, auth_token)``, or an API key
    ``Client(api_key_sid, api_key_secret, account_sid)`` (also as ``api_key=``,
    ``api_secret=``), or a ``credential_provider`` (OAuth); otherwise the
    ``TWILIO_ACCOUNT_SID``/``TWILIO_AUTH_TOKEN`` (or ``TWILIO_API_KEY``/``TWILIO_API_SECRET``)
    environment variables. ``auto_retry`` retries 429s with full-jitter backoff.

    Built with an asynchronous ``http_client`` (``AsyncTwilioHttpClient``), it serves the
    ``*_async`` methods; the synchronous ones then raise ``RuntimeError``, and the reverse.
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
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        from twilio_sdk import _log as log

        username = username or api_key
        password = password or auth_token or api_secret
        self.credentials = Credentials(
            username, password, account_sid, region, edge, credential_provider, api_base, environment
        )
        self.requestor = Requestor(
            self.credentials,
            http_client,
            timeout=timeout,
            auto_retry=auto_retry,
            retry_policy=RetryPolicy(max_retries=max_retries, max_delay=max_retry_delay),
            on_retry=on_retry,
            sleep=sleep,
            async_sleep=async_sleep,
            user_agent_extensions=user_agent_extensions,
        )
        env = environment
        if env is None:
            import os

            env = os.environ
        log.configure(log_level or env.get("TWILIO_LOG_LEVEL"))
        if credential_provider is not None and hasattr(credential_provider, "bind"):
            # The token request goes through this client's transport and hosts.
            credential_provider.bind(self)

    # Kept by the credentials and the requestor; here for the official attribute names.
    username = _Forward[str | None]("credentials")
    password = _Forward[str | None]("credentials")
    account_sid = _Forward[str]("credentials")
    credential_provider = _Forward[Any]("credentials")
    region = _Forward[str | None]("credentials")
    edge = _Forward[str | None]("credentials")
    api_base = _Forward[str | None]("credentials")
    auth = _Forward[tuple[str, str] | None]("credentials")
    http_client = _Forward[Any]("requestor")
    timeout = _Forward[float | None]("requestor")
    auto_retry = _Forward[bool]("requestor")
    retry_policy = _Forward[RetryPolicy]("requestor")
    on_retry = _Forward[Any]("requestor")
    user_agent_extensions = _Forward[list[str]]("requestor")
    last_request = _Forward[Request | None]("requestor")
    last_response = _Forward[Response | None]("requestor")

    def user_agent(self) -> str:
        return self.requestor.user_agent()

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
        requestor = self.requestor
        return requestor.send(
            requestor.prepare(method, uri, params, data, headers, auth), timeout, allow_redirects
        )

    async def request_async(
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
        """:meth:`request` through an asynchronous ``http_client``."""
        requestor = self.requestor
        request = requestor.prepare(method, uri, params, data, headers, auth)
        return await requestor.send_async(request, timeout, allow_redirects)

    def prepare(
        self,
        method: str,
        uri: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Request:
        """The request as the transport will get it (see ``Requestor.prepare``)."""
        return self.requestor.prepare(method, uri, params, data, headers, auth)

    def send(self, request: Request, timeout: float | None = None, allow_redirects: bool = False) -> Response:
        """Hand a prepared request to the transport, with retries and logging."""
        return self.requestor.send(request, timeout, allow_redirects)

    async def send_async(
        self, request: Request, timeout: float | None = None, allow_redirects: bool = False
    ) -> Response:
        return await self.requestor.send_async(request, timeout, allow_redirects)

    def close(self) -> None:
        """Close a synchronous ``http_client`` (its connection pool); ``with Client(...)`` too."""
        transport = self.requestor._http_client
        if getattr(transport, "is_async", False):
            raise RuntimeError("http_client is asynchronous: await client.close_async(), or use async with")
        closer = getattr(transport, "close", None)
        if closer is not None:
            closer()

    async def close_async(self) -> None:
        """Close an asynchronous ``http_client`` (its aiohttp session); ``async with Client(...)``
        does it on exit. A synchronous one is closed as :meth:`close` closes it."""
        closer = getattr(self.requestor._http_client, "close", None)
        if closer is not None:
            result = closer()
            if hasattr(result, "__await__"):
                await result

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close_async()

    # Navigation (type checkers see the generated surface instead) ----------------------
    if not TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any:
            return self._navigate(name)

    def _navigate(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        from twilio_sdk._resource import Domain, _missing

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
