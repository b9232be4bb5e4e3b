"""The common paths through ``twilio_sdk`` as a type checker sees them.

mypy (``strict``, in CI) and pyright check this file against the generated stubs
(``twilio_sdk/_types/``): every ``assert_type`` must hold. ``tests/typing/test_stubs.py`` also
runs these functions against the mock, so the types are those the objects have at run time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, assert_type

from twilio_mock import Backend, TwilioMock, mock
from twilio_mock.strategies import phone_numbers, sids
from twilio_sdk import Client

if TYPE_CHECKING:  # stub-only modules: named in the assert_type strings below
    from hypothesis.strategies import SearchStrategy  # noqa: F401

    from twilio_sdk._types import api_v2010, verify_v2  # noqa: F401
    from twilio_sdk._types._base import AsyncStream, Page  # noqa: F401

TO, FROM = "+15558675310", "+15017122661"


def messages(client: Client) -> list[str]:
    message = client.messages.create(to=TO, from_=FROM, body="hello", status_callback=None)
    assert_type(message, "api_v2010.MessagesInstance")
    assert_type(message.sid, str)
    assert_type(message.status, "api_v2010.EMessageEnumStatus | None")
    assert_type(message.date_created, dt.datetime | None)
    assert_type(message.error_code, int | None)
    fetched = client.messages(message.sid).fetch()
    assert_type(fetched.body, str | None)
    redacted = fetched.update(body="")
    assert_type(redacted, "api_v2010.MessagesInstance")
    listed = client.messages.list(to=TO, limit=20)
    assert_type(listed, "list[api_v2010.MessagesInstance]")
    streamed = client.messages.stream(page_size=2)
    assert_type(streamed, "Iterator[api_v2010.MessagesInstance]")
    page = client.messages.page(page_size=1)
    assert_type(page, "Page[api_v2010.MessagesInstance]")
    following = page.next_page()
    assert_type(following, "Page[api_v2010.MessagesInstance] | None")
    media = client.messages(message.sid).media.list()
    assert_type(media, "list[api_v2010.MediaInstance]")
    return [m.sid for m in [*listed, *streamed]]


def calls(client: Client) -> int:
    account = client.api.v2010.accounts(client.account_sid)
    made = account.calls.create(to=TO, from_=FROM, twiml="<Response><Say>hi</Say></Response>")
    assert_type(made.status, "api_v2010.ECallEnumStatus | None")
    completed = account.calls.list(status="queued", limit=5)
    assert_type(completed, "list[api_v2010.CallsInstance]")
    assert_type(client.calls(made.sid).update(status="completed").sid, str)
    assert_type(client.api.v2010.account.calls(made.sid).delete(), bool)
    return len(completed)


def verify(client: Client) -> str | None:
    service = client.verify.v2.services.create(friendly_name="Sign-in", code_length=6)
    assert_type(service, "verify_v2.ServicesInstance")
    verification = client.verify.v2.services(service.sid).verifications.create(to=TO, channel="sms")
    assert_type(verification, "verify_v2.VerificationsInstance")
    check = service.verification_checks.create(to=TO, code="000000")
    assert_type(check.valid, bool | None)
    return verification.status


async def asynchronous(client: Client) -> list[str]:
    message = await client.messages.create_async(to=TO, from_=FROM, body="hello")
    assert_type(message, "api_v2010.MessagesInstance")
    stream = client.messages.stream_async(limit=2)
    assert_type(stream, "AsyncStream[api_v2010.MessagesInstance]")
    found = [m.sid async for m in stream]
    found += [m.sid async for m in await client.messages.stream_async(limit=1)]
    page = await client.messages.page_async(page_size=1)
    assert_type(await page.next_page_async(), "Page[api_v2010.MessagesInstance] | None")
    assert_type(await client.messages.list_async(limit=1), "list[api_v2010.MessagesInstance]")
    return found


def attributes(client: Client) -> None:
    assert_type(client.account_sid, str)
    assert_type(client.region, str | None)
    assert_type(client.api.v2010.account.messages, "api_v2010.MessagesList")
    assert_type(client.api.messages, "api_v2010.MessagesList")


def the_mock() -> TwilioMock:
    backend = Backend(seed=1)
    assert_type(backend.account_sid, str)
    assert_type(sids("SM"), "SearchStrategy[str]")
    assert_type(phone_numbers("GB", type="mobile"), "SearchStrategy[str]")
    handle = mock(backend=backend)
    assert_type(handle, TwilioMock)
    return handle


__all__ = ["Iterator", "asynchronous", "attributes", "calls", "messages", "the_mock", "verify"]
