"""The record modes, as vcrpy and pytest-recording define them, and when the file is written."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.cassettes.conftest import FROM, TO, Server, other_client
from twilio_mock import Backend
from twilio_mock.cassettes import RECORD_MODES, CassetteError, use_cassette
from twilio_sdk import Client
from twilio_sdk.exceptions import TwilioException


def _send(client: Client, body: str) -> str:
    return str(client.messages.create(to=TO, from_=FROM, body=body).sid)


def _bodies(path: Path) -> list[str]:
    from twilio_mock.cassettes.serialize import load

    return [i["request"]["form"]["Body"] for i in load(path)]


def _recorded(server: Server, path: Path, *bodies: str) -> None:
    with use_cassette(path, mode="all", record_url=server.url):
        for body in bodies:
            _send(server.client(), body)


def test_the_modes_are_pytest_recordings() -> None:
    assert RECORD_MODES == ("none", "once", "new_episodes", "all", "rewrite")
    with pytest.raises(ValueError, match="not a record mode"):
        use_cassette("x.yaml", mode="sometimes")
    with pytest.raises(ValueError, match="unknown field 'headers'"):
        use_cassette("x.yaml", match_on=("method", "headers"))


def test_none_refuses_what_it_does_not_hold_as_a_connection_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with use_cassette(path) as cassette:
        with pytest.raises(CassetteError, match="does not exist") as caught:
            requests.get("https://api.twilio.com/2010-04-01/Accounts.json", timeout=5)
        assert isinstance(caught.value, requests.exceptions.ConnectionError)
        with pytest.raises(TwilioException, match="no interaction recorded"):  # the SDK's transport error
            _send(other_client(), "Hi")
    assert cassette.recorded == [] and not path.exists()


def test_none_lets_a_backend_answer_what_it_does_not_hold(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    _recorded(server, path, "recorded")
    backend = Backend(seed=3)
    client = Client(backend.account_sid, backend.auth_token, environment={})
    with use_cassette(path, backend=backend) as cassette:
        recorded = _send(client, "recorded")
        fresh = _send(client, "not in the cassette")
    assert len(cassette.played) == 1 and recorded != fresh
    assert backend.journal.find(method="POST")[-1].params["Body"] == "not in the cassette"
    assert _bodies(path) == ["recorded"]


def test_once_records_a_missing_file_then_only_replays(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "once.yaml"
    with use_cassette(path, mode="once", record_url=server.url) as first:
        _send(server.client(), "a")
        _send(server.client(), "a")  # recording: the same request again is recorded again
    assert (len(first.recorded), server.hits()) == (2, 2)
    with use_cassette(path, mode="once", record_url=server.url) as second:
        _send(server.client(), "a")
        with pytest.raises(TwilioException, match="no interaction recorded"):
            _send(server.client(), "b")
    assert (len(second.played), server.hits(), _bodies(path)) == (1, 2, ["a", "a"])


def test_new_episodes_replays_what_matches_and_appends_the_rest(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "episodes.yaml"
    _recorded(server, path, "old")
    hits = server.hits()
    with use_cassette(path, mode="new_episodes", record_url=server.url) as cassette:
        old = _send(server.client(), "old")
        _send(server.client(), "new")
    assert server.hits() == hits + 1  # only the new one reached the server
    assert [i["request"]["form"]["Body"] for i in cassette.played] == ["old"]
    assert _bodies(path) == ["old", "new"] and old == cassette.interactions[0]["response"]["json"]["sid"]


def test_all_records_everything_and_keeps_what_the_file_held(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    _recorded(server, path, "old")
    hits = server.hits()
    with use_cassette(path, mode="all", record_url=server.url) as cassette:
        _send(server.client(), "old")
        _send(server.client(), "new")
    assert server.hits() == hits + 2 and cassette.played == []
    assert _bodies(path) == ["old", "old", "new"]


def test_rewrite_records_from_scratch(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "rewrite.yaml"
    _recorded(server, path, "old", "older")
    with use_cassette(path, mode="rewrite", record_url=server.url) as cassette:
        _send(server.client(), "old")
    assert cassette.played == [] and _bodies(path) == ["old"]
    with use_cassette(path, mode="rewrite", record_url=server.url):
        pass  # nothing recorded: nothing left
    assert not path.exists()


def test_the_file_is_written_only_when_something_was_recorded(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "kept.yaml"
    _recorded(server, path, "a")
    before = path.read_bytes()
    path.touch()
    stamp = path.stat().st_mtime_ns
    for mode in ("none", "once", "new_episodes"):
        with use_cassette(path, mode=mode, record_url=server.url):
            _send(server.client(), "a")
    assert path.read_bytes() == before and path.stat().st_mtime_ns == stamp
    with use_cassette(tmp_path / "nothing.yaml", mode="all", record_url=server.url):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.yaml"]  # no temporary files either


def test_the_file_is_written_when_the_block_fails(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "failed.yaml"
    with pytest.raises(RuntimeError), use_cassette(path, mode="once", record_url=server.url):
        _send(server.client(), "before the failure")
        raise RuntimeError("the test failed")
    assert _bodies(path) == ["before the failure"]


def test_a_file_that_is_not_a_cassette_is_refused_at_entry(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("just: [a, mapping]\n")
    with pytest.raises(CassetteError, match=r"bad\.yaml: not a cassette"):
        use_cassette(path).start()
    path.write_text("format: twilio_mock.cassette/1\ninteractions: [ {request: {method: GET}} ]\n")
    with pytest.raises(CassetteError, match="interaction #1 needs"):
        use_cassette(path).start()
