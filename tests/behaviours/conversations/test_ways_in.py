"""The Conversations behaviour through the other ways in: the control plane's inbound SMS over
a real loopback server, the pytest fixture's handle, and snapshots that keep an SMS copy's
receipt going."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.behaviours.messaging.conftest import CUSTOMER, NUMBER
from twilio_mock import Backend, MockTransport
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client


@pytest.fixture
def server(backend: Backend) -> Iterator[ServerThread]:
    thread = ServerThread(MockServerApp(backend))
    yield thread
    thread.stop()


def test_an_inbound_sms_over_the_control_plane_lands_in_the_conversation(server: ServerThread) -> None:
    api = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
    api.incoming_phone_numbers.create(phone_number=NUMBER)
    conv = api.conversations.v1.conversations.create()
    thread = api.conversations.v1.conversations(conv.sid)
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    answer = requests.post(
        f"{server.url}/__mock__/inbound/sms", data={"From": CUSTOMER, "To": NUMBER, "Body": "hi"}, timeout=10
    )
    assert answer.status_code == 200 and answer.json()["deliveries"] == []
    claimed = answer.json()["claimed"]
    message = thread.messages(claimed).fetch()
    assert (message.index, message.author, message.body) == (0, CUSTOMER, "hi")
    assert message.url.startswith(server.url)


def test_a_snapshot_keeps_the_receipts_going(backend: Backend, sdk: Client, number: str) -> None:
    conv = sdk.conversations.v1.conversations.create()
    thread = sdk.conversations.v1.conversations(conv.sid)
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    message = thread.messages.create(body="saved")
    saved = backend.snapshot()
    restored = Backend(seed=3)
    restored.restore(saved)
    again = Client(
        restored.account_sid, restored.auth_token, http_client=MockTransport(restored), environment={}
    )
    restored.advance(60)
    fetched = again.conversations.v1.conversations(conv.sid).messages(message.sid).fetch()
    assert fetched.delivery["delivered"] == "all"
    backend.reset()
    assert backend.conversations.channels == {}


def test_a_thread_through_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from twilio.rest import Client

        def test_thread(twilio_mock):
            client = Client()
            conv = client.conversations.v1.conversations.create()
            thread = client.conversations.v1.conversations(conv.sid)
            thread.participants.create(
                messaging_binding_address="+15558675310",
                messaging_binding_proxy_address=twilio_mock.phone_number,
            )
            thread.messages.create(author="agent", body="Your code is ready")
            twilio_mock.assert_sent(to="+15558675310", body="Your code is ready")
            result = twilio_mock.inbound_sms("+15558675310", body="thanks")
            assert thread.messages(result.claimed).fetch().index == 1
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
