"""Matching: method, canonical host, path, query and body, order-insensitive; ``match_on``;
repeated requests in recorded order; and a refusal that explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.cassettes.conftest import FROM, TO, Server, other_client
from twilio_mock.cassettes import CassetteError, use_cassette

OTHER = "AC" + "f" * 32


def _url(account: str, rest: str = "Messages.json") -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{account}/{rest}"


def _record(server: Server, path: Path, *calls: tuple[str, str, dict[str, object]]) -> None:
    auth = (server.account_sid, server.auth_token)
    with use_cassette(path, mode="all", record_url=server.url):
        for method, rest, options in calls:
            requests.request(method, _url(server.account_sid, rest), auth=auth, timeout=10, **options)  # type: ignore[arg-type]


def test_query_and_form_fields_match_in_any_order(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "order.yaml"
    _record(
        server,
        path,
        ("GET", "Messages.json", {"params": [("To", TO), ("PageSize", "5"), ("To", FROM)]}),
        ("POST", "Messages.json", {"data": [("To", TO), ("From", FROM), ("Body", "x")]}),
    )
    with use_cassette(path) as cassette:
        listed = requests.get(_url(OTHER), params=[("PageSize", "5"), ("To", FROM), ("To", TO)], timeout=5)
        sent = requests.post(_url(OTHER), data=[("Body", "x"), ("From", FROM), ("To", TO)], timeout=5)
    assert (listed.status_code, sent.status_code, len(cassette.played)) == (200, 201, 2)


def test_json_bodies_match_in_any_key_order(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "json.yaml"
    url = "https://iam.twilio.com/v1/Account/OAuthApps"
    body = {"type": "client_credentials", "friendly_name": "ci", "policy": {"allow": ["a"], "deny": []}}
    with use_cassette(path, mode="once", record_url=server.url):
        created = requests.post(url, json=body, auth=(server.account_sid, server.auth_token), timeout=10)
    assert created.status_code == 201
    with use_cassette(path):
        again = requests.post(url, json=dict(reversed(list(body.items()))), timeout=5)
        assert again.json()["sid"] == created.json()["sid"]
        with pytest.raises(CassetteError, match=r'body\.friendly_name: recorded "ci", sent "cd"'):
            requests.post(url, json={**body, "friendly_name": "cd"}, timeout=5)


def test_match_on_chooses_the_fields_compared(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "subset.yaml"
    _record(server, path, ("POST", "Messages.json", {"data": {"To": TO, "From": FROM, "Body": "x"}}))
    changed = {"To": TO, "From": FROM, "Body": "something else"}
    with use_cassette(path), pytest.raises(CassetteError):
        requests.post(_url(OTHER), data=changed, timeout=5)
    with use_cassette(path, match_on=("method", "path")) as cassette:
        assert requests.post(_url(OTHER), data=changed, timeout=5).json()["body"] == "x"
    assert len(cassette.played) == 1


def test_repeated_requests_replay_in_recorded_order_then_the_last_repeats(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "repeat.yaml"
    client = server.client()
    with use_cassette(path, mode="once", record_url=server.url):
        before = [m.sid for m in client.messages.list()]
        sid = client.messages.create(to=TO, from_=FROM, body="one").sid
        after = [m.sid for m in client.messages.list()]
    assert (before, after) == ([], [sid])
    other = other_client()
    with use_cassette(path) as cassette:
        assert [m.sid for m in other.messages.list()] == []
        assert [m.sid for m in other.messages.list()] == [sid]  # the second recorded answer
        assert [m.sid for m in other.messages.list()] == [sid]  # after the last, the last
    assert len(cassette.played) == 3


def test_a_refusal_names_the_file_the_request_the_nearest_and_the_differences(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "near.yaml"
    _record(
        server,
        path,
        ("GET", "Calls.json", {}),
        ("POST", "Messages.json", {"data": {"To": TO, "From": FROM, "Body": "recorded"}}),
        ("GET", "Messages.json", {"params": {"PageSize": "20"}}),
    )
    with use_cassette(path), pytest.raises(CassetteError) as caught:
        requests.post(
            _url(OTHER), data={"To": TO, "From": FROM, "Body": "sent"}, params={"Async": "1"}, timeout=5
        )
    message = str(caught.value)
    placeholder = "AC00000000000000000000000000000001"
    assert str(path) in message and "mode 'none'" in message
    assert f"POST {_url(placeholder)}?Async=1" in message  # the request, scrubbed
    assert "The nearest recorded request (#2 of 3):" in message
    assert 'body.Body: recorded "recorded", sent "sent"' in message
    assert 'query.Async: recorded (absent), sent "1"' in message
    assert 'mode="new_episodes"' in message and "--twilio-record-mode=new_episodes" in message
    assert OTHER not in message


def test_a_refusal_names_a_different_method_and_path(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "path.yaml"
    _record(server, path, ("GET", "Messages.json", {}))
    with use_cassette(path), pytest.raises(CassetteError) as caught:
        requests.delete(_url(OTHER, "Calls.json"), timeout=5)
    assert 'method: recorded "GET", sent "DELETE"' in str(caught.value)
    assert "path: recorded" in str(caught.value) and "Calls.json" in str(caught.value)
