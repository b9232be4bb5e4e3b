"""Benchmarks of the messaging behaviours against the budgets of issue 9 (DESIGN.md §5).

Usage: ``python benchmarks/messaging_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/messaging_results.json``. Exit status 1 if a budget was missed.

(a) ``messages.create`` through the interceptor with every behaviour on (sender ownership
    enforced, a status callback routed into a WSGI app), against a bare ``responses`` canned
    reply, as ``mock_bench.py``'s interceptor row measures it: ≤ 1.5x;
(b) advancing the clock with 10,000 and 100,000 messages pending (from 1,000 owned senders):
    the cost per event that fires, and the cost of a step where nothing is due, must not grow
    with what is pending (100,000 vs 10,000: ≤ 2x each);
(c) in-process webhook delivery: signed deliveries per second into a WSGI app, against the same
    POST made with a bare ``werkzeug`` test client (reported), and status callbacks delivered per
    second while the clock runs a batch of messages to ``delivered`` (reported).
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


from benchmarks.mock_bench import interceptor_runs  # noqa: E402
from benchmarks.report import finish  # noqa: E402
from twilio_mock.backend import Backend  # noqa: E402
from twilio_mock.core.wire import MockRequest  # noqa: E402

TO, FROM = "+15558675310", "+15017122661"  # FROM is the number every mock account owns
SETTINGS = {
    "full": {"calls": 2000, "repeats": 7, "steps": 10, "deliveries": 3000, "batch": 2000},
    "quick": {"calls": 400, "repeats": 3, "steps": 5, "deliveries": 1000, "batch": 500},
}


def _app(environ: dict[str, Any], start: Any) -> list[bytes]:
    """A webhook receiver that reads the form, as an app does, and answers 204."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start("204 No Content", [])
    return [b""]


def _api(backend: Backend, path: str, form: dict[str, str]) -> MockRequest:
    sid, token = backend.account_sid, backend.auth_token
    headers = {
        "Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/{path}"
    return MockRequest("POST", url, headers, urlencode(form).encode())


def _post(backend: Backend, path: str, form: dict[str, str]) -> dict[str, Any]:
    answer = backend.handle(_api(backend, path, form))
    if answer.status != 201:
        raise RuntimeError(answer.body)
    result: dict[str, Any] = json.loads(answer.body)
    return result


# (a) --------------------------------------------------------------------------------------
def bench_interceptor(calls: int, repeats: int) -> dict[str, Any]:
    """``mock_bench``'s interceptor row with every messaging behaviour on."""
    backend = Backend(seed=1)
    if not backend.messaging.require_owned_sender:
        raise RuntimeError("sender ownership is not enforced: the row would measure less than it says")
    backend.webhooks.route("https://app.test", _app)
    form = {"To": TO, "From": FROM, "Body": "benchmark", "StatusCallback": "https://app.test/status"}
    ours_runs, bare_runs = interceptor_runs(backend, form, calls, repeats)
    backend.advance(3600)  # the callbacks of every message created above really go out
    delivered = len(backend.webhooks(event="message.status", MessageStatus="delivered"))
    if delivered < calls:
        raise RuntimeError(f"only {delivered} status callbacks reached the app")
    ratio = statistics.median(o / b for o, b in zip(ours_runs, bare_runs, strict=True))
    return {
        "key": "create_with_behaviours_vs_responses",
        "what": "messages.create via mock(), every behaviour on, vs a bare responses canned reply",
        "ours_us": round(statistics.median(ours_runs) * 1e6, 1),
        "bare_us": round(statistics.median(bare_runs) * 1e6, 1),
        "value": round(ratio, 3),
        "unit": "x cost",
        "budget": "<= 1.5",
        "ok": ratio <= 1.5,
    }


# (b) --------------------------------------------------------------------------------------
def _pending_backend(pending: int, senders: int) -> Backend:
    """``pending`` queued messages from ``senders`` numbers the account bought through the API."""
    backend = Backend(seed=1)
    numbers = [f"+1501712{n:04d}" for n in range(senders)]
    for number in numbers:
        if number != FROM:
            _post(backend, "IncomingPhoneNumbers.json", {"PhoneNumber": number})
    for n in range(pending):
        _post(
            backend,
            "Messages.json",
            {"To": f"+1555867{n % 10000:04d}", "From": numbers[n % senders], "Body": "m"},
        )
    return backend


def measure_advance(pending: int, steps: int, senders: int = 1000) -> dict[str, Any]:
    backend = _pending_backend(pending, senders)
    fired = [0]
    step = backend.scheduler.handlers["message.status"]

    def counted(core: Any, event: dict[str, Any]) -> Any:
        fired[0] += 1
        return step(core, event)

    backend.scheduler.handlers["message.status"] = counted
    queued = len(backend.scheduler)
    quiet = []
    for _ in range(50):  # nothing is due yet: the first events are a second away
        started = time.perf_counter()
        backend.advance(0.0)
        quiet.append(time.perf_counter() - started)
    if fired[0]:
        raise RuntimeError("a quiet step fired events")
    per_event: list[float] = []
    counts: list[int] = []
    gc.collect()
    for _ in range(steps):  # each second every sender starts a message and others move on
        fired[0] = 0
        started = time.perf_counter()
        backend.advance(1)
        elapsed = time.perf_counter() - started
        if not fired[0]:
            raise RuntimeError("a one-second step fired nothing")
        per_event.append(elapsed / fired[0])
        counts.append(fired[0])
    return {
        "pending": pending,
        "scheduled": queued,
        "quiet_us": statistics.median(quiet) * 1e6,
        "per_event_us": statistics.median(per_event) * 1e6,
        "events_per_step": statistics.median(counts),
    }


def bench_advance(steps: int) -> list[dict[str, Any]]:
    small, large = measure_advance(10_000, steps), measure_advance(100_000, steps)
    again = measure_advance(10_000, steps)  # the small size twice, so drift shows
    small_event = min(small["per_event_us"], again["per_event_us"])
    small_quiet = min(small["quiet_us"], again["quiet_us"])
    event_ratio = large["per_event_us"] / small_event
    quiet_ratio = large["quiet_us"] / small_quiet
    detail = {
        "per_event_10k_us": round(small_event, 2),
        "per_event_100k_us": round(large["per_event_us"], 2),
        "events_per_step": large["events_per_step"],
        "quiet_10k_us": round(small_quiet, 2),
        "quiet_100k_us": round(large["quiet_us"], 2),
        "scheduled_100k": large["scheduled"],
    }
    return [
        {
            "key": "advance_per_event_100k_vs_10k",
            "what": "advance(1): cost per fired event with 100,000 messages pending vs 10,000",
            **detail,
            "value": round(event_ratio, 3),
            "unit": "x cost",
            "budget": "<= 2",
            "ok": event_ratio <= 2,
        },
        {
            "key": "advance_quiet_100k_vs_10k",
            "what": "advance(0): a step where nothing is due, 100,000 messages pending vs 10,000",
            "value": round(quiet_ratio, 3),
            "unit": "x cost",
            "budget": "<= 2",
            "ok": quiet_ratio <= 2,
        },
        {
            "key": "advance_per_event_us",
            "what": f"advance(1) with 100,000 pending: µs per fired event ({large['events_per_step']:,} per step)",
            "value": round(large["per_event_us"], 2),
            "unit": "µs",
            "budget": "(reported)",
            "ok": True,
        },
    ]


# (c) --------------------------------------------------------------------------------------
def bench_delivery(deliveries: int, repeats: int) -> dict[str, Any]:
    """``Webhooks.deliver`` (sign, check the signature, run the app, log) vs a bare test client."""
    from werkzeug.test import Client

    backend = Backend(seed=1)
    hooks = backend.webhooks
    hooks.route("https://app.test", _app)
    url = "https://app.test/status"
    params = [
        ("MessageSid", "SM" + "0" * 32),
        ("MessageStatus", "delivered"),
        ("AccountSid", backend.account_sid),
        ("From", FROM),
        ("To", TO),
        ("ApiVersion", "2010-04-01"),
    ]
    body = urlencode(params).encode()
    client = Client(_app)

    def ours(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            hooks.deliver(url, params, backend.auth_token, account_sid=backend.account_sid, event="bench")
        return time.perf_counter() - started

    def bare(n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            client.post("/status", base_url="https://app.test", data=body,
                        content_type="application/x-www-form-urlencoded")  # fmt: skip
        return time.perf_counter() - started

    ours(50), bare(50)  # warm-up
    ours_runs, bare_runs = [], []
    for _ in range(repeats):
        gc.collect()
        ours_runs.append(ours(deliveries))
        bare_runs.append(bare(deliveries))
    good = hooks(event="bench", status=204)
    if len(good) < deliveries or not all(d.signature_valid for d in good[-deliveries:]):
        raise RuntimeError("deliveries did not reach the app signed")
    ratio = statistics.median(o / b for o, b in zip(ours_runs, bare_runs, strict=True))
    return {
        "key": "webhook_deliveries_per_s",
        "what": f"signed webhook deliveries/s into a WSGI app, in process (bare werkzeug client: {ratio:.2f}x faster)",
        "bare_per_s": round(deliveries / statistics.median(bare_runs)),
        "value": round(deliveries / statistics.median(ours_runs)),
        "unit": "/s",
        "budget": "(reported)",
        "ok": True,
    }


def bench_callbacks(batch: int) -> dict[str, Any]:
    """Status callbacks delivered per second of wall time while ``advance`` runs a batch to the end."""
    backend = Backend(seed=1)
    backend.webhooks.route("https://app.test", _app)
    form = {"To": TO, "From": FROM, "Body": "m", "StatusCallback": "https://app.test/status"}
    backend.messaging.throughput["long_code"] = 10_000.0  # one sender, no queue: the row measures delivery
    for _ in range(batch):
        _post(backend, "Messages.json", form)
    gc.collect()
    started = time.perf_counter()
    backend.advance(3600)
    elapsed = time.perf_counter() - started
    sent = backend.webhooks(event="message.status")
    if len(backend.webhooks(event="message.status", MessageStatus="delivered")) != batch:
        raise RuntimeError("not every message reached delivered")
    return {
        "key": "status_callbacks_per_s",
        "what": f"status callbacks delivered/s while advance() runs {batch:,} messages to delivered",
        "callbacks": len(sent),
        "value": round(len(sent) / elapsed),
        "unit": "/s",
        "budget": "(reported)",
        "ok": True,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--json", type=Path, default=HERE / "messaging_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = [bench_interceptor(s["calls"], s["repeats"])]
    rows += bench_advance(s["steps"])
    rows.append(bench_delivery(s["deliveries"], s["repeats"]))
    rows.append(bench_callbacks(s["batch"]))
    return finish(
        rows,
        quick=args.quick,
        started=started,
        path=args.json,
        detail_keys=("_us", "_per_s", "_100k", "callbacks"),
    )


if __name__ == "__main__":
    sys.exit(main())
