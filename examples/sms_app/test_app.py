"""The example app's own test suite, as its author would write it: the ``twilio_mock`` fixture
answers its Twilio calls offline, once through the official ``twilio`` package and once through
``twilio_sdk``, and delivers Twilio's signed webhooks (status callbacks, inbound SMS) into the
app in process; the replay test runs from a committed cassette with no fake and no network."""

from __future__ import annotations

import os

import pytest
from app import create_app
from flask import Flask
from twilio.rest import Client as OfficialClient

from twilio_sdk import Client
from twilio_sdk.webhooks import sign_webhook

PUBLIC = "https://sms-app.test"  # where "Twilio" reaches the app: routed into it, no sockets
CUSTOMER = "+15558675310"


@pytest.fixture(params=[OfficialClient, Client], ids=["official", "twilio_sdk"])
def flask_app(request: pytest.FixtureRequest, twilio_mock) -> Flask:
    """The app, reachable by the fake Twilio at ``PUBLIC``; the account's number sends its
    inbound SMS to the app's ``/sms``."""
    made = create_app(client_factory=request.param, public_url=PUBLIC)
    twilio_mock.webhooks.route(PUBLIC, made)
    client = request.param()  # credentials from the environment: the fake's
    number = client.incoming_phone_numbers.list(phone_number=twilio_mock.phone_number)[0]
    client.incoming_phone_numbers(number.sid).update(sms_url=f"{PUBLIC}/sms")
    return made


@pytest.fixture
def app(flask_app: Flask) -> object:
    return flask_app.test_client()


def test_the_full_sms_round_trip(app, flask_app: Flask, twilio_mock) -> None:
    # Book: the reminder goes out, and its signed status callbacks come back into the app.
    booked = app.post("/appointments", data={"phone": CUSTOMER, "time": "3pm"}).get_json()
    twilio_mock.advance(10)  # a message is delivered within 10 virtual seconds
    assert app.get(f"/messages/{booked['sid']}").get_json()["statuses"] == [
        "queued",
        "sending",
        "sent",
        "delivered",
    ]
    twilio_mock.assert_sent(to=CUSTOMER, status="delivered", body_contains="at 3pm")
    twilio_mock.assert_delivered(3, url_contains="/status", MessageSid=booked["sid"])

    # The customer answers; the app's TwiML reply is sent from the number.
    twilio_mock.inbound_sms(CUSTOMER, body="confirm")
    twilio_mock.assert_sent(to=CUSTOMER, body="Thanks, see you then!")
    twilio_mock.assert_delivered(1, url_contains="/sms", Body="confirm")

    # STOP: Twilio answers it itself, the app is told, and later reminders are refused (21610).
    twilio_mock.inbound_sms(CUSTOMER, body="STOP")
    twilio_mock.assert_sent(to=CUSTOMER, body_contains="unsubscribed")
    assert CUSTOMER in flask_app.config["OPTED_OUT"]
    refused = app.post("/appointments", data={"phone": CUSTOMER, "time": "4pm"})
    assert refused.status_code == 409
    twilio_mock.assert_not_sent(body_contains="at 4pm")

    # START lifts the block.
    twilio_mock.inbound_sms(CUSTOMER, body="START")
    assert app.post("/appointments", data={"phone": CUSTOMER, "time": "5pm"}).status_code == 201
    twilio_mock.assert_sent(to=CUSTOMER, body_contains="at 5pm")
    events = [d.event for d in twilio_mock.webhooks]
    assert events == ["message.status"] * 3 + ["message.inbound"] * 3
    assert all(d.signature_valid and d.status in (200, 204) for d in twilio_mock.webhooks)


def test_an_undelivered_reminder_is_reported_to_the_app(app, twilio_mock) -> None:
    twilio_mock.fail(CUSTOMER, status="undelivered", error_code=30006)  # a landline
    booked = app.post("/appointments", data={"phone": CUSTOMER, "time": "3pm"}).get_json()
    twilio_mock.advance(10)
    seen = app.get(f"/messages/{booked['sid']}").get_json()
    assert seen["statuses"][-1] == "undelivered" and seen["error_code"] == "30006"
    twilio_mock.assert_delivered(MessageStatus="undelivered", ErrorCode="30006")


def test_booking_texts_a_reminder(app, twilio_mock) -> None:
    answer = app.post("/appointments", data={"phone": CUSTOMER, "time": "3pm"})
    assert answer.status_code == 201
    twilio_mock.assert_sent(to=CUSTOMER, from_=twilio_mock.phone_number, body_contains="at 3pm")
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
