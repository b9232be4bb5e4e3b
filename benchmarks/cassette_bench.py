"""Replaying a cassette against answering the same requests from the mock (issue 8: ≤ 2x).

A 100-request session (message creates through ``twilio_sdk`` and its default ``requests``
transport) is recorded once against a loopback ``twilio-mock serve``; then, alternating in the
same process, the session is replayed from the cassette (``use_cassette``, mode ``none``, file
loaded on entry) and answered by ``twilio_mock.mock()``. Each run includes entering and leaving
the cassette or the mock. Used by ``benchmarks/plugin_bench.py``.
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

TO, FROM = "+15558675310", "+15017122661"


def _session(client: Any, requests: int) -> list[str]:
    return [client.messages.create(to=TO, from_=FROM, body=f"reminder {n}").sid for n in range(requests)]


def bench_replay(requests: int, repeats: int) -> dict[str, Any]:
    from twilio_mock import Backend, mock
    from twilio_mock.cassettes import use_cassette
    from twilio_mock.ways_in.server import MockServerApp
    from twilio_mock.ways_in.serving import ServerThread
    from twilio_sdk import Client

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session.yaml"
        backend = Backend(seed=1)
        with ServerThread(MockServerApp(backend)) as server:
            client = Client(backend.account_sid, backend.auth_token, environment={})
            with use_cassette(path, mode="once", record_url=server.url):
                recorded = _session(client, requests)
        offline = Client(backend.account_sid, backend.auth_token, environment={})

        def replay() -> float:
            started = time.perf_counter()
            with use_cassette(path):
                sids = _session(offline, requests)
            elapsed = time.perf_counter() - started
            if sids != recorded:
                raise RuntimeError("the replay answered other records than were recorded")
            return elapsed

        def mocked() -> float:
            started = time.perf_counter()
            with mock(backend=Backend(seed=1)) as twilio:
                sids = _session(Client(twilio.account_sid, twilio.auth_token, environment={}), requests)
            elapsed = time.perf_counter() - started
            if len(sids) != requests:
                raise RuntimeError("the mock did not answer every request")
            return elapsed

        replay(), mocked()  # warm-up
        replays: list[float] = []
        mocks: list[float] = []
        for i in range(repeats):
            gc.collect()
            for run, samples in ((replay, replays), (mocked, mocks))[:: 1 if i % 2 else -1]:
                samples.append(run())
    ratio = statistics.median(r / m for r, m in zip(replays, mocks, strict=True))
    return {
        "key": "cassette_replay_vs_mock",
        "what": f"replaying a {requests}-request cassette vs the mock answering the same requests",
        "replay_ms": round(statistics.median(replays) * 1000, 1),
        "mock_ms": round(statistics.median(mocks) * 1000, 1),
        "value": round(ratio, 3),
        "unit": "x cost",
        "budget": "<= 2",
        "ok": ratio <= 2,
    }
