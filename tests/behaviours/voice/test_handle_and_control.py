"""Voice through the fixture handle (transcript, press, say, inbound_call, assertions whose failure
prints the transcript), the marker's voice_rules, and the control plane over a real loopback
server (voice rules, inbound call, transcript, digits)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client

IVR = """
from werkzeug.wrappers import Request, Response


def app(environ, start_response):
    request = Request(environ)
    if request.path == "/voice":
        twiml = '<Response><Gather numDigits="1" action="/menu"><Say>Press 1 for sales</Say></Gather></Response>'
    elif request.form.get("Digits") == "1":
        twiml = "<Response><Say>Connecting you to sales</Say><Dial>+15558675399</Dial></Response>"
    else:
        twiml = "<Response><Say>Goodbye</Say></Response>"
    return Response(twiml, content_type="text/xml")(environ, start_response)
"""


def test_the_handle_drives_and_asserts_on_calls(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(ivr=IVR)
    pytester.makepyfile(
        """
        import pytest
        from twilio.rest import Client as Official
        import ivr

        def test_inbound(twilio_mock):
            twilio_mock.webhooks.route("https://ivr.test", ivr.app)
            client = Official()
            number = client.incoming_phone_numbers.list(phone_number=twilio_mock.phone_number)[0]
            client.incoming_phone_numbers(number.sid).update(voice_url="https://ivr.test/voice")
            call = twilio_mock.inbound_call("+15558675310")
            assert call.direction == "inbound"
            twilio_mock.assert_said("Press 1")
            twilio_mock.press("1")
            twilio_mock.assert_said("Connecting you to sales", call=call.sid)
            twilio_mock.advance(60)
            dial = twilio_mock.assert_verb("Dial", status="completed")
            assert dial["to"] == ["+15558675399"]
            assert twilio_mock.transcript()[-1]["event"] == "ended"

        def test_speech_and_outbound(twilio_mock, twilio_client):
            twilio_mock.webhooks.route("https://ivr.test", ivr.app)
            twilio_mock.say("sales", call="+15558675311")
            call = twilio_client.calls.create(
                to="+15558675311", from_=twilio_mock.phone_number,
                twiml='<Response><Gather input="speech" action="https://ivr.test/menu"/></Response>',
            )
            twilio_mock.advance(10)
            twilio_mock.assert_said("Goodbye", call=call.sid)
            twilio_mock.assert_delivered(SpeechResult="sales")

        @pytest.mark.twilio_mock(voice_rules=[{"to": "+15558675310", "outcome": "busy"}])
        def test_marker_rules(twilio_mock, twilio_client):
            call = twilio_client.calls.create(to="+15558675310", from_=twilio_mock.phone_number, twiml="<Response/>")
            twilio_mock.advance(10)
            assert twilio_client.calls(call.sid).fetch().status == "busy"

        def test_failure_prints_the_transcript(twilio_mock, twilio_client):
            twilio_client.calls.create(
                to="+15558675310", from_=twilio_mock.phone_number, twiml="<Response><Say>Hello</Say></Response>"
            )
            twilio_mock.advance(10)
            twilio_mock.assert_said("Goodbye")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*did not say 'Goodbye'*", "*transcript of CA*", "*<Say> text='Hello'*"])


def test_a_wrong_voice_rule_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.twilio_mock(voice_rules=[{"to": "+15558675310", "outcome": "maybe"}])
        def test_it(twilio_mock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*voice_rules:*outcome*"])
    assert result.ret != 0


@pytest.fixture
def server(backend: Backend) -> Iterator[ServerThread]:
    thread = ServerThread(MockServerApp(backend))
    yield thread
    thread.stop()


def test_control_plane_voice_endpoints(server: ServerThread, backend: Backend, app: App) -> None:
    api = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
    base = f"{server.url}/__mock__"
    rules = f"{base}/voice/rules"
    added = requests.post(rules, json={"to": "+15558675399", "outcome": "no-answer"}, timeout=10)
    assert added.status_code == 201
    assert added.json()["rule"] == {
        "to": "+15558675399",
        "outcome": "no-answer",
        "after": None,
        "talk": None,
        "answered_by": "human",
    }
    assert len(requests.get(rules, timeout=10).json()["rules"]) == 1
    assert requests.post(rules, json={"outcome": "later"}, timeout=10).json()["code"] == 20001
    api.incoming_phone_numbers.create(phone_number=NUMBER, voice_url=f"{APP}/voice")
    app.answers["/voice"] = '<Response><Gather action="/menu"><Say>Menu</Say></Gather></Response>'
    app.answers["/menu"] = '<Response><Dial action="/dialed">+15558675399</Dial></Response>'
    made = requests.post(f"{base}/inbound/call", data={"From": CUSTOMER, "To": NUMBER}, timeout=10)
    assert made.status_code == 201
    sid = made.json()["sid"]
    transcript = requests.get(f"{base}/calls/{sid}/transcript", timeout=10).json()["transcript"]
    assert [s.get("verb") for s in transcript if "verb" in s] == ["Say"]
    pressed = requests.post(f"{base}/calls/{sid}/digits", data={"Digits": "7"}, timeout=10)
    assert pressed.status_code == 200 and app.at("/menu")[0].form["Digits"] == "7"
    requests.post(f"{base}/clock/advance", json={"seconds": 60}, timeout=10)
    assert app.at("/dialed")[0].form["DialCallStatus"] == "no-answer"
    assert requests.delete(rules, timeout=10).json() == {"rules": []}
    assert requests.get(f"{base}/calls/CA{'0' * 32}/transcript", timeout=10).status_code == 404
    assert requests.post(f"{base}/calls/{sid}/digits", data={}, timeout=10).status_code == 400
    assert requests.post(f"{base}/calls/{sid}/digits", data={"Digits": "12x"}, timeout=10).status_code == 400
    spoken = requests.post(f"{base}/calls/{sid}/digits", json={"SpeechResult": "hi"}, timeout=10)
    assert spoken.status_code == 200
    unknown = requests.post(f"{base}/inbound/call", data={"From": CUSTOMER, "To": "+15017122699"}, timeout=10)
    assert unknown.status_code == 404 and unknown.json()["code"] == 20404
    assert requests.post(f"{base}/inbound/call", data={"From": CUSTOMER}, timeout=10).status_code == 400
