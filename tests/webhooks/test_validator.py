"""Signing and validating webhook signatures: reference vectors, ports, JSON bodies, shared keys."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from twilio_sdk.webhooks import (
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    add_body_hash,
    body_sha256,
    compute_signature,
    parse_signature_settings,
    port_variants,
    sign_webhook,
    signing_payload,
    validate_body,
    validate_request,
)

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+14158675309",
    "Digits": "1234",
    "From": "+14158675309",
    "To": "+18005551212",
}
JSON_BODY = '{"property": "value", "boolean": true}'


def test_reference_vectors() -> None:
    validator = RequestValidator(TOKEN)
    assert validator.compute_signature(URL, PARAMS) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert (
        validator.compute_signature(URL.replace(".com/", ".com:443/"), PARAMS)
        == "kvajT1Ptam85bY51eRf/AJRuM3w="
    )
    repeated = {"Sid": "CA123", "SidAccount": "AC123", "Digits": ["5678", "1234", "1234"]}
    assert validator.compute_signature(URL, repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    assert (
        validator.compute_hash(JSON_BODY)
        == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    )


def test_signing_payload_sorts_names_and_deduplicates_values() -> None:
    payload = signing_payload("https://x/y", {"b": ["2", "1", "2"], "a": "z", "B": "0"})
    assert payload == "https://x/yB0az" + "b1b2"


def test_every_params_shape_signs_the_same() -> None:
    pairs = [("Digits", "5678"), ("Sid", "CA123"), ("Digits", "1234"), ("SidAccount", "AC123")]
    expected = "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    assert compute_signature(TOKEN, URL, pairs) == expected
    assert compute_signature(TOKEN, URL, ImmutableMultiDict(pairs)) == expected
    assert compute_signature(TOKEN, URL, "Digits=5678&Sid=CA123&Digits=1234&SidAccount=AC123") == expected
    assert (
        compute_signature(TOKEN, URL, {"Sid": "CA123", "SidAccount": "AC123", "Digits": ("1234", "5678")})
        == expected
    )


def test_validate_accepts_both_port_variants() -> None:
    validator = RequestValidator(TOKEN)
    signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert validator.validate(URL, PARAMS, signature)
    assert validator.validate("https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, signature)
    with_port = "kvajT1Ptam85bY51eRf/AJRuM3w="
    assert validator.validate(URL, PARAMS, with_port)
    assert not validator.validate("https://mycompany.com:8443/myapp.php?foo=1&bar=2", PARAMS, signature)
    assert not validator.validate("http://mycompany.com/myapp.php?foo=1&bar=2", PARAMS, signature)


@pytest.mark.parametrize(
    ("url", "variants"),
    [
        ("https://h/x", ["https://h/x", "https://h:443/x"]),
        ("https://h:443/x?a=b", ["https://h:443/x?a=b", "https://h/x?a=b"]),
        ("http://h:80", ["http://h:80", "http://h"]),
        ("http://u:p@h/x", ["http://u:p@h/x", "http://u:p@h:80/x"]),
        ("https://[::1]:443/x", ["https://[::1]:443/x", "https://[::1]/x"]),
        ("https://h:8443/x", ["https://h:8443/x"]),
        ("ftp://h/x", ["ftp://h/x"]),
        ("not a url", ["not a url"]),
    ],
)
def test_port_variants(url: str, variants: list[str]) -> None:
    assert port_variants(url) == variants


def test_rejections() -> None:
    validator = RequestValidator(TOKEN)
    signature = validator.compute_signature(URL, PARAMS)
    assert not validator.validate(URL, PARAMS, None)
    assert not validator.validate(URL, PARAMS, "")
    assert not validator.validate(URL, {**PARAMS, "Digits": "1235"}, signature)
    assert not validator.validate(URL, {**PARAMS, "Extra": ""}, signature)
    assert not validator.validate(URL + "&x=1", PARAMS, signature)
    assert not RequestValidator("12346").validate(URL, PARAMS, signature)
    assert not validator.validate(URL, PARAMS, signature[:-2] + "A=")
    assert not validator.validate(URL, PARAMS, "ü" + signature)  # non-ASCII input does not raise
    assert validator.check(URL, PARAMS, "nope").reason.startswith("signature does not match")


def test_json_body_validation() -> None:
    signed = sign_webhook("https://example.com/hook?x=1", TOKEN, body=JSON_BODY)
    assert signed.url == "https://example.com/hook?x=1&bodySHA256=" + body_sha256(JSON_BODY)
    signature = signed.headers[SIGNATURE_HEADER]
    validator = RequestValidator(TOKEN)
    assert validator.validate(signed.url, JSON_BODY, signature)
    assert validator.validate(signed.url, JSON_BODY.encode(), signature)
    # the body must match its hash, and must be given raw
    tampered = validator.check(signed.url, JSON_BODY.replace("true", "false"), signature)
    assert not tampered and "does not match bodySHA256" in tampered.reason
    parsed = validator.check(signed.url, {"property": "value"}, signature)
    assert not parsed and "raw request body" in parsed.reason
    assert not validator.validate(signed.url, {}, signature)
    assert validate_body(JSON_BODY, body_sha256(JSON_BODY).upper())
    assert validator.validate_body(JSON_BODY, body_sha256(JSON_BODY))
    assert not validate_body(JSON_BODY + " ", body_sha256(JSON_BODY))


def test_add_body_hash_keeps_query_and_fragment() -> None:
    digest = body_sha256("{}")
    assert add_body_hash("https://h/p", "{}") == f"https://h/p?bodySHA256={digest}"
    assert add_body_hash("https://h/p?", "{}") == f"https://h/p?bodySHA256={digest}"
    assert add_body_hash("https://h/p&", "{}") == f"https://h/p&?bodySHA256={digest}"
    assert add_body_hash("https://h/p?a=1&", "{}") == f"https://h/p?a=1&bodySHA256={digest}"
    assert add_body_hash("https://h/p?a=1#frag", "{}") == f"https://h/p?a=1&bodySHA256={digest}#frag"


def test_shared_key_scheme() -> None:
    signed = sign_webhook(URL, "shared-secret", PARAMS, key_id="KS123", algorithm=HMAC_SHA256)
    assert signed.headers[SIGNATURE_SETTINGS_HEADER] == "key=KS123,algorithm=HMAC_SHA256"
    signature = signed.headers[SIGNATURE_HEADER]
    assert RequestValidator("shared-secret").validate(URL, PARAMS, signature, algorithm=HMAC_SHA256)
    assert not RequestValidator("shared-secret").validate(URL, PARAMS, signature)  # SHA1 by default
    assert not RequestValidator("shared-secret").validate(URL, PARAMS, signature, algorithm="HMAC_MD5")

    ok = validate_request(URL, signed.headers, PARAMS, auth_token=TOKEN, shared_key_secret="shared-secret")
    assert ok
    rotated = {"KS999": "old", "KS123": "shared-secret"}
    assert validate_request(URL, signed.headers, PARAMS, auth_token=TOKEN, shared_key_secret=rotated)
    unknown = validate_request(URL, signed.headers, PARAMS, auth_token=TOKEN, shared_key_secret={"KS9": "x"})
    assert not unknown and "no secret is configured" in unknown.reason
    # the auth token does not validate a shared-key signature, nor the reverse
    assert not validate_request(URL, signed.headers, PARAMS, auth_token="shared-secret")
    plain = sign_webhook(URL, TOKEN, PARAMS).headers
    assert validate_request(URL, plain, PARAMS, auth_token=TOKEN, shared_key_secret="shared-secret")
    forged = {**plain, SIGNATURE_SETTINGS_HEADER: "key=KS123,algorithm=HMAC_SHA1"}
    assert not validate_request(URL, forged, PARAMS, auth_token=TOKEN, shared_key_secret="shared-secret")
    weird = {**signed.headers, SIGNATURE_SETTINGS_HEADER: "key=KS123,algorithm=HMAC_SHA512"}
    verdict = validate_request(URL, weird, PARAMS, auth_token=TOKEN, shared_key_secret="shared-secret")
    assert not verdict and "unsupported signature algorithm 'HMAC_SHA512'" in verdict.reason


def test_shared_key_with_sha1() -> None:
    signed = sign_webhook(URL, "shared-secret", PARAMS, key_id="KS1", algorithm=HMAC_SHA1)
    assert signed.headers[SIGNATURE_SETTINGS_HEADER] == "key=KS1,algorithm=HMAC_SHA1"
    assert validate_request(URL, signed.headers, PARAMS, auth_token=TOKEN, shared_key_secret="shared-secret")


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        (None, (None, HMAC_SHA1)),
        ("", (None, HMAC_SHA1)),
        ("key=KS1,algorithm=HMAC_SHA256", ("KS1", HMAC_SHA256)),
        (" key = KS1 , algorithm = HMAC_SHA256 ", ("KS1", HMAC_SHA256)),
        ("algorithm=hmac_sha256", (None, "hmac_sha256")),
        ("garbage", (None, HMAC_SHA1)),
    ],
)
def test_parse_signature_settings(header: str | None, parsed: tuple[str | None, str]) -> None:
    assert parse_signature_settings(header) == parsed


def test_validate_request_reads_headers_case_insensitively_and_raw_form_bodies() -> None:
    signed = sign_webhook(URL, TOKEN, PARAMS)
    lower = {k.lower(): v for k, v in signed.headers.items()}
    assert validate_request(URL, lower, PARAMS, auth_token=TOKEN)
    raw = "&".join(f"{k}={v.replace('+', '%2B')}" for k, v in PARAMS.items())
    assert validate_request(URL, signed.headers, body=raw, auth_token=TOKEN)
    missing = validate_request(URL, {}, PARAMS, auth_token=TOKEN)
    assert not missing and missing.reason == "missing X-Twilio-Signature header"


def test_sign_webhook_argument_errors() -> None:
    with pytest.raises(ValueError, match="either form params or a JSON body"):
        sign_webhook(URL, TOKEN, PARAMS, body="{}")
    with pytest.raises(ValueError, match="only SharedKey signatures"):
        sign_webhook(URL, TOKEN, PARAMS, algorithm=HMAC_SHA256)
    with pytest.raises(ValueError, match="unsupported signature algorithm"):
        compute_signature(TOKEN, URL, PARAMS, "MD5")


@pytest.mark.parametrize("url", ["https://a.example/x?", "https://a.example/x;", "https://a.example/x#"])
def test_url_is_checked_exactly_as_given(url: str) -> None:
    # The official 9.13 validator only tries urlparse(url).geturl(), which drops these empty
    # parts, so it rejects signatures Twilio made for such URLs.
    signature = compute_signature(TOKEN, url, PARAMS)
    assert RequestValidator(TOKEN).validate(url, PARAMS, signature)


def test_a_non_default_port_is_never_dropped() -> None:
    signature = compute_signature(TOKEN, "https://a.example/x", PARAMS)
    assert not RequestValidator(TOKEN).validate("https://a.example:8443/x", PARAMS, signature)
