"""Messaging Services (ref §10, §13, §19): the sender pool made of the account's numbers, the
sender a message goes out from (sticky per recipient), ``accepted`` first, the service's status
callback, and its queue overflowing into 30001."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, OTHER, App, code_of, service_with
from twilio_mock import Backend


def test_the_pool_holds_the_accounts_numbers(client: Any) -> None:
    number = client.incoming_phone_numbers.create(phone_number=NUMBER)
    service = client.messaging.v1.services.create(friendly_name="pool")
    entry = client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=number.sid)
    assert (entry.sid, entry.phone_number, entry.country_code) == (number.sid, NUMBER, "US")
    assert entry.capabilities == ["MMS", "SMS", "Voice"] and entry.service_sid == service.sid
    listed = client.messaging.v1.services(service.sid).phone_numbers.list()
    assert [e.sid for e in listed] == [number.sid]
    assert client.messaging.v1.services(service.sid).phone_numbers(number.sid).fetch().phone_number == NUMBER


def test_an_unknown_number_sid_is_21421(client: Any) -> None:
    service = client.messaging.v1.services.create(friendly_name="pool")
    pool = client.messaging.v1.services(service.sid).phone_numbers
    assert code_of(lambda: pool.create(phone_number_sid="PN" + "0" * 32))[:2] == (400, 21421)


def test_sending_through_the_service_picks_the_first_sender_and_starts_accepted(
    client: Any, backend: Backend
) -> None:
    sid = service_with(client, NUMBER, OTHER)
    message = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="hi")
    assert (message.status, message.from_, message.messaging_service_sid) == ("accepted", NUMBER, sid)
    assert message.num_segments == "0"  # in the create response with a service (ref §10)
    backend.advance(1)
    queued = client.messages(message.sid).fetch()
    assert (queued.status, queued.num_segments) == ("queued", "1")
    backend.advance(10)
    assert client.messages(message.sid).fetch().status == "delivered"


def test_a_sticky_sender_keeps_talking_to_the_same_recipient(client: Any) -> None:
    sid = service_with(client, NUMBER, OTHER)
    client.messages.create(to=CUSTOMER, messaging_service_sid=sid, from_=OTHER, body="first")
    assert client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="again").from_ == OTHER
    assert client.messages.create(to="+15558675311", messaging_service_sid=sid, body="new").from_ == NUMBER


def test_without_sticky_sender_the_first_sender_is_used(client: Any) -> None:
    sid = service_with(client, NUMBER, OTHER, sticky_sender=False)
    client.messages.create(to=CUSTOMER, messaging_service_sid=sid, from_=OTHER, body="first")
    assert client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="again").from_ == NUMBER


def test_a_pool_sender_counts_as_owned(client: Any, backend: Backend) -> None:
    sid = service_with(client, NUMBER)
    message = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, from_=NUMBER, body="x")
    assert message.status == "accepted"
    status, code, _ = code_of(
        lambda: client.messages.create(to=CUSTOMER, messaging_service_sid=sid, from_=OTHER, body="x")
    )
    assert (status, code) == (400, 21606)


@pytest.mark.parametrize(
    ("service", "code"), [("empty", 21704), ("MG" + "0" * 32, 21705), ("nonsense", 21705)]
)
def test_no_sender_or_no_service(client: Any, service: str, code: int) -> None:
    sid = client.messaging.v1.services.create(friendly_name="empty").sid if service == "empty" else service
    status, got, _ = code_of(lambda: client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="x"))
    assert (status, got) == (400, code)


def test_the_services_status_callback_with_its_sid(client: Any, backend: Backend, app: App) -> None:
    sid = service_with(client, NUMBER, status_callback=f"{APP}/service-status")
    message = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="hi")
    backend.advance(10)
    forms = [s.form for s in app.at("/service-status")]
    assert [f["MessageStatus"] for f in forms] == ["queued", "sending", "sent", "delivered"]  # not accepted
    assert {f["MessagingServiceSid"] for f in forms} == {sid} and forms[0]["MessageSid"] == message.sid
    own = client.messages.create(
        to=CUSTOMER, messaging_service_sid=sid, body="x", status_callback=f"{APP}/own"
    )
    backend.advance(10)
    assert len(app.at("/own")) == 4 and all(s.form["MessageSid"] == own.sid for s in app.at("/own"))


def test_a_full_queue_fails_the_message_with_30001(client: Any, backend: Backend, app: App) -> None:
    sid = service_with(client, NUMBER, status_callback=f"{APP}/s")
    fine = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="x", validity_period=1)
    lost = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="x" * 500, validity_period=1)
    late = client.messages.create(to=CUSTOMER, messaging_service_sid=sid, body="x", validity_period=1)
    assert late.status == "accepted"  # no 21611 with a service: it fails later (ref §13)
    backend.advance(30)
    after = {m.sid: client.messages(m.sid).fetch() for m in (fine, lost, late)}
    assert [after[m.sid].status for m in (fine, lost, late)] == ["delivered", "delivered", "failed"]
    assert after[late.sid].error_code == 30001
    last = [s.form for s in app.at("/s") if s.form["MessageSid"] == late.sid]
    assert [(f["MessageStatus"], f.get("ErrorCode")) for f in last] == [("failed", "30001")]
