"""The IVR's own test suite: the ``twilio_mock`` fixture plays the caller and Twilio, in process,
through the official ``twilio`` package and through ``twilio_sdk``; assertions on the call's
transcript, the webhooks delivered (signed) and the Recording left behind."""

from __future__ import annotations

import pytest
from flask import Flask
from twilio.rest import Client as OfficialClient

from ivr_app.app import MENU, create_app
from twilio_sdk import Client

PUBLIC = "https://ivr-app.test"  # where "Twilio" reaches the app: routed into it, no sockets
CALLER = "+15558675310"
AGENT = "+15558675399"


@pytest.fixture(params=[OfficialClient, Client], ids=["official", "twilio_sdk"])
def client(request: pytest.FixtureRequest, twilio_mock) -> object:
    return request.param()  # credentials from the environment: the fake's


@pytest.fixture
def flask_app(client, twilio_mock) -> Flask:
    """The IVR at ``PUBLIC``, the account's number pointing its calls at ``/voice``."""
    made = create_app(client_factory=lambda: client, agent=AGENT, public_url=PUBLIC)
    twilio_mock.webhooks.route(PUBLIC, made)
    number = client.incoming_phone_numbers.list(phone_number=twilio_mock.phone_number)[0]
    client.incoming_phone_numbers(number.sid).update(voice_url=f"{PUBLIC}/voice")
    return made


def test_press_1_puts_the_caller_through_to_the_agent(flask_app: Flask, client, twilio_mock) -> None:
    twilio_mock.voice.answer(AGENT, after=3, talk=45)
    call = twilio_mock.inbound_call(CALLER)
    twilio_mock.assert_said(MENU)
    twilio_mock.press("1")
    twilio_mock.assert_said("Connecting you to an agent.")
    twilio_mock.advance(3 + 45)
    dial = twilio_mock.assert_verb("Dial", status="completed")
    leg = client.calls(dial["call_sid"]).fetch()
    assert leg.parent_call_sid == call.sid and leg.to == AGENT and leg.duration == "45"
    twilio_mock.assert_said("Thanks for calling. Goodbye.")
    assert client.calls(call.sid).fetch().status == "completed"
    twilio_mock.assert_delivered(1, url_contains="/dialed", DialCallStatus="completed")


def test_press_2_leaves_a_voicemail(flask_app: Flask, client, twilio_mock) -> None:
    call = twilio_mock.inbound_call(CALLER)
    twilio_mock.press("2")
    twilio_mock.press("#")  # ends the recording
    twilio_mock.advance(10)
    step = twilio_mock.assert_verb("Record")
    [mail] = flask_app.test_client().get("/voicemails").get_json()["voicemails"]
    assert mail["sid"] == step["recording_sid"] and mail["call_sid"] == call.sid
    assert mail["status"] == "completed" and mail["caller"] == CALLER
    recording = client.recordings(step["recording_sid"]).fetch()
    assert recording.call_sid == call.sid and recording.source == "RecordVerb"
    assert [r.sid for r in client.calls(call.sid).recordings.list()] == [recording.sid]
    twilio_mock.assert_said("Thank you, we will call you back. Goodbye.")
    assert all(d.signature_valid for d in twilio_mock.webhooks)


def test_an_agent_who_does_not_answer_sends_the_caller_to_voicemail(flask_app: Flask, twilio_mock) -> None:
    twilio_mock.voice.no_answer(AGENT)
    twilio_mock.inbound_call(CALLER)
    twilio_mock.press("1")
    twilio_mock.advance(20)
    twilio_mock.assert_verb("Dial", status="no-answer")
    twilio_mock.assert_said("Our agent is not available.")
    twilio_mock.advance(20)
    twilio_mock.assert_verb("Record")


def test_no_choice_repeats_the_menu(flask_app: Flask, twilio_mock) -> None:
    twilio_mock.inbound_call(CALLER)
    twilio_mock.advance(5)
    twilio_mock.assert_said("We did not get your choice.")
    said = [s["text"] for s in twilio_mock.transcript() if s.get("verb") == "Say"]
    assert said.count(MENU) == 2
    twilio_mock.press("9")
    twilio_mock.assert_said("Sorry, that is not an option.")


def test_click_to_call_rings_the_customer_into_the_menu(flask_app: Flask, client, twilio_mock) -> None:
    answer = flask_app.test_client().post("/calls", data={"phone": CALLER})
    assert answer.status_code == 201
    sid = answer.get_json()["sid"]
    twilio_mock.press("2", call=CALLER)  # typed ahead: the customer's first Gather takes it
    twilio_mock.advance(30)
    twilio_mock.assert_said("Please leave a message", call=sid)
    assert flask_app.config["CALL_STATUSES"] == ["completed"]
    assert client.calls(sid).fetch().status == "completed"
