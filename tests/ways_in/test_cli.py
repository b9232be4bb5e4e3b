"""``twilio-mock`` as a user runs it: ``--version``, ``--help``, start-up failures, the banner."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ways_in.process import TWILIO_MOCK, run, serve
from twilio_mock.backend import Backend


def test_version_prints_the_package_version() -> None:
    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"twilio-mock {version('twilio-toolkit')}"


def test_serve_help_describes_the_command() -> None:
    done = run("serve", "--help")
    assert done.returncode == 0, done.stderr
    assert "Serve a fake Twilio over HTTP" in done.stdout
    assert "--state" in done.stdout and "/__mock__/" in done.stdout


def test_port_in_use_suggests_port_zero() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("serve", "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_banner_and_credentials_show_the_test_credentials() -> None:
    with serve("--seed", "3") as server:
        creds = requests.get(f"{server.url}/__mock__/credentials", timeout=10).json()
        assert creds["account_sid"] == server.sid and creds["auth_token"] == server.token
        test_sid, test_token = creds["test_account_sid"], creds["test_auth_token"]
        assert test_sid.startswith("AC") and test_sid != server.sid and test_token
        assert f"Test SID    : {test_sid}" in server.output
        assert f"Test token  : {test_token}" in server.output
        # They are the test credentials: a message create with them is accepted (Twilio's magic From).
        url = f"{server.url}/api/2010-04-01/Accounts/{test_sid}/Messages.json"
        form = {"To": "+15558675310", "From": "+15005550006", "Body": "test creds"}
        assert requests.post(url, data=form, auth=(test_sid, test_token), timeout=10).status_code == 201
        code, _ = server.stop()
    assert code == 0


def test_reset_keeps_the_credentials_of_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    Backend(seed=42).save(state)  # credentials unlike the ones an unseeded server starts with
    with serve("--state", str(state), "--quiet") as server:
        assert server.sid == Backend(seed=42).account_sid
        url = f"{server.url}/api/2010-04-01/Accounts/{server.sid}/Messages.json"
        assert requests.get(url, auth=(server.sid, server.token), timeout=10).status_code == 200
        assert requests.post(f"{server.url}/__mock__/reset", timeout=10).status_code == 200
        after = requests.get(url, auth=(server.sid, server.token), timeout=10)
        assert after.status_code == 200, after.text
        creds = requests.get(f"{server.url}/__mock__/credentials", timeout=10).json()
        assert (creds["account_sid"], creds["auth_token"]) == (server.sid, server.token)
        code, _ = server.stop()
    assert code == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (lambda snap: {**snap, "sids": {"seed": "x", "counter": 2**70}}, "sids.counter"),
        (lambda snap: {**snap, "clock": {"frozen": True, "now": "nan"}}, "clock.now"),
        (lambda snap: "[" * 100_000, "nested deeper"),
        (lambda snap: json.dumps(snap).replace('"counter":', '"counter": NaN, "x":', 1), "NaN"),
        (lambda snap: "{not json", "not JSON"),
    ],
    ids=["counter-2**70", "clock-nan", "too-deep", "nan-literal", "not-json"],
)
def test_an_invalid_state_file_stops_with_a_clear_message(
    tmp_path: Path, content: Callable[[dict[str, Any]], Any], reason: str
) -> None:
    state = tmp_path / "state.json"
    value = content(json.loads(json.dumps(Backend(seed=1).snapshot())))
    state.write_text(value if isinstance(value, str) else json.dumps(value))
    before = state.read_bytes()
    done = run("serve", "--port", "0", "--state", str(state))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"cannot load state from {state}" in done.stderr and reason in done.stderr
    assert "Traceback" not in done.stderr
    assert state.read_bytes() == before  # left for the user to fix, never overwritten


def test_stale_temp_files_of_interrupted_saves_are_removed(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    Backend(seed=4).save(state)
    # What a SIGKILL during a save leaves behind, from this version and from earlier ones.
    stale = [tmp_path / ".twilio-mock-state.json.k3j4h5g6.json", tmp_path / ".twilio-mock-a1b2c3d4.json"]
    for path in stale:
        path.write_text('{"half": ')
    unrelated = tmp_path / ".twilio-mock-other.json.zz.json.keep"
    unrelated.write_text("not ours")
    with serve("--state", str(state), "--quiet") as server:
        assert server.sid == Backend(seed=4).account_sid
        assert not any(path.exists() for path in stale)
        code, _ = server.stop()
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [unrelated.name, "state.json"]


def test_a_running_clock_keeps_its_advance_across_restarts(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with serve("--state", str(state), "--quiet") as server:  # unseeded: the clock follows real time
        moved = requests.post(f"{server.url}/__mock__/clock/advance", data={"seconds": "86400"}, timeout=10)
        assert moved.status_code == 200
        assert server.stop()[0] == 0
    with serve("--state", str(state), "--quiet") as again:
        clock = requests.get(f"{again.url}/__mock__/clock", timeout=10).json()
        assert not clock["frozen"] and abs(clock["now"] - (time.time() + 86400)) < 60
        assert again.stop()[0] == 0


def test_journal_bytes_option_bounds_the_journal() -> None:
    with serve("--seed", "1", "--quiet", "--journal-bytes", "20000") as server:
        url = f"{server.url}/api/2010-04-01/Accounts/{server.sid}/Messages.json"
        with requests.Session() as session:
            session.auth = (server.sid, server.token)
            for n in range(40):
                form = {"To": "+15558675310", "From": "+15017122661", "Body": f"{n} " + "z" * 400}
                assert session.post(url, data=form, timeout=10).status_code == 201
            journal = session.get(f"{server.url}/__mock__/journal", timeout=10).json()
        assert journal["max_bytes"] == 20000 and 0 < journal["bytes"] <= 20000
        assert 0 < len(journal["entries"]) < 40
        assert server.stop()[0] == 0
    for bad in ("0", "-5", "lots"):
        done = run("serve", "--port", "0", "--journal-bytes", bad)
        assert done.returncode == 2 and "--journal-bytes" in done.stderr, bad


def test_unseeded_servers_keep_the_same_test_credentials() -> None:
    stable = Backend(seed=0)
    with serve("--quiet") as server:
        creds = requests.get(f"{server.url}/__mock__/credentials", timeout=10).json()
        assert server.stop()[0] == 0
    assert (creds["account_sid"], creds["auth_token"]) == (stable.account_sid, stable.auth_token)
    assert (creds["test_account_sid"], creds["test_auth_token"]) == (
        stable.test_account_sid,
        stable.test_auth_token,
    )


def test_stopping_with_stdout_closed_still_saves_and_exits_cleanly(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    proc = subprocess.Popen(
        [TWILIO_MOCK, "serve", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        for line in proc.stdout:  # like `twilio-mock serve | head`: the reader goes away
            if "Ctrl-C" in line:
                break
        proc.stdout.close()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=20)
        errors = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    assert code == 0 and "Traceback" not in errors and "Error" not in errors, errors
    assert json.loads(state.read_text())["format"] == "twilio_mock/1"
