"""Async ``messages.create_async`` at 50 concurrent requests: ours vs the official package.

Usage: ``python benchmarks/async_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/async_results.json``. Exit status 1 if the budget (DESIGN.md §5: ours ≥ 1.5× the
official async creates/s) was missed.

The loopback server is a minimal fixed-reply HTTP/1.1 server (keep-alive, one canned 201
Message), in its own process: it costs a few microseconds a request, so the figures measure the
clients. The mock server (``benchmarks/server_load.py``) answers a few thousand creates/s and
would be the bottleneck for both clients, turning the ratio into a measure of the server.

Measured in the same run, repeats alternating which client goes first, median creates/s:

- ``official``: ``twilio.rest.Client`` with ``twilio.http.async_http_client.AsyncTwilioHttpClient``
  (aiohttp), its URLs pointed at the server by a subclass that swaps the origin (a string replace);
- ``ours (aiohttp)``: ``twilio_sdk.Client(api_base=server)`` with
  ``twilio_sdk.http.async_http_client.AsyncTwilioHttpClient``;
- ``ours (httpx)``: the same client over the httpx candidate below (``HttpxTransport``), the
  measurement that chose between the two libraries.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.payloads import ACCOUNT_SID, AUTH_TOKEN, BODY, FROM, TO, message_json  # noqa: E402
from benchmarks.report import check, finish  # noqa: E402

CONCURRENCY = 50
SETTINGS = {"full": {"creates": 4000, "repeats": 7}, "quick": {"creates": 1000, "repeats": 3}}
BUDGET = 1.5


# The server ------------------------------------------------------------------------------
def serve() -> None:
    """Answer every request on a free loopback port with one canned 201 Message; print the port."""
    body = message_json().encode()
    reply = (
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )

    class Reply(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while True:
                end = self.buffer.find(b"\r\n\r\n")
                if end < 0:
                    return
                head = self.buffer[:end].lower()
                length = 0
                at = head.find(b"content-length:")
                if at >= 0:
                    length = int(head[at + 15 :].split(b"\r\n", 1)[0])
                if len(self.buffer) < end + 4 + length:
                    return
                self.buffer = self.buffer[end + 4 + length :]
                self.transport.write(reply)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(Reply, "127.0.0.1", 0, backlog=512)
        print(server.sockets[0].getsockname()[1], flush=True)
        # Stop by itself: no benchmark run needs the server for longer than this.
        await asyncio.sleep(600)
        server.close()

    asyncio.run(main())


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


# The httpx candidate ---------------------------------------------------------------------
def httpx_transport() -> Any:
    """An ``AsyncHttpClient`` over one pooled ``httpx.AsyncClient``: the same job as ours."""
    import base64
    from urllib.parse import urlencode

    import httpx

    from twilio_sdk.http import AsyncHttpClient
    from twilio_sdk.http.response import Response

    class HttpxTransport(AsyncHttpClient):
        def __init__(self) -> None:
            super().__init__(None, True, 30.0)
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            self.client = httpx.AsyncClient(limits=limits, timeout=30.0)
            self._auth: dict[tuple[str, str], str] = {}

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
            headers = dict(headers or {})
            if auth is not None:
                value = self._auth.get(auth)
                if value is None:
                    raw = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
                    value = self._auth[auth] = f"Basic {raw}"
                headers["Authorization"] = value
            if params:
                url = f"{url}?{urlencode(params, doseq=True)}"
            content = urlencode(data, doseq=True).encode() if isinstance(data, dict) else data
            resp = await self.client.request(
                method, url, content=content, headers=headers, follow_redirects=allow_redirects
            )
            return Response(resp.status_code, resp.text, resp.headers)

        async def close(self) -> None:
            await self.client.aclose()

    return HttpxTransport()


# The clients -------------------------------------------------------------------------------
Make = Callable[[str], Awaitable[tuple[Any, Callable[[], Awaitable[Any]]]]]


async def make_official(origin: str) -> tuple[Any, Callable[[], Awaitable[Any]]]:
    from twilio.http.async_http_client import AsyncTwilioHttpClient
    from twilio.rest import Client

    class ToLoopback(AsyncTwilioHttpClient):  # type: ignore[misc]
        async def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            return await super().request(
                method, url.replace("https://api.twilio.com", origin, 1), *args, **kwargs
            )

    http = ToLoopback()
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http)
    return client, http.close


async def make_ours(origin: str) -> tuple[Any, Callable[[], Awaitable[Any]]]:
    from twilio_sdk import Client
    from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

    http = AsyncTwilioHttpClient()
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http, api_base=origin, environment={})
    return client, http.close


async def make_ours_httpx(origin: str) -> tuple[Any, Callable[[], Awaitable[Any]]]:
    from twilio_sdk import Client

    http = httpx_transport()
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http, api_base=origin, environment={})
    return client, http.close


async def creates_per_second(make: Make, origin: str, creates: int) -> tuple[float, float]:
    """``creates`` ``messages.create_async`` calls, ``CONCURRENCY`` at a time: creates per
    wall second, and per second of this process's CPU time (the client's own cost, which other
    load on the machine disturbs less)."""
    client, close = await make(origin)
    try:
        messages = client.messages
        sids: list[str] = []

        async def worker(count: int) -> None:
            for _ in range(count):
                sent = await messages.create_async(to=TO, from_=FROM, body=BODY)
                sids.append(sent.sid)

        await asyncio.gather(*(worker(5) for _ in range(CONCURRENCY)))  # warm-up: open the pool
        sids.clear()
        share, extra = divmod(creates, CONCURRENCY)
        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(share + (i < extra)) for i in range(CONCURRENCY)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        check(len(sids) == creates, f"{len(sids)} creates answered, {creates} sent")
        check(set(sids) == {"SM" + "0" * 32}, f"unexpected SIDs {sorted(set(sids))[:3]}")
        return creates / elapsed, creates / cpu
    finally:
        await close()


def measure(origin: str, creates: int, repeats: int) -> dict[str, list[tuple[float, float]]]:
    makers: dict[str, Make] = {
        "official": make_official,
        "ours (aiohttp)": make_ours,
        "ours (httpx)": make_ours_httpx,
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in makers}
    names = list(makers)
    for repeat in range(repeats):
        order = names[repeat % len(names) :] + names[: repeat % len(names)]
        for name in order:
            # The httpx candidate is ~20x slower at this concurrency: a tenth of the creates.
            count = creates // 10 if "httpx" in name else creates
            samples[name].append(asyncio.run(creates_per_second(makers[name], origin, count)))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer creates and repeats (a few seconds)")
    parser.add_argument("--json", type=Path, default=HERE / "async_results.json")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve()
        return 0
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    proc, origin = start_server()
    try:
        samples = measure(origin, s["creates"], s["repeats"])
    finally:
        proc.kill()
        proc.wait()
    wall = {k: [w for w, _ in v] for k, v in samples.items()}
    cpu = {k: [c for _, c in v] for k, v in samples.items()}
    official = statistics.median(wall["official"])
    rows: list[dict[str, Any]] = []
    for name, lib in (("ours (aiohttp)", "aiohttp"), ("ours (httpx)", "httpx")):
        ours = statistics.median(wall[name])
        ratio = ours / official
        rows.append(
            {
                "what": f"create_async, {CONCURRENCY} concurrent: {name} / official",
                "value": f"{ratio:.2f}x",
                "unit": "creates/s",
                "budget": f">= {BUDGET}x official",
                "ok": ratio >= BUDGET,
                f"ours_{lib}_per_s": round(ours),
                "official_per_s": round(official),
                f"ours_{lib}_cpu_per_s": round(statistics.median(cpu[name])),
                "official_cpu_per_s": round(statistics.median(cpu["official"])),
            }
        )
    print(
        "samples (creates per wall second):",
        json.dumps({k: [round(v) for v in vs] for k, vs in wall.items()}),
    )
    finish(rows, quick=args.quick, started=started, path=args.json, detail_keys=("_per_s",))
    # The budget is the shipped client's (aiohttp); the httpx row is the candidate it was chosen over.
    return 0 if rows[0]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
