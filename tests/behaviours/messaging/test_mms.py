"""MMS (ref §10): a message with ``MediaUrl`` has an ``MM`` SID, ``num_media``, and one Media record
per URL under ``Messages/{sid}/Media``, fetchable and listable; it is priced per message."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import CUSTOMER, NUMBER
from twilio_mock import Backend

pytestmark = pytest.mark.usefixtures("number")
URLS = ["https://cdn.test/cat.png", "https://cdn.test/dog.gif?size=2", "https://cdn.test/no-extension"]


def test_media_make_an_mms_with_media_records(client: Any, backend: Backend) -> None:
    message = client.messages.create(to=CUSTOMER, from_=NUMBER, body="look", media_url=URLS)
    assert message.sid.startswith("MM") and message.num_media == "3"
    listed = client.messages(message.sid).media.list()
    assert [m.content_type for m in listed] == ["image/jpeg", "image/gif", "image/png"]  # newest first
    assert all(m.sid.startswith("ME") and m.parent_sid == message.sid for m in listed)
    fetched = client.messages(message.sid).media(listed[-1].sid).fetch()
    assert (fetched.content_type, fetched.account_sid) == ("image/png", backend.account_sid)
    assert (
        fetched.uri
        == f"/2010-04-01/Accounts/{backend.account_sid}/Messages/{message.sid}/Media/{fetched.sid}.json"
    )


def test_an_sms_has_no_media(client: Any) -> None:
    message = client.messages.create(to=CUSTOMER, from_=NUMBER, body="text only")
    assert message.sid.startswith("SM") and message.num_media == "0"
    assert client.messages(message.sid).media.list() == []


def test_an_mms_is_priced_per_message(client: Any, backend: Backend) -> None:
    message = client.messages.create(to=CUSTOMER, from_=NUMBER, body="x" * 400, media_url=URLS[:1])
    backend.advance(10)
    done = client.messages(message.sid).fetch()
    assert (done.status, done.price, done.price_unit) == ("delivered", "-0.02000", "USD")
