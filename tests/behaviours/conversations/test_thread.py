"""A Conversations SMS thread end to end, through each SDK: a conversation, an SMS participant
bound to the account's number, a message that goes out as a real SMS and is delivered (its
receipt and ``delivery`` follow the SMS), the customer's reply by inbound SMS landing with the
next index instead of the number's SmsUrl, and every webhook signed and carrying its fields."""

from __future__ import annotations

from typing import Any

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App
from twilio_mock import Backend

POST = f"{APP}/conversations"


def test_an_sms_thread(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=f"{APP}/sms")
    events = ["onConversationAdded", "onParticipantAdded", "onMessageAdded", "onDeliveryUpdated"]
    client.conversations.v1.configuration.webhooks().update(post_webhook_url=POST, filters=events)
    conv = client.conversations.v1.conversations.create(
        friendly_name="Support", x_twilio_webhook_enabled="true"
    )
    thread = client.conversations.v1.conversations(conv.sid)
    customer = thread.participants.create(
        messaging_binding_address=CUSTOMER,
        messaging_binding_proxy_address=NUMBER,
        x_twilio_webhook_enabled="true",
    )
    assert customer.sid.startswith("MB")
    assert customer.messaging_binding == {"type": "sms", "address": CUSTOMER, "proxy_address": NUMBER}
    agent = thread.participants.create(identity="agent", x_twilio_webhook_enabled="true")

    first = thread.messages.create(
        author="agent", body="Hi, how can we help?", x_twilio_webhook_enabled="true"
    )
    assert (first.index, first.author, first.participant_sid) == (0, "agent", agent.sid)
    assert first.delivery["total"] == 1 and first.delivery["delivered"] == "none"
    (sms,) = client.messages.list(to=CUSTOMER)
    assert (sms.from_, sms.body, sms.direction, sms.status) == (
        NUMBER,
        "Hi, how can we help?",
        "outbound-api",
        "queued",
    )

    backend.advance(60)
    assert client.messages(sms.sid).fetch().status == "delivered"
    first = thread.messages(first.sid).fetch()
    assert first.delivery["delivered"] == "all" and first.delivery["sent"] == "all"
    (receipt,) = thread.messages(first.sid).delivery_receipts.list()
    assert (receipt.status, receipt.channel_message_sid, receipt.participant_sid) == (
        "delivered",
        sms.sid,
        customer.sid,
    )
    assert receipt.sid.startswith("DY")

    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "My order is late")
    assert result.claimed is not None and result.claimed.startswith("IM")
    assert app.at("/sms") == []  # the conversation took it, not the number's SmsUrl
    reply = thread.messages(result.claimed).fetch()
    assert (reply.index, reply.author, reply.body, reply.participant_sid) == (
        1,
        CUSTOMER,
        "My order is late",
        customer.sid,
    )
    assert [m.index for m in thread.messages.list()] == [0, 1]
    assert client.messages(result.sid).fetch().direction == "inbound"

    seen = app.at("/conversations")
    kinds = [s.form["EventType"] for s in seen]
    assert kinds == [
        "onConversationAdded",
        "onParticipantAdded",
        "onParticipantAdded",
        "onMessageAdded",
        "onDeliveryUpdated",
        "onDeliveryUpdated",
        "onMessageAdded",
    ]
    assert all(s.valid and s.method == "POST" for s in seen)
    added = seen[3].form
    assert {k: added[k] for k in ("ConversationSid", "MessageSid", "Index", "Author", "Body", "Source")} == {
        "ConversationSid": conv.sid,
        "MessageSid": first.sid,
        "Index": "0",
        "Author": "agent",
        "Body": "Hi, how can we help?",
        "Source": "API",
    }
    assert (
        seen[1].form["MessagingBinding.Address"] == CUSTOMER
        and seen[1].form["ParticipantSid"] == customer.sid
    )
    assert [s.form["Status"] for s in seen[4:6]] == ["sent", "delivered"]
    inbound = seen[6].form
    assert (inbound["Author"], inbound["Index"], inbound["Source"], inbound["MessageSid"]) == (
        CUSTOMER,
        "1",
        "SMS",
        result.claimed,
    )
    assert {d.event for d in backend.webhooks} == {f"conversations.{e}" for e in events}
    assert all(d.signature_valid for d in backend.webhooks)
