"""Generated webhooks: ours and the official ``RequestValidator`` agree, a signed one is valid
for both, a tampered one for neither; and a Flask app guarded by our decorator takes the
signed ones only."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator as OfficialValidator

from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import Webhook, inbound_calls, inbound_messages, status_callbacks
from twilio_sdk.webhooks import RequestValidator

TOKEN = "token-for-webhooks-0123456789abcd"
FAST = settings(max_examples=max_examples(0.6), deadline=None)


def any_webhook(tampered: bool) -> st.SearchStrategy[Webhook]:
    return st.one_of(
        status_callbacks(TOKEN, tampered=tampered),
        status_callbacks(TOKEN, kind="call", tampered=tampered),
        inbound_messages(TOKEN, tampered=tampered),
        inbound_calls(TOKEN, url="https://app.test/voice?x=1", tampered=tampered),
    )


def verdicts(hook: Webhook) -> tuple[bool, bool]:
    ours = RequestValidator(TOKEN).validate(hook.url, hook.params, hook.signature)
    official = OfficialValidator(TOKEN).validate(hook.url, hook.params, hook.signature)
    return bool(ours), bool(official)


@FAST
@given(any_webhook(tampered=False))
def test_signed_webhooks_are_valid_for_both_validators(hook: Webhook) -> None:
    assert hook.tampered is None
    assert verdicts(hook) == (True, True)
    assert hook.headers["X-Twilio-Signature"] == hook.signature


@FAST
@given(any_webhook(tampered=True))
def test_tampered_webhooks_are_invalid_for_both(hook: Webhook) -> None:
    assert hook.tampered is not None
    assert verdicts(hook) == (False, False), hook.tampered


@FAST
@given(inbound_messages(TOKEN), inbound_calls(TOKEN), status_callbacks(TOKEN, kind="message"))
def test_payloads_look_like_twilio_s(sms: Webhook, call: Webhook, status: Webhook) -> None:
    assert sms.params["MessageSid"].startswith("SM") and sms.params["Body"].strip()
    assert sms.params["SmsStatus"] == "received" and sms.url.startswith("https://app.test/sms")
    assert call.params["CallSid"].startswith("CA") and call.params["CallStatus"] == "ringing"
    assert call.params["Direction"] == "inbound"
    assert status.params["MessageStatus"] == status.params["SmsStatus"]


def _flask_app() -> object:
    from flask import Flask

    from twilio_sdk.webhooks.flask import validate_twilio_request

    app = Flask(__name__)

    @app.post("/<path:where>")
    @validate_twilio_request(auth_token=TOKEN)
    def any_hook(where: str) -> str:
        return "<Response/>"

    return app


APP = _flask_app()


@FAST
@given(st.booleans().flatmap(lambda bad: any_webhook(tampered=bad)))
def test_a_guarded_flask_app_takes_signed_and_refuses_tampered(hook: Webhook) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(hook.url)
    answer = APP.test_client().post(  # type: ignore[attr-defined]
        parts.path + ("?" + parts.query if parts.query else ""),
        data=hook.body,
        headers=hook.headers,
        base_url=f"{parts.scheme}://{parts.netloc}",
    )
    assert answer.status_code == (403 if hook.tampered else 200), hook.tampered
