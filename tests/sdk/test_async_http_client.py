"""``AsyncTwilioHttpClient`` against a real aiohttp server on 127.0.0.1: the official
constructor, the request on the wire, pooling, a timeout that is honoured, clean closing."""

from __future__ import annotations

import asyncio
import gc
import inspect
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web

from twilio_sdk import Client, TransportError
from twilio_sdk.http.async_http_client import DEFAULT_TIMEOUT, AsyncTwilioHttpClient

ACCOUNT = "AC" + "a" * 32


@asynccontextmanager
async def server(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[tuple[str, list[Any]]]:
    """An aiohttp server on a free loopback port; yields its origin and the peers it served."""
    peers: list[Any] = []

    async def counted(request: web.Request) -> web.StreamResponse:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        return await handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", counted)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", peers
    finally:
        await runner.cleanup()


async def echo(request: web.Request) -> web.Response:
    body = await request.text()
    payload = {
        "sid": "SM" + "0" * 32,
        "method": request.method,
        "path": request.path,
        "query": sorted(request.query.items()),
        "body": body,
        "headers": dict(request.headers),
    }
    return web.json_response(payload, status=201 if request.method == "POST" else 200)


def test_the_constructor_takes_the_official_arguments() -> None:
    from twilio.http.async_http_client import AsyncTwilioHttpClient as Official

    theirs = inspect.signature(Official.__init__).parameters
    ours = inspect.signature(AsyncTwilioHttpClient.__init__).parameters
    assert list(theirs) == list(ours)[: len(theirs)]
    for name, param in theirs.items():
        if name not in ("self", "logger", "timeout"):
            assert ours[name].default == param.default, name
    assert theirs["timeout"].default is None and ours["timeout"].default == DEFAULT_TIMEOUT == 30.0
    client = AsyncTwilioHttpClient()
    assert client.is_async and client.timeout == 30.0


def test_what_goes_on_the_wire() -> None:
    async def go() -> dict[str, Any]:
        async with server(echo) as (origin, _), AsyncTwilioHttpClient() as http:
            client = Client(ACCOUNT, "tok", http_client=http, api_base=origin, environment={})
            sent = await client.messages.create_async(
                to="+15558675310", from_="+15017122661", body="héllo & wörld", media_url=["a b", "c"]
            )
            listed = await client.messages.page_async(page_size=2, date_sent_after=None, to="+1 2")
            return {"create": sent.to_dict(), "page_query": listed.payload["query"]}

    seen = asyncio.run(go())
    made = seen["create"]
    assert made["method"] == "POST" and made["path"] == f"/api/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert (
        made["body"]
        == "To=%2B15558675310&From=%2B15017122661&Body=h%C3%A9llo+%26+w%C3%B6rld&MediaUrl=a+b&MediaUrl=c"
    )
    headers = made["headers"]
    assert headers["Authorization"] == "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp0b2s="
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert headers["User-Agent"].startswith("twilio-sdk-python/") and headers["Accept"] == "application/json"
    assert seen["page_query"] == [["PageSize", "2"], ["To", "+1 2"]]


def test_connections_are_pooled_and_reused() -> None:
    async def go() -> tuple[int, int]:
        async with server(echo) as (origin, peers), AsyncTwilioHttpClient() as http:
            client = Client(ACCOUNT, "tok", http_client=http, api_base=origin, environment={})
            for _ in range(20):
                await client.messages("SM" + "1" * 32).fetch_async()
            sequential = len(set(peers))
            peers.clear()
            await asyncio.gather(*(client.messages("SM" + "1" * 32).fetch_async() for _ in range(30)))
            return sequential, len(set(peers))

    sequential, concurrent = asyncio.run(go())
    assert sequential == 1
    assert 1 <= concurrent <= 30


def test_the_timeout_is_honoured_and_reported_as_a_transport_error() -> None:
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({})

    async def go(**options: Any) -> tuple[TransportError, float]:
        async with server(slow) as (origin, _), AsyncTwilioHttpClient(**options) as http:
            client = Client(ACCOUNT, "tok", http_client=http, api_base=origin, environment={})
            started = time.perf_counter()
            with pytest.raises(TransportError) as info:
                await client.messages("SM" + "1" * 32).fetch_async()
            return info.value, time.perf_counter() - started

    error, took = asyncio.run(go(timeout=0.2))
    assert error.timeout and error.method == "GET" and took < 0.9

    # The client's timeout= reaches the transport too (the official package drops it: #925).
    async def via_client() -> float:
        async with server(slow) as (origin, _), AsyncTwilioHttpClient(timeout=30) as http:
            client = Client(ACCOUNT, "tok", http_client=http, api_base=origin, environment={}, timeout=0.2)
            started = time.perf_counter()
            with pytest.raises(TransportError):
                await client.messages("SM" + "1" * 32).fetch_async()
            return time.perf_counter() - started

    assert asyncio.run(via_client()) < 0.9


def test_a_refused_connection_was_never_sent() -> None:
    async def go() -> TransportError:
        async with server(echo) as (origin, _):
            pass  # the port is closed again
        async with AsyncTwilioHttpClient() as http:
            client = Client(ACCOUNT, "tok", http_client=http, api_base=origin, environment={})
            with pytest.raises(TransportError) as info:
                await client.messages.create_async(to="+1", from_="+2", body="x")
            return info.value

    error = asyncio.run(go())
    assert error.sent is False and error.method == "POST"


def _unclosed_sessions(run: Callable[[], Awaitable[Any]]) -> list[str]:
    """What the loop's exception handler heard about unclosed aiohttp sessions during ``run``."""
    heard: list[str] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(
            lambda loop, ctx: heard.append(str(ctx.get("message")))
        )
        await run()
        gc.collect()
        await asyncio.sleep(0)

    asyncio.run(main())
    return [h for h in heard if "Unclosed" in h]


def test_close_and_async_with_leave_no_unclosed_session() -> None:
    async def with_block() -> None:
        async with server(echo) as (origin, _):
            async with AsyncTwilioHttpClient() as http:
                await Client(
                    ACCOUNT, "t", http_client=http, api_base=origin, environment={}
                ).messages.list_async()
            assert http.session is None

    async def client_block() -> None:
        async with (
            server(echo) as (origin, _),
            Client(ACCOUNT, "t", http_client=AsyncTwilioHttpClient(), api_base=origin, environment={}) as c,
        ):
            await c.messages.list_async()

    sessions: list[Any] = []

    async def leaked() -> None:  # the control: no close, so aiohttp complains
        async with server(echo) as (origin, _):
            http = AsyncTwilioHttpClient()
            await Client(
                ACCOUNT, "t", http_client=http, api_base=origin, environment={}
            ).messages.list_async()
            sessions.append(http.session)
            del http
            gc.collect()
            sessions[0].__del__()  # what the collector does to the forgotten session
            await sessions[0].close()

    assert _unclosed_sessions(with_block) == []
    assert _unclosed_sessions(client_block) == []
    assert _unclosed_sessions(leaked) == ["Unclosed client session"]


def test_without_pooling_each_session_is_closed_even_when_the_request_fails() -> None:
    async def failing() -> None:
        async with server(echo) as (origin, _):
            pass
        http = AsyncTwilioHttpClient(pool_connections=False)
        client = Client(ACCOUNT, "t", http_client=http, api_base=origin, environment={})
        for _ in range(3):
            with pytest.raises(TransportError):
                await client.messages.list_async()

    async def working() -> None:
        async with server(echo) as (origin, peers):
            http = AsyncTwilioHttpClient(pool_connections=False)
            client = Client(ACCOUNT, "t", http_client=http, api_base=origin, environment={})
            for _ in range(3):
                await client.messages("SM" + "1" * 32).fetch_async()
            assert len(set(peers)) == 3  # a connection each

    assert _unclosed_sessions(failing) == []
    assert _unclosed_sessions(working) == []


def test_one_client_serves_successive_event_loops() -> None:
    http = AsyncTwilioHttpClient()

    async def once() -> str:
        async with server(echo) as (origin, _):
            client = Client(ACCOUNT, "t", http_client=http, api_base=origin, environment={})
            sid: str = (await client.messages("SM" + "1" * 32).fetch_async()).sid
            return sid

    assert asyncio.run(once()) == asyncio.run(once()) == "SM" + "0" * 32
    asyncio.run(http.close())


def test_a_custom_async_http_client_with_the_official_interface_works() -> None:
    from twilio_sdk.http import AsyncHttpClient
    from twilio_sdk.http.response import Response

    class Mine(AsyncHttpClient):
        async def request(
            self,
            method: str,
            url: str,
            params: Any = None,
            data: Any = None,
            headers: Any = None,
            auth: Any = None,
            timeout: Any = None,
            allow_redirects: bool = False,
        ) -> Response:  # type: ignore[override]
            return Response(201, json.dumps({"sid": "SM" + "9" * 32, "url": url, "data": data}), {})

    client = Client(ACCOUNT, "t", http_client=Mine(), environment={})
    made = asyncio.run(client.messages.create_async(to="+1", from_="+2", body="x"))
    assert made.sid == "SM" + "9" * 32 and made.data == {"To": "+1", "From": "+2", "Body": "x"}
    assert made.url == f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


def test_oauth_on_an_async_client_fetches_its_token_synchronously_like_the_official_package() -> None:
    """The token request goes through the default (sync) transport; the API calls through the
    async one, with the bearer token. Both reach the fake through ``mock()``."""
    from twilio_mock import mock
    from twilio_sdk.credential import ClientCredentialProvider

    with mock(seed=3) as twilio:
        admin = twilio.client()
        app = admin.iam.v1.o_auth_apps.create({"type": "client_credentials", "friendly_name": "ci"})

        async def go() -> str:
            provider = ClientCredentialProvider(app.sid, app.secret, clock=twilio.backend.clock.now)
            async with Client(
                credential_provider=provider,
                account_sid=twilio.account_sid,
                http_client=AsyncTwilioHttpClient(),
                environment={},
            ) as client:
                sent = await client.messages.create_async(
                    to="+15558675310", from_="+15017122661", body="via oauth"
                )
                await client.messages(sent.sid).fetch_async()
                return str(sent.sid)

        sid = asyncio.run(go())
        paths = [(e.method, e.path, e.status) for e in twilio.backend.journal][-3:]
    assert paths == [
        ("POST", "/v2/token", 200),
        ("POST", f"/2010-04-01/Accounts/{twilio.account_sid}/Messages.json", 201),
        ("GET", f"/2010-04-01/Accounts/{twilio.account_sid}/Messages/{sid}.json", 200),
    ]
