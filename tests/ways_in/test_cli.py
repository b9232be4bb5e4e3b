"""``twilio-mock`` as a user runs it: ``--version``, ``--help``, start-up failures, the banner."""

from __future__ import annotations

import socket
from importlib.metadata import version
from pathlib import Path

import requests

from tests.ways_in.process import run, serve
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
