"""Scheduled messages (ref §10; docs 35111, 35115, 35118, 35126, 30409): ``ScheduleType=fixed``
with ``SendAt`` more than 300 s and at most 35 days ahead, through a Messaging Service; status
``scheduled`` until then; ``update(status="canceled")`` only while scheduled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App, code_of, service_with
from twilio_mock import Backend


def _at(backend: Backend, seconds: float) -> dt.datetime:
    return backend.clock.datetime() + dt.timedelta(seconds=seconds)


@pytest.fixture
def service(client: Any, app: App) -> str:
    return service_with(client, NUMBER, status_callback=f"{APP}/s")


def test_a_scheduled_message_waits_for_its_time(
    client: Any, backend: Backend, service: str, app: App
) -> None:
    message = client.messages.create(
        to=CUSTOMER,
        messaging_service_sid=service,
        body="later",
        schedule_type="fixed",
        send_at=_at(backend, 3600),
    )
    assert (message.status, message.num_segments, message.date_sent) == ("scheduled", "0", None)
    backend.advance(3599)
    assert client.messages(message.sid).fetch().status == "scheduled" and app.seen == []
    backend.advance(1)
    assert client.messages(message.sid).fetch().status == "queued"
    backend.advance(10)
    done = client.messages(message.sid).fetch()
    assert done.status == "delivered" and int(done.date_sent.timestamp()) == int(
        _at(backend, -10 + 2).timestamp()
    )
    assert [s.form["MessageStatus"] for s in app.at("/s")] == ["queued", "sending", "sent", "delivered"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"schedule_type": "fixed"}, 35111),
        ({"schedule_type": "fixed", "send_at": 300}, 35115),  # not more than 300 s ahead
        ({"schedule_type": "fixed", "send_at": 35 * 86400 + 1}, 35115),
        ({"schedule_type": "fixed", "send_at": -60}, 35115),
        ({"schedule_type": "fixed", "send_at": 3600, "service": False}, 35118),
        ({"schedule_type": "later", "send_at": 3600}, 35126),
    ],
)
def test_refused(client: Any, backend: Backend, service: str, params: dict[str, Any], code: int) -> None:
    params = dict(params)
    sender = {"messaging_service_sid": service} if params.pop("service", True) else {"from_": NUMBER}
    if "send_at" in params:
        params["send_at"] = _at(backend, params["send_at"])
    status, got, _ = code_of(lambda: client.messages.create(to=CUSTOMER, body="x", **sender, **params))
    assert (status, got) == (400, code)


def test_the_window_edges_are_accepted(client: Any, backend: Backend, service: str) -> None:
    for ahead in (301, 35 * 86400):
        message = client.messages.create(
            to=CUSTOMER,
            messaging_service_sid=service,
            body="x",
            schedule_type="fixed",
            send_at=_at(backend, ahead),
        )
        assert message.status == "scheduled"


def test_cancel_while_scheduled(client: Any, backend: Backend, service: str, app: App) -> None:
    message = client.messages.create(
        to=CUSTOMER, messaging_service_sid=service, body="x", schedule_type="fixed", send_at=_at(backend, 900)
    )
    canceled = client.messages(message.sid).update(status="canceled")
    assert canceled.status == "canceled"
    assert [s.form["MessageStatus"] for s in app.at("/s")] == ["canceled"]
    backend.advance(1000)
    assert client.messages(message.sid).fetch().status == "canceled" and len(app.at("/s")) == 1


def test_only_a_scheduled_message_can_be_canceled(client: Any, backend: Backend, service: str) -> None:
    message = client.messages.create(to=CUSTOMER, messaging_service_sid=service, body="x")
    assert code_of(lambda: client.messages(message.sid).update(status="canceled"))[:2] == (400, 30409)
    backend.advance(10)
    assert code_of(lambda: client.messages(message.sid).update(status="canceled"))[:2] == (400, 30409)
    assert client.messages(message.sid).fetch().status == "delivered"
