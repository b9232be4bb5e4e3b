"""PKCV: canonical request and ClientValidationJwt, checked against the official helper."""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import urlencode

import jwt as pyjwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.http.validation_client import ValidationPayload
from twilio.jwt.validation import ClientValidationJwt as TheirJwt

from twilio_sdk.jwt.validation import (
    ClientValidationJwt,
    ValidationJwtError,
    ValidationRequest,
    canonical_query,
    canonical_request,
    generate_key_pair,
    load_private_key,
    request_hash,
    verify_validation_jwt,
)

AC = "AC" + "a" * 32
SK = "SK" + "b" * 32
CR = "CR" + "c" * 32
AUTH = "Basic " + base64.b64encode(f"{SK}:secret".encode()).decode()
HEADERS = {"Authorization": AUTH, "Host": "api.twilio.com", "User-Agent": "x"}


@pytest.fixture(scope="module")
def keys():
    return generate_key_pair()


@pytest.fixture(scope="module")
def key_objects(keys):
    """Parsed keys: signing with a PEM string re-parses it every time (slow)."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return load_private_key(keys[0]), load_pem_public_key(keys[1].encode())


def test_generated_key_pair_is_2048_bit_rsa(keys):
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    private, public = keys
    key = load_pem_private_key(private.encode(), password=None)
    assert key.key_size == 2048 and key.public_key().public_numbers().e == 65537
    assert public.startswith("-----BEGIN PUBLIC KEY-----")


def test_canonical_request_layout():
    text = canonical_request("post", "/2010-04-01/Accounts.json", "b=2&a=1&a=0", HEADERS, "FriendlyName=x")
    assert text.split("\n") == [
        "POST",
        "/2010-04-01/Accounts.json",
        "a=0&a=1&b=2",
        f"authorization:{AUTH}",
        "host:api.twilio.com",
        "",
        "authorization;host",
        hashlib.sha256(b"FriendlyName=x").hexdigest(),
    ]
    assert canonical_request("GET", "/", "", HEADERS, None).endswith("authorization;host\n")
    assert canonical_query({"b": ["2", "1"], "a": "x y"}) == "a=x+y&b=1&b=2"
    with pytest.raises(KeyError, match="host"):
        canonical_request("GET", "/", "", {"Authorization": AUTH}, None)


def test_token_header_and_claims(keys):
    private, public = keys
    request = ValidationRequest("GET", "/v1/Services", "PageSize=20", HEADERS)
    before = int(time.time())
    token = ClientValidationJwt(AC, SK, CR, private, request).to_jwt()
    assert pyjwt.get_unverified_header(token) == {
        "typ": "JWT",
        "alg": "RS256",
        "cty": "twilio-pkrv;v=1",
        "kid": CR,
    }
    claims = pyjwt.decode(token, public, algorithms=["RS256"])
    assert claims["iss"] == SK and claims["sub"] == AC
    assert claims["hrh"] == "authorization;host"
    assert claims["rqh"] == request_hash(request)
    assert before <= claims["nbf"] and claims["exp"] == claims["nbf"] + 300


# Same hrh/rqh as the official ClientValidationJwt ---------------------------------------------------
methods = st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH"])
segments = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789-_.~%", min_size=1, max_size=12)
paths = st.lists(segments, min_size=0, max_size=4).map(lambda parts: "/" + "/".join(parts))
pairs = st.lists(
    st.tuples(st.sampled_from(["To", "From", "Body", "a", "A", "z", "Page"]), st.text(max_size=8)), max_size=6
)
bodies = st.none() | st.just("") | st.text(max_size=40) | pairs.map(urlencode)


@settings(deadline=None)
@given(
    method=methods,
    path=paths,
    query=pairs.map(urlencode),
    body=bodies,
    host=st.sampled_from(["api.twilio.com", "127.0.0.1:4010"]),
)
def test_hashes_match_official(key_objects, method, path, query, body, host):
    private, public = key_objects
    headers = {"Authorization": AUTH, "Host": host, "Accept": "application/json"}
    ours = ClientValidationJwt(
        AC, SK, CR, private, ValidationRequest(method, path, query, headers, body)
    ).to_jwt()
    payload = ValidationPayload(
        method, path, query, {k.lower(): v for k, v in headers.items()}, ["authorization", "host"], body
    )
    theirs = TheirJwt(AC, SK, CR, private, payload).to_jwt()
    our_claims = pyjwt.decode(ours, public, algorithms=["RS256"])
    their_claims = pyjwt.decode(theirs, public, algorithms=["RS256"])
    assert (our_claims["hrh"], our_claims["rqh"]) == (their_claims["hrh"], their_claims["rqh"])
    assert pyjwt.get_unverified_header(ours) == pyjwt.get_unverified_header(theirs)
    # The official payload type is accepted as is.
    assert (
        pyjwt.decode(
            ClientValidationJwt(AC, SK, CR, private, payload).to_jwt(), public, algorithms=["RS256"]
        )["rqh"]
        == our_claims["rqh"]
    )


# Verification (what the mock does) ----------------------------------------------------------------
REQUEST = ValidationRequest(
    "POST", "/2010-04-01/Accounts/AC1/Messages.json", "b=1&a=2", HEADERS, "To=%2B1&Body=hi"
)


def sign(private, request=REQUEST, **kwargs):
    return ClientValidationJwt(AC, SK, CR, private, request, **kwargs).to_jwt()


def test_verify_accepts_the_signed_request(keys):
    private, public = keys
    claims = verify_validation_jwt(sign(private), public, REQUEST)
    assert claims["sub"] == AC
    lookups = []

    def by_kid(header, claims):
        lookups.append((header["kid"], claims["iss"]))
        return public if header["kid"] == CR else None

    verify_validation_jwt(sign(private), by_kid, REQUEST)
    assert lookups == [(CR, SK)]


@pytest.mark.parametrize(
    "change",
    [
        {"method": "GET"},
        {"path": "/2010-04-01/Accounts/AC1/Calls.json"},
        {"query": "b=1&a=3"},
        {"headers": {**HEADERS, "Host": "evil.example.com"}},
        {"headers": {**HEADERS, "Authorization": "Basic Zm9vOmJhcg=="}},
        {"body": "To=%2B1&Body=hi!"},
    ],
)
def test_verify_rejects_a_changed_request(keys, change):
    private, public = keys
    tampered = ValidationRequest(**{**REQUEST.__dict__, **change})
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(sign(private), public, tampered)
    assert info.value.code == 70156


def test_verify_error_codes(keys):
    private, public = keys
    other_private, _ = generate_key_pair()
    cases = {
        70052: lambda: verify_validation_jwt(None, public, REQUEST),
        20152: lambda: verify_validation_jwt("garbage", public, REQUEST),
        20151: lambda: verify_validation_jwt(sign(other_private), public, REQUEST),
        70155: lambda: verify_validation_jwt(sign(private, signed_headers=["host"]), public, REQUEST),
        20156: lambda: verify_validation_jwt(sign(private), public, REQUEST, now=time.time() + 301),
        20157: lambda: verify_validation_jwt(sign(private, ttl=3600), public, REQUEST, max_ttl=300),
    }
    for code, attempt in cases.items():
        with pytest.raises(ValidationJwtError) as info:
            attempt()
        assert info.value.code == code, code
    wrong_cty = pyjwt.encode(
        {"iss": SK, "sub": AC}, private, algorithm="RS256", headers={"cty": "twilio-fpa;v=1", "kid": CR}
    )
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(wrong_cty, public, REQUEST)
    assert info.value.code == 20152
    no_issuer = pyjwt.encode(
        {"sub": AC}, private, algorithm="RS256", headers={"cty": "twilio-pkrv;v=1", "kid": CR}
    )
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(no_issuer, public, REQUEST)
    assert info.value.code == 20153
    no_kid = pyjwt.encode(
        {"iss": SK, "sub": AC}, private, algorithm="RS256", headers={"cty": "twilio-pkrv;v=1"}
    )
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(no_kid, public, REQUEST)
    assert info.value.code == 20152
    missing_host = ValidationRequest(
        REQUEST.method, REQUEST.path, REQUEST.query, {"Authorization": AUTH}, REQUEST.body
    )
    with pytest.raises(ValidationJwtError) as info:
        verify_validation_jwt(sign(private), public, missing_host)
    assert info.value.code == 70155
