"""Benchmark of the voice behaviours (issue 10's benchmark).

Usage: ``python benchmarks/voice_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/voice_results.json``. Exit status 1 if a check fails.

(a) a call running a 10-verb TwiML script end to end in process: created through the core,
    rung, answered, its three documents fetched from a WSGI app (signed deliveries), a key press
    answering its ``<Gather>``, a ``<Pause>`` and a ``<Dial>`` on the virtual clock, completed:
    calls per second (reported);
(b) the engine makes exactly one webhook delivery per TwiML document it fetches (the
    transcript's fetches against the deliveries logged): a check row, budget ``== 1``.
"""

from __future__ import annotations

import argparse
import base64
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from benchmarks.report import finish  # noqa: E402
from twilio_mock.backend import Backend  # noqa: E402
from twilio_mock.core.wire import MockRequest  # noqa: E402

TO, FROM, AGENT = "+15558675310", "+15017122661", "+15558675399"
SETTINGS = {"full": {"calls": 300, "repeats": 5}, "quick": {"calls": 60, "repeats": 2}}
# Ten verbs over three documents: Say, Play, Pause, Gather (with a nested Say), Redirect; Say,
# Dial; Say, Record... kept short of Record's 5 s so the clock moves little.
DOCUMENTS = {
    "/voice": (
        '<Response><Say>Welcome</Say><Play>https://cdn.test/hello.mp3</Play><Pause length="1"/>'
        '<Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>'
    ),
    "/menu": '<Response><Say>Connecting</Say><Dial action="/after">+15558675399</Dial></Response>',
    "/after": '<Response><Say>Goodbye</Say><Pause length="1"/><Hangup/></Response>',
}
VERBS = 10  # Say Play Pause Gather(Say) | Say Dial | Say Pause Hangup


def _app(environ: dict[str, Any], start: Any) -> list[bytes]:
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    body = DOCUMENTS.get(environ.get("PATH_INFO", ""), "<Response/>").encode()
    start("200 OK", [("Content-Type", "text/xml")])
    return [body]


def _backend() -> Backend:
    backend = Backend(seed=1)
    backend.webhooks.route("https://ivr.test", _app)
    backend.voice.answer(AGENT, after=1, talk=2)
    return backend


def _create(backend: Backend) -> str:
    sid, token = backend.account_sid, backend.auth_token
    headers = {
        "Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode(),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = {"To": TO, "From": FROM, "Url": "https://ivr.test/voice"}
    url = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json"
    answer = backend.handle(MockRequest("POST", url, headers, urlencode(form).encode()))
    assert answer.status == 201, answer.body
    import json

    return str(json.loads(answer.body)["sid"])


def run_calls(calls: int) -> tuple[float, Backend, list[str]]:
    """``calls`` calls end to end (sequentially, each to completion); (seconds, backend, SIDs)."""
    backend = _backend()
    sids = []
    started = time.perf_counter()
    for _ in range(calls):
        sid = _create(backend)
        backend.voice.press(sid, "1")
        backend.advance(30)
        sids.append(sid)
    return time.perf_counter() - started, backend, sids


def bench_calls(calls: int, repeats: int) -> dict[str, Any]:
    best = min(run_calls(calls)[0] for _ in range(repeats))
    _, backend, sids = run_calls(3)
    verbs = [s for s in backend.voice.transcript(sids[0]) if "verb" in s]
    assert len(verbs) == VERBS, verbs
    assert backend.voice.transcript(sids[0])[-1]["status"] == "completed"
    return {
        "what": "10-verb call end to end",
        "value": round(calls / best, 1),
        "unit": "calls/s",
        "budget": "reported",
        "ok": True,
        "verbs_per_s": round(calls * VERBS / best, 1),
    }


def bench_round_trips(calls: int) -> dict[str, Any]:
    _, backend, sids = run_calls(calls)
    fetches = sum(1 for sid in sids for s in backend.voice.transcript(sid) if s.get("event") == "fetch")
    deliveries = len(backend.webhooks(event="call.twiml"))
    ratio = deliveries / fetches if fetches else 0.0
    return {
        "what": "deliveries per TwiML fetch",
        "value": round(ratio, 3),
        "unit": "ratio",
        "budget": "== 1",
        "ok": ratio == 1.0 and fetches == 3 * calls,
        "fetches": fetches,
        "deliveries": deliveries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer calls and repeats")
    parser.add_argument("--json", type=Path, default=HERE / "voice_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = [bench_calls(s["calls"], s["repeats"]), bench_round_trips(s["calls"])]
    return finish(
        rows,
        quick=args.quick,
        started=started,
        path=args.json,
        detail_keys=("_per_s", "fetches", "deliveries"),
    )


if __name__ == "__main__":
    sys.exit(main())
