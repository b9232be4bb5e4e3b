"""Benchmarks of the messaging behaviours (DESIGN.md §5), printed, never asserted.

Usage: ``python benchmarks/messaging_bench.py [--quick]``.

(a) ``messages.create`` through the interceptor with every behaviour on (sender ownership
    enforced, the sender owned, a status callback routed into a WSGI app) against a bare
    ``responses`` canned reply, as ``mock_bench.py``'s interceptor row measures it;
(b) advancing the clock with N messages pending (10,000 and 100,000, from 1,000 senders): the cost
    of a step where nothing falls due, and the cost per event of steps where events fire, which
    should not grow with N.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

import requests  # noqa: E402
import responses  # noqa: E402

from twilio_mock.backend import Backend  # noqa: E402
from twilio_mock.core.wire import MockRequest  # noqa: E402
from twilio_mock.ways_in.interceptor import mock  # noqa: E402

TO, FROM = "+15558675310", "+15017122661"


def _owned(backend: Backend, number: str) -> None:
    backend.store.open(
        (
            backend.account_sid,
            "api",
            "v2010",
            f"/2010-04-01/Accounts/{backend.account_sid}/IncomingPhoneNumbers",
        ),
        {"account_sid": backend.account_sid},
        "sid",
    ).put("PN" + number[1:].rjust(32, "0"), {"sid": "PN" + number[1:].rjust(32, "0"), "phone_number": number})


def bench_interceptor(calls: int, repeats: int) -> dict[str, Any]:
    backend = Backend(seed=1)
    backend.messaging.require_owned_sender = True
    _owned(backend, FROM)
    backend.webhooks.route("https://app.test", lambda environ, start: [start("204 No Content", []), b""][1:])
    sid, token = backend.account_sid, backend.auth_token
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
    form = {"To": TO, "From": FROM, "Body": "benchmark", "StatusCallback": "https://app.test/status"}
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
    ratio = statistics.median(o / b for o, b in zip(ours_runs, bare_runs, strict=True))
    return {
        "what": "messages.create via the interceptor, every behaviour on, vs a bare responses reply",
        "ours_us": round(statistics.median(ours_runs) * 1e6, 1),
        "bare_us": round(statistics.median(bare_runs) * 1e6, 1),
        "ratio": round(ratio, 3),
        "budget": "<= 1.5",
    }


def bench_advance(pending: int, senders: int = 1000) -> dict[str, Any]:
    backend = Backend(seed=1)
    sid, token = backend.account_sid, backend.auth_token
    import base64

    auth = "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()
    headers = {"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"}
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"
    for n in range(pending):
        body = f"To=%2B1555867{n % 10000:04d}&From=%2B1501712{n % senders:04d}&Body=m{n}".encode()
        answer = backend.handle(MockRequest("POST", url, headers, body))
        if answer.status != 201:
            raise RuntimeError(answer.body)
    fired = [0]
    step = backend.scheduler.handlers["message.status"]

    def counted(core: Any, event: dict[str, Any]) -> Any:
        fired[0] += 1
        return step(core, event)

    backend.scheduler.handlers["message.status"] = counted
    quiet = []
    for _ in range(20):  # nothing is due yet: the first events are 1 s away
        started = time.perf_counter()
        backend.advance(0.0)
        quiet.append(time.perf_counter() - started)
    assert fired[0] == 0
    per_event = []
    gc.collect()
    for _ in range(10):  # each second every sender starts a message and others move on
        fired[0] = 0
        started = time.perf_counter()
        backend.advance(1)
        per_event.append((time.perf_counter() - started) / max(fired[0], 1))
    return {
        "what": f"advance over {pending:,} pending messages",
        "quiet_step_us": round(statistics.median(quiet) * 1e6, 1),
        "per_fired_event_us": round(statistics.median(per_event) * 1e6, 2),
        "events_per_step": fired[0],
        "pending_events": len(backend.scheduler),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    calls, repeats = (400, 3) if args.quick else (2000, 7)
    rows = [
        bench_interceptor(calls, repeats),
        bench_advance(10_000),
        bench_advance(100_000),
        bench_advance(10_000),
    ]
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
