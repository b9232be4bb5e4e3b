"""Faults on webhook deliveries: a fault naming the app's host replaces its answer (500), lets
it time out (11205) or resets the connection (11200); the behaviours that react to a failed
webhook (the SMS fallback URL, the voice fallback URL) react as to a real failure, and the
delivery record and the control plane's ``/webhooks`` listing say which fault fired."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client as WsgiClient
from werkzeug.wrappers import Request, Response

from twilio_mock import Backend, MockTransport
from twilio_mock.ways_in.server import MockServerApp
from twilio_sdk import Client

APP = "https://app.test"
NUMBER = "+15017122671"
CUSTOMER = "+15558675310"


class App:
    """The user's app: TwiML for ``/sms``, ``/fallback``, ``/voice``; records the paths hit."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        self.seen.append((request.path, request.form.to_dict()))
        replies = {
            "/sms": "<Response><Message>From the app</Message></Response>",
            "/fallback": "<Response><Message>From the fallback</Message></Response>",
            "/voice": "<Response><Say>Hello from the app</Say></Response>",
            "/voice-fallback": "<Response><Say>Hello from the fallback</Say></Response>",
        }
        return Response(replies.get(request.path, "<Response/>"), content_type="text/xml")(
            environ, start_response
        )

    def paths(self) -> list[str]:
        return [path for path, _ in self.seen]

    def form(self, path: str) -> dict[str, str]:
        return next(form for seen, form in self.seen if seen == path)


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=5)


@pytest.fixture
def app(backend: Backend) -> App:
    made = App()
    backend.webhooks.route(APP, made)
    return made


@pytest.fixture
def client(backend: Backend, app: App) -> Client:
    sdk = Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})
    sdk.incoming_phone_numbers.create(
        phone_number=NUMBER, sms_url=f"{APP}/sms", sms_fallback_url=f"{APP}/fallback"
    )
    return sdk


def bodies(client: Client, sids: list[str]) -> list[str]:
    return [client.messages(sid).fetch().body for sid in sids]


def test_a_500_from_the_app_hands_over_to_the_sms_fallback(
    backend: Backend, app: App, client: Client
) -> None:
    fault = backend.faults.add(host="app.test", path="/sms", status=500, times=1)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert app.paths() == ["/fallback"]  # the faulted delivery never reached the app
    first, second = result.deliveries
    assert (first.status, second.status) == (500, 200)
    assert first.extra["fault"] == {"id": fault.id, "action": "status", "status": 500, "code": 20500}
    assert app.form("/fallback")["ErrorCode"] == "11200"
    assert bodies(client, result.replies) == ["From the fallback"]
    assert fault.fired == 1


def test_a_timeout_is_11205_and_the_fallback_takes_over(backend: Backend, app: App, client: Client) -> None:
    backend.faults.add(host="app.test", path="/sms", timeout=True)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    first = result.deliveries[0]
    assert first.status is None and "no answer within 15 s" in (first.error or "")
    assert first.extra["error_code"] == 11205 and first.latency_ms == 15_000
    assert app.form("/fallback")["ErrorCode"] == "11205"
    assert bodies(client, result.replies) == ["From the fallback"]


def test_a_reset_is_11200(backend: Backend, app: App, client: Client) -> None:
    backend.faults.add(host="app.test", path="/sms", connection_reset=True)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert "ConnectionResetError" in (result.deliveries[0].error or "")
    assert app.form("/fallback")["ErrorCode"] == "11200"


def test_latency_past_15_seconds_is_a_timeout_though_the_app_ran(
    backend: Backend, app: App, client: Client
) -> None:
    backend.faults.add(host="app.test", path="/sms", latency=20.0)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert app.paths() == ["/sms", "/fallback"]  # the app got it; Twilio stopped waiting
    assert result.deliveries[0].extra["error_code"] == 11205
    assert bodies(client, result.replies) == ["From the fallback"]


def test_a_short_latency_is_a_late_answer(backend: Backend, app: App, client: Client) -> None:
    backend.faults.add(host="app.test", latency=2.0)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    (delivery,) = result.deliveries
    assert delivery.ok and delivery.latency_ms >= 2000
    assert bodies(client, result.replies) == ["From the app"]


def test_a_fault_without_a_host_leaves_webhooks_alone(backend: Backend, app: App, client: Client) -> None:
    backend.faults.add(status=503)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert [d.status for d in result.deliveries] == [200] and app.paths() == ["/sms"]


def test_a_failed_status_callback_leaves_the_message_alone(
    backend: Backend, app: App, client: Client
) -> None:
    backend.faults.add(host="app.test", path="/status", status=500)
    sent = client.messages.create(to=CUSTOMER, from_=NUMBER, body="tracked", status_callback=f"{APP}/status")
    backend.advance(60)
    callbacks = backend.webhooks(event="message.status")
    assert callbacks and all(d.status == 500 for d in callbacks)
    assert client.messages(sent.sid).fetch().status == "delivered"


def test_a_voice_url_timing_out_hands_over_to_the_voice_fallback(
    backend: Backend, app: App, client: Client
) -> None:
    backend.faults.add(host="app.test", path="/voice", timeout=True)
    call = client.calls.create(
        to=CUSTOMER, from_=NUMBER, url=f"{APP}/voice", fallback_url=f"{APP}/voice-fallback"
    )
    backend.advance(60)
    assert "/voice" not in app.paths() and app.form("/voice-fallback")["ErrorCode"] == "11205"
    said = [step.get("text") for step in backend.voice.transcript(call.sid) if step.get("verb") == "Say"]
    assert said == ["Hello from the fallback"]


def test_the_webhooks_listing_shows_the_fault(backend: Backend, app: App, client: Client) -> None:
    backend.faults.add(host="app.test", path="/sms", timeout=True, times=1)
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    listed = WsgiClient(MockServerApp(backend)).get("/__mock__/webhooks").get_json()["deliveries"]
    assert [(d["status"], d["error_code"], (d["fault"] or {}).get("action")) for d in listed] == [
        (None, 11205, "timeout"),
        (200, None, None),
    ]
