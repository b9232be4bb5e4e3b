"""The async app's own test suite: the ``twilio_mock`` fixture answers its ``*_async`` calls
offline — through the official package's ``AsyncTwilioHttpClient``, through ``twilio_sdk``'s, and
through the in-process ``AsyncMockTransport`` — and delivers Twilio's signed webhooks into the
app in process. The session's guard fails any request that would reach the real Twilio."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from twilio.http.async_http_client import AsyncTwilioHttpClient as OfficialAsyncHttpClient
from twilio.rest import Client as OfficialClient

from examples.async_app.app import create_app
from twilio_sdk import Client
from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

PUBLIC = "https://async-app.test"  # where "Twilio" reaches the app: routed into it, no sockets
CUSTOMER = "+15558675310"
FACTORIES: dict[str, Callable[[Any], Any]] = {
    "official": lambda mock: lambda: OfficialClient(http_client=OfficialAsyncHttpClient()),
    "twilio_sdk": lambda mock: lambda: Client(http_client=AsyncTwilioHttpClient()),
    "in-process": lambda mock: mock.async_client,
}
# The official async client builds aiohttp.BasicAuth, which aiohttp 3.14 deprecates.
pytestmark = [
    pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The 'auth' parameter is deprecated:DeprecationWarning"),
]


@pytest.fixture(params=list(FACTORIES))
def fastapi_app(request: pytest.FixtureRequest, twilio_mock: Any) -> FastAPI:
    made = create_app(client_factory=FACTORIES[request.param](twilio_mock), public_url=PUBLIC)
    twilio_mock.webhooks.route(PUBLIC, made)
    backend = twilio_mock.backend
    number = twilio_mock.client().incoming_phone_numbers.list(phone_number=backend.phone_number)[0]
    twilio_mock.client().incoming_phone_numbers(number.sid).update(sms_url=f"{PUBLIC}/sms")
    return made


@pytest.fixture
def http(fastapi_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(fastapi_app) as client:  # runs the lifespan: the Twilio client opens and closes
        yield client


def test_a_reminder_goes_out_and_its_callbacks_come_back(http: TestClient, twilio_mock: Any) -> None:
    booked = http.post("/reminders", json={"phone": CUSTOMER, "time": "3pm"})
    assert booked.status_code == 201
    sid = booked.json()["sid"]
    twilio_mock.advance(10)  # delivered within 10 virtual seconds; each status is called back
    seen = http.get(f"/messages/{sid}").json()
    assert seen == {
        "sid": sid,
        "status": "delivered",
        "callbacks": ["queued", "sending", "sent", "delivered"],
    }
    twilio_mock.assert_sent(to=CUSTOMER, status="delivered", body_contains="at 3pm")
    twilio_mock.assert_delivered(3, url_contains="/status", MessageSid=sid)


def test_a_broadcast_sends_concurrently_and_the_list_streams_it_back(
    http: TestClient, twilio_mock: Any
) -> None:
    phones = [f"+1555867{n:04d}" for n in range(25)]
    sent = http.post("/broadcast", json={"phones": phones, "body": "We open at 9 tomorrow."})
    assert sent.status_code == 201 and len(set(sent.json()["sids"])) == 25
    assert sorted(m.to for m in twilio_mock.messages()) == sorted(phones)
    newest = http.get("/messages", params={"limit": 7}).json()  # 7 of 25: pages of 7 until 7 are read
    assert len(newest) == 7 and {m["sid"] for m in newest} <= set(sent.json()["sids"])
    one = http.get("/messages", params={"to": phones[3]}).json()
    assert [(m["to"], m["body"]) for m in one] == [(phones[3], "We open at 9 tomorrow.")]
    lists = [
        e for e in twilio_mock.backend.journal if e.method == "GET" and e.path.endswith("/Messages.json")
    ]
    assert len(lists) == 2  # one page each: no page fetched that was not needed


def test_unknown_message_is_404(http: TestClient) -> None:
    assert http.get("/messages/SM" + "0" * 32).status_code == 404


def test_the_customer_confirms_and_stop_blocks_later_reminders(
    http: TestClient, fastapi_app: FastAPI, twilio_mock: Any
) -> None:
    twilio_mock.inbound_sms(CUSTOMER, body="confirm")
    twilio_mock.assert_sent(to=CUSTOMER, body="Thanks, see you then!")
    twilio_mock.inbound_sms(CUSTOMER, body="STOP")
    assert CUSTOMER in fastapi_app.state.opted_out
    refused = http.post("/reminders", json={"phone": CUSTOMER, "time": "4pm"})
    assert refused.status_code == 409 and "opted out" in refused.json()["error"]


def test_the_webhooks_are_signed_and_an_unsigned_one_is_refused(http: TestClient, twilio_mock: Any) -> None:
    forged = http.post("/sms", data={"From": CUSTOMER, "Body": "confirm"})
    assert forged.status_code == 403
    twilio_mock.inbound_sms(CUSTOMER, body="hello")
    delivered = twilio_mock.assert_delivered(1, url_contains="/sms", Body="hello")
    assert delivered[0].status == 200


def test_every_request_reached_the_fake(http: TestClient, twilio_mock: Any) -> None:
    before = len(twilio_mock.backend.journal)
    http.post("/reminders", json={"phone": CUSTOMER, "time": "5pm"})
    http.get("/messages", params={"limit": 1})
    entries = list(twilio_mock.backend.journal)[before:]
    assert [(e.method, e.status) for e in entries] == [("POST", 201), ("GET", 200)]
