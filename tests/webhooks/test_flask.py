"""The Flask decorator and the Flask example app."""

from __future__ import annotations

import pytest

flask = pytest.importorskip("flask")

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
from twilio_sdk.webhooks.flask import validate_twilio_request  # noqa: E402


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    app.testing = True

    def reply() -> flask.Response:
        response = MessagingResponse()
        response.message("You said: " + flask.request.values.get("Body", ""))
        return flask.Response(str(response), mimetype="text/xml")

    app.add_url_rule("/sms", "sms", validate_twilio_request(auth_token=TOKEN)(reply), methods=["POST"])
    app.add_url_rule("/env", "env", validate_twilio_request(reply), methods=["POST"])
    app.add_url_rule(
        "/proxied",
        "proxied",
        validate_twilio_request(auth_token=TOKEN, trust_forwarded=True)(reply),
        methods=["POST"],
    )
    shared = validate_twilio_request(auth_token=TOKEN, shared_key_secret={SHARED_KEY_ID: SHARED_SECRET})(
        reply
    )
    app.add_url_rule("/shared", "shared", shared, methods=["POST"])
    app.add_url_rule(
        "/json", "json", validate_twilio_request(auth_token=TOKEN)(lambda: ("ok", 200)), methods=["POST"]
    )
    app.add_url_rule("/get", "get", validate_twilio_request(auth_token=TOKEN)(reply), methods=["GET"])
    return app


def sender(app: flask.Flask) -> Send:
    client = app.test_client()

    def send(method: str, url: str, headers: dict[str, str], body: bytes | None, content_type: str | None):
        scheme, _, rest = url.partition("://")
        host, _, target = rest.partition("/")
        response = client.open(
            "/" + target,
            method=method,
            base_url=f"{scheme}://{host}",
            headers=headers,
            data=body,
            content_type=content_type,
        )
        return response.status_code, response.get_data(as_text=True)

    return send


@pytest.mark.parametrize("case", CASES)
def test_decorator(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    send = sender(make_app())
    if case == "token_from_environment":
        CASES[case](send, monkeypatch)
    else:
        CASES[case](send)


def test_decorator_keeps_the_view_name_and_docstring() -> None:
    @validate_twilio_request
    def view() -> str:
        """Doc."""
        return ""

    assert view.__name__ == "view" and view.__doc__ == "Doc."


def test_example_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    from examples.webhooks.flask_app import app

    app.testing = True
    send = sender(app)
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    status, text = post_form(send, signed.url, signed.headers)
    assert status == 200 and "<Message>You said: Hi &amp; bye</Message>" in text
    assert post_form(send, f"{BASE}/sms", {})[0] == 403

    signed = sign_webhook(f"{BASE}/voice", TOKEN, {"CallSid": "CA" + "0" * 32})
    status, text = post_form(send, signed.url, signed.headers, {"CallSid": "CA" + "0" * 32})
    assert status == 200 and '<Gather action="/voice/menu" numDigits="1">' in text

    menu = {"CallSid": "CA" + "0" * 32, "Digits": "1"}
    signed = sign_webhook(f"{BASE}/voice/menu", TOKEN, menu)
    status, text = post_form(send, signed.url, signed.headers, menu)
    assert status == 200 and "<Dial>+15005550006</Dial>" in text

    body = '{"type": "test"}'
    signed = sign_webhook(f"{BASE}/events", TOKEN, body=body)
    assert send("POST", signed.url, signed.headers, body.encode(), "application/json")[0] == 204
