"""The example app's own test suite, as its author would write it: the ``twilio_mock`` fixture
answers its Twilio calls offline, once through the official ``twilio`` package and once through
``twilio_sdk``; the replay test runs from a committed cassette with no fake and no network."""

from __future__ import annotations

import os

import pytest
from app import create_app
from twilio.rest import Client as OfficialClient

from twilio_sdk import Client
from twilio_sdk.webhooks import sign_webhook


@pytest.fixture(params=[OfficialClient, Client], ids=["official", "twilio_sdk"])
def app(request: pytest.FixtureRequest, twilio_mock: object) -> object:
    return create_app(client_factory=request.param).test_client()


def test_booking_texts_a_reminder(app, twilio_mock) -> None:
    answer = app.post("/appointments", data={"phone": "+15558675310", "time": "3pm"})
    assert answer.status_code == 201
    twilio_mock.assert_sent(to="+15558675310", from_="+15017122661", body_contains="at 3pm")
    assert twilio_mock.messages()[0].sid == answer.get_json()["sid"]


def test_a_booking_without_a_time_sends_nothing(app, twilio_mock) -> None:
    assert app.post("/appointments", data={"phone": "+15558675310"}).status_code == 400
    twilio_mock.assert_not_sent()


def test_an_inbound_confirm_is_thanked(app, twilio_mock) -> None:
    form = {"From": "+15558675310", "To": "+15017122661", "Body": "confirm"}
    signed = sign_webhook("http://localhost/sms", os.environ["TWILIO_AUTH_TOKEN"], form)
    answer = app.post("/sms", data=form, headers=signed.headers)
    assert answer.status_code == 200
    assert "<Message>Thanks, see you then!</Message>" in answer.get_data(as_text=True)


def test_an_unsigned_webhook_is_refused(app, twilio_mock) -> None:
    assert app.post("/sms", data={"Body": "CONFIRM"}).status_code == 403


@pytest.mark.twilio_cassette("booking")
def test_booking_replays_twilio_s_recorded_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """No fake and no network: the cassette (recorded once with ``--twilio-record-mode=once``,
    here against ``twilio-mock serve`` with ``--twilio-record-url``) answers, for any account."""
    # Recording takes the credentials from the environment; CI has none, and needs none.
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", os.environ.get("TWILIO_ACCOUNT_SID", "AC" + "5" * 32))
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", os.environ.get("TWILIO_AUTH_TOKEN", "ci-has-no-real-token"))
    monkeypatch.delenv("TWILIO_API_BASE", raising=False)
    answer = create_app().test_client().post("/appointments", data={"phone": "+15558675310", "time": "3pm"})
    assert answer.status_code == 201
    assert answer.get_json()["status"] == "queued"
    assert answer.get_json()["sid"].startswith("SM")
