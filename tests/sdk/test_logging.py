"""Opt-in request logging with credentials, tokens and signatures redacted."""

from __future__ import annotations

import logging
import subprocess
import sys

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client

ACCOUNT = "AC" + "a" * 32
TOKEN = "supersecret-auth-token-value"


def test_debug_log_shows_the_request_and_redacts_secrets(caplog) -> None:
    rec = Recorder(reply=json_reply(201, {"sid": "SM1"}))
    client = Client(ACCOUNT, TOKEN, http_client=rec, environment={})
    with caplog.at_level(logging.DEBUG, logger="twilio_sdk"):
        client.messages.create(to="+15005550001", from_="+15005550006", body="hello")
        client.api.v2010.account.sip.credential_lists("CL1").credentials.create(
            username="u", password="hunter2-pass"
        )
    text = caplog.text
    assert "POST https://api.twilio.com/2010-04-01/Accounts/" in text
    assert "-> 201 in" in text and "'Body': 'hello'" in text
    assert TOKEN not in text and "hunter2-pass" not in text
    assert "Authorization" not in text or "'Authorization': '***'" in text


def test_signature_and_validation_headers_are_redacted(caplog) -> None:
    rec = Recorder(reply=json_reply(200, {"sid": "SM1"}))
    client = Client(ACCOUNT, TOKEN, http_client=rec, environment={})
    with caplog.at_level(logging.DEBUG, logger="twilio_sdk"):
        client.request(
            "GET",
            "https://api.twilio.com/x",
            headers={"Twilio-Client-Validation": "jwt-abc", "X-Twilio-Signature": "sig"},
        )
    assert "jwt-abc" not in caplog.text and "'X-Twilio-Signature': '***'" in caplog.text


def test_nothing_is_logged_by_default(caplog) -> None:
    rec = Recorder(reply=json_reply(200, {"sid": "SM1"}))
    with caplog.at_level(logging.WARNING):
        Client(ACCOUNT, TOKEN, http_client=rec, environment={}).messages("SM1").fetch()
    assert caplog.text == ""


def test_log_level_env_shows_requests_without_touching_the_root_logger() -> None:
    code = (
        "import logging, sys\n"
        "from twilio_sdk import Client\n"
        "from tests.sdk.recording import Recorder, json_reply\n"
        "c = Client('AC' + 'a' * 32, 'tok-xyz-secret', http_client=Recorder(reply=json_reply(200, {'sid': 'SM1'})),"
        " environment={'TWILIO_LOG_LEVEL': 'debug'})\n"
        "c.messages('SM1').fetch()\n"
        "assert not logging.getLogger().handlers, 'root logger was configured'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "GET https://api.twilio.com/2010-04-01/Accounts/" in out.stderr
    assert "tok-xyz-secret" not in out.stderr


class StaticTokens:
    """A token manager handing out one bearer token (what an OAuth provider caches)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def fetch_access_token(self) -> str:
        return self.token


def test_bearer_tokens_never_reach_the_debug_log(caplog) -> None:
    from twilio_sdk.credential.provider import CredentialProvider

    bearer = "eyJhbGciOiJIUzI1NiJ9.bearer-secret-payload.sig"
    rec = Recorder(reply=json_reply(200, {"sid": "SM1"}))
    client = Client(
        account_sid=ACCOUNT,
        credential_provider=CredentialProvider(StaticTokens(bearer)),
        http_client=rec,
        environment={},
    )
    with caplog.at_level(logging.DEBUG, logger="twilio_sdk"):
        client.messages("SM1").fetch()
        Client(ACCOUNT, TOKEN, http_client=rec, environment={}).request(
            "GET", "https://api.twilio.com/x", headers={"authorization": "Bearer custom-bearer-value"}
        )
    assert rec.sent[0].headers["Authorization"] == f"Bearer {bearer}"  # it was sent...
    assert rec.sent[1].headers["authorization"] == "Bearer custom-bearer-value"
    text = caplog.text
    assert "bearer-secret-payload" not in text and "custom-bearer-value" not in text  # ...never logged
    assert "'Authorization': '***'" in text and "'authorization': '***'" in text
