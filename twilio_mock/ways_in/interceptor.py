"""The first way in: ``twilio_mock.mock()``, a ``responses`` interceptor for every Twilio host.

Any code that talks to Twilio through ``requests`` — our SDK with its default transport, plain
``requests``, the official ``twilio`` package — reaches the mock backend unchanged::

    with twilio_mock.mock(seed=1) as twilio:
        Client(twilio.account_sid, twilio.auth_token).messages.create(...)
        assert twilio.backend.journal ...

    @twilio_mock.mock()
    def test_something(): ...
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload
from urllib.parse import urlsplit, urlunsplit

import responses
from requests import PreparedRequest
from requests.adapters import HTTPAdapter

from twilio_mock.core.wire import MockRequest, MockResponse
from twilio_mock.ways_in.inspection import Inspection

if TYPE_CHECKING:
    from twilio_mock.backend import Backend

__all__ = ["GUARD_SENDS", "TWILIO_URL", "TwilioMock", "mock", "to_mock_request"]

F = TypeVar("F", bound=Callable[..., Any])

# ``<product>[.<edge>][.<region>].twilio.com`` on http or https, any port, any path.
TWILIO_URL = re.compile(
    r"^https?://(?P<product>[a-z0-9][a-z0-9-]*)(?P<rest>(?:\.[a-z0-9][a-z0-9-]*){0,2})\.twilio\.com(?::\d+)?(?:[/?#]|$)",
    re.IGNORECASE,
)


# ``HTTPAdapter.send`` as the network guard (twilio_mock.ways_in.guard) patched it: a mock started inside
# the guard answers other hosts itself instead of handing them on to it.
GUARD_SENDS: set[Any] = set()


def to_mock_request(request: PreparedRequest, api_base: str | None = None) -> MockRequest:
    """A ``requests.PreparedRequest`` as the core's plain request, on the canonical host.
    ``api_base`` URLs (``<base>/<product>/<path>``, as ``TWILIO_API_BASE`` makes the SDK send)
    become the Twilio URL they stand for."""
    url = str(request.url or "")
    if api_base and url.startswith(api_base + "/"):
        product, _, rest = url[len(api_base) + 1 :].partition("/")
        url = f"https://{product.lower()}.twilio.com/{rest}"
    parts = urlsplit(url)
    match = TWILIO_URL.match(url)
    if match:
        # Region and edge labels only choose a data centre: the core sees one Twilio.
        url = urlunsplit(
            ("https", f"{match['product'].lower()}.twilio.com", parts.path or "/", parts.query, "")
        )
    body = request.body
    if body is None:
        data = b""
    elif isinstance(body, str):
        data = body.encode("utf-8")
    elif isinstance(body, bytes | bytearray):
        data = bytes(body)
    else:  # a file-like or generator body (rare for Twilio): read it all
        read = getattr(body, "read", None)
        chunk = read() if read else b"".join(c if isinstance(c, bytes) else str(c).encode() for c in body)
        data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
    return MockRequest(str(request.method or "GET").upper(), url, dict(request.headers), data)


def network_error(fault: str, request: PreparedRequest | None = None) -> Exception:
    """What ``requests`` raises when a scripted fault drops the connection (``"reset"``: a
    ``ConnectionError`` around ``ConnectionResetError``, as urllib3 reports a reset) or never
    answers (``"timeout"``: ``ReadTimeout``)."""
    from requests.exceptions import ConnectionError, ReadTimeout
    from urllib3.exceptions import ProtocolError

    host = urlsplit(str(request.url or "")).hostname if request is not None else None
    if fault == "timeout":
        text = f"HTTPSConnectionPool(host={host!r}, port=443): Read timed out. (twilio-mock fault)"
        return ReadTimeout(text, request=request)
    reset = ConnectionResetError(104, "Connection reset by peer (twilio-mock fault)")
    return ConnectionError(ProtocolError("Connection aborted.", reset), request=request)


class AnyMethodCallback(responses.CallbackResponse):
    """A callback response for every method on the URLs ``claims`` accepts, never used up."""

    def __init__(self, callback: Callable[[PreparedRequest], Any], claims: Callable[[str], bool]) -> None:
        super().__init__("ANY", TWILIO_URL, callback, content_type=None)
        self.claims = claims

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        return (True, "") if self.claims(str(request.url or "")) else (False, "not claimed")


def _twilio_url(api_base: str | None) -> Callable[[str], bool]:
    """A Twilio host's URL (or one under the ``TWILIO_API_BASE`` in force when a mock starts)."""

    def claims(url: str) -> bool:
        return bool(TWILIO_URL.match(url)) or bool(api_base and url.startswith(api_base + "/"))

    return claims


class TwilioMock(Inspection):
    """Routes every ``requests`` call to a Twilio host into a :class:`Backend` (and, when
    ``aiohttp`` is installed, every ``aiohttp`` one: the official package's async client and
    ``twilio_sdk.http.async_http_client.AsyncTwilioHttpClient``).

    A context manager (``with mock() as twilio``) and a decorator (``@mock()``; each call
    of the decorated function runs inside the mock). While active it also answers requests
    under the ``TWILIO_API_BASE`` set when it started, so an exported base URL cannot send
    traffic past it. Other hosts raise ``responses``'
    ``ConnectionError`` unless ``passthrough`` is ``True`` (every other host goes to the
    network) or a list of URL prefixes / compiled regexes allowed through.
    """

    def __init__(
        self,
        backend: Backend | None = None,
        *,
        passthrough: bool | Iterable[str | re.Pattern[str]] = False,
        **backend_options: Any,
    ) -> None:
        self._owns_backend = backend is None
        if backend is None:
            from twilio_mock.backend import Backend

            backend = Backend(**backend_options)
        elif backend_options:
            raise TypeError("pass either backend= or Backend options (seed=...), not both")
        self.backend: Backend = backend
        self._passthrough = passthrough
        self._requests_mock: responses.RequestsMock | None = None
        self._api_base: str | None = None
        self._aiohttp: Any = None
        self._depth = 0
        self._lock = threading.Lock()

    # Credentials of the backend's main account, for building clients by hand.
    @property
    def account_sid(self) -> str:
        return str(self.backend.account_sid)

    @property
    def auth_token(self) -> str:
        return str(self.backend.auth_token)

    def handle(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """The ``responses`` callback: one intercepted request through the backend."""
        response: MockResponse = self.backend.handle(to_mock_request(request, self._api_base))
        if response.fault is not None:
            raise network_error(response.fault, request)
        return response.status, dict(response.headers), response.body

    @property
    def http_calls(self) -> Any:
        """Every request ``responses`` saw while active (``responses.CallList``)."""
        return self._requests_mock.calls if self._requests_mock is not None else []

    def client(self, **options: Any) -> Any:
        """A ``twilio_sdk.Client`` bound to this backend in-process (no sockets, no ``requests``)."""
        from twilio_mock.ways_in.transport import MockTransport
        from twilio_sdk import Client

        options.setdefault("http_client", MockTransport(self.backend))
        options.setdefault("environment", {})
        return Client(self.account_sid, self.auth_token, **options)

    def async_client(self, **options: Any) -> Any:
        """:meth:`client` for the ``*_async`` methods (an :class:`AsyncMockTransport`)."""
        from twilio_mock.ways_in.transport import AsyncMockTransport

        options.setdefault("http_client", AsyncMockTransport(self.backend))
        return self.client(**options)

    # Activation -------------------------------------------------------------------
    def start(self) -> TwilioMock:
        with self._lock:
            self._depth += 1
            if self._depth > 1:
                return self
            # Inside a user's own ``responses`` mock, other hosts go on to it (it answers what
            # it knows and refuses the rest), so both mocks can be used together.
            send = HTTPAdapter.send
            outer = (
                send if getattr(send, "__module__", None) == "responses" and send not in GUARD_SENDS else None
            )
            if outer is not None:
                rmock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=outer)
            else:
                rmock = responses.RequestsMock(assert_all_requests_are_fired=False)
            # A TWILIO_API_BASE left exported (from running the server) would send the SDK's
            # traffic past the interceptor: requests under it are Twilio's too.
            self._api_base = (os.environ.get("TWILIO_API_BASE") or "").rstrip("/") or None
            rmock.add(AnyMethodCallback(self.handle, _twilio_url(self._api_base)))
            if outer is not None or self._passthrough is True:
                rmock.add_passthru(re.compile(r".*"))
            elif self._passthrough:
                for prefix in self._passthrough:
                    rmock.add_passthru(prefix)
            rmock.start()
            self._requests_mock = rmock
            from twilio_mock.ways_in import async_interceptor

            if async_interceptor.available():
                pattern = TWILIO_URL
                if self._api_base:
                    pattern = re.compile(f"{TWILIO_URL.pattern}|^{re.escape(self._api_base)}/", re.IGNORECASE)
                self._aiohttp = async_interceptor.AiohttpLayer(pattern, self._handle_async)
                self._aiohttp.start()
        return self

    def _handle_async(self, request: MockRequest) -> MockResponse:
        base = self._api_base
        if base and request.url.startswith(base + "/"):
            product, _, rest = request.url[len(base) + 1 :].partition("/")
            request.url = f"https://{product.lower()}.twilio.com/{rest}"
        return self.backend.handle(request)

    def stop(self) -> None:
        with self._lock:
            if self._depth == 0:
                return
            self._depth -= 1
            if self._depth == 0 and self._requests_mock is not None:
                if self._aiohttp is not None:
                    self._aiohttp.stop()
                    self._aiohttp = None
                self._requests_mock.stop(allow_assert=False)
                self._requests_mock.reset()
                self._requests_mock = None

    def _fresh(self) -> None:
        if self._owns_backend and not self.active:
            self.backend.reset()

    @property
    def active(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> TwilioMock:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        """Decorate ``func`` so each call runs inside this mock. A backend the mock made
        itself starts each outermost call fresh (``reset()``); one passed in keeps its state."""
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                self._fresh()
                with self:
                    return await func(*args, **kwargs)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._fresh()
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


@overload
def mock(func: F, /) -> F: ...


@overload
def mock(
    func: None = None,
    /,
    *,
    backend: Backend | None = None,
    passthrough: bool | Iterable[str | re.Pattern[str]] = False,
    **backend_options: Any,
) -> TwilioMock: ...


def mock(
    func: Callable[..., Any] | None = None,
    /,
    *,
    backend: Backend | None = None,
    passthrough: bool | Iterable[str | re.Pattern[str]] = False,
    **backend_options: Any,
) -> Any:
    """Intercept every Twilio host for ``requests`` users; see :class:`TwilioMock`.

    ``backend_options`` go to a new :class:`Backend` (``seed=``, ``account_sid=``...) unless
    ``backend`` is given. ``@mock`` (bare) gives each call of the decorated function a fresh
    backend.
    """
    if func is not None:

        @functools.wraps(func)
        def fresh(*args: Any, **kwargs: Any) -> Any:
            return TwilioMock()(func)(*args, **kwargs)

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def fresh_async(*args: Any, **kwargs: Any) -> Any:
                with TwilioMock():
                    return await func(*args, **kwargs)

            return fresh_async
        return fresh
    return TwilioMock(backend, passthrough=passthrough, **backend_options)
