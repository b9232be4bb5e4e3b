"""A call's life on the virtual clock (ref §11, §17.9, §19): the default answer, the per-number
rules (busy, no-answer, failed, a machine), hang-up and cancel through update, redirects of a
live call, and the status callbacks StatusCallbackEvent asks for, signed, in sequence."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, code_of
from twilio_mock import Backend

MAIN = "+15017122661"
LONG = '<Response><Say>hold on</Say><Pause length="120"/></Response>'
ALL = ["initiated", "ringing", "answered", "completed"]


def _call(client: Any, twiml: str = LONG, **options: Any) -> Any:
    return client.calls.create(to=CUSTOMER, from_=MAIN, twiml=twiml, **options)


def test_an_ordinary_number_rings_then_answers_and_completes(client: Any, backend: Backend) -> None:
    call = _call(client, '<Response><Pause length="7"/></Response>')
    assert call.status == "queued" and call.start_time is None
    backend.advance(1)
    assert client.calls(call.sid).fetch().status == "ringing"
    backend.advance(3)
    live = client.calls(call.sid).fetch()
    assert live.status == "in-progress" and live.start_time is not None
    backend.advance(7)
    done = client.calls(call.sid).fetch()
    assert done.status == "completed" and done.duration == "7"
    assert done.price == "-0.01400" and done.price_unit == "USD"
    assert (done.end_time - done.start_time).total_seconds() == 7
    assert done.to_formatted == "(555) 867-5310" and done.from_formatted == "(501) 712-2661"


def test_answer_after_n_seconds(client: Any, backend: Backend) -> None:
    backend.voice.answer(CUSTOMER, after=20)
    call = _call(client)
    backend.advance(20)
    assert client.calls(call.sid).fetch().status == "ringing"
    backend.advance(1)
    assert client.calls(call.sid).fetch().status == "in-progress"


@pytest.mark.parametrize(
    ("rule", "status", "when"), [("busy", "busy", 3), ("no_answer", "no-answer", 61), ("fail", "failed", 1)]
)
def test_rules_end_calls_unanswered(
    client: Any, backend: Backend, app: Any, rule: str, status: str, when: int
) -> None:
    getattr(backend.voice, rule)(CUSTOMER)
    call = _call(client, status_callback=f"{APP}/status")
    backend.advance(when - 0.5)
    assert client.calls(call.sid).fetch().status != status
    backend.advance(0.5)
    done = client.calls(call.sid).fetch()
    assert done.status == status and done.price is None and done.duration == "0"
    assert backend.voice.transcript(call.sid) == []  # no TwiML ran
    [hook] = app.at("/status")
    assert hook.form["CallStatus"] == status and hook.form["SequenceNumber"] == "0"
    assert hook.form["CallDuration"] == "0"


def test_an_answer_later_than_timeout_is_no_answer(client: Any, backend: Backend) -> None:
    backend.voice.answer(CUSTOMER, after=30)
    call = _call(client, timeout=10)
    backend.advance(11)
    assert client.calls(call.sid).fetch().status == "no-answer"


def test_answered_by_a_machine_with_machine_detection(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.machine(CUSTOMER)
    call = client.calls.create(to=CUSTOMER, from_=MAIN, url=f"{APP}/voice", machine_detection="Enable")
    backend.advance(5)
    assert client.calls(call.sid).fetch().answered_by == "machine_start"
    assert app.at("/voice")[0].form["AnsweredBy"] == "machine_start"
    human = client.calls.create(to="+15558675399", from_=MAIN, twiml=LONG, machine_detection="Enable")
    plain = client.calls.create(to="+15558675398", from_=MAIN, twiml=LONG)
    backend.advance(5)
    assert client.calls(human.sid).fetch().answered_by == "human"
    assert client.calls(plain.sid).fetch().answered_by is None


def test_only_completed_is_called_back_by_default(client: Any, backend: Backend, app: Any) -> None:
    call = _call(client, "<Response><Hangup/></Response>", status_callback=f"{APP}/status")
    backend.advance(30)
    [hook] = app.at("/status")
    form = hook.form
    assert form["CallSid"] == call.sid and form["CallStatus"] == "completed"
    assert form["CallbackSource"] == "call-progress-events" and form["SequenceNumber"] == "0"
    assert form["CallDuration"] == "0" and form["Duration"] == "0" and form["Timestamp"].endswith("+0000")
    assert hook.valid


def test_every_event_asked_for_in_sequence(client: Any, backend: Backend, app: Any) -> None:
    call = _call(
        client,
        '<Response><Pause length="65"/></Response>',
        status_callback=f"{APP}/status",
        status_callback_event=ALL,
    )
    backend.advance(120)
    hooks = app.at("/status")
    assert [h.form["CallStatus"] for h in hooks] == ["initiated", "ringing", "in-progress", "completed"]
    assert [h.form["SequenceNumber"] for h in hooks] == ["0", "1", "2", "3"]
    assert hooks[-1].form["CallDuration"] == "65" and hooks[-1].form["Duration"] == "2"
    assert all(h.valid for h in hooks)
    assert client.calls(call.sid).fetch().price == "-0.02800"  # two started minutes


def test_status_callback_method_get(client: Any, backend: Backend) -> None:
    # werkzeug's request.url re-quotes the query (',' for '%2C'), so the signature is checked on
    # the delivery as sent, with the official validator, rather than by the test app.
    from twilio.request_validator import RequestValidator
    from werkzeug.wrappers import Response

    backend.webhooks.route(APP, Response("", 204))
    _call(client, "<Response/>", status_callback=f"{APP}/status", status_callback_method="GET")
    backend.advance(30)
    [hook] = backend.webhooks(event="call.status")
    assert hook.method == "GET" and hook.status == 204 and "CallStatus=completed" in hook.url
    assert RequestValidator(backend.auth_token).validate(hook.url, {}, hook.headers["X-Twilio-Signature"])


def test_update_completed_hangs_up_a_live_call(client: Any, backend: Backend, app: Any) -> None:
    call = _call(client, status_callback=f"{APP}/status")
    backend.advance(10)
    done = client.calls(call.sid).update(status="completed")
    assert done.status == "completed" and done.duration == "6"
    assert backend.voice.transcript(call.sid)[-1]["event"] == "ended"
    assert backend.voice.transcript(call.sid)[-1]["by"] == "api"
    assert [h.form["CallStatus"] for h in app.at("/status")] == ["completed"]
    backend.advance(200)
    assert client.calls(call.sid).fetch().status == "completed"


@pytest.mark.parametrize("wait", [0, 2])
def test_update_canceled_for_queued_or_ringing(client: Any, backend: Backend, wait: int) -> None:
    call = _call(client)
    backend.advance(wait)
    assert client.calls(call.sid).update(status="canceled").status == "canceled"
    backend.advance(100)
    assert client.calls(call.sid).fetch().status == "canceled"


def test_cancel_of_an_answered_call_is_refused(client: Any, backend: Backend) -> None:
    call = _call(client)
    backend.advance(10)
    assert code_of(lambda: client.calls(call.sid).update(status="canceled"))[:2] == (400, 21220)
    assert client.calls(call.sid).fetch().status == "in-progress"


def test_update_twiml_redirects_a_live_call(client: Any, backend: Backend) -> None:
    call = _call(client)
    backend.advance(10)
    client.calls(call.sid).update(twiml="<Response><Say>new words</Say></Response>")
    steps = backend.voice.transcript(call.sid)
    assert [s.get("text") for s in steps if s.get("verb") == "Say"] == ["hold on", "new words"]
    assert client.calls(call.sid).fetch().status == "completed"
    backend.advance(200)  # the old Pause's event does nothing now
    assert [s.get("text") for s in backend.voice.transcript(call.sid) if s.get("verb") == "Say"] == [
        "hold on",
        "new words",
    ]


def test_update_url_redirects_a_live_call(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/next"] = "<Response><Say>redirected</Say></Response>"
    call = _call(client)
    backend.advance(10)
    client.calls(call.sid).update(url=f"{APP}/next", method="GET")
    [seen] = app.at("/next")
    assert seen.method == "GET" and seen.valid
    assert any(s.get("text") == "redirected" for s in backend.voice.transcript(call.sid))


def test_a_call_not_live_cannot_be_redirected(client: Any, backend: Backend) -> None:
    call = _call(client)
    assert code_of(lambda: client.calls(call.sid).update(twiml="<Response/>"))[:2] == (400, 21220)


def test_snapshots_keep_a_call_mid_document(client: Any, backend: Backend) -> None:
    call = _call(client, '<Response><Pause length="10"/><Say>after</Say></Response>')
    backend.advance(6)
    saved = backend.snapshot()
    fresh = Backend(seed=3)
    fresh.restore(saved)
    fresh.advance(20)
    steps = fresh.voice.transcript(call.sid)
    assert [s.get("verb") for s in steps if "verb" in s] == ["Pause", "Say"]


def test_asynchronous_machine_detection_posts_its_result(client: Any, backend: Backend, app: Any) -> None:
    backend.voice.machine(CUSTOMER)
    app.answers["/voice"] = '<Response><Pause length="10"/></Response>'
    call = client.calls.create(
        to=CUSTOMER,
        from_=MAIN,
        url=f"{APP}/voice",
        machine_detection="Enable",
        async_amd="true",
        async_amd_status_callback=f"{APP}/amd",
    )
    backend.advance(4)
    assert "AnsweredBy" not in app.at("/voice")[0].form  # the TwiML runs before the result
    assert client.calls(call.sid).fetch().answered_by is None
    backend.advance(2)
    [amd] = app.at("/amd")
    assert amd.form == {"CallSid": call.sid, "AccountSid": backend.account_sid, "AnsweredBy": "machine_start"}
    assert amd.valid


def test_deleting_a_live_call_stops_its_twiml(client: Any, backend: Backend) -> None:
    call = _call(client, '<Response><Gather action="https://app.test/x" timeout="60"/></Response>')
    backend.advance(5)
    client.calls(call.sid).delete()
    assert backend.voice.runs == {} and backend.voice.transcript(call.sid)[-1]["by"] == "deleted"
    backend.voice.press(call.sid, "1")  # nothing is waiting for it any more
    backend.advance(120)
    assert len(backend.webhooks) == 0
