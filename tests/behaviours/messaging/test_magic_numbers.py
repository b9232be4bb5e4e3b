"""Test credentials and the magic numbers of ref §2 (Messages): every row, through our SDK and the
official package; nothing kept, no callback, no queue taken."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, App, code_of
from twilio_mock import Backend

OK = "+15005550006"


@pytest.mark.parametrize(
    ("from_", "to", "code"),
    [
        ("+15005550001", CUSTOMER, 21212),
        ("+15005550007", CUSTOMER, 21606),
        ("+15005550008", CUSTOMER, 21611),
        ("+15017122661", CUSTOMER, 21606),  # any other From, the live account's own number included
        ("+15005550005", CUSTOMER, 21606),
        (OK, "+15005550001", 21211),
        (OK, "+15005550002", 21612),
        (OK, "+15005550003", 21408),
        (OK, "+15005550004", 21610),
        (OK, "+15005550009", 21614),
        (OK, "+1555867531", 21211),  # any other To is validated normally
        ("+15005550001", "+15005550002", 21212),  # From is looked at first
    ],
)
def test_each_magic_number(test_client: Any, from_: str, to: str, code: int) -> None:
    status, got, _ = code_of(lambda: test_client.messages.create(to=to, from_=from_, body="x"))
    assert (status, got) == (400, code)


def test_the_success_number(test_client: Any, backend: Backend) -> None:
    message = test_client.messages.create(to=CUSTOMER, from_=OK, body="hi")
    assert (message.status, message.num_segments, message.num_media) == ("queued", "1", "0")
    assert message.account_sid == backend.test_account_sid and message.sid.startswith("SM")
    assert (
        test_client.messages.create(to=CUSTOMER, from_=OK, media_url=["https://e.test/a.png"]).sid[:2] == "MM"
    )


def test_input_is_validated_as_with_live_credentials(test_client: Any) -> None:
    assert code_of(lambda: test_client.messages.create(to=CUSTOMER, from_=OK, body="x" * 1601))[1] == 21617
    assert code_of(lambda: test_client.messages.create(to=OK, from_=OK, body="x"))[1] == 21266
    assert code_of(lambda: test_client.messages.create(to=CUSTOMER, from_=OK))[1] == 21602


def test_test_credentials_change_nothing_and_call_nothing_back(
    test_client: Any, client: Any, backend: Backend, app: App
) -> None:
    before = backend.snapshot()
    for _ in range(3):
        test_client.messages.create(to=CUSTOMER, from_=OK, body="hi", status_callback=f"{APP}/status")
    test_client.messages.create(to=CUSTOMER, from_=OK, media_url=["https://e.test/a.png"])
    backend.advance(60)
    assert len(backend.scheduler) == 0 and app.seen == [] and len(backend.webhooks) == 0
    after = backend.snapshot()
    assert after["collections"] == before["collections"] and after["messaging"] == before["messaging"]
    assert client.messages.list() == []
