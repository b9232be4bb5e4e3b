"""A cassette inside other ``responses`` mocks (a user's own, ``twilio_mock.mock()``), and the
cost of importing the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
import responses

from tests.cassettes.conftest import FROM, TO, Server, other_client
from twilio_mock import mock
from twilio_mock.cassettes import CassetteError, use_cassette
from twilio_sdk import Client


def _recorded(server: Server, path: Path) -> str:
    with use_cassette(path, mode="once", record_url=server.url):
        return str(server.client().messages.create(to=TO, from_=FROM, body="recorded").sid)


def test_other_hosts_go_on_to_an_outer_responses_mock(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "nested.yaml"
    sid = _recorded(server, path)
    with responses.RequestsMock() as outer:
        outer.get("https://hooks.example.com/ping", json={"pong": True})
        with use_cassette(path) as cassette:
            assert requests.get("https://hooks.example.com/ping", timeout=5).json() == {"pong": True}
            assert other_client().messages.create(to=TO, from_=FROM, body="recorded").sid == sid
            with pytest.raises(requests.exceptions.ConnectionError, match="Connection refused by Responses"):
                requests.get("https://unknown.example.com/", timeout=5)  # the outer mock's refusal
        assert len(cassette.played) == 1
        assert [c.request.url for c in outer.calls] == [
            "https://hooks.example.com/ping",
            "https://unknown.example.com/",
        ]  # Twilio's requests never reached it


def test_inside_twilio_mock_the_backend_answers_what_the_cassette_lacks(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "inside.yaml"
    sid = _recorded(server, path)
    with mock(seed=2) as twilio:
        client = Client(twilio.account_sid, twilio.auth_token, environment={})
        with use_cassette(path, backend=twilio.backend) as cassette:
            assert client.messages.create(to=TO, from_=FROM, body="recorded").sid == sid  # replayed
            fresh = client.messages.create(to=TO, from_=FROM, body="not recorded").sid  # the backend's
            assert {m.sid for m in client.messages.list()} == {sid, fresh}
        assert len(cassette.played) == 1
    url = "https://api.twilio.com/2010-04-01/Accounts/" + "AC" + "f" * 32 + "/Messages.json"
    with mock(seed=2), use_cassette(path), pytest.raises(CassetteError):  # no backend given
        requests.post(url, data={"To": TO, "From": FROM, "Body": "not recorded"}, timeout=5)


def test_a_twilio_mock_started_inside_a_cassette_takes_twilio_over(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "outer.yaml"
    _recorded(server, path)
    with use_cassette(path) as cassette, mock(seed=2) as twilio:
        client = Client(twilio.account_sid, twilio.auth_token, environment={})
        assert client.messages.create(to=TO, from_=FROM, body="recorded").sid.startswith("SM")
    assert cassette.played == []


def test_importing_the_package_loads_nothing_heavy() -> None:
    code = (
        "import sys, twilio_mock.cassettes as c; "
        "assert c.RECORD_MODES[0] == 'none'; "
        "print(sorted(m for m in ('yaml', 'urllib3', 'faker', 'responses', 'requests') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
    code = (
        "import sys; from twilio_mock.cassettes import use_cassette; "
        "print(sorted(m for m in ('yaml', 'faker') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "['yaml']"  # faker only when numbers or bodies are scrubbed
