"""The README path end to end: ``twilio-mock serve`` in a subprocess, the example against it,
Ctrl-C, and the ``--state`` file carrying the data into the next run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "send_sms.py"
BIN = Path(sys.executable).parent


class Served:
    def __init__(self, proc: subprocess.Popen[str], url: str, sid: str, token: str, lines: list[str]) -> None:
        self.proc, self.url, self.sid, self.token, self.lines = proc, url, sid, token, lines

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
        env.update(TWILIO_ACCOUNT_SID=self.sid, TWILIO_AUTH_TOKEN=self.token, TWILIO_API_BASE=self.url)
        return env

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=20)
        return code, "".join(self.lines)


def _pump(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@contextmanager
def serve(*args: str, command: tuple[str, ...] | None = None) -> Iterator[Served]:
    """Start the server on a free loopback port (``--port 0``) and read its banner."""
    cmd = [*(command or (str(BIN / "twilio-mock"),)), "serve", "--host", "127.0.0.1", "--port", "0", *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert proc.stdout is not None
    lines: list[str] = []
    banner: dict[str, Any] = {}
    for line in proc.stdout:
        lines.append(line)
        for key, pattern in (
            ("url", r"TWILIO_API_BASE=(\S+)"),
            ("sid", r"TWILIO_ACCOUNT_SID=(AC[0-9a-f]{32})"),
            ("token", r"TWILIO_AUTH_TOKEN=(\S+)"),
        ):
            found = re.search(pattern, line)
            if found:
                banner[key] = found[1]
        if "Ctrl-C" in line or len(lines) > 40:
            break
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    try:
        assert set(banner) == {"url", "sid", "token"}, "".join(lines)
        yield Served(proc, banner["url"], banner["sid"], banner["token"], lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


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
