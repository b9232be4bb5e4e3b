"""Participants: SMS bindings checked as the reference table says (unconfirmed codes of
``conversations_data``), chat identities unique per conversation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import CUSTOMER, NUMBER, OTHER, code_of


@pytest.fixture
def thread(client: Any, number: str) -> Any:
    return client.conversations.v1.conversations(client.conversations.v1.conversations.create().sid)


def test_a_chat_participant_by_identity(thread: Any) -> None:
    alice = thread.participants.create(identity="alice")
    assert alice.identity == "alice" and alice.messaging_binding is None
    assert code_of(lambda: thread.participants.create(identity="alice"))[:2] == (409, 50433)
    assert [p.identity for p in thread.participants.list()] == ["alice"]


@pytest.mark.parametrize(
    ("address", "proxy", "status", "code"),
    [
        (CUSTOMER, None, 400, 50412),
        (CUSTOMER, NUMBER.replace("+", "whatsapp:+"), 400, 50414),
        (NUMBER, NUMBER, 400, 50409),
        ("not a number", NUMBER, 400, 50407),
        (CUSTOMER, "12", 400, 50408),
        (CUSTOMER, OTHER, 400, 50408),  # a number the account does not own
    ],
)
def test_bad_bindings_get_twilios_errors(
    thread: Any, address: str, proxy: str | None, status: int, code: int
) -> None:
    options = {"messaging_binding_address": address}
    if proxy is not None:
        options["messaging_binding_proxy_address"] = proxy
    assert code_of(lambda: thread.participants.create(**options))[:2] == (status, code)
    assert thread.participants.list() == []


def test_a_pair_belongs_to_one_open_conversation(client: Any, thread: Any) -> None:
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    other = client.conversations.v1.conversations(client.conversations.v1.conversations.create().sid)
    status, code, message = code_of(
        lambda: other.participants.create(
            messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER
        )
    )
    assert (status, code) == (409, 50416) and CUSTOMER in message
    closed = client.conversations.v1.conversations.list()[0]
    client.conversations.v1.conversations(closed.sid).update(state="closed")
    again = other.participants.create(
        messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER
    )
    assert again.messaging_binding["address"] == CUSTOMER
