"""Inbound calls to a number's VoiceUrl (ref §11, §17.1) and the rooms calls meet in: conferences
with participants, queues with members (ref §17.6, §17.8)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER
from twilio_mock import Backend


@pytest.fixture
def number(client: Any) -> str:
    return str(
        client.incoming_phone_numbers.create(
            phone_number=NUMBER, voice_url=f"{APP}/incoming", status_callback=f"{APP}/status"
        ).sid
    )


def test_an_inbound_call_posts_the_webhook_fields(
    client: Any, backend: Backend, app: Any, number: str
) -> None:
    app.answers["/incoming"] = "<Response><Say>Thanks for calling</Say></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [hook] = app.at("/incoming")
    form = hook.form
    assert form["CallSid"] == sid and form["AccountSid"] == backend.account_sid
    assert (form["From"], form["To"], form["Caller"], form["Called"]) == (CUSTOMER, NUMBER, CUSTOMER, NUMBER)
    assert (
        form["CallStatus"] == "ringing"
        and form["Direction"] == "inbound"
        and form["ApiVersion"] == "2010-04-01"
    )
    assert form["FromCountry"] == "US" and "ToCity" in form and hook.valid
    call = client.calls(sid).fetch()
    assert call.direction == "inbound" and call.status == "completed" and call.phone_number_sid == number
    assert call.to_formatted == "(501) 712-2671" and call.price == "-0.00850"
    [status] = app.at("/status")
    assert status.form["CallStatus"] == "completed"


def test_an_inbound_call_rejected_is_never_answered(
    client: Any, backend: Backend, app: Any, number: str
) -> None:
    app.answers["/incoming"] = '<Response><Reject reason="busy"/></Response>'
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    call = client.calls(sid).fetch()
    assert call.status == "busy" and call.price is None


def test_an_inbound_call_to_an_unknown_number(backend: Backend) -> None:
    with pytest.raises(LookupError, match="no account owns"):
        backend.voice.inbound_call(CUSTOMER, "+15017122699")


def test_an_inbound_ivr_waits_for_the_caller(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = (
        '<Response><Gather numDigits="1" action="/menu"><Say>Press 2</Say></Gather></Response>'
    )
    app.answers["/menu"] = "<Response><Say>two</Say></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    assert client.calls(sid).fetch().status == "in-progress"
    backend.voice.press(CUSTOMER, "2")
    assert app.at("/menu")[0].form["Digits"] == "2"
    assert client.calls(sid).fetch().status == "completed"


def test_a_conference_with_participants(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = (
        '<Response><Dial action="/after"><Conference endConferenceOnExit="true">standup</Conference></Dial></Response>'
    )
    app.answers["/after"] = "<Response><Say>conference over</Say></Response>"
    first = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [room] = client.conferences.list()
    assert room.friendly_name == "standup" and room.status == "init"
    second = backend.voice.inbound_call("+15558675311", NUMBER)
    room = client.conferences(room.sid).fetch()
    assert room.status == "in-progress"
    people = client.conferences(room.sid).participants.list()
    assert sorted(p.call_sid for p in people) == sorted([first, second])
    client.calls(first).update(status="completed")
    assert client.conferences(room.sid).fetch().status == "completed"
    assert client.conferences(room.sid).participants.list() == []
    [after] = app.at("/after")
    assert after.form["CallSid"] == second and after.form["DialCallStatus"] == "completed"
    assert "DialCallSid" not in after.form


def test_a_conference_ends_with_its_last_participant(
    client: Any, backend: Backend, app: Any, number: str
) -> None:
    app.answers["/incoming"] = "<Response><Dial><Conference>solo</Conference></Dial></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [room] = client.conferences.list()
    client.calls(sid).update(status="completed")
    assert client.conferences(room.sid).fetch().status == "completed"


def test_a_queue_with_members_bridged_by_dial(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = '<Response><Enqueue action="/left">support</Enqueue></Response>'
    app.answers["/left"] = "<Response><Say>bye</Say></Response>"
    caller = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [queue] = client.queues.list()
    assert queue.friendly_name == "support" and queue.current_size == 1
    [member] = client.queues(queue.sid).members.list()
    assert member.call_sid == caller and member.position == 1
    agent = client.calls.create(
        to="+15558675390",
        from_="+15017122661",
        twiml="<Response><Dial><Queue>support</Queue></Dial></Response>",
    )
    backend.advance(4)
    assert client.queues(queue.sid).fetch().current_size == 0
    backend.advance(10)
    [left] = app.at("/left")
    assert left.form["QueueResult"] == "bridged" and left.form["QueueSid"] == queue.sid
    step = next(
        s
        for s in backend.voice.transcript(agent.sid)
        if s.get("verb") == "Dial" and s.get("status") == "completed"
    )
    assert step["call_sid"] == caller and step["duration"] == 10


def test_a_caller_hanging_up_leaves_the_queue(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = "<Response><Enqueue>support</Enqueue></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [queue] = client.queues.list()
    client.calls(sid).update(status="completed")
    assert (
        client.queues(queue.sid).members.list() == [] and client.queues(queue.sid).fetch().current_size == 0
    )


def test_ending_a_conference_through_the_api(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = (
        "<Response><Dial><Conference>weekly</Conference></Dial><Say>it ended</Say></Response>"
    )
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [room] = client.conferences.list()
    ended = client.conferences(room.sid).update(status="completed")
    assert ended.status == "completed" and ended.reason_conference_ended == "conference-ended-via-api"
    said = [s.get("text") for s in backend.voice.transcript(sid) if s.get("verb") == "Say"]
    assert said == ["it ended"] and client.calls(sid).fetch().status == "completed"


def test_kicking_a_participant_ends_its_dial(client: Any, backend: Backend, app: Any, number: str) -> None:
    app.answers["/incoming"] = (
        "<Response><Dial><Conference>room</Conference></Dial><Say>you were removed</Say></Response>"
    )
    first = backend.voice.inbound_call(CUSTOMER, NUMBER)
    second = backend.voice.inbound_call("+15558675311", NUMBER)
    [room] = client.conferences.list()
    client.conferences(room.sid).participants(first).delete()
    assert [p.call_sid for p in client.conferences(room.sid).participants.list()] == [second]
    assert any(s.get("text") == "you were removed" for s in backend.voice.transcript(first))
    assert client.calls(first).fetch().status == "completed"
    client.conferences(room.sid).participants(second).delete()
    ended = client.conferences(room.sid).fetch()
    assert ended.status == "completed" and ended.reason_conference_ended == "last-participant-kicked"


def test_a_number_with_a_voice_application(client: Any, backend: Backend, app: Any) -> None:
    application = client.applications.create(voice_url=f"{APP}/from-app", friendly_name="ivr")
    client.incoming_phone_numbers.create(phone_number=NUMBER, voice_application_sid=application.sid)
    app.answers["/from-app"] = "<Response><Say>the application answers</Say></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    assert [s.path for s in app.seen] == ["/from-app"]
    assert backend.voice.transcript(sid)[1]["text"] == "the application answers"


def test_a_wait_url_plays_while_queued_and_leave_takes_the_caller_out(
    client: Any, backend: Backend, app: Any, number: str
) -> None:
    app.answers["/incoming"] = (
        '<Response><Enqueue waitUrl="/hold" action="/left">support</Enqueue><Say>back in the menu</Say></Response>'
    )
    holds = iter(
        [
            '<Response><Say>Please hold</Say><Pause length="30"/></Response>',
            "<Response><Say>Still busy</Say><Leave/></Response>",
        ]
    )
    app.answers["/hold"] = lambda request: next(holds)
    app.answers["/left"] = "<Response><Say>we will call you back</Say></Response>"
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    [hold] = app.at("/hold")
    assert (
        hold.form["QueuePosition"] == "1" and hold.form["CurrentQueueSize"] == "1" and hold.form["QueueSid"]
    )
    [queue] = client.queues.list()
    assert [m.call_sid for m in client.queues(queue.sid).members.list()] == [sid]
    backend.advance(30)  # the wait document ran out after 30 s: requested again, then <Leave>
    assert len(app.at("/hold")) == 2 and app.at("/hold")[1].form["QueueTime"] == "30"
    [left] = app.at("/left")
    assert left.form["QueueResult"] == "leave" and left.form["QueueTime"] == "30"
    assert client.queues(queue.sid).members.list() == []
    said = [s.get("text") for s in backend.voice.transcript(sid) if s.get("verb") == "Say"]
    assert said == ["Please hold", "Still busy", "we will call you back"]


def test_a_member_in_its_wait_document_is_bridged(
    client: Any, backend: Backend, app: Any, number: str
) -> None:
    app.answers["/incoming"] = (
        '<Response><Enqueue waitUrl="/hold">support</Enqueue><Say>after the agent</Say></Response>'
    )
    app.answers["/hold"] = '<Response><Say>Please hold</Say><Pause length="60"/></Response>'
    sid = backend.voice.inbound_call(CUSTOMER, NUMBER)
    client.calls.create(
        to="+15558675390",
        from_="+15017122661",
        twiml="<Response><Dial><Queue>support</Queue></Dial></Response>",
    )
    backend.advance(4 + 10)
    said = [s.get("text") for s in backend.voice.transcript(sid) if s.get("verb") == "Say"]
    assert said == ["Please hold", "after the agent"]
    assert len(app.at("/hold")) == 1
