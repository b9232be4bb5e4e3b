"""The Django view decorator and the Django example app."""

from __future__ import annotations

import pytest

pytest.importorskip("django")

import django  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import path  # noqa: E402

import examples.webhooks.django_app  # noqa: E402, F401  (configures settings once for this process)
from tests.webhooks.framework_cases import (  # noqa: E402
    BASE,
    CASES,
    FORM,
    SHARED_KEY_ID,
    SHARED_SECRET,
    TOKEN,
    Send,
    post_form,
)
from twilio_sdk.twiml import MessagingResponse  # noqa: E402
from twilio_sdk.webhooks import sign_webhook  # noqa: E402
from twilio_sdk.webhooks.django import validate_twilio_request  # noqa: E402

django.setup()


def reply(request: HttpRequest) -> HttpResponse:
    response = MessagingResponse()
    response.message("You said: " + (request.POST.get("Body") or request.GET.get("Body", "")))
    return HttpResponse(str(response), content_type="text/xml")


urlpatterns = [
    path("sms", validate_twilio_request(auth_token=TOKEN)(reply)),
    path("env", validate_twilio_request(reply)),
    path("proxied", validate_twilio_request(auth_token=TOKEN, trust_forwarded=True)(reply)),
    path(
        "shared",
        validate_twilio_request(auth_token=TOKEN, shared_key_secret={SHARED_KEY_ID: SHARED_SECRET})(reply),
    ),
    path("json", validate_twilio_request(auth_token=TOKEN)(lambda request: HttpResponse("ok"))),
    path("get", validate_twilio_request(auth_token=TOKEN)(reply)),
]


def sender() -> Send:
    client = Client(enforce_csrf_checks=True)  # the decorator must exempt its views from CSRF

    def send(method: str, url: str, headers: dict[str, str], body: bytes | None, content_type: str | None):
        scheme, _, rest = url.partition("://")
        host, _, target = rest.partition("/")
        response = client.generic(
            method,
            "/" + target,
            body or b"",
            content_type=content_type or "application/octet-stream",
            secure=scheme == "https",
            headers={**headers, "Host": host},
        )
        return response.status_code, response.content.decode()

    return send


@pytest.mark.parametrize("case", CASES)
@override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"])
def test_decorator(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if case == "token_from_environment":
        CASES[case](sender(), monkeypatch)
    else:
        CASES[case](sender())


def test_decorated_view_is_csrf_exempt() -> None:
    assert validate_twilio_request(reply).csrf_exempt is True  # type: ignore[attr-defined]


def test_example_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    send = sender()
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    status, text = post_form(send, signed.url, signed.headers)
    assert status == 200 and "<Message>You said: Hi &amp; bye</Message>" in text
    assert post_form(send, f"{BASE}/sms", {"X-Twilio-Signature": "bad"})[0] == 403

    call = {"CallSid": "CA" + "0" * 32}
    signed = sign_webhook(f"{BASE}/voice", TOKEN, call)
    status, text = post_form(send, signed.url, signed.headers, call)
    assert status == 200 and '<Say voice="alice">Thanks for calling.</Say><Hangup />' in text
