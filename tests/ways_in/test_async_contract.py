"""The contract scenarios of test_contract.py, asynchronously: our SDK's and the official
package's ``*_async`` methods through every async way into the mock.

Ways in: ``twilio_mock.mock()`` catching aiohttp (our ``AsyncTwilioHttpClient`` and the
official one), the in-process ``AsyncMockTransport`` (both SDKs take it as their async
``http_client``), and the loopback server (ours with ``api_base``, the official client through a
URL-rewriting subclass of its ``AsyncTwilioHttpClient``). The pytest fixture's async coverage is
in tests/plugin/test_async_fixture.py.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.ways_in.cases import CASE_IDS, CASES, FROM, TO, Case
from tests.ways_in.conftest import status_and_code
from twilio_mock.backend import Backend
from twilio_mock.ways_in.interceptor import TwilioMock
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.transport import AsyncMockTransport

SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
# The official async client builds aiohttp.BasicAuth, which aiohttp 3.14 deprecates: its warning, not ours.
pytestmark = [
    pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The 'auth' parameter is deprecated:DeprecationWarning"),
]
WAYS = [
    "interceptor-sdk",
    "transport-sdk",
    "server-sdk",
    "interceptor-official",
    "transport-official",
    "server-official",
]


def rewriting_async_http_client(base: str) -> Any:
    """The official async client pointed at a local server: connect there, keep the Twilio
    host in ``Host`` (as tests/ways_in/conftest.py's sync recipe does)."""
    from urllib.parse import urlsplit

    from twilio.http.async_http_client import AsyncTwilioHttpClient

    class LocalAsyncTwilioHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
        async def request(self, method: str, url: str, *args: Any, headers: Any = None, **kwargs: Any) -> Any:
            parts = urlsplit(url)
            if parts.hostname and parts.hostname.endswith(".twilio.com"):
                headers = {**(headers or {}), "Host": parts.hostname}
                url = base + url[len(f"{parts.scheme}://{parts.netloc}") :]
            return await super().request(method, url, *args, headers=headers, **kwargs)

    return LocalAsyncTwilioHttpClient()


@dataclass
class AsyncWay:
    """One async way in; clients are made inside the running loop and closed with it."""

    name: str
    backend: Backend
    base: str
    errors: tuple[type[Exception], ...]
    transports: list[Any] = field(default_factory=list)

    @property
    def official(self) -> bool:
        return self.name.endswith("official")

    def make_client(self, username: str, password: str, account_sid: str | None = None, **hosts: Any) -> Any:
        if self.name.startswith("transport"):
            http: Any = AsyncMockTransport(self.backend)
        elif self.official:
            from twilio.http.async_http_client import AsyncTwilioHttpClient as OfficialAsync

            http = (
                rewriting_async_http_client(self.base) if self.name.startswith("server") else OfficialAsync()
            )
        else:
            from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

            http = AsyncTwilioHttpClient()
        self.transports.append(http)
        if self.official:
            from twilio.rest import Client as Official

            return Official(username, password, account_sid, http_client=http, environment={}, **hosts)
        from twilio_sdk import Client

        api_base = self.base if self.name == "server-sdk" else None
        return Client(
            username, password, account_sid, http_client=http, api_base=api_base, environment={}, **hosts
        )

    @property
    def client(self) -> Any:
        return self.make_client(self.backend.account_sid, self.backend.auth_token)

    def run(self, scenario: Callable[[AsyncWay], Awaitable[None]]) -> None:
        async def main() -> None:
            try:
                await scenario(self)
            finally:
                for http in self.transports:
                    await http.close()
                self.transports.clear()

        asyncio.run(main())


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, backend: Backend, server_app: MockServerApp) -> Any:
    name: str = request.param
    if name.startswith("server"):
        server_app.backend = backend
    if name.endswith("official"):
        from twilio.base.exceptions import TwilioException

        errors: tuple[type[Exception], ...] = (TwilioException,)
    else:
        from twilio_sdk import RestException

        errors = (RestException,)
    way = AsyncWay(name, backend, server_app.url, errors)  # type: ignore[attr-defined]
    if name.startswith("interceptor"):
        with TwilioMock(backend):
            yield way
    else:
        yield way


async def new(case: Case, client: Any, n: int = 0) -> Any:
    return await case.collection(client).create_async(**case.create(n))


async def error_of(way: AsyncWay, call: Awaitable[Any]) -> tuple[int, int | None]:
    with pytest.raises(way.errors) as excinfo:
        await call
    return status_and_code(excinfo.value)


async def sids_of(stream: Any) -> list[str]:
    """Record SIDs from either SDK's ``stream_async``: the official one is awaited first."""
    return [r.sid async for r in await stream]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_create_fetch_update_delete(way: AsyncWay, case: Case) -> None:
    async def scenario(way: AsyncWay) -> None:
        client = way.client
        created = await new(case, client)
        assert SID.match(created.sid), created.sid
        fetched = await case.collection(client)(created.sid).fetch_async()
        assert fetched.sid == created.sid and fetched.date_created == created.date_created
        updated = await case.collection(client)(created.sid).update_async(**case.update)
        refetched = await case.collection(client)(created.sid).fetch_async()
        for name, value in case.update.items():
            assert getattr(updated, name) == value
            assert getattr(refetched, name) == value
        if case.deletable:
            assert await case.collection(client)(created.sid).delete_async() is True
            assert await error_of(way, case.collection(client)(created.sid).fetch_async()) == (404, 20404)

    way.run(scenario)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_list_page_and_stream(way: AsyncWay, case: Case) -> None:
    async def scenario(way: AsyncWay) -> None:
        client = way.client
        collection = case.collection(client)
        before = [r.sid for r in await collection.list_async()]
        sids = [(await new(case, client, n)).sid for n in range(5)] + before
        assert sorted(r.sid for r in await collection.list_async()) == sorted(sids)
        assert len(await collection.list_async(limit=3)) == 3
        assert sorted(await sids_of(collection.stream_async(page_size=2))) == sorted(sids)
        page = await collection.page_async(page_size=2)
        seen: list[str] = []
        while page is not None:
            records = list(page)
            assert 1 <= len(records) <= 2
            seen.extend(r.sid for r in records)
            page = await page.next_page_async()
        assert sorted(seen) == sorted(sids) and len(set(seen)) == len(sids)

    way.run(scenario)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_unknown_sid_is_20404_and_a_wrong_token_20003(way: AsyncWay, case: Case) -> None:
    async def scenario(way: AsyncWay) -> None:
        prefix = (await new(case, way.client)).sid[:2]
        assert await error_of(way, case.collection(way.client)(prefix + "0" * 32).fetch_async()) == (
            404,
            20404,
        )
        intruder = way.make_client(way.backend.account_sid, "0" * 32)
        assert await error_of(way, case.collection(intruder).list_async()) == (401, 20003)

    way.run(scenario)


@pytest.mark.parametrize("case", [c for c in CASES if c.invalid], ids=[c.id for c in CASES if c.invalid])
def test_invalid_parameters_are_400(way: AsyncWay, case: Case) -> None:
    async def scenario(way: AsyncWay) -> None:
        client = way.client
        before = [r.sid for r in await case.collection(client).list_async()]
        status, code = await error_of(way, case.collection(client).create_async(**case.invalid))
        assert status == 400 and code not in (None, 400, 20404)
        assert [r.sid for r in await case.collection(client).list_async()] == before

    way.run(scenario)


def test_v2010_paging_and_regional_hosts(way: AsyncWay) -> None:
    async def scenario(way: AsyncWay) -> None:
        client = way.client
        regional = way.make_client(
            way.backend.account_sid, way.backend.auth_token, region="au1", edge="sydney"
        )
        for n in range(3):
            await (regional if n % 2 else client).messages.create_async(to=TO, from_=FROM, body=f"m{n}")
        assert [m.body for m in await client.messages.list_async()] == ["m2", "m1", "m0"]
        first = await regional.messages.page_async(page_size=2)
        assert [m.body for m in first] == ["m2", "m1"]
        second = await first.next_page_async()
        assert second is not None and [m.body for m in second] == ["m0"]
        assert await second.next_page_async() is None
        back = await second.previous_page_async()
        assert back is not None and [m.body for m in back] == ["m2", "m1"]

    way.run(scenario)


def test_the_journal_sees_every_async_request(way: AsyncWay) -> None:
    """Nothing escaped: each request the clients made is in the backend's journal."""

    async def scenario(way: AsyncWay) -> None:
        client = way.client
        made = await client.messages.create_async(to=TO, from_=FROM, body="journaled")
        await client.messages(made.sid).fetch_async()
        await client.messages.list_async()

    before = len(way.backend.journal)
    way.run(scenario)
    entries = list(way.backend.journal)[before:]
    assert [(e.method, e.status) for e in entries] == [("POST", 201), ("GET", 200), ("GET", 200)]
