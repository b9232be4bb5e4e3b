"""The README path end to end: ``twilio-mock serve`` in a subprocess, the example against it,
Ctrl-C, and the ``--state`` file carrying the data into the next run."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.ways_in.process import BIN, ROOT, serve

EXAMPLE = ROOT / "examples" / "send_sms.py"


def test_example_against_the_server_and_state_survives_restart(tmp_path: Path) -> None:
    state = tmp_path / "mock-state.json"
    with serve("--seed", "42", "--state", str(state)) as server:
        assert server.url.startswith("http://127.0.0.1:")
        run = subprocess.run(
            [sys.executable, str(EXAMPLE), "--body", "Hello offline"],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        out = run.stdout
        sid = re.search(r"Sent message (SM[0-9a-f]{32})", out)
        assert sid, out
        assert "status      : queued" in out or "status      : sent" in out or "status      : accepted" in out
        assert "from -> to  : +15017122661 -> +15558675310" in out
        assert f"Fetched it back: {sid[1]} body='Hello offline'" in out
        assert re.search(rf"^  {sid[1]} .*Hello offline$", out, re.M), out
        assert f"/2010-04-01/Accounts/{server.sid}/Messages/{sid[1]}.json" in out
        code, log = server.stop()
    assert code == 0, log
    assert re.search(r"POST\s+/api/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages\.json 201 \d+\.\dms", log), log
    assert "state saved" in log and state.stat().st_size > 0

    with serve("--seed", "42", "--state", str(state), "--quiet") as again:
        assert (again.sid, again.token) == (server.sid, server.token)
        url = f"{again.url}/api/2010-04-01/Accounts/{again.sid}/Messages.json"
        listed = requests.get(url, auth=(again.sid, again.token), timeout=10).json()
        assert [m["sid"] for m in listed["messages"]] == [sid[1]]
        again.proc.send_signal(signal.SIGTERM)
        assert again.proc.wait(timeout=20) == 0
        assert "GET " not in "".join(again.lines)  # --quiet: no request lines


def test_python_dash_m_and_bad_arguments(tmp_path: Path) -> None:
    with serve(command=(sys.executable, "-m", "twilio_mock")) as server:
        assert requests.get(f"{server.url}/__mock__/health", timeout=10).json()["status"] == "ok"
        code, _ = server.stop()
    assert code == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    run = subprocess.run(
        [str(BIN / "twilio-mock"), "serve", "--port", "0", "--state", str(broken)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2 and "cannot load state" in run.stderr


@pytest.mark.parametrize("argv", [["serve", "--port", "notaport"], ["frobnicate"], []])
def test_cli_rejects_bad_usage(argv: list[str]) -> None:
    run = subprocess.run([str(BIN / "twilio-mock"), *argv], capture_output=True, text=True, timeout=30)
    assert run.returncode == 2 and "usage: twilio-mock" in run.stderr
