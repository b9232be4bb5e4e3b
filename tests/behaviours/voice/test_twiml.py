"""TwiML execution into the call's transcript (ref §17): each verb, the caller's input given ahead
of time or during the call, the action requests with their parameters, failures that end the
call with a debugger alert, and one webhook delivery per document fetched."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER
from twilio_mock import Backend

MAIN = "+15017122661"
MENU = (
    '<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather><Say>No input</Say></Response>'
)


def _call(client: Any, **options: Any) -> str:
    options.setdefault("url", f"{APP}/voice")
    return str(client.calls.create(to=CUSTOMER, from_=MAIN, **options).sid)


def _verbs(backend: Backend, sid: str) -> list[str]:
    return [s["verb"] for s in backend.voice.transcript(sid) if "verb" in s]


def test_say_play_pause(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = (
        '<Response><Say voice="Polly.Joanna" language="en-GB" loop="2">Hello <emphasis>there</emphasis></Say>'
        '<Play digits="1w2">https://a.test/x.mp3</Play><Pause length="4"/><Say>done</Say></Response>'
    )
    sid = _call(client)
    backend.advance(4)
    steps = [s for s in backend.voice.transcript(sid) if "verb" in s]
    assert steps[0] == {
        "verb": "Say",
        "text": "Hello there",
        "voice": "Polly.Joanna",
        "language": "en-GB",
        "loop": 2,
        "time": steps[0]["time"],
    }
    assert steps[1]["url"] == "https://a.test/x.mp3" and steps[1]["digits"] == "1w2"
    assert steps[2] == {"verb": "Pause", "length": 4, "time": steps[0]["time"]}
    assert _verbs(backend, sid) == ["Say", "Play", "Pause"]  # the Pause holds the rest
    backend.advance(4)
    assert _verbs(backend, sid) == ["Say", "Play", "Pause", "Say"]
    assert client.calls(sid).fetch().duration == "4"


def test_say_defaults(client: Any, backend: Backend) -> None:
    sid = _call(client, url=None, twiml="<Response><Say>hi</Say></Response>")
    backend.advance(10)
    step = backend.voice.transcript(sid)[0]
    assert (step["voice"], step["language"], step["loop"]) == ("man", "en-US", 1)


def test_gather_digits_given_ahead(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = MENU
    app.answers["/menu"] = "<Response><Say>thanks</Say></Response>"
    backend.voice.press(CUSTOMER, "1")
    sid = _call(client)
    backend.advance(5)
    [menu] = app.at("/menu")
    assert menu.form["Digits"] == "1" and menu.form["CallSid"] == sid and menu.valid
    assert menu.form["CallStatus"] == "in-progress" and menu.form["Direction"] == "outbound-api"
    gather = next(s for s in backend.voice.transcript(sid) if s.get("verb") == "Gather")
    assert gather["digits"] == "1" and gather["result"] == "input" and gather["action"] == f"{APP}/menu"
    assert "No input" not in [s.get("text") for s in backend.voice.transcript(sid)]


def test_gather_digits_during_the_call(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = (
        '<Response><Gather action="/menu" timeout="10"><Say>Your PIN</Say></Gather></Response>'
    )
    sid = _call(client)
    backend.advance(6)
    assert app.at("/menu") == []
    backend.voice.press(sid, "1234#")
    [menu] = app.at("/menu")
    assert menu.form["Digits"] == "1234"  # the finishOnKey is not included
    backend.advance(60)  # the timeout passed long ago: nothing more
    assert len(app.at("/menu")) == 1


def test_gather_timeout_runs_the_next_verb(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = MENU
    sid = _call(client)
    backend.advance(4 + 4)
    assert "No input" not in [s.get("text") for s in backend.voice.transcript(sid)]
    backend.advance(1)  # 5 s after the prompt
    assert [s.get("text") for s in backend.voice.transcript(sid) if s.get("verb") == "Say"] == [
        "Press 1",
        "No input",
    ]
    assert app.at("/menu") == []
    gather = next(s for s in backend.voice.transcript(sid) if s.get("verb") == "Gather")
    assert gather["result"] == "timeout"


def test_gather_action_on_empty_result_and_default_action(client: Any, backend: Backend, app: Any) -> None:
    answers = iter(
        [
            '<Response><Gather actionOnEmptyResult="true" timeout="2"/></Response>',
            "<Response><Hangup/></Response>",
        ]
    )
    app.answers["/voice"] = lambda request: next(answers)
    sid = _call(client)
    backend.advance(10)
    first, second = app.at("/voice")
    assert "Digits" not in second.form  # the current document, without input
    assert client.calls(sid).fetch().status == "completed"


def test_gather_num_digits_and_speech(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = (
        '<Response><Gather input="speech dtmf" numDigits="2" action="/a"/><Gather input="speech" action="/b"/></Response>'
    )
    app.answers["/a"] = '<Response><Gather input="speech" action="/b"/></Response>'
    sid = _call(client)
    backend.voice.press(CUSTOMER, "123")
    backend.voice.say(CUSTOMER, "sales please", confidence=0.75)
    backend.advance(5)
    assert app.at("/a")[0].form["Digits"] == "12"
    form = app.at("/b")[0].form
    assert form["SpeechResult"] == "sales please" and form["Confidence"] == "0.75"
    assert sid


def test_gather_ignores_input_of_another_kind(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = '<Response><Gather action="/a"/><Say>next</Say></Response>'
    sid = _call(client)
    backend.voice.say(CUSTOMER, "hello")
    backend.advance(5)
    gather = next(s for s in backend.voice.transcript(sid) if s.get("verb") == "Gather")
    assert gather["result"] == "timeout" and gather["ignored"] == {"speech": "hello", "confidence": 0.9}
    assert app.at("/a") == []


def test_dial_a_number_that_answers(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.answer("+15558675399", after=2, talk=30)
    app.answers["/voice"] = (
        '<Response><Dial action="/dialed" callerId="+15017122661">+15558675399</Dial><Say>unreachable</Say></Response>'
    )
    sid = _call(client)
    backend.advance(4 + 2 + 30)
    [dialed] = app.at("/dialed")
    child = dialed.form["DialCallSid"]
    assert dialed.form["DialCallStatus"] == "completed" and dialed.form["DialCallDuration"] == "30"
    leg = client.calls(child).fetch()
    assert leg.parent_call_sid == sid and leg.direction == "outbound-dial" and leg.status == "completed"
    assert leg.to == "+15558675399" and leg.from_formatted == "(501) 712-2661" and leg.duration == "30"
    step = next(s for s in backend.voice.transcript(sid) if s.get("verb") == "Dial")
    assert step["status"] == "completed" and step["call_sid"] == child
    assert "unreachable" not in [s.get("text") for s in backend.voice.transcript(sid)]


@pytest.mark.parametrize(
    ("rule", "status"), [("busy", "busy"), ("no_answer", "no-answer"), ("fail", "failed")]
)
def test_dial_unanswered(client: Any, backend: Backend, app: Any, rule: str, status: str) -> None:
    getattr(backend.voice, rule)("+15558675399")
    app.answers["/voice"] = '<Response><Dial action="/dialed"><Number>+15558675399</Number></Dial></Response>'
    _call(client)
    backend.advance(60)
    [dialed] = app.at("/dialed")
    assert dialed.form["DialCallStatus"] == status
    assert client.calls(dialed.form["DialCallSid"]).fetch().status == status


def test_dial_without_action_runs_the_next_verb(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.busy("client:alice")
    app.answers["/voice"] = "<Response><Dial><Client>alice</Client></Dial><Say>she is busy</Say></Response>"
    sid = _call(client)
    backend.advance(30)
    assert [s.get("text") for s in backend.voice.transcript(sid) if s.get("verb") == "Say"] == ["she is busy"]
    step = next(s for s in backend.voice.transcript(sid) if s.get("verb") == "Dial")
    assert step["to"] == ["client:alice"] and step["status"] == "busy"


def test_dial_several_the_first_to_answer_wins(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.answer("+15558675301", after=8)
    backend.voice.answer("sip:desk@example.com", after=2)
    app.answers["/voice"] = (
        '<Response><Dial action="/d"><Number>+15558675301</Number><Sip>sip:desk@example.com</Sip></Dial></Response>'
    )
    _call(client)
    backend.advance(60)
    [done] = app.at("/d")
    legs = {c.to: c.status for c in client.calls.list() if c.parent_call_sid}
    assert legs == {"+15558675301": "canceled", "sip:desk@example.com": "completed"}
    assert client.calls(done.form["DialCallSid"]).fetch().to == "sip:desk@example.com"


def test_record_makes_a_recording_with_its_callback_and_action(
    client: Any, backend: Backend, app: Any
) -> None:
    app.answers["/voice"] = (
        '<Response><Say>After the beep</Say><Record action="/recorded" recordingStatusCallback="/recording" maxLength="60"/></Response>'
    )
    app.answers["/recorded"] = "<Response><Say>Goodbye</Say></Response>"
    sid = _call(client)
    backend.voice.press(CUSTOMER, "#")
    backend.advance(60)
    [action] = app.at("/recorded")
    [status] = app.at("/recording")
    recording = action.form["RecordingSid"]
    assert action.form["RecordingDuration"] == "5" and action.form["Digits"] == "#"
    assert action.form["RecordingUrl"].endswith(f"/Recordings/{recording}")
    assert status.form["RecordingStatus"] == "completed" and status.form["RecordingSource"] == "RecordVerb"
    assert status.form["RecordingSid"] == recording and status.form["CallSid"] == sid
    assert status.form["RecordingChannels"] == "1"
    [under_call] = client.calls(sid).recordings.list()
    fetched = client.recordings(recording).fetch()
    assert under_call.sid == recording and fetched.call_sid == sid and fetched.duration == "5"
    assert fetched.source == "RecordVerb" and fetched.status == "completed"


def test_record_ended_by_silence_sends_no_digits(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = '<Response><Record action="/recorded" timeout="3"/></Response>'
    _call(client)
    backend.advance(4 + 5 + 2)
    assert app.at("/recorded") == []
    backend.advance(1)
    [action] = app.at("/recorded")
    assert "Digits" not in action.form


def test_an_empty_recording_runs_the_next_verb(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.delays["recording"] = 0
    app.answers["/voice"] = '<Response><Record action="/recorded"/><Say>nothing heard</Say></Response>'
    sid = _call(client)
    backend.advance(20)
    assert app.at("/recorded") == [] and client.recordings.list() == []
    assert _verbs(backend, sid) == ["Record", "Say"]


def test_redirect_relative_with_method(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/ivr/voice"] = '<Response><Redirect method="GET">step2</Redirect><Say>never</Say></Response>'
    app.answers["/ivr/step2"] = "<Response><Say>step two</Say></Response>"
    sid = _call(client, url=f"{APP}/ivr/voice")
    backend.advance(5)
    [second] = app.at("/ivr/step2")
    assert second.method == "GET"
    assert _verbs(backend, sid) == ["Redirect", "Say"]


def test_hangup_ends_and_later_verbs_never_run(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = "<Response><Say>bye</Say><Hangup/><Say>never</Say></Response>"
    sid = _call(client)
    backend.advance(5)
    assert _verbs(backend, sid) == ["Say", "Hangup"]
    assert client.calls(sid).fetch().status == "completed"


def test_unsupported_verbs_are_noted_and_skipped(client: Any, backend: Backend) -> None:
    sid = _call(client, url=None, twiml="<Response><Echo/><Say>after</Say></Response>")
    backend.advance(5)
    assert backend.voice.transcript(sid)[0]["supported"] is False
    assert _verbs(backend, sid) == ["Echo", "Say"]


def test_one_delivery_per_document(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = (
        "<Response><Say>a</Say><Pause/><Play>x.mp3</Play><Redirect>/two</Redirect></Response>"
    )
    app.answers["/two"] = '<Response><Say>b</Say><Gather action="/three"/></Response>'
    app.answers["/three"] = "<Response><Hangup/></Response>"
    backend.voice.press(CUSTOMER, "9")
    sid = _call(client)
    backend.advance(30)
    fetches = [s for s in backend.voice.transcript(sid) if s.get("event") == "fetch"]
    twiml = backend.webhooks(event="call.twiml")
    assert len(fetches) == len(twiml) == len(app.seen) == 3
    assert all(d.signature_valid for d in twiml)


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        (("oops", 500), 11200),
        ("<Response><Say>unclosed</Response>", 12100),
        ("<Response><Sya>typo</Sya></Response>", 12200),
    ],
)
def test_a_bad_document_ends_the_call_with_an_alert(
    client: Any, backend: Backend, app: Any, answer: Any, code: int
) -> None:
    app.answers["/voice"] = answer
    sid = _call(client)
    backend.advance(5)
    steps = backend.voice.transcript(sid)
    error = next(s for s in steps if s.get("event") == "error")
    assert error["code"] == code
    assert steps[-2]["verb"] == "Say" and "application error" in steps[-2]["text"]
    assert client.calls(sid).fetch().status == "completed"
    [alert] = client.monitor.v1.alerts.list()
    assert alert.error_code == str(code) and alert.resource_sid == sid
    assert alert.request_url == f"{APP}/voice"


def test_the_fallback_url_carries_on(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = ("down", 503)
    app.answers["/fallback"] = "<Response><Say>fallback speaking</Say></Response>"
    sid = _call(client, fallback_url=f"{APP}/fallback")
    backend.advance(5)
    [fallback] = app.at("/fallback")
    assert fallback.form["ErrorCode"] == "11200" and fallback.form["ErrorUrl"] == f"{APP}/voice"
    assert any(s.get("text") == "fallback speaking" for s in backend.voice.transcript(sid))


def test_too_many_fetches_end_the_call(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = "<Response><Redirect>/voice</Redirect></Response>"
    sid = _call(client)
    backend.advance(5)
    assert client.calls(sid).fetch().status == "completed"
    assert len(app.at("/voice")) == 100


def test_hanging_up_while_recording_keeps_the_recording(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = '<Response><Record action="/recorded"/></Response>'
    sid = _call(client)
    backend.advance(4 + 3)
    client.calls(sid).update(status="completed")
    [action] = app.at("/recorded")
    assert action.form["Digits"] == "hangup" and action.form["RecordingDuration"] == "3"
    assert action.form["CallStatus"] == "completed" and action.valid
    [recording] = client.calls(sid).recordings.list()
    assert recording.duration == "3"


def test_time_limit_hangs_up(client: Any, backend: Backend) -> None:
    sid = _call(client, url=None, twiml='<Response><Pause length="100"/></Response>', time_limit=15)
    backend.advance(4 + 15)
    call = client.calls(sid).fetch()
    assert call.status == "completed" and call.duration == "15"


@pytest.mark.parametrize(("record", "length"), [("record-from-answer", 20), ("record-from-ringing", 23)])
def test_a_recorded_dial(client: Any, backend: Backend, app: Any, record: str, length: int) -> None:
    backend.voice.answer("+15558675399", after=3, talk=20)
    app.answers["/voice"] = (
        f'<Response><Dial record="{record}" action="/dialed" recordingStatusCallback="/rec">+15558675399</Dial></Response>'
    )
    sid = _call(client)
    backend.advance(60)
    [dialed] = app.at("/dialed")
    [recording] = client.calls(sid).recordings.list()
    assert dialed.form["RecordingUrl"].endswith(f"/Recordings/{recording.sid}")
    assert recording.source == "DialVerb" and recording.duration == str(length)
    assert app.at("/rec")[0].form["RecordingSource"] == "DialVerb"


def test_an_unrecorded_dial_sends_no_recording_url(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = '<Response><Dial action="/dialed">+15558675399</Dial></Response>'
    _call(client)
    backend.advance(60)
    assert "RecordingUrl" not in app.at("/dialed")[0].form and client.recordings.list() == []


def test_a_dialed_number_has_its_own_status_callback(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.answer("+15558675399", after=2, talk=5)
    app.answers["/voice"] = (
        "<Response><Dial>"
        '<Number statusCallback="/leg" statusCallbackEvent="initiated ringing answered completed">+15558675399</Number>'
        '<Number statusCallback="/other">+15558675398</Number>'
        "</Dial></Response>"
    )
    backend.voice.answer("+15558675398", after=9)
    _call(client)
    backend.advance(60)
    legs = app.at("/leg")
    assert [h.form["CallStatus"] for h in legs] == ["initiated", "ringing", "in-progress", "completed"]
    assert [h.form["SequenceNumber"] for h in legs] == ["0", "1", "2", "3"]
    assert legs[0].form["Direction"] == "outbound-dial" and legs[0].form["ParentCallSid"]
    [other] = app.at("/other")  # completed only, by default: it was hung up when the first answered
    assert other.form["CallStatus"] == "canceled"
