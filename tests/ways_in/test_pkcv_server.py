"""PKCV over the real HTTP server: the request hash covers the URL exactly as sent."""

from __future__ import annotations

import pytest

from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.transport import MockTransport
from twilio_sdk import Client, RestException
from twilio_sdk.http.http_client import TwilioHttpClient
from twilio_sdk.http.validation_client import ValidationClient
from twilio_sdk.jwt.validation import generate_key_pair


def test_signed_requests_pass_and_unsigned_fail_over_loopback(server_app: MockServerApp) -> None:
    backend = Backend(seed=11)
    server_app.backend = backend
    private, public = generate_key_pair()
    admin = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    key = admin.new_keys.create(friendly_name="pkcv")
    credential = admin.accounts.v1.credentials.public_key.create(public_key=public, friendly_name="ci")
    backend.require_pkcv(backend.account_sid)
    base = server_app.url  # type: ignore[attr-defined]

    signing = ValidationClient(
        account_sid=backend.account_sid,
        api_key_sid=key.sid,
        credential_sid=credential.sid,
        private_key=private,
        http_client=TwilioHttpClient(),
    )
    client = Client(
        key.sid, key.secret, backend.account_sid, http_client=signing, api_base=base, environment={}
    )
    sent = client.messages.create(to="+15558675310", from_="+15017122661", body="signed")
    assert sent.body == "signed"
    assert [m.sid for m in client.messages.list(limit=5)] == [sent.sid]

    unsigned = Client(key.sid, key.secret, backend.account_sid, api_base=base, environment={})
    with pytest.raises(RestException) as info:
        unsigned.messages.list()
    assert (info.value.status, info.value.code) == (401, 70052)
