"""The outbound lifecycle on the virtual clock (ref §10, §13, §19): queued → sending → sent →
delivered with the default delays, date_sent and price once sent, the sender's queue (1 segment/s
for a long code), 21611, delivery rules, and a status callback for every change after the first,
signed (checked with the official validator) and delivered after the lock is released."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, OTHER, App, code_of
from twilio_mock import Backend

pytestmark = pytest.mark.usefixtures("number", "app")
STATUS = f"{APP}/status"


def _send(client: Any, **params: Any) -> Any:
    return client.messages.create(
        **{"to": CUSTOMER, "from_": NUMBER, "body": "hi", "status_callback": STATUS, **params}
    )


def _status(client: Any, sid: str) -> str:
    return str(client.messages(sid).fetch().status)


def test_queued_sending_sent_delivered(client: Any, backend: Backend, app: App) -> None:
    start = backend.clock.seconds()
    message = _send(client)
    assert (message.status, message.date_sent, message.price, message.price_unit) == (
        "queued",
        None,
        None,
        "USD",
    )
    seen = []
    for _ in range(6):
        backend.advance(1)
        now = client.messages(message.sid).fetch()
        seen.append(now.status)
    assert seen == ["sending", "sent", "sent", "sent", "delivered", "delivered"]
    assert int(now.date_sent.timestamp()) == start + 2 and now.price == "-0.00790"
    assert now.error_code is None and now.num_segments == "1"
    assert [s.form["MessageStatus"] for s in app.at("/status")] == ["sending", "sent", "delivered"]


def test_every_status_callback_carries_twilios_fields(client: Any, backend: Backend, app: App) -> None:
    message = _send(client)
    backend.advance(10)
    forms = [s.form for s in app.at("/status")]
    common = {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": backend.account_sid,
        "From": NUMBER,
        "To": CUSTOMER,
        "ApiVersion": "2010-04-01",
    }
    for form, status in zip(forms, ("sending", "sent", "delivered"), strict=True):
        assert {k: form[k] for k in common} == common
        assert form["MessageStatus"] == form["SmsStatus"] == status
        assert "ErrorCode" not in form and "MessagingServiceSid" not in form
    assert forms[-1]["RawDlrDoneDate"] == "2501010000"  # YYMMDDhhmm of 2025-01-01T00:00:05Z
    assert [d.event for d in backend.webhooks] == ["message.status"] * 3


def test_delivered_within_ten_seconds_and_priced_per_segment(client: Any, backend: Backend) -> None:
    one, two = _send(client), _send(client, body="x" * 200)
    assert two.num_segments == "2"
    backend.advance(10)
    assert [_status(client, m.sid) for m in (one, two)] == ["delivered", "delivered"]
    assert client.messages(two.sid).fetch().price == "-0.01580"


def test_the_delays_are_settings(client: Any, backend: Backend) -> None:
    backend.messaging.delays["delivered"] = 60
    message = _send(client)
    backend.advance(61)  # sent 2 s after it was created
    assert _status(client, message.sid) == "sent"
    backend.advance(1)
    assert _status(client, message.sid) == "delivered"


def test_a_sender_sends_one_segment_a_second(client: Any, backend: Backend) -> None:
    client.incoming_phone_numbers.create(phone_number=OTHER)
    first, long, third = _send(client), _send(client, body="x" * 300), _send(client)
    elsewhere = _send(client, from_=OTHER)
    backend.advance(1)  # the first segment's slot; OTHER's queue is its own
    assert [_status(client, m.sid) for m in (first, long, third, elsewhere)] == [
        "sending",
        "queued",
        "queued",
        "sending",
    ]
    backend.advance(1)
    assert [_status(client, m.sid) for m in (long, third)] == ["sending", "queued"]
    backend.advance(1)  # the long message takes two seconds of its sender
    assert _status(client, third.sid) == "queued"
    backend.advance(1)
    assert _status(client, third.sid) == "sending"


def test_21611_when_the_queue_is_longer_than_the_validity_period(client: Any, backend: Backend) -> None:
    sent = [_send(client, validity_period=2) for _ in range(3)]  # waits of 0, 1 and 2 s
    status, code, message = code_of(lambda: _send(client, validity_period=2))
    assert (status, code) == (400, 21611) and NUMBER in message
    assert _send(client, validity_period=10).status == "queued"  # a longer wait is fine for it
    backend.advance(30)
    assert {_status(client, m.sid) for m in sent} == {"delivered"}


def test_rules_end_chosen_recipients_undelivered_or_failed(client: Any, backend: Backend, app: App) -> None:
    landline, blocked = "+15558675311", "+15558675312"
    backend.messaging.fail(to=landline, status="undelivered", error_code=30006)
    backend.messaging.fail(to=blocked, status="failed", error_code=30003)
    ok, lost, never = _send(client), _send(client, to=landline), _send(client, to=blocked)
    backend.advance(10)
    assert [_status(client, m.sid) for m in (ok, lost, never)] == ["delivered", "undelivered", "failed"]
    lost_now, never_now = client.messages(lost.sid).fetch(), client.messages(never.sid).fetch()
    assert (lost_now.error_code, lost_now.error_message) == (30006, "Landline or unreachable carrier")
    assert lost_now.price == "-0.00790" and lost_now.date_sent is not None  # it was sent
    assert (never_now.error_code, never_now.price, never_now.date_sent) == (30003, None, None)  # never sent
    by_sid: dict[str, list[dict[str, str]]] = {}
    for seen in app.at("/status"):
        by_sid.setdefault(seen.form["MessageSid"], []).append(seen.form)
    assert [f["MessageStatus"] for f in by_sid[lost.sid]] == ["sending", "sent", "undelivered"]
    assert [f["MessageStatus"] for f in by_sid[never.sid]] == ["sending", "failed"]
    assert (by_sid[lost.sid][-1]["ErrorCode"], by_sid[lost.sid][-1]["ErrorMessage"]) == (
        "30006",
        "Landline or unreachable carrier",
    )
    assert by_sid[never.sid][-1]["ErrorCode"] == "30003"


def test_rules_can_be_listed_narrowed_to_a_sender_and_cleared(client: Any, backend: Backend) -> None:
    client.incoming_phone_numbers.create(phone_number=OTHER)
    backend.messaging.fail(to="+1 (555) 867-5310", from_=OTHER, status="failed", error_code=30007)
    assert backend.messaging.rules == [
        {
            "to": CUSTOMER,
            "from": OTHER,
            "status": "failed",
            "error_code": 30007,
            "error_message": "Message filtered",
        }
    ]
    mine, theirs = _send(client), _send(client, from_=OTHER)
    backend.advance(10)
    assert [_status(client, m.sid) for m in (mine, theirs)] == ["delivered", "failed"]
    backend.messaging.clear()
    assert backend.messaging.rules == []
    again = _send(client, from_=OTHER)
    backend.advance(10)
    assert _status(client, again.sid) == "delivered"
    with pytest.raises(ValueError, match="status"):
        backend.messaging.fail(to=CUSTOMER, status="lost")


def test_callbacks_run_after_the_lock_is_released(client: Any, backend: Backend, app: App) -> None:
    free: list[bool] = []

    def probe() -> None:  # another thread: the backend's lock must be free while the app runs
        got = backend._lock.acquire(timeout=2)
        if got:
            backend._lock.release()
        free.append(got)

    def status(request: Any) -> str:
        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        return ""

    app.answers["/status"] = status
    _send(client)
    backend.advance(10)
    assert free == [True, True, True]


def test_a_message_deleted_on_the_way_moves_no_further(client: Any, backend: Backend, app: App) -> None:
    message = _send(client)
    backend.advance(1)
    client.messages(message.sid).delete()
    backend.advance(10)
    assert [s.form["MessageStatus"] for s in app.at("/status")] == ["sending"] and len(backend.scheduler) == 0


def test_snapshots_keep_rules_queues_and_pending_events(client: Any, backend: Backend) -> None:
    from twilio_mock import MockTransport
    from twilio_sdk import Client

    backend.messaging.fail(to=CUSTOMER, status="undelivered", error_code=30005)
    message = _send(client, status_callback=None)
    _send(client, status_callback=None, body="x" * 200)  # two segments: the queue is busy for 3 s
    state = backend.snapshot()
    assert state["messaging"]["rules"][0]["error_code"] == 30005 and state["messaging"]["free_at"]
    other = Backend(seed=9)
    other.restore(state)
    assert other.messaging.rules == backend.messaging.rules
    restored = Client(other.account_sid, other.auth_token, http_client=MockTransport(other), environment={})
    later = restored.messages.create(to="+15558675311", from_=NUMBER, body="x")
    other.advance(3)
    assert restored.messages(later.sid).fetch().status == "queued"  # behind the restored queue
    other.advance(1)
    assert restored.messages(later.sid).fetch().status == "sending"
    other.advance(10)
    assert restored.messages(message.sid).fetch().status == "undelivered"
    backend.reset()
    assert backend.messaging.rules == [] and backend.snapshot()["messaging"]["free_at"] == {}


def test_the_newest_matching_rule_wins(client: Any, backend: Backend) -> None:
    backend.messaging.fail(status="failed", error_code=30008)  # every recipient...
    backend.messaging.fail(to=CUSTOMER, status="delivered")  # ...but this one
    mine, theirs = _send(client), _send(client, to="+15558675311")
    backend.advance(10)
    assert [_status(client, m.sid) for m in (mine, theirs)] == ["delivered", "failed"]


def test_an_update_may_only_redact_the_body(client: Any, backend: Backend) -> None:
    """``Body=""`` redacts; a message's text cannot be changed to another (twilio-facts.md,
    Messages: Update; the code of the refusal is unconfirmed). Found by the state machine."""
    sent = client.messages.create(to=CUSTOMER, from_=NUMBER, body="my secret is 1234")
    status, code, message = code_of(lambda: client.messages(sent.sid).update(body="changed"))
    assert (status, code) == (400, 20001) and "Body" in message
    assert client.messages(sent.sid).fetch().body == "my secret is 1234"
    assert client.messages(sent.sid).update(body="").body == ""
    assert client.messages(sent.sid).fetch().body == ""
