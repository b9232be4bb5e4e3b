"""Conversation messages: the index is maintained and never reused, the author defaults to
``system``, failed SMS copies show in receipts and ``delivery``, inbound SMS from an unbound
address still goes to the number's SmsUrl, and a group of SMS participants hear each other."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App
from twilio_mock import Backend


@pytest.fixture
def thread(client: Any, number: str) -> Any:
    return client.conversations.v1.conversations(client.conversations.v1.conversations.create().sid)


def test_the_index_counts_and_is_never_reused(thread: Any) -> None:
    first = thread.messages.create(body="one")
    second = thread.messages.create(body="two")
    assert (first.index, second.index, first.author, first.delivery) == (0, 1, "system", None)
    thread.messages(second.sid).delete()
    third = thread.messages.create(body="three", author="bob")
    assert third.index == 2 and third.author == "bob" and third.participant_sid is None
    assert [(m.index, m.body) for m in thread.messages.list()] == [(0, "one"), (2, "three")]


def test_an_undelivered_copy_shows_in_the_receipt(client: Any, backend: Backend, thread: Any) -> None:
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    backend.messaging.fail(CUSTOMER, error_code=30006)
    message = thread.messages.create(body="hello")
    backend.advance(60)
    (receipt,) = thread.messages(message.sid).delivery_receipts.list()
    assert (receipt.status, receipt.error_code) == ("undelivered", 30006)
    delivery = thread.messages(message.sid).fetch().delivery
    assert (delivery["undelivered"], delivery["delivered"], delivery["total"]) == ("all", "none", 1)
    assert client.messages(receipt.channel_message_sid).fetch().status == "undelivered"


def test_sms_participants_hear_each_other(client: Any, backend: Backend, thread: Any) -> None:
    friend = "+15558675311"
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    thread.participants.create(messaging_binding_address=friend, messaging_binding_proxy_address=NUMBER)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "anyone there?")
    (relayed,) = client.messages.list(to=friend)
    assert (relayed.from_, relayed.body) == (NUMBER, "anyone there?")
    assert client.messages.list(to=CUSTOMER) == []  # never echoed to its author
    assert thread.messages(result.claimed).fetch().delivery["total"] == 1


def test_an_unbound_sender_still_reaches_the_sms_url(
    client: Any, backend: Backend, app: App, thread: Any
) -> None:
    client.incoming_phone_numbers.list(phone_number=NUMBER)[0].update(sms_url=f"{APP}/sms")
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    result = backend.messaging.inbound_sms("+15558675399", NUMBER, "not in the thread")
    assert result.claimed is None and len(app.at("/sms")) == 1
    assert thread.messages.list() == []


def test_a_deleted_conversation_releases_its_bindings(client: Any, backend: Backend, thread: Any) -> None:
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    thread.messages.create(body="bye")
    conv = client.conversations.v1.conversations.list()[0]
    client.conversations.v1.conversations(conv.sid).delete()
    assert backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hello?").claimed is None
    other = client.conversations.v1.conversations(client.conversations.v1.conversations.create().sid)
    other.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)


def test_a_number_that_makes_conversations(client: Any, backend: Backend, app: App, number: str) -> None:
    client.conversations.v1.configuration.webhooks().update(
        post_webhook_url=f"{APP}/post",
        filters=["onConversationAdded", "onParticipantAdded", "onMessageAdded"],
    )
    client.conversations.v1.address_configurations.create(
        type="sms",
        address=NUMBER,
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_webhook_url=f"{APP}/scoped",
        auto_creation_webhook_filters=["onMessageAdded"],
    )
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "Hello?")
    (conv,) = client.conversations.v1.conversations.list()
    assert conv.chat_service_sid.startswith("IS") and conv.messaging_service_sid.startswith("MG")
    thread = client.conversations.v1.conversations(conv.sid)
    (customer,) = thread.participants.list()
    assert customer.messaging_binding == {"type": "sms", "address": CUSTOMER, "proxy_address": NUMBER}
    (message,) = thread.messages.list()
    assert (message.sid, message.index, message.author) == (result.claimed, 0, CUSTOMER)
    assert [s.form["EventType"] for s in app.at("/post")] == [
        "onConversationAdded",
        "onParticipantAdded",
        "onMessageAdded",
    ]
    (scoped,) = app.at("/scoped")
    assert scoped.form["MessageSid"] == message.sid and scoped.valid
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "Still there?")
    assert len(client.conversations.v1.conversations.list()) == 1  # bound now: the same thread
    assert [m.index for m in thread.messages.list()] == [0, 1]
