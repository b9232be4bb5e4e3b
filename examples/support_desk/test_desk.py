"""The support desk's own tests, as its author would write them: the ``twilio_mock`` fixture
answers its Twilio calls offline, through the official ``twilio`` package and through
``twilio_sdk``, sends the conversation's messages as SMS, takes the customer's SMS replies
into the conversation and delivers the signed Conversations webhooks into the app."""

from __future__ import annotations

import pytest
from desk import GREETING, HOURS, create_app
from flask import Flask
from twilio.rest import Client as OfficialClient

from twilio_sdk import Client

PUBLIC = "https://desk.test"  # where "Twilio" reaches the app: routed into it, no sockets
CUSTOMER = "+15558675310"


@pytest.fixture(params=[OfficialClient, Client], ids=["official", "twilio_sdk"])
def flask_app(request: pytest.FixtureRequest, twilio_mock) -> Flask:
    made = create_app(client_factory=request.param, number=twilio_mock.phone_number, public_url=PUBLIC)
    twilio_mock.webhooks.route(PUBLIC, made)
    return made


def test_a_ticket_by_sms(flask_app: Flask, twilio_mock) -> None:
    app = flask_app.test_client()
    sid = app.post("/tickets", data={"phone": CUSTOMER}).get_json()["sid"]
    twilio_mock.assert_sent(to=CUSTOMER, body=GREETING)
    twilio_mock.advance(10)
    assert app.get(f"/tickets/{sid}").get_json()["greeting_delivered"] is True

    twilio_mock.inbound_sms(CUSTOMER, body="What are your hours?")
    twilio_mock.assert_sent(to=CUSTOMER, body=HOURS)  # the app answered in the conversation
    assert app.get(f"/tickets/{sid}").get_json()["thread"] == [
        [0, "desk", GREETING],
        [1, CUSTOMER, "What are your hours?"],
        [2, "desk", HOURS],
    ]
    (event,) = flask_app.config["EVENTS"]  # REST messages fire no webhook without the header
    assert (event["EventType"], event["Source"], event["Index"]) == ("onMessageAdded", "SMS", "1")
    assert all(d.signature_valid and d.status == 200 for d in twilio_mock.webhooks)


def test_one_open_ticket_per_customer(flask_app: Flask, twilio_mock) -> None:
    app = flask_app.test_client()
    assert app.post("/tickets", data={"phone": CUSTOMER}).status_code == 201
    again = app.post("/tickets", data={"phone": CUSTOMER})
    assert again.status_code == 409 and again.get_json()["code"] == 50416
    twilio_mock.assert_sent(count=1)
