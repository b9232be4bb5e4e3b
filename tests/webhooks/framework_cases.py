"""Scenarios every framework helper must pass, driven through a ``send`` callable.

Each framework's test module serves these routes and passes its own ``send``:

- ``/sms`` validated with ``auth_token=TOKEN``, echoing ``Body`` in TwiML;
- ``/env`` validated with the token from ``TWILIO_AUTH_TOKEN``;
- ``/proxied`` with ``trust_forwarded=True``;
- ``/shared`` with ``shared_key_secret={SHARED_KEY_ID: SHARED_SECRET}``;
- ``/json`` (JSON body, ``bodySHA256``) and ``/get`` (GET webhook), both with ``TOKEN``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator as OfficialValidator

from twilio_sdk.exceptions import TwilioException
from twilio_sdk.webhooks import HMAC_SHA256, sign_webhook

TOKEN = "test-auth-token-0123456789abcdef"
SHARED_KEY_ID = "KS0123456789abcdef0123456789abcdef"
SHARED_SECRET = "shared-secret-value"
BASE = "http://testserver"
PUBLIC = "https://public.example.com"
FORM = {"MessageSid": "SM" + "1" * 32, "From": "+15005550006", "To": "+15005550001", "Body": "Hi & bye"}
FORM_CT = "application/x-www-form-urlencoded"

# send(method, url, headers, body, content_type) -> (status, text)
Send = Callable[[str, str, dict[str, str], bytes | None, str | None], tuple[int, str]]


def form_body(pairs: dict[str, str] | list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode()


def post_form(
    send: Send, url: str, headers: dict[str, str], pairs: dict[str, str] | list[tuple[str, str]] = FORM
):
    return send("POST", url, headers, form_body(pairs), FORM_CT)


def case_valid_form(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    status, text = post_form(send, signed.url, signed.headers)
    assert status == 200
    assert "<Message>You said: Hi &amp; bye</Message>" in text


def case_signed_by_official_package(send: Send) -> None:
    signature = OfficialValidator(TOKEN).compute_signature(f"{BASE}/sms?source=official", FORM)
    status, _ = post_form(send, f"{BASE}/sms?source=official", {"X-Twilio-Signature": signature})
    assert status == 200


def case_missing_signature(send: Send) -> None:
    assert post_form(send, f"{BASE}/sms", {})[0] == 403


def case_wrong_signature(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/sms", "another-token", FORM)
    assert post_form(send, signed.url, signed.headers)[0] == 403


def case_tampered_parameter(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    assert post_form(send, signed.url, signed.headers, {**FORM, "Body": "Hi & buy"})[0] == 403


def case_query_string_is_part_of_the_url(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/sms?tenant=7", TOKEN, FORM)
    assert post_form(send, signed.url, signed.headers)[0] == 200
    assert post_form(send, f"{BASE}/sms?tenant=8", signed.headers)[0] == 403


def case_repeated_values(send: Send) -> None:
    pairs = [*FORM.items(), ("MediaUrl", "https://x/b.png"), ("MediaUrl", "https://x/a.png")]
    signed = sign_webhook(f"{BASE}/sms", TOKEN, pairs)
    assert post_form(send, signed.url, signed.headers, pairs)[0] == 200
    assert post_form(send, signed.url, signed.headers, pairs[:-1])[0] == 403


def case_default_port_variant(send: Send) -> None:
    signed = sign_webhook("http://testserver:80/sms", TOKEN, FORM)
    assert post_form(send, f"{BASE}/sms", signed.headers)[0] == 200


def case_json_body(send: Send) -> None:
    body = json.dumps(
        {"type": "com.twilio.messaging.inbound-message.received", "data": {"body": "hé"}}, ensure_ascii=False
    )
    signed = sign_webhook(f"{BASE}/json?x=1", TOKEN, body=body)
    assert signed.url.startswith(f"{BASE}/json?x=1&bodySHA256=")
    assert send("POST", signed.url, signed.headers, body.encode(), "application/json")[0] == 200
    tampered = body.replace("hé", "he").encode()
    assert send("POST", signed.url, signed.headers, tampered, "application/json")[0] == 403


def case_get_webhook(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/get?" + urlencode(FORM), TOKEN)
    assert send("GET", signed.url, signed.headers, None, None)[0] == 200
    assert send("GET", signed.url.replace("bye", "buy"), signed.headers, None, None)[0] == 403


def case_proxy_headers_only_when_trusted(send: Send) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example.com"}
    for path, expected in (("/sms", 403), ("/proxied", 200)):
        signed = sign_webhook(f"{PUBLIC}{path}", TOKEN, FORM)
        assert post_form(send, f"{BASE}{path}", {**signed.headers, **forwarded})[0] == expected, path
    # without the headers a trusting route still validates the URL as seen
    signed = sign_webhook(f"{BASE}/proxied", TOKEN, FORM)
    assert post_form(send, signed.url, signed.headers)[0] == 200


def case_shared_key(send: Send) -> None:
    signed = sign_webhook(f"{BASE}/shared", SHARED_SECRET, FORM, key_id=SHARED_KEY_ID, algorithm=HMAC_SHA256)
    assert post_form(send, signed.url, signed.headers)[0] == 200
    plain = sign_webhook(f"{BASE}/shared", TOKEN, FORM)
    assert post_form(send, plain.url, plain.headers)[0] == 200
    wrong = sign_webhook(
        f"{BASE}/shared", "not-the-secret", FORM, key_id=SHARED_KEY_ID, algorithm=HMAC_SHA256
    )
    assert post_form(send, wrong.url, wrong.headers)[0] == 403
    unknown = sign_webhook(f"{BASE}/shared", SHARED_SECRET, FORM, key_id="KSother", algorithm=HMAC_SHA256)
    assert post_form(send, unknown.url, unknown.headers)[0] == 403


def case_token_from_environment(send: Send, monkeypatch: pytest.MonkeyPatch) -> None:
    signed = sign_webhook(f"{BASE}/env", TOKEN, FORM)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    assert post_form(send, signed.url, signed.headers)[0] == 200
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "other")
    assert post_form(send, signed.url, signed.headers)[0] == 403
    monkeypatch.delenv("TWILIO_AUTH_TOKEN")
    with pytest.raises(TwilioException, match="TWILIO_AUTH_TOKEN"):
        post_form(send, signed.url, signed.headers)


CASES = {name.removeprefix("case_"): fn for name, fn in dict(globals()).items() if name.startswith("case_")}
