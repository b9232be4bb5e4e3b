"""Fixtures that run one scenario through every way into the mock.

``way`` is parametrized over five ways in: the ``responses`` interceptor, the in-process
transport and the loopback server for our SDK, and the interceptor and the server (through a
URL-rewriting ``TwilioHttpClient``) for the official ``twilio`` package. One server runs per
test session; each test gets a fresh backend behind it. The server tests' fixtures
(``app``, ``http``, ``live``) are at the end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from werkzeug.test import Client as WsgiClient

from twilio_mock.backend import Backend
from twilio_mock.ways_in.interceptor import TwilioMock
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread

WAYS = ["interceptor-sdk", "transport-sdk", "server-sdk", "interceptor-official", "server-official"]


def rewriting_http_client(base: str) -> Any:
    """What twilio-python users write to point the official package at a local server (the
    README's recipe): connect to the server, but keep the Twilio host in ``Host``, so the
    server answers as that host and every absolute URL it renders (``next_page_url``) is a
    Twilio URL the client's own region/edge rules and this rewrite handle again."""
    from urllib.parse import urlsplit

    from twilio.http.http_client import TwilioHttpClient

    class LocalTwilioHttpClient(TwilioHttpClient):
        def request(self, method: str, url: str, *args: Any, headers: Any = None, **kwargs: Any) -> Any:
            parts = urlsplit(url)
            if parts.hostname and parts.hostname.endswith(".twilio.com"):
                headers = {**(headers or {}), "Host": parts.hostname}
                url = base + url[len(f"{parts.scheme}://{parts.netloc}") :]
            return super().request(method, url, *args, headers=headers, **kwargs)

    return LocalTwilioHttpClient()


@dataclass
class Way:
    """One way in: builds clients for any credentials and knows its error class."""

    name: str
    backend: Backend
    make_client: Callable[..., Any]
    errors: tuple[type[Exception], ...]

    @property
    def official(self) -> bool:
        return self.name.endswith("official")

    @property
    def client(self) -> Any:
        return self.make_client(self.backend.account_sid, self.backend.auth_token)


def status_and_code(exc: BaseException) -> tuple[int, int | None]:
    """HTTP status and Twilio code from either SDK's exception."""
    if hasattr(exc, "status"):
        return int(exc.status), exc.code  # type: ignore[attr-defined]
    response = exc.args[1]  # official TwilioException("Unable to fetch page", response)
    return int(response.status_code), json.loads(response.text).get("code")


@pytest.fixture(scope="session")
def server_app() -> Iterator[MockServerApp]:
    app = MockServerApp(Backend(seed=1))
    server = ServerThread(app)
    app.url = server.url  # type: ignore[attr-defined]
    try:
        yield app
    finally:
        server.stop()


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=7)


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, backend: Backend, server_app: MockServerApp) -> Iterator[Way]:
    from twilio_sdk import Client, RestException

    name: str = request.param
    if name.startswith("server"):
        server_app.backend = backend
    base = server_app.url  # type: ignore[attr-defined]

    if name.endswith("official"):
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client as OfficialClient

        def official(username: str, password: str, account_sid: str | None = None, **hosts: Any) -> Any:
            http = rewriting_http_client(base) if name.startswith("server") else None
            return OfficialClient(username, password, account_sid, http_client=http, environment={}, **hosts)

        # The official package raises TwilioRestException, or a bare TwilioException carrying
        # the response when a list page fails ("Unable to fetch page").
        errors: tuple[type[Exception], ...] = (TwilioException,)
        make = official
    else:

        def ours(username: str, password: str, account_sid: str | None = None, **hosts: Any) -> Any:
            if name == "transport-sdk":
                from twilio_mock.ways_in.transport import MockTransport

                return Client(
                    username,
                    password,
                    account_sid,
                    http_client=MockTransport(backend),
                    environment={},
                    **hosts,
                )
            api_base = base if name == "server-sdk" else None
            return Client(username, password, account_sid, api_base=api_base, environment={}, **hosts)

        errors = (RestException,)
        make = ours

    if name.startswith("interceptor"):
        with TwilioMock(backend):
            yield Way(name, backend, make, errors)
    else:
        yield Way(name, backend, make, errors)


# Server tests ----------------------------------------------------------------------------
@pytest.fixture
def app() -> MockServerApp:
    return MockServerApp(Backend(seed=3))


@pytest.fixture
def http(app: MockServerApp) -> WsgiClient:
    return WsgiClient(app)


@pytest.fixture(scope="module")
def live() -> Iterator[ServerThread]:
    """A loopback server per test module."""
    server = ServerThread(MockServerApp(Backend(seed=5)))
    try:
        yield server
    finally:
        server.stop()
