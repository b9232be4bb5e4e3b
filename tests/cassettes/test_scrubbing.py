"""Scrubbing: no secret reaches the file, in any form, for every kind of credential; account
placeholders that replay with any account; named placeholders; stable faker values."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.cassettes.conftest import FROM, TO, Server, network_off, other_client, start_server
from twilio_mock.cassettes import use_cassette
from twilio_sdk import Client
from twilio_sdk.credential import ClientCredentialProvider
from twilio_sdk.http.http_client import TwilioHttpClient
from twilio_sdk.http.validation_client import ValidationClient
from twilio_sdk.jwt.validation import generate_key_pair

EXTRA = "extra-secret-given-by-the-test"
FROM_ENV = "env-token-from-TWILIO_EXTRA_TOKEN"
PLACEHOLDER = "AC00000000000000000000000000000001"
SUB_FROM = "+14155550177"  # a number the subaccount buys to send from
KEY_PAIR = generate_key_pair()  # one pair: the replay uploads the same public key


class Capture(TwilioHttpClient):
    """The requests transport, keeping every header it sends (to know the PKCV tokens)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[dict[str, str]] = []

    def request(self, method: str, url: str, *args: Any, headers: Any = None, **kwargs: Any) -> Any:
        self.sent.append(dict(headers or {}))
        return super().request(method, url, *args, headers=headers, **kwargs)


def credential_session(admin: Client, account_sid: str, clock: Any = None) -> dict[str, Any]:
    """Every credential type: auth token, an API key, an OAuth app's bearer token, PKCV."""
    seen: dict[str, Any] = {"users": [account_sid]}
    seen["auth_token"] = admin.api.v2010.accounts(account_sid).fetch().auth_token
    key = admin.new_keys.create(friendly_name="ci")
    seen.update(key_sid=key.sid, key_secret=key.secret, users=[account_sid, key.sid])
    keyed = Client(key.sid, key.secret, account_sid, environment={})
    seen["keyed"] = keyed.messages.create(to=TO, from_=FROM, body="over an API key").sid
    app = admin.iam.v1.o_auth_apps.create({"type": "client_credentials", "friendly_name": "ci"})
    seen.update(app_sid=app.sid, app_secret=app.secret)
    seen["users"].append(app.sid)
    provider = ClientCredentialProvider(app.sid, app.secret, **({"clock": clock} if clock else {}))
    oauth = Client(credential_provider=provider, account_sid=account_sid, environment={})
    seen["bearer"] = oauth.messages.create(to=TO, from_=FROM, body="over OAuth").sid
    private_pem, public_pem = KEY_PAIR
    credential = admin.accounts.v1.credentials.public_key.create(public_key=public_pem)
    capture = Capture()
    signer = ValidationClient(account_sid, key.sid, credential.sid, private_pem, http_client=capture)
    signed = Client(key.sid, key.secret, account_sid, http_client=signer, environment={})
    seen["signed_hook"] = signed
    seen["pkcv"] = capture
    seen["credential"] = credential.sid
    return seen


def signed_message(seen: dict[str, Any]) -> str:
    return str(seen["signed_hook"].messages.create(to=TO, from_=FROM, body="signed").sid)


def other_secrets(account_sid: str, token: str) -> str:
    """A webhook-like request with a signature and a cookie, and a body holding two secrets."""
    url = f"https://api.twilio.com/2010-04-01/Accounts/{account_sid}/Messages.json"
    headers = {"X-Twilio-Signature": "signature-of-a-webhook-0123", "Cookie": "session=cookie-value-0123"}
    basic = base64.b64encode(f"{account_sid}:{token}".encode()).decode()  # as in a pasted header
    body = {
        "To": TO,
        "From": FROM,
        "Body": f"{EXTRA} and {FROM_ENV}",
        "StatusCallback": f"https://x.example/?auth={basic}",
    }
    answer = requests.post(url, data=body, headers=headers, auth=(account_sid, token), timeout=10)
    return str(answer.json()["sid"])


def _forms(value: str) -> set[str]:
    raw = value.encode()
    out = {value}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        out |= {encoded.decode(), encoded.decode().rstrip("=")}
    return out


def record_credentials(server: Server, path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("TWILIO_EXTRA_TOKEN", FROM_ENV)
    with use_cassette(path, mode="once", record_url=server.url, secrets=[EXTRA]) as cassette:
        seen = credential_session(server.client(), server.account_sid, server.backend.clock.now)
        server.backend.require_pkcv()  # the signed request must pass the server's check
        seen["signed"] = signed_message(seen)
        server.backend.require_pkcv(required=False)
        seen["other"] = other_secrets(server.account_sid, server.auth_token)
    monkeypatch.delenv("TWILIO_EXTRA_TOKEN")
    seen["cassette"] = cassette
    return seen


def test_no_secret_of_any_credential_reaches_the_file(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "credentials.yaml"
    seen = record_credentials(server, path, monkeypatch)
    tokens = [
        json.loads(entry.body)["access_token"]
        for entry in server.backend.journal
        if entry.path == "/v2/token" and entry.status == 200
    ]
    pkcv = [h["Twilio-Client-Validation"] for h in seen["pkcv"].sent if "Twilio-Client-Validation" in h]
    assert tokens and pkcv and seen["auth_token"] == server.auth_token
    secrets = [
        server.auth_token,
        seen["key_secret"],
        seen["app_secret"],
        *tokens,
        *pkcv,
        EXTRA,
        FROM_ENV,
        "signature-of-a-webhook-0123",
        "cookie-value-0123",
    ]
    data = path.read_bytes().decode()
    for secret in secrets:
        for user in ["", *seen["users"]]:
            for form in _forms(f"{user}:{secret}" if user else secret):
                assert form not in data, f"{secret[:12]}... ({form[:20]}...) is in the cassette"
    for name in (
        "Authorization",
        "Twilio-Client-Validation",
        "X-Twilio-Signature",
        "Cookie",
        "Basic ",
        "Bearer ey",
    ):
        assert name.lower() not in data.lower()
    assert server.account_sid not in data and PLACEHOLDER in data
    for jwt in re.findall(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*", data):  # only the stand-ins are left
        header, claims, signature = jwt.split(".")
        assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "none", "typ": "JWT"}
        assert json.loads(base64.urlsafe_b64decode(claims + "=="))["exp"] == 4102444800
        assert signature == "scrubbed"
    assert "SCRUBBED_SECRET_" in data
    stored = seen["cassette"].recorded
    token_answer = next(i for i in stored if i["request"]["url"] == "https://oauth.twilio.com/v2/token")
    assert token_answer["request"]["form"]["client_secret"].startswith("SCRUBBED_SECRET_")
    assert token_answer["request"]["form"]["client_id"] == seen["app_sid"]
    stand_in = token_answer["response"]["json"]["access_token"]
    assert stand_in.endswith(".scrubbed") and stand_in in re.findall(r"eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*", data)


def test_the_credential_session_replays_offline_with_other_credentials(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "credentials.yaml"
    live = record_credentials(server, path, monkeypatch)
    server.thread.stop()
    attempts = network_off(monkeypatch)
    other = other_client()
    monkeypatch.setenv("TWILIO_EXTRA_TOKEN", FROM_ENV)  # the body holding them matches scrubbed
    with use_cassette(path, secrets=[EXTRA]) as cassette:
        again = credential_session(other, other.account_sid)
        again["signed"] = signed_message(again)
        again["other"] = other_secrets(other.account_sid, "not-the-recorded-token")
    assert attempts == []
    for name in ("keyed", "bearer", "signed", "other", "key_sid", "app_sid", "credential"):
        assert again[name] == live[name], name
    assert again["auth_token"].startswith("SCRUBBED_SECRET_")
    assert len(cassette.played) == len(cassette.interactions)


def test_accounts_become_placeholders_in_order_and_any_accounts_replay(
    server: Server, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.yaml"
    admin = server.client()
    with use_cassette(path, mode="once", record_url=server.url):
        sub = admin.api.v2010.accounts.create(friendly_name="team")
        as_sub = Client(sub.sid, sub.auth_token, environment={})
        as_sub.incoming_phone_numbers.create(phone_number=SUB_FROM)  # a sender of its own
        as_sub.messages.create(to=TO, from_=SUB_FROM, body="from the subaccount")
        admin.messages.create(to=TO, from_=FROM, body="from the main account")
    data = path.read_text()
    assert set(re.findall(r"AC[0-9a-f]{32}", data)) == {PLACEHOLDER, "AC" + "0" * 31 + "2"}
    assert sub.sid not in data and server.account_sid not in data
    server.thread.stop()
    main = other_client()
    with use_cassette(path) as cassette:
        replayed = main.api.v2010.accounts.create(friendly_name="team")
        assert replayed.owner_account_sid == main.account_sid
        second = Client(replayed.sid, replayed.auth_token, environment={})
        second.incoming_phone_numbers.create(phone_number=SUB_FROM)
        assert (
            second.messages.create(to=TO, from_=SUB_FROM, body="from the subaccount").account_sid
            == replayed.sid
        )
        assert (
            main.messages.create(to=TO, from_=FROM, body="from the main account").account_sid
            == main.account_sid
        )
    assert len(cassette.played) == 4


def test_named_placeholders_are_written_and_put_back(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "named.yaml"
    client = server.client()
    with use_cassette(path, mode="once", record_url=server.url) as first:
        service = client.verify.v2.services.create(friendly_name="Acme sign-in")
        client.verify.v2.services(service.sid).fetch()
    names = {service.sid: "VA_SIGN_IN_SERVICE", "Acme": "ExampleCo"}
    path.unlink()
    with use_cassette(path, mode="once", record_url=server.url, placeholders=names):
        client.verify.v2.services(service.sid).update(friendly_name="Acme sign-in")
    data = path.read_text()
    assert service.sid not in data and "Acme" not in data
    assert "VA_SIGN_IN_SERVICE" in data and "friendly_name: ExampleCo sign-in" in data
    assert first.recorded[0]["response"]["json"]["sid"] == service.sid  # without names: as it was
    with use_cassette(path, placeholders=names):
        updated = other_client().verify.v2.services(service.sid).update(friendly_name="Acme sign-in")
    assert (updated.sid, updated.friendly_name) == (service.sid, "Acme sign-in")


def _faked(path: Path, seed: int, server: Server) -> str:
    with use_cassette(
        path, mode="rewrite", record_url=server.url, scrub_numbers=True, scrub_bodies=True, seed=seed
    ):
        client = server.client()
        sid = client.messages.create(to=TO, from_=FROM, body="The code is 123456").sid
        client.messages(sid).fetch()
        client.incoming_phone_numbers.create(phone_number="+447400123456")  # a UK sender of its own
        client.messages.create(to=TO, from_="+447400123456", body="Another body")
    return path.read_text()


def test_numbers_and_bodies_become_stable_fakes(tmp_path: Path) -> None:
    first, again, reseeded = (start_server(), start_server(), start_server())
    try:
        one = _faked(tmp_path / "one.yaml", 7, first)
        two = _faked(tmp_path / "two.yaml", 7, again)
        three = _faked(tmp_path / "three.yaml", 8, reseeded)
    finally:
        for running in (first, again, reseeded):
            running.thread.stop()
    strip = re.compile(r"recorded_at: .*")
    assert strip.sub("", one) == strip.sub("", two)  # same seed, same session: same bytes
    for real in ("5558675310", "5017122661", "7400123456", "The code is 123456", "Another body"):
        assert real not in one
    numbers = re.findall(r"\+\d{11,12}", one)
    to_fake = {n for n in numbers if n.startswith("+1") and len(n) == len(TO)}
    assert len(to_fake) == 2  # To and From: the same fake wherever each appears
    assert any(n.startswith("+4") and len(n) == 13 for n in numbers)  # length and first digit kept
    assert strip.sub("", three) != strip.sub("", one)  # another seed, other fakes


def test_a_fake_depends_on_the_value_not_on_the_order_met(server: Server, tmp_path: Path) -> None:
    def fakes(name: str, *to: str) -> list[str]:
        with use_cassette(
            tmp_path / name, mode="once", record_url=server.url, scrub_numbers=True
        ) as cassette:
            for number in to:
                server.client().messages.create(to=number, from_=FROM, body="x")
        return [i["request"]["form"]["To"] for i in cassette.recorded]

    alone = fakes("alone.yaml", TO)
    after = fakes("after.yaml", "+447700900123", "+14155550100", TO)
    assert alone[0] == after[2] != TO


def test_fakes_replay_as_the_real_values(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "fakes.yaml"
    _faked(path, 7, server)
    server.thread.stop()
    with use_cassette(path, scrub_numbers=True, scrub_bodies=True, seed=7):
        client = other_client()
        sent = client.messages.create(to=TO, from_=FROM, body="The code is 123456")
        assert (sent.to, sent.from_, sent.body) == (TO, FROM, "The code is 123456")
        assert client.messages(sent.sid).fetch().body == "The code is 123456"
    with (
        use_cassette(path, scrub_numbers=True, scrub_bodies=True, seed=8),
        pytest.raises(Exception, match="no interaction"),
    ):
        other_client().messages.create(to=TO, from_=FROM, body="The code is 123456")
