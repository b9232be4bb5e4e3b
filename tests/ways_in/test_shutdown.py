"""A clean stop (SIGTERM, Ctrl-C) under load: nothing the server acknowledged is missing from
the state file it saves."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.ways_in.process import serve
from twilio_mock.backend import Backend

THREADS = 6
PER_THREAD = 3000  # an upper bound: the server stops long before
BEFORE_SIGNAL = 300  # acknowledged creates before the signal is sent
STORED = 20_000  # messages in the state file at start: saving them takes a while


def _state_with_messages(path: Path) -> None:
    backend = Backend(seed=1)
    snapshot = backend.snapshot()
    sid = backend.account_sid
    records = [
        {"sid": f"SM{i:032x}", "to": "+15558675310", "from": "+15017122661", "body": f"old {i}"}
        for i in range(STORED)
    ]
    snapshot["collections"].append(
        {
            "account": sid,
            "domain": "api",
            "version": "v2010",
            "path": f"/2010-04-01/Accounts/{sid}/Messages",
            "records": records,
        }
    )
    backend.restore(snapshot)
    backend.save(path)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_clean_stop_saves_every_acknowledged_write(tmp_path: Path, sig: int) -> None:
    state = tmp_path / "state.json"
    _state_with_messages(state)
    acked: list[str] = []
    refused: list[int] = []
    lock = threading.Lock()
    with serve("--seed", "1", "--quiet", "--state", str(state)) as server:
        url = f"{server.url}/api/2010-04-01/Accounts/{server.sid}/Messages.json"

        def worker(n: int) -> None:
            with requests.Session() as session:  # keep-alive: one connection per thread
                session.auth = (server.sid, server.token)
                for i in range(PER_THREAD):
                    form = {"To": "+15558675310", "From": "+15017122661", "Body": f"{n}-{i}"}
                    try:
                        answer = session.post(url, data=form, timeout=5)
                    except requests.RequestException:
                        return  # the server closed the connection: it is stopping
                    with lock:
                        if answer.status_code == 201:
                            acked.append(answer.json()["sid"])
                        else:
                            refused.append(answer.status_code)

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 15
        while len(acked) < BEFORE_SIGNAL and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(acked) >= BEFORE_SIGNAL, server.output
        code, output = server.stop(sig)
        for thread in threads:
            thread.join(timeout=10)
        assert not any(thread.is_alive() for thread in threads)
    assert code == 0, output
    saved = json.loads(state.read_text())
    stored = {
        record["sid"]
        for collection in saved["collections"]
        if collection["path"].endswith("/Messages")
        for record in collection["records"]
    }
    assert len(stored) >= STORED  # the messages of the file at start are still there
    missing = set(acked) - stored
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged creates missing from the saved state"
    assert set(refused) <= {503}, refused  # a request the server would not take is refused, not lost
