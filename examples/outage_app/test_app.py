"""The example app's own test suite: the ``twilio_mock`` fixture plays a Twilio having a bad day
(scripted from the marker or the fixture handle), once through the official ``twilio`` package
and once through ``twilio_sdk``; the fake's state and journal show that every notification went
out exactly once."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from twilio.rest import Client as OfficialClient

from twilio_sdk import Client

from .app import create_app

PHONE = "+15558675310"
PUBLIC = "https://outage-app.test"  # where "Twilio" reaches the app: routed into it, no sockets
THIRD_SEND_IS_REFUSED = {"method": "POST", "path": "*/Messages.json", "status": 429, "after": 2, "times": 1}


FACTORIES = {"official": OfficialClient, "twilio_sdk": lambda: Client(auto_retry=True)}


@pytest.fixture(params=list(FACTORIES))
def flask_app(request: pytest.FixtureRequest, twilio_mock: Any) -> Flask:
    """The app, reachable by the fake Twilio at ``PUBLIC``, waiting on the virtual clock."""
    made = create_app(client_factory=FACTORIES[request.param], public_url=PUBLIC, sleep=twilio_mock.advance)
    made.config["SDK"] = request.param
    twilio_mock.webhooks.route(PUBLIC, made)
    return made


@pytest.fixture
def app(flask_app: Flask) -> Any:
    return flask_app.test_client()


def notify(app: Any, ref: str) -> Any:
    return app.post("/notify", data={"phone": PHONE, "text": "Your order shipped", "ref": ref})


@pytest.mark.twilio_mock(faults=[THIRD_SEND_IS_REFUSED])
def test_twilio_refuses_the_third_send_with_20429(app: Any, flask_app: Flask, twilio_mock: Any) -> None:
    answers = [notify(app, ref).get_json() for ref in ("a", "b", "c")]
    # twilio_sdk retries the 20429 itself; under the official package (no retries) the app does.
    third = "sent" if flask_app.config["SDK"] == "twilio_sdk" else "sent after 20429"
    assert [a["how"] for a in answers] == ["sent", "sent", third]
    sends = twilio_mock.requests("POST", path_contains="/Messages.json")
    assert [e.status for e in sends] == [201, 201, 429, 201]
    twilio_mock.assert_sent(3, to=PHONE)


@pytest.mark.parametrize("carried_out", [True, False], ids=["sent-then-dropped", "dropped-unsent"])
def test_a_dropped_connection_never_sends_twice(app: Any, twilio_mock: Any, carried_out: bool) -> None:
    twilio_mock.faults.add(method="POST", connection_reset=True, processed=carried_out, times=1)
    answer = notify(app, "order-17").get_json()
    assert answer["how"] == ("found after a lost answer" if carried_out else "sent again after a lost answer")
    (message,) = twilio_mock.assert_sent(1, to=PHONE, body_contains="[order-17]")
    assert answer["sid"] == message.sid


def test_a_timed_out_send_is_found_not_resent(app: Any, twilio_mock: Any) -> None:
    twilio_mock.faults.add(method="POST", timeout=True, processed=True, times=1)
    assert notify(app, "order-18").get_json()["how"] == "found after a lost answer"
    twilio_mock.assert_sent(1, body_contains="[order-18]")


def test_an_outage_is_reported_with_twilios_code(app: Any, twilio_mock: Any) -> None:
    twilio_mock.faults.add(method="POST", status=503)
    answer = notify(app, "order-19")
    assert answer.status_code == 502
    assert (answer.get_json()["twilio_status"], answer.get_json()["twilio_code"]) == (503, 20503)
    twilio_mock.assert_not_sent(to=PHONE)


def test_status_callbacks_lost_to_a_slow_app_do_not_stop_delivery(app: Any, twilio_mock: Any) -> None:
    sid = notify(app, "order-20").get_json()["sid"]
    twilio_mock.faults.add(host="outage-app.test", timeout=True)  # the app stops answering in time
    twilio_mock.advance(10)
    twilio_mock.assert_sent(1, sid=sid, status="delivered")  # Twilio delivers all the same
    assert app.get("/notifications/order-20").get_json()["statuses"] == ["queued"]
    failed = [d for d in twilio_mock.webhooks if d.url.startswith(f"{PUBLIC}/status")]
    assert failed and all(not d.ok for d in failed)
