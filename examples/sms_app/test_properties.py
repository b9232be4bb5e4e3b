"""Property-based tests of the example app with ``twilio_mock.strategies``: any signed inbound
SMS is answered with TwiML and any tampered one refused (403), and a reminder to any valid US
number, at any time of day, goes out with that time in it."""

from __future__ import annotations

from app import create_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twilio_mock.strategies import inbound_messages, phone_numbers
from twilio_sdk import Client

PUBLIC = "https://sms-app.test"
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=st.data(), tampered=st.booleans())
def test_signed_inbound_sms_is_answered_and_tampered_refused(twilio_mock, data, tampered) -> None:
    hook = data.draw(inbound_messages(twilio_mock.auth_token, url=f"{PUBLIC}/sms", tampered=tampered))
    answer = (
        create_app(client_factory=Client, public_url=PUBLIC)
        .test_client()
        .post(hook.url.removeprefix(PUBLIC), data=hook.body, headers=hook.headers, base_url=PUBLIC)
    )
    if tampered:  # signed for /sms but sent elsewhere: no such page; otherwise the guard's 403
        assert answer.status_code == (404 if hook.tampered == "url_changed" else 403), hook.tampered
    else:
        assert answer.status_code == 200
        assert answer.text.startswith("<?xml") and "<Message>" in answer.text


@SETTINGS
@given(phone=phone_numbers("US"), hour=st.integers(1, 12), half=st.sampled_from(["am", "pm"]))
def test_a_reminder_to_any_valid_number_goes_out(twilio_mock, phone, hour, half) -> None:
    app = create_app(client_factory=Client).test_client()
    booked = app.post("/appointments", data={"phone": phone, "time": f"{hour}{half}"})
    assert booked.status_code == 201, booked.text
    twilio_mock.assert_sent(to=phone, body_contains=f"at {hour}{half}.")
