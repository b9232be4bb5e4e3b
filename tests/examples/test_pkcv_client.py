"""examples/pkcv_client.py against the mock in-process: the public key is uploaded through the
API, the account then requires PKCV, and the example's signed request goes through while an
unsigned one is refused with 70052."""

from __future__ import annotations

import pytest

from tests.examples.loading import load, run_help
from twilio_mock import Backend, MockTransport
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException

example = load("pkcv_client")
TO, FROM = "+15558675310", "+15017122661"


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=0)


def test_signed_message_under_enforced_pkcv(backend: Backend) -> None:
    transport = MockTransport(backend)
    admin = Client(backend.account_sid, backend.auth_token, http_client=transport, environment={})
    enforced: list[str] = []

    def enforce(signer: object) -> None:
        backend.require_pkcv(backend.account_sid)
        enforced.append(backend.account_sid)

    lines: list[str] = []
    signer, sid = example.run(
        admin, TO, FROM, "signed", http_client=transport, before_sending=enforce, out=lines.append
    )
    assert enforced and signer.credential_sid.startswith("CR") and signer.api_key.startswith("SK")
    assert transport.last_request.header("Twilio-Client-Validation")
    assert lines[-1].startswith(f"Sent {sid}")
    # The same account without a signature is refused now...
    with pytest.raises(RestException) as info:
        admin.messages(sid).fetch()
    assert (info.value.status, info.value.code) == (401, 70052)
    # ...and a signed client reads the message back.
    assert example.signed_client(signer, http_client=transport).messages(sid).fetch().body == "signed"


def test_main_with_a_given_key_and_a_key_file(backend: Backend, tmp_path, capsys) -> None:
    transport = MockTransport(backend)
    admin = Client(backend.account_sid, backend.auth_token, http_client=transport, environment={})
    key = admin.new_keys.create(friendly_name="given")
    env = {
        "TWILIO_ACCOUNT_SID": backend.account_sid,
        "TWILIO_AUTH_TOKEN": backend.auth_token,
        "TWILIO_API_KEY": key.sid,
        "TWILIO_API_SECRET": key.secret,
    }
    key_file = tmp_path / "private.pem"
    assert example.main(["--key-file", str(key_file)], env=env, http_client=transport) == 0
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert f"signing with API key {key.sid}" in capsys.readouterr().out
    assert [k.sid for k in admin.keys.list()] == [key.sid]  # no extra key was made
    assert len(admin.accounts.v1.credentials.public_key.list()) == 1


def test_main_reports_refusals(backend: Backend, capsys) -> None:
    env = {"TWILIO_ACCOUNT_SID": backend.account_sid, "TWILIO_AUTH_TOKEN": "wrong"}
    assert example.main([], env=env, http_client=MockTransport(backend)) == 1
    assert "code 20003" in capsys.readouterr().err
    assert example.main([], env={}, http_client=MockTransport(backend)) == 2


def test_runs_as_a_script() -> None:
    assert "--key-file" in run_help("pkcv_client")
