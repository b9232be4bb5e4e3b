"""Reading the code a user would receive: ``backend.verify.code(to)``, the fixture handle's
``verification_code(to)`` and ``verifications(...)``, and the server's
``GET /__mock__/verify/codes?to=...`` over a real loopback server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.rest import Client as OfficialClient

from tests.behaviours.verify.conftest import CUSTOMER, EMAIL
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client


def test_the_fixture_handle_reads_the_code(twilio_mock: Any) -> None:
    client = OfficialClient()  # the fixture's credentials, from the environment
    service = client.verify.v2.services.create(friendly_name="Acme")
    made = client.verify.v2.services(service.sid).verifications.create(to=CUSTOMER, channel="sms")
    code = twilio_mock.verification_code(CUSTOMER)
    [sms] = twilio_mock.assert_sent(to=CUSTOMER, body_contains=code)
    assert sms.body == f"Your Acme verification code is: {code}"
    [listed] = twilio_mock.verifications(to=CUSTOMER)
    assert (listed.sid, listed.status) == (made.sid, "pending")
    client.verify.v2.services(service.sid).verification_checks.create(to=CUSTOMER, code=code)
    assert [v.status for v in twilio_mock.verifications(to=CUSTOMER)] == ["approved"]
    with pytest.raises(AssertionError, match=r"no pending verification to '\+15558675310'"):
        twilio_mock.verification_code(CUSTOMER)


def test_the_newest_pending_verification_wins(twilio_mock: Any) -> None:
    client = twilio_mock.client()
    one = client.verify.v2.services.create(friendly_name="One").sid
    two = client.verify.v2.services.create(friendly_name="Two").sid
    client.verify.v2.services(one).verifications.create(to=CUSTOMER, channel="sms", custom_code="1111")
    twilio_mock.advance(5)
    client.verify.v2.services(two).verifications.create(to=CUSTOMER, channel="sms", custom_code="2222")
    assert twilio_mock.verification_code(CUSTOMER) == "2222"
    assert [p["code"] for p in twilio_mock.backend.verify.pending(CUSTOMER)] == ["1111", "2222"]


def test_a_missing_code_names_what_is_pending(twilio_mock: Any) -> None:
    client = twilio_mock.client()
    sid = client.verify.v2.services.create(friendly_name="Acme").sid
    client.verify.v2.services(sid).verifications.create(to=EMAIL, channel="email")
    with pytest.raises(AssertionError, match="pending verifications go to: ada@example.com") as failed:
        twilio_mock.verification_code(CUSTOMER)
    assert re.search(
        r"verifications pending \(1\):\n  VE[0-9a-f]{32}  email -> ada@example.com", str(failed.value)
    )
    assert len(twilio_mock.verification_code(EMAIL)) == 6


@pytest.fixture
def server() -> Iterator[ServerThread]:
    thread = ServerThread(MockServerApp(Backend(seed=2)))
    yield thread
    thread.stop()


def test_the_control_plane_lists_the_codes(server: ServerThread) -> None:
    api = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
    sid = api.verify.v2.services.create(friendly_name="Acme").sid
    made = api.verify.v2.services(sid).verifications.create(to=CUSTOMER, channel="sms")
    api.verify.v2.services(sid).verifications.create(to=EMAIL, channel="email", custom_code="abcd12")
    codes = f"{server.url}/__mock__/verify/codes"
    answer = requests.get(codes, params={"to": CUSTOMER}, timeout=10)
    assert answer.status_code == 200
    payload = answer.json()
    assert payload["to"] == CUSTOMER and payload["code"] == server.backend.verify.code(CUSTOMER)
    [row] = payload["verifications"]
    assert (row["verification_sid"], row["service_sid"], row["channel"], row["sends"]) == (
        made.sid,
        sid,
        "sms",
        1,
    )
    assert row["account_sid"] == server.account_sid and row["expires"] == server.backend.clock.now() + 600
    unencoded = requests.get(f"{codes}?to=+15558675310", timeout=10).json()  # '+' read as a space
    assert unencoded["code"] == payload["code"]
    everything = requests.get(codes, timeout=10).json()
    assert [r["to"] for r in everything["verifications"]] == [CUSTOMER, EMAIL] and everything[
        "code"
    ] == "abcd12"
    checked = api.verify.v2.services(sid).verification_checks.create(to=CUSTOMER, code=payload["code"])
    assert checked.status == "approved"
    gone = requests.get(codes, params={"to": CUSTOMER}, timeout=10)
    assert gone.status_code == 404 and gone.json()["code"] == 20404
    listed = requests.get(f"{server.url}/__mock__/", timeout=10).json()
    assert listed["/verify/codes"] == ["GET"]
