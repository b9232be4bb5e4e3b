"""The async benchmark harness still measures what it says, at sizes too small to time: each
client's creates reach the fixed-reply server and come back as the canned Message, and a
client that answered wrongly fails the sanity check instead of printing a number."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from benchmarks import async_bench as bench
from benchmarks.report import SanityError


@pytest.fixture(scope="module")
def origin() -> Any:
    proc, url = bench.start_server()
    try:
        yield url
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the official client's aiohttp.BasicAuth
@pytest.mark.parametrize("make", [bench.make_official, bench.make_ours, bench.make_ours_httpx])
def test_each_client_completes_its_creates(origin: str, make: Any) -> None:
    wall, cpu = asyncio.run(bench.creates_per_second(make, origin, 60))
    assert wall > 0 and cpu > 0


def test_a_wrong_answer_fails_the_sanity_check(origin: str) -> None:
    from twilio_sdk import Client
    from twilio_sdk.http import AsyncHttpClient
    from twilio_sdk.http.response import Response

    class Elsewhere(AsyncHttpClient):  # answers every create itself, never asking the server
        async def request(self, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
            return Response(201, '{"sid": "SM' + "9" * 32 + '"}', {})

        async def close(self) -> None:
            pass

    async def make(url: str) -> Any:
        http = Elsewhere()
        return Client(bench.ACCOUNT_SID, bench.AUTH_TOKEN, http_client=http, environment={}), http.close

    with pytest.raises(SanityError, match="unexpected SIDs"):
        asyncio.run(bench.creates_per_second(make, origin, 10))
