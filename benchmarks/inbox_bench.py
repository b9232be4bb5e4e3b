"""Benchmark of the inbox page (issue 15's benchmark).

Usage: ``python benchmarks/inbox_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/inbox_results.json``. Exit status 1 if a budget was missed.

Everything goes through one WSGI app (``MockServerApp``, werkzeug's test client, no sockets), so
a page and an API request pay the same way in. With 10,000 stored messages (500 threads):
(a) the threads page, once its index is built, against 50 API requests (``GET`` of one message,
    the cheapest request there is; ``POST`` creates reported beside it) timed in the same run,
    as a ratio: budget < 1; (b) the first render (the index built: the one O(N) pass) against
    the same; (c) a render after one more message arrives (what a live update costs); (d) page
    20 of the threads against page 0; (e) the same page with 10,000 threads of one message each;
(f) the live-update stream's look at the backend (its fingerprint), per poll.
"""

from __future__ import annotations

import argparse
import base64
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from werkzeug.test import Client as WsgiClient  # noqa: E402

from benchmarks.report import finish  # noqa: E402
from twilio_mock.backend import Backend  # noqa: E402
from twilio_mock.ways_in.server import MockServerApp  # noqa: E402

FROM = "+15017122661"
SETTINGS = {"full": {"stored": 10_000, "repeats": 15}, "quick": {"stored": 10_000, "repeats": 5}}
REQUESTS = 50


def stored(messages: int, threads: int) -> tuple[Backend, WsgiClient]:
    """A backend holding ``messages`` messages over ``threads`` number pairs (restored, as a
    seed file would be), and a test client over the server app."""
    backend = Backend(seed=1)
    snapshot = backend.snapshot()
    sid = backend.account_sid
    records = [
        {
            "sid": f"SM{i:032x}",
            "to": f"+1555{i % threads:07d}",
            "from": FROM,
            "body": f"message number {i} to you",
            "status": "delivered",
            "direction": "outbound-api",
            "date_created": 1_735_689_600 + i,
            "num_segments": "1",
            "price": "-0.00790",
        }
        for i in range(messages)
    ]
    path = f"/2010-04-01/Accounts/{sid}/Messages"
    snapshot["collections"].append(
        {"account": sid, "domain": "api", "version": "v2010", "path": path, "records": records}
    )
    backend.restore(snapshot)
    return backend, WsgiClient(MockServerApp(backend))


def _auth(backend: Backend) -> dict[str, str]:
    token = base64.b64encode(f"{backend.account_sid}:{backend.auth_token}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def timed(run: Callable[[], None], repeats: int) -> float:
    """Median seconds of ``run()`` over ``repeats`` runs, after one warm-up."""
    run()
    samples = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def page(http: WsgiClient, path: str = "/__inbox__/threads") -> None:
    answer = http.get(path)
    assert answer.status_code == 200, answer.data[:300]
    assert b"Threads <small>" in answer.data


def api_requests(backend: Backend, http: WsgiClient, repeats: int) -> tuple[float, float]:
    """Seconds for 50 API fetches of one message, and for 50 creates."""
    sid = backend.account_sid
    headers = _auth(backend)
    one = f"/api/2010-04-01/Accounts/{sid}/Messages/SM{7:032x}.json"
    many = f"/api/2010-04-01/Accounts/{sid}/Messages.json"

    def fetches() -> None:
        for _ in range(REQUESTS):
            assert http.get(one, headers=headers).status_code == 200

    def creates() -> None:
        for _ in range(REQUESTS):
            form = {"To": "+15558675310", "From": FROM, "Body": "hello"}
            assert http.post(many, data=form, headers=headers).status_code == 201

    return timed(fetches, repeats), timed(creates, max(3, repeats // 3))


def run(repeats: int, messages: int) -> list[dict[str, Any]]:
    page(stored(10, 5)[1])  # the templates are compiled once per process: not part of a render
    backend, http = stored(messages, 500)
    cold_started = time.perf_counter()
    page(http)  # builds the index: the one pass over every message
    cold = time.perf_counter() - cold_started
    warm = timed(lambda: page(http), repeats)
    fetch_cost, create_cost = api_requests(*stored(messages, 500), repeats)
    deep = timed(lambda: page(http, "/__inbox__/threads?page=20"), repeats)

    twin, twin_http = stored(messages, 500)
    page(twin_http)
    sid = twin.account_sid
    url = f"/api/2010-04-01/Accounts/{sid}/Messages.json"

    def one_more() -> None:  # a message arrives, then the live page fetches its view again
        twin_http.post(url, data={"To": "+15550000001", "From": FROM, "Body": "new"}, headers=_auth(twin))
        page(twin_http)

    update = timed(one_more, repeats) - create_cost / REQUESTS  # the render, not the create

    wide, wide_http = stored(messages, messages)
    page(wide_http)
    wide_warm = timed(lambda: page(wide_http), repeats)

    inbox = MockServerApp(backend).inbox
    polls = 10_000
    started = time.perf_counter()
    for _ in range(polls):
        inbox.fingerprint()
    poll = (time.perf_counter() - started) / polls

    def row(what: str, seconds: float, against: float, budget: str, limit: float | None) -> dict[str, Any]:
        ratio = seconds / against
        return {
            "what": what,
            "value": round(ratio, 3),
            "unit": "x",
            "budget": budget,
            "ok": None if limit is None else ratio < limit,
            "page_ms": round(seconds * 1000, 2),
            "against_ms": round(against * 1000, 2),
        }

    rows = [
        row("threads page (10k msgs) / 50 GETs", warm, fetch_cost, "< 1", 1.0),
        row("threads page (10k msgs) / 50 creates", warm, create_cost, "reported", None),
        row("first render (index built) / 50 GETs", cold, fetch_cost, "reported", None),
        row("render after a new message / 50 GETs", update, fetch_cost, "< 1", 1.0),
        row("threads page 20 / page 0", deep, warm, "< 2", 2.0),
        row("10k threads of 1 msg / 50 GETs", wide_warm, fetch_cost, "< 1", 1.0),
    ]
    rows.append(
        {
            "what": "live-update look at the backend",
            "value": round(poll * 1e6, 2),
            "unit": "µs/poll",
            "budget": "reported",
            "ok": None,
        }
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--json", type=Path, default=HERE / "inbox_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = run(s["repeats"], s["stored"])
    for row in rows:
        if "page_ms" in row:
            print(f"  {row['what']}: {row['page_ms']} ms against {row['against_ms']} ms")
    return finish(rows, quick=args.quick, started=started, path=args.json)


if __name__ == "__main__":
    sys.exit(main())
