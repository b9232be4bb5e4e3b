"""The YAML format: a header, decoded bodies, allow-listed headers, the same bytes for the same
session."""

from __future__ import annotations

import re
from pathlib import Path

import requests
import yaml

from tests.cassettes.conftest import FROM, TO, Server, start_server
from twilio_mock.cassettes import use_cassette
from twilio_mock.cassettes.serialize import FORMAT

STAMP = re.compile(r"recorded_at: .*")


def _session(server: Server, path: Path) -> str:
    client = server.client()
    with use_cassette(path, mode="once", record_url=server.url):
        sent = client.messages.create(to=TO, from_=FROM, body="Über ✓\nsecond line")
        client.messages(sent.sid).fetch()
        client.messages.list(to=TO, limit=5)
        client.verify.v2.services.create(friendly_name="Sign-in")
    return path.read_text(encoding="utf-8")


def test_the_same_session_writes_the_same_bytes(tmp_path: Path) -> None:
    texts = []
    for name in ("one", "two"):
        running = start_server(seed=4)
        try:
            texts.append(_session(running, tmp_path / f"{name}.yaml"))
        finally:
            running.thread.stop()
    assert STAMP.sub("", texts[0]) == STAMP.sub("", texts[1])
    assert len(STAMP.findall(texts[0])) == 4


def test_bodies_are_decoded_and_only_allowed_headers_are_kept(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "format.yaml"
    text = _session(server, path)
    document = yaml.safe_load(text)
    assert text.startswith(f"format: {FORMAT}\ninteractions:\n")
    create, fetch, listing, service = document["interactions"]
    assert create["request"]["form"] == {"Body": "Über ✓\nsecond line", "From": FROM, "To": TO}
    assert list(create["request"]["form"]) == ["Body", "From", "To"]  # sorted
    assert "second line" in text and "\\u" not in text and "Body: |-" in text  # readable
    assert create["request"]["headers"] == {"Content-Type": "application/x-www-form-urlencoded"}
    assert fetch["request"]["headers"] == {}  # no User-Agent, Accept... and no Authorization
    assert create["response"]["headers"] == {"Content-Type": "application/json"}
    assert create["response"]["status"] == 201 and create["response"]["json"]["body"] == "Über ✓\nsecond line"
    assert "?" not in listing["request"]["url"] and listing["request"]["query"] == {"PageSize": "5", "To": TO}
    assert service["request"]["url"] == "https://verify.twilio.com/v2/Services"
    keys = list(service["response"]["json"])
    assert keys == sorted(keys)


def test_repeated_fields_json_and_text_bodies(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "bodies.yaml"
    base = f"https://api.twilio.com/2010-04-01/Accounts/{server.account_sid}"
    auth = (server.account_sid, server.auth_token)
    with use_cassette(path, mode="once", record_url=server.url):
        requests.post(
            f"{base}/Messages.json",
            data=[
                ("To", TO),
                ("MediaUrl", "https://b.example/2"),
                ("From", FROM),
                ("MediaUrl", "https://a.example/1"),
            ],
            auth=auth,
            timeout=10,
        )
        requests.post(
            "https://iam.twilio.com/v1/Account/OAuthApps",
            json={"type": "client_credentials"},
            auth=auth,
            timeout=10,
        )
        requests.post(
            f"{base}/Calls.json",
            data="plain text",
            headers={"Content-Type": "text/plain"},
            auth=auth,
            timeout=10,
        )
    media, oauth, text = (i["request"] for i in yaml.safe_load(path.read_text())["interactions"])
    assert media["form"]["MediaUrl"] == ["https://b.example/2", "https://a.example/1"]  # in the order sent
    assert oauth["json"] == {"type": "client_credentials"} and "form" not in oauth
    assert text["body"] == "plain text" and text["headers"] == {"Content-Type": "text/plain"}
