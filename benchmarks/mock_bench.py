"""Benchmarks of ``twilio_mock`` against the budgets in DESIGN.md §5.

Usage: ``python benchmarks/mock_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/mock_results.json``. Exit status 1 if a budget was missed.

(a) interceptor vs a bare ``responses`` canned reply, Message create via plain ``requests``;
(b) server creates/s over loopback with keep-alive (server in its own process), against Prism
    on Twilio's spec measured in the same run (skipped, and said so, without node); (c) page 0 vs a deep page
    with 1,000,000 stored messages; (d) memory per stored message (tracemalloc);
(e) ``snapshot()`` + ``restore()`` for 100,000 records; (f) at 1,000,000 messages, a list right
    after a delete, a filter matching nothing, and filtered page k without a token (by ``To``
    and by a ``DateSent>`` range), each against an unfiltered page 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import responses  # noqa: E402

from benchmarks.mock_loopback import bench_server  # noqa: E402
from benchmarks.report import finish  # noqa: E402
from twilio_mock.backend import Backend  # noqa: E402
from twilio_mock.core.wire import MockRequest  # noqa: E402
from twilio_mock.ways_in.interceptor import mock  # noqa: E402

TO, FROM = "+15558675310", "+15017122661"
TOS = [TO, "+15558675311", "+15558675312", "+15558675313"]  # stored messages go to four numbers
SETTINGS = {
    "full": {
        "calls": 2000,
        "repeats": 7,
        "creates": 2000,
        "stored": 1_000_000,
        "pages": 200,
        "memory": 20_000,
    },
    "quick": {"calls": 400, "repeats": 3, "creates": 1000, "stored": 1_000_000, "pages": 50, "memory": 5_000},
}


def _auth_header(sid: str, token: str) -> dict[str, str]:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()}


def _best_per_call(run: Callable[[int], None], calls: int, repeats: int) -> float:
    """Seconds per call: the median of ``repeats`` timed runs of ``calls`` calls each."""
    run(min(50, calls))  # warm-up
    samples = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        run(calls)
        samples.append((time.perf_counter() - started) / calls)
    return statistics.median(samples)


# (a) --------------------------------------------------------------------------------------
def interceptor_runs(
    backend: Backend, form: dict[str, str], calls: int, repeats: int
) -> tuple[list[float], list[float]]:
    """Seconds per Message create through ``mock(backend=...)`` and through a bare ``responses``
    canned reply (the mock's own answer), ``repeats`` runs each. Runs alternate between the two
    set-ups, so drift on a busy machine hits both alike; the first round is a warm-up."""
    sid, token = backend.account_sid, backend.auth_token
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
    session = requests.Session()

    def send(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            answer = session.post(url, data=form, auth=(sid, token))
            if answer.status_code != 201:
                raise RuntimeError(answer.text)
        return (time.perf_counter() - started) / n

    with mock(backend=backend):
        canned = session.post(url, data=form, auth=(sid, token)).content
    ours_runs, bare_runs = [], []
    for attempt in range(repeats + 1):
        gc.collect()
        with mock(backend=backend):
            ours = send(calls)
        with responses.RequestsMock(assert_all_requests_are_fired=False) as bare:
            bare.add(responses.POST, url, body=canned, status=201, content_type="application/json")
            base = send(calls)
        if attempt:
            ours_runs.append(ours)
            bare_runs.append(base)
    return ours_runs, bare_runs


def bench_interceptor(calls: int, repeats: int) -> dict[str, Any]:
    ours_runs, bare_runs = interceptor_runs(
        Backend(seed=1), {"To": TO, "From": FROM, "Body": "benchmark"}, calls, repeats
    )
    ratio = statistics.median(o / b for o, b in zip(ours_runs, bare_runs, strict=True))
    return {
        "key": "interceptor_vs_responses",
        "what": "Message create via requests: mock() vs bare responses canned reply",
        "ours_us": round(statistics.median(ours_runs) * 1e6, 1),
        "bare_us": round(statistics.median(bare_runs) * 1e6, 1),
        "value": round(ratio, 3),
        "unit": "x cost",
        "budget": "<= 1.5",
        "ok": ratio <= 1.5,
    }


# (c), (d), (e) ----------------------------------------------------------------------------
def message_snapshot(backend: Backend, count: int) -> dict[str, Any]:
    """``backend``'s snapshot plus ``count`` generated messages (records as the core stores them)."""
    snap = backend.snapshot()
    sid = backend.account_sid
    start = int(backend.clock.now()) - count

    def records() -> Iterator[dict[str, Any]]:
        body = "generated"
        for i in range(count):
            when = start + i
            yield {
                "to": TOS[i % len(TOS)],
                "from": FROM,
                "body": body,
                "sid": f"SM{i:032x}",
                "date_created": when,
                "date_updated": when,
                "date_sent": when,
            }

    snap["collections"] = [c for c in snap["collections"] if not c["path"].endswith("/Messages")] + [
        {
            "account": sid,
            "domain": "api",
            "version": "v2010",
            "path": f"/2010-04-01/Accounts/{sid}/Messages",
            "id_field": "sid",
            "parent": {"account_sid": sid},
            "records": records(),  # a generator: the store copies each record once
        }
    ]
    return snap


def bench_deep_paging(stored: int, pages: int) -> dict[str, Any]:
    backend = Backend(seed=1)
    started = time.perf_counter()
    backend.restore(message_snapshot(backend, stored))
    load_s = time.perf_counter() - started
    headers = _auth_header(backend.account_sid, backend.auth_token)
    base = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json?PageSize=50"
    deep_page = stored // 50 - 2
    # Newest first: page k starts after the record 50*k places from the newest one.
    anchor = f"SM{stored - 50 * deep_page:032x}"
    urls = {"page0": base, "deep": f"{base}&Page={deep_page}&PageToken=PA{anchor}"}

    def one(url: str) -> Callable[[int], None]:
        def run(n: int) -> None:
            for _ in range(n):
                answer = backend.handle(MockRequest("GET", url, headers))
                if answer.status != 200:
                    raise RuntimeError(answer.text)

        return run

    page0 = _best_per_call(one(urls["page0"]), pages, 5)
    deep = _best_per_call(one(urls["deep"]), pages, 5)
    deep_body = backend.handle(MockRequest("GET", urls["deep"], headers)).json()
    expected_first = f"SM{stored - 50 * deep_page - 1:032x}"
    if deep_body["messages"][0]["sid"] != expected_first or len(deep_body["messages"]) != 50:
        raise RuntimeError("deep page returned the wrong records")
    return {
        "key": "deep_page_vs_page0",
        "what": f"page {deep_page} vs page 0 (PageSize=50) of {stored:,} stored messages",
        "page0_us": round(page0 * 1e6, 1),
        "deep_us": round(deep * 1e6, 1),
        "load_s": round(load_s, 2),
        "value": round(deep / page0, 3),
        "unit": "x page 0",
        "budget": "<= 2",
        "ok": deep / page0 <= 2,
    }


def bench_filtered_paging(stored: int, pages: int) -> list[dict[str, Any]]:
    """Filtered pages and a list right after a delete, each against an unfiltered page 0 of
    the same collection (the first filtered list builds the index; it is timed apart)."""
    from twilio_mock.core.dates import rfc2822

    backend = Backend(seed=1)
    backend.restore(message_snapshot(backend, stored))
    headers = _auth_header(backend.account_sid, backend.auth_token)
    sid = backend.account_sid
    base = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json?PageSize=50"
    first_sent = int(backend.clock.now()) - stored
    middle = rfc2822(first_sent + stored // 2).replace(" ", "%20").replace("+", "%2B")
    deep = stored // len(TOS) // 50 // 2  # page k of a filter holding a quarter of the records
    urls = {
        "page0": base,
        "filter_none": f"{base}&To=%2B15550000000",
        "filter_page0": f"{base}&To=%2B15558675311",
        "filter_deep": f"{base}&To=%2B15558675311&Page={deep}",
        "date_deep": f"{base}&DateSent%3E={middle}&Page={deep}",
    }

    def get(url: str) -> Any:
        answer = backend.handle(MockRequest("GET", url, headers))
        if answer.status != 200:
            raise RuntimeError(answer.text)
        return answer

    def one(url: str) -> Callable[[int], None]:
        def run(n: int) -> None:
            for _ in range(n):
                get(url)

        return run

    builds = {}
    for name in ("filter_none", "date_deep"):
        started = time.perf_counter()
        get(urls[name])
        builds[name] = time.perf_counter() - started
    timed = {name: _best_per_call(one(url), pages, 5) for name, url in urls.items()}
    body = get(urls["filter_deep"]).json()["messages"]
    if len(body) != 50 or any(m["to"] != "+15558675311" for m in body):
        raise RuntimeError("filtered page k returned the wrong records")
    if get(urls["filter_none"]).json()["messages"]:
        raise RuntimeError("a filter matching nothing returned records")
    # One distinct victim per timed delete (a warm-up and five runs), spread over the collection.
    victims = iter(range(1000, stored, max(1, (stored - 1000) // (pages * 6 + 50))))

    def delete_then_list(n: int) -> None:
        for _ in range(n):
            url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages/SM{next(victims):032x}.json"
            if backend.handle(MockRequest("DELETE", url, headers)).status != 204:
                raise RuntimeError("delete failed")
            get(urls["page0"])

    timed["delete_then_list"] = _best_per_call(delete_then_list, pages, 5)
    page0 = timed["page0"]
    labels = {
        "delete_then_list": "delete one message, then list page 0",
        "filter_none": "filtered page 0, To= matching nothing",
        "filter_deep": f"filtered page {deep}, no PageToken (To= holding a quarter)",
        "date_deep": f"filtered page {deep}, no PageToken (DateSent> holding half)",
    }
    return [
        {
            "key": name,
            "what": f"{label} vs unfiltered page 0, {stored:,} stored messages",
            "page0_us": round(page0 * 1e6, 1),
            f"{name}_us": round(timed[name] * 1e6, 1),
            **({f"{name}_index_build_s": round(builds[name], 2)} if name in builds else {}),
            "value": round(timed[name] / page0, 3),
            "unit": "x page 0",
            "budget": "<= 2",
            "ok": timed[name] / page0 <= 2,
        }
        for name, label in labels.items()
    ]


def bench_memory(count: int) -> dict[str, Any]:
    backend = Backend(seed=1, journal_size=0)
    client = mock(backend=backend).client()
    client.messages.create(to=TO, from_=FROM, body="warm-up")
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for n in range(count):
        client.messages.create(to=TO, from_=FROM, body=f"Your code is {n:06d}")
    backend.journal.clear()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per = (after - before) / count
    return {
        "key": "memory_per_message",
        "what": f"memory per stored message, {count:,} created through the API (tracemalloc)",
        "value": round(per),
        "unit": "bytes",
        "budget": "(reported)",
        "ok": True,
    }


def bench_snapshot(records: int) -> dict[str, Any]:
    backend = Backend(seed=1)
    backend.restore(message_snapshot(backend, records))
    gc.collect()
    started = time.perf_counter()
    snap = backend.snapshot()
    snap_s = time.perf_counter() - started
    started = time.perf_counter()
    text = json.dumps(snap, separators=(",", ":"))
    dump_s = time.perf_counter() - started
    started = time.perf_counter()
    other = Backend(seed=2)
    other.restore(json.loads(text))
    restore_s = time.perf_counter() - started
    if other.store.count() != backend.store.count():
        raise RuntimeError("restore lost records")
    return {
        "key": "snapshot_restore_100k",
        "what": f"snapshot() + restore() of {records:,} records (JSON text round trip timed separately)",
        "snapshot_s": round(snap_s, 3),
        "restore_s": round(restore_s, 3),
        "json_dump_s": round(dump_s, 3),
        "json_mb": round(len(text) / 1e6, 1),
        "value": round(snap_s + restore_s, 3),
        "unit": "s",
        "budget": "(reported)",
        "ok": True,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under a minute)")
    parser.add_argument("--json", type=Path, default=HERE / "mock_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = [bench_interceptor(s["calls"], s["repeats"])]
    rows += bench_server(s["creates"])
    rows.append(bench_deep_paging(s["stored"], s["pages"]))
    gc.collect()
    rows += bench_filtered_paging(s["stored"], s["pages"])
    gc.collect()
    rows.append(bench_memory(s["memory"]))
    rows.append(bench_snapshot(100_000))
    return finish(rows, quick=args.quick, started=started, path=args.json, detail_keys=("_us", "_s", "_mb"))


if __name__ == "__main__":
    sys.exit(main())
