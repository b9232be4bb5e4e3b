"""What the fixture handle gives tests of messaging behaviour, as a user's suite drives it: the
account's own number, inbound SMS into a routed app, delivery rules from Python and from the
marker, the clock, and the webhooks with their signatures checked."""

from __future__ import annotations

import pytest

APP = """
from werkzeug.wrappers import Request, Response

seen = []


def app(environ, start_response):
    request = Request(environ)
    seen.append((request.path, request.form.to_dict()))
    if request.path == "/sms":
        twiml = "<Response><Message>Got: " + request.form["Body"] + "</Message></Response>"
        return Response(twiml, content_type="text/xml")(environ, start_response)
    return Response("", 204)(environ, start_response)
"""


def test_a_round_trip_through_the_handle(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(myapp=APP)
    pytester.makepyfile(
        """
        import pytest
        from twilio.rest import Client as Official
        import myapp

        CUSTOMER = "+15558675310"

        def test_round_trip(twilio_mock):
            twilio_mock.webhooks.route("https://myapp.test", myapp.app)
            client = Official()
            number = client.incoming_phone_numbers.list(phone_number=twilio_mock.phone_number)[0]
            client.incoming_phone_numbers(number.sid).update(sms_url="https://myapp.test/sms")

            sent = client.messages.create(
                to=CUSTOMER, from_=twilio_mock.phone_number, body="Hi",
                status_callback="https://myapp.test/status",
            )
            assert sent.status == "queued"
            twilio_mock.advance(60)
            assert client.messages(sent.sid).fetch().status == "delivered"
            statuses = [d.form["MessageStatus"] for d in twilio_mock.webhooks(url_contains="/status")]
            assert statuses == ["sending", "sent", "delivered"]
            twilio_mock.assert_delivered(MessageStatus="delivered", MessageSid=sent.sid)

            result = twilio_mock.inbound_sms(CUSTOMER, body="hello")
            assert result.errors == [] and len(result.replies) == 1
            twilio_mock.assert_sent(to=CUSTOMER, body="Got: hello")
            twilio_mock.assert_sent(count=2)  # the message received is not one sent
            assert [m.body for m in twilio_mock.messages(direction="inbound")] == ["hello"]
            assert all(d.signature_valid for d in twilio_mock.webhooks)
            assert ("/sms", result.deliveries[0].form) in myapp.seen

        def test_a_delivery_rule_from_python(twilio_mock, twilio_client):
            twilio_mock.fail(CUSTOMER, status="failed", error_code=30003)
            sent = twilio_client.messages.create(to=CUSTOMER, from_=twilio_mock.phone_number, body="x")
            twilio_mock.advance(60)
            twilio_mock.assert_sent(to=CUSTOMER, status="failed", error_code=30003)
            assert twilio_client.messages(sent.sid).fetch().error_code == 30003

        @pytest.mark.twilio_mock(
            delivery_rules=[{"to": CUSTOMER, "status": "undelivered", "error_code": 30005}],
            delays={"sent": 1.0, "delivered": 1.0},
        )
        def test_rules_and_delays_from_the_marker(twilio_mock, twilio_client):
            twilio_client.messages.create(to=CUSTOMER, from_=twilio_mock.phone_number, body="x")
            twilio_client.messages.create(to="+15558675311", from_=twilio_mock.phone_number, body="y")
            twilio_mock.advance(5)
            twilio_mock.assert_sent(to=CUSTOMER, status="undelivered", error_code=30005)
            twilio_mock.assert_sent(to="+15558675311", status="delivered")

        def test_a_sender_the_account_does_not_own_is_refused(twilio_client):
            from twilio_sdk.exceptions import RestException
            with pytest.raises(RestException) as info:
                twilio_client.messages.create(to=CUSTOMER, from_="+15017122699", body="x")
            assert info.value.code == 21606

        @pytest.mark.twilio_mock(require_owned_sender=False)
        def test_the_marker_lifts_sender_ownership(twilio_mock, twilio_client):
            twilio_client.messages.create(to=CUSTOMER, from_="+15017122699", body="x")
            twilio_mock.assert_sent(from_="+15017122699")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("delays={'arrived': 1}", "unknown delays*arrived*known*delivered"),
        ("delivery_rules=[{'to': '+15558675310', 'status': 'lost'}]", "delivery_rules:"),
    ],
)
def test_a_wrong_marker_setting_is_a_usage_error(
    pytester: pytest.Pytester, marker: str, message: str
) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.twilio_mock({marker})
        def test_it(twilio_mock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([f"*{message}*"])
    assert result.ret != 0
