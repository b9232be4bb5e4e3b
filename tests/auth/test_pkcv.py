"""ValidationClient: every request carries a Twilio-Client-Validation token that verifies
against the request as the server receives it, and matches the official client's hashes."""

from __future__ import annotations

import re

import jwt as pyjwt
import pytest
import responses
from twilio.http.validation_client import ValidationClient as TheirValidationClient

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client, TwilioException
from twilio_sdk.http.http_client import TwilioHttpClient
from twilio_sdk.http.validation_client import ValidationClient
from twilio_sdk.jwt.validation import (
    ValidationJwtError,
    ValidationRequest,
    generate_key_pair,
    verify_validation_jwt,
)

AC = "AC" + "a" * 32
SK = "SK" + "b" * 32
CR = "CR" + "c" * 32
SECRET = "api-key-secret"
MESSAGE = {"sid": "SM" + "d" * 32, "status": "queued", "account_sid": AC}


@pytest.fixture(scope="module")
def keys():
    return generate_key_pair()


@pytest.fixture
def recorder():
    return Recorder(reply=json_reply(201, MESSAGE))


@pytest.fixture
def client(keys, recorder):
    transport = ValidationClient(AC, SK, CR, keys[0], http_client=recorder)
    return Client(SK, SECRET, AC, http_client=transport, environment={})


def received(sent) -> ValidationRequest:
    """The request as a server sees it (what the mock will do)."""
    assert sent.params is None and sent.auth is None
    return ValidationRequest.from_url(sent.method, sent.url, sent.headers, sent.data)


def test_create_is_signed_and_verifies(client, recorder, keys):
    client.messages.create(to="+15005550006", from_="+15005550001", body="héllo & bye")
    sent = recorder.last
    token = sent.headers["Twilio-Client-Validation"]
    assert sent.headers["Authorization"].startswith("Basic ")
    assert sent.headers["Host"] == "api.twilio.com"
    assert isinstance(sent.data, str) and "Body=h%C3%A9llo+%26+bye" in sent.data
    assert pyjwt.get_unverified_header(token)["kid"] == CR
    claims = verify_validation_jwt(token, keys[1], received(sent))
    assert (claims["iss"], claims["sub"], claims["hrh"]) == (SK, AC, "authorization;host")


def test_list_query_is_signed(client, recorder, keys):
    recorder.reply = json_reply(200, {"messages": [], "next_page_uri": None})
    client.messages.list(to="+15005550006", limit=5)
    sent = recorder.last
    assert sent.method == "GET" and "?" in sent.url and sent.data is None
    verify_validation_jwt(sent.headers["Twilio-Client-Validation"], keys[1], received(sent))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda r: ValidationRequest("PUT", r.path, r.query, r.headers, r.body),
        lambda r: ValidationRequest(r.method, r.path + "x", r.query, r.headers, r.body),
        lambda r: ValidationRequest(r.method, r.path, r.query + "&Extra=1", r.headers, r.body),
        lambda r: ValidationRequest(
            r.method, r.path, r.query, {**r.headers, "Host": "api.twilio.com:8443"}, r.body
        ),
        lambda r: ValidationRequest(
            r.method, r.path, r.query, {**r.headers, "Authorization": "Basic eDp5"}, r.body
        ),
        lambda r: ValidationRequest(r.method, r.path, r.query, r.headers, (r.body or "") + "&Body=more"),
    ],
    ids=["method", "path", "query", "host", "authorization", "body"],
)
def test_any_change_breaks_the_request_hash(client, recorder, keys, tamper):
    client.messages.create(
        to="+15005550006", from_="+15005550001", body="hi", status_callback="https://x.test/cb?a=1"
    )
    sent = recorder.last
    token = sent.headers["Twilio-Client-Validation"]
    verify_validation_jwt(token, keys[1], received(sent))
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(token, keys[1], tamper(received(sent)))
    assert info.value.code == 70156


def test_api_base_host_and_path_are_what_is_signed(keys, recorder):
    transport = ValidationClient(AC, SK, CR, keys[0], http_client=recorder)
    client = Client(SK, SECRET, AC, http_client=transport, api_base="http://127.0.0.1:4010", environment={})
    client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    sent = recorder.last
    assert sent.url.startswith("http://127.0.0.1:4010/api/2010-04-01/")
    assert sent.headers["Host"] == "127.0.0.1:4010"
    verify_validation_jwt(sent.headers["Twilio-Client-Validation"], keys[1], received(sent))


def test_bearer_authorization_is_signed_as_sent(keys, recorder):
    transport = ValidationClient(AC, SK, CR, keys[0], http_client=recorder)
    transport.request(
        "GET", "https://api.twilio.com/2010-04-01/Accounts.json", headers={"Authorization": "Bearer abc"}
    )
    sent = recorder.last
    assert sent.headers["Authorization"] == "Bearer abc"
    verify_validation_jwt(sent.headers["Twilio-Client-Validation"], keys[1], received(sent))


def test_unsigned_without_credentials(keys, recorder):
    transport = ValidationClient(AC, SK, CR, keys[0], http_client=recorder)
    with pytest.raises(TwilioException, match="authorization"):
        transport.request("GET", "https://api.twilio.com/2010-04-01/Accounts.json")
    assert recorder.sent == []


def test_bad_private_key_is_reported_at_construction():
    with pytest.raises(TwilioException, match="PEM"):
        ValidationClient(AC, SK, CR, "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")


# Over requests, against the official ValidationClient -------------------------------------------------
CASES = [
    (
        "GET",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        {"To": "+1 555", "PageSize": 20},
        None,
    ),
    ("GET", "https://verify.twilio.com/v2/Services?b=2&a=1", {"z": ["3", "1"], "a": "ü"}, None),
    (
        "POST",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json",
        None,
        {"To": "+15005550006", "Body": "a&b=c ü", "MediaUrl": ["https://x/1", "https://x/2"]},
    ),
    (
        "POST",
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Calls/CA1.json",
        {"x": "1"},
        {"Status": "completed"},
    ),
    ("DELETE", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/SM1.json", None, None),
    ("POST", "https://flex-api.twilio.com/v1/Configuration", None, '{"a": [1, 2]}'),
]


def _captured(send):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in ("GET", "POST", "DELETE"):
            mock.add(method, re.compile(r".*"), json={}, status=200)
        send()
        return mock.calls[0].request


@pytest.mark.parametrize(("method", "url", "params", "data"), CASES)
def test_same_hashes_as_official_client_and_wire_verifies(keys, method, url, params, data):
    private, public = keys
    ours = ValidationClient(AC, SK, CR, private, http_client=TwilioHttpClient())
    theirs = TheirValidationClient(AC, SK, CR, private)
    our_wire = _captured(lambda: ours.request(method, url, params=params, data=data, auth=(SK, SECRET)))
    their_wire = _captured(lambda: theirs.request(method, url, params=params, data=data, auth=(SK, SECRET)))
    our_claims = pyjwt.decode(our_wire.headers["Twilio-Client-Validation"], public, algorithms=["RS256"])
    their_claims = pyjwt.decode(their_wire.headers["Twilio-Client-Validation"], public, algorithms=["RS256"])
    assert (our_claims["hrh"], our_claims["rqh"]) == (their_claims["hrh"], their_claims["rqh"])
    assert our_wire.url == their_wire.url and our_wire.body == their_wire.body
    request = ValidationRequest.from_url(our_wire.method, our_wire.url, dict(our_wire.headers), our_wire.body)
    verify_validation_jwt(our_wire.headers["Twilio-Client-Validation"], public, request)
