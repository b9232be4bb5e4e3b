"""Recording through a real mock server (``record_url``) and replaying offline with other
credentials: the application sees the same answers, with its own account in them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from tests.cassettes.conftest import FROM, TO, Server, network_off, other_client
from twilio_mock.cassettes import use_cassette
from twilio_sdk import Client


def _session(client: Client) -> dict[str, Any]:
    sent = client.messages.create(to=TO, from_=FROM, body="Hello from a cassette")
    fetched = client.messages(sent.sid).fetch()
    listed = [m.sid for m in client.messages.list(limit=20)]
    service = client.verify.v2.services.create(friendly_name="Sign-in")
    return {
        "sid": sent.sid,
        "account": fetched.account_sid,
        "status": fetched.status,
        "body": fetched.body,
        "listed": listed,
        "service": service.sid,
    }


def test_records_against_the_server_and_replays_offline_with_other_credentials(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session.yaml"
    with use_cassette(path, mode="once", record_url=server.url) as cassette:
        live = _session(server.client())
    assert server.hits() == 4 and len(cassette.recorded) == 4 and cassette.played == []
    assert live["account"] == server.account_sid  # the application saw what the server said
    text = path.read_text()
    assert server.url not in text and "https://api.twilio.com/2010-04-01/Accounts/" in text
    assert server.account_sid not in text
    server.thread.stop()

    attempts = network_off(monkeypatch)
    other = other_client()
    with use_cassette(path) as replay:
        again = _session(other)
    assert attempts == []
    assert again == {**live, "account": other.account_sid}
    assert [i["request"]["method"] for i in replay.played] == ["POST", "GET", "GET", "POST"]
    assert replay.recorded == [] and replay.interactions == cassette.interactions


def test_the_recorded_answer_reaches_the_application_unscrubbed(server: Server, tmp_path: Path) -> None:
    client = server.client()
    with use_cassette(tmp_path / "keys.yaml", mode="all", record_url=server.url) as cassette:
        key = client.new_keys.create(friendly_name="ci")
    assert key.secret == server.backend.accounts.keys[key.sid][1]  # the real secret, usable
    stored = cassette.recorded[0]["response"]["json"]
    assert stored["secret"].startswith("SCRUBBED_SECRET_") and stored["sid"] == key.sid


def test_region_and_edge_variants_replay_the_same_interactions(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "hosts.yaml"
    with use_cassette(path, mode="once", record_url=server.url):
        sent = server.client().messages.create(to=TO, from_=FROM, body="Hi")
    server.thread.stop()
    with use_cassette(path) as replay:
        again = other_client(region="au1", edge="sydney").messages.create(to=TO, from_=FROM, body="Hi")
    assert again.sid == sent.sid and len(replay.played) == 1


def test_pages_are_recorded_and_followed_on_replay(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "pages.yaml"
    client = server.client()
    for n in range(5):  # straight to the server, no cassette
        server.client(api_base=server.url).messages.create(to=TO, from_=FROM, body=f"n{n}")
    with use_cassette(path, mode="once", record_url=server.url) as cassette:
        live = [m.body for m in client.messages.stream(page_size=2)]
    assert len(cassette.recorded) == 3  # pages of 2, 2 and 1, following next_page_uri
    server.thread.stop()
    with use_cassette(path):
        assert (
            [m.body for m in other_client().messages.stream(page_size=2)]
            == live
            == [f"n{n}" for n in reversed(range(5))]
        )


def test_requests_under_the_api_base_are_recorded_as_twilio_urls(server: Server, tmp_path: Path) -> None:
    """An SDK pointed at the server (``api_base``, as ``TWILIO_API_BASE`` does) is recorded too."""
    path = tmp_path / "base.yaml"
    based = server.client(api_base=server.url)
    with use_cassette(path, mode="once", record_url=server.url) as cassette:
        sid = based.messages.create(to=TO, from_=FROM, body="Hi").sid
        based.messages(sid).fetch()
    assert [i["request"]["url"].split("/Messages")[0] for i in cassette.recorded] == [
        "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001"
    ] * 2
    assert server.url not in path.read_text()
    server.thread.stop()
    with use_cassette(path):  # replayed on Twilio's own host
        assert other_client().messages(sid).fetch().body == "Hi"


def test_the_official_twilio_package_records_and_replays(server: Server, tmp_path: Path) -> None:
    from twilio.rest import Client as OfficialClient

    path = tmp_path / "official.yaml"
    with use_cassette(path, mode="once", record_url=server.url):
        sent = OfficialClient(server.account_sid, server.auth_token).messages.create(
            to=TO, from_=FROM, body="official"
        )
    server.thread.stop()
    with use_cassette(path):
        again = OfficialClient("AC" + "e" * 32, "x" * 32).messages.create(to=TO, from_=FROM, body="official")
    assert again.sid == sent.sid and again.account_sid == "AC" + "e" * 32


def test_plain_requests_see_the_recorded_status_and_headers(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    url = f"https://api.twilio.com/2010-04-01/Accounts/{server.account_sid}/Messages/SM{'0' * 32}.json"
    with use_cassette(path, mode="once", record_url=server.url):
        live = requests.get(url, auth=(server.account_sid, server.auth_token), timeout=10)
    server.thread.stop()
    with use_cassette(path):
        again = requests.get(url.replace(server.account_sid, "AC" + "1" * 32), auth=("x", "y"), timeout=10)
    assert (
        (again.status_code, again.headers["Content-Type"])
        == (live.status_code, "application/json")
        == (
            404,
            "application/json",
        )
    )
    assert again.json()["code"] == live.json()["code"] == 20404
