"""The example app's own test suite: the ``twilio_mock`` fixture answers its Verify calls
offline, once through the official ``twilio`` package and once through ``twilio_sdk``; the code
the user would read off their phone comes from the fixture handle, time from its virtual clock."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from twilio.rest import Client as OfficialClient

from twilio_sdk import Client

from .app import create_app

PHONE = "+15558675310"


@pytest.fixture(params=[OfficialClient, Client], ids=["official", "twilio_sdk"])
def flask_app(request: pytest.FixtureRequest, twilio_mock: Any) -> Flask:
    return create_app(client_factory=request.param)


@pytest.fixture
def app(flask_app: Flask) -> Any:
    return flask_app.test_client()


def _wrong(code: str) -> str:
    return "0" * len(code) if code != "0" * len(code) else "1" * len(code)


def test_sign_up_then_log_in_with_a_code(app: Any, flask_app: Flask, twilio_mock: Any) -> None:
    assert app.post("/signup", data={"phone": PHONE}).status_code == 201
    code = twilio_mock.verification_code(PHONE)  # what the user reads off their phone
    twilio_mock.assert_sent(1, to=PHONE, body=f"Your Acme verification code is: {code}")
    twilio_mock.advance(10)
    twilio_mock.assert_sent(1, to=PHONE, status="delivered")
    assert app.post("/verify", data={"phone": PHONE, "code": code}).get_json() == {"status": "signed_up"}
    assert flask_app.config["USERS"][PHONE]["confirmed"] is True

    assert app.post("/login", data={"phone": PHONE}).status_code == 202
    second = twilio_mock.verification_code(PHONE)
    answer = app.post("/verify", data={"phone": PHONE, "code": second}).get_json()
    assert answer["status"] == "logged_in" and flask_app.config["SESSIONS"][answer["token"]] == PHONE
    assert [v.status for v in twilio_mock.verifications(to=PHONE)] == ["approved", "approved"]
    assert app.post("/login", data={"phone": "+15558675399"}).status_code == 404


def test_a_wrong_code_can_be_retried(app: Any, twilio_mock: Any) -> None:
    app.post("/signup", data={"phone": PHONE})
    code = twilio_mock.verification_code(PHONE)
    wrong = app.post("/verify", data={"phone": PHONE, "code": _wrong(code)})
    assert wrong.status_code == 401 and wrong.get_json() == {
        "error": "Wrong code, try again.",
        "attempts_left": 4,
    }
    assert app.post("/verify", data={"phone": PHONE, "code": code}).get_json() == {"status": "signed_up"}


def test_too_many_wrong_codes_are_refused_until_a_new_one(app: Any, twilio_mock: Any) -> None:
    app.post("/signup", data={"phone": PHONE})
    code = twilio_mock.verification_code(PHONE)
    lefts = [app.post("/verify", data={"phone": PHONE, "code": _wrong(code)}).get_json() for _ in range(5)]
    assert [a["attempts_left"] for a in lefts] == [4, 3, 2, 1, 0]
    blocked = app.post("/verify", data={"phone": PHONE, "code": code})  # Twilio's 429 / 60202
    assert blocked.status_code == 429
    assert blocked.get_json() == {"error": "Too many wrong codes. Ask for a new code."}
    assert twilio_mock.verifications(to=PHONE)[0].status == "max_attempts_reached"
    assert app.post("/signup", data={"phone": PHONE}).status_code == 201  # a new verification
    fresh = twilio_mock.verification_code(PHONE)
    assert app.post("/verify", data={"phone": PHONE, "code": fresh}).get_json() == {"status": "signed_up"}


def test_an_expired_code_asks_for_a_new_one(app: Any, twilio_mock: Any) -> None:
    app.post("/signup", data={"phone": PHONE})
    code = twilio_mock.verification_code(PHONE)
    twilio_mock.advance(10 * 60)  # a verification lasts 10 minutes
    expired = app.post("/verify", data={"phone": PHONE, "code": code})
    assert expired.status_code == 410 and "expired" in expired.get_json()["error"]
    assert twilio_mock.verifications(to=PHONE)[0].status == "expired"


def test_a_phone_number_twilio_refuses_and_too_many_sends(app: Any, twilio_mock: Any) -> None:
    refused = app.post("/signup", data={"phone": "555-0100"})  # Twilio's 60200
    assert refused.status_code == 400 and "not a phone number" in refused.get_json()["error"]
    for _ in range(5):
        assert app.post("/signup", data={"phone": PHONE}).status_code == 201
    again = app.post("/signup", data={"phone": PHONE})  # Twilio's 429 / 60203
    assert again.status_code == 429 and "Too many codes" in again.get_json()["error"]
    twilio_mock.assert_sent(5, to=PHONE)
