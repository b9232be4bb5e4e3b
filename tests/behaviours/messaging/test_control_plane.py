"""The messaging endpoints of the control plane, over a real server on loopback: delivery rules
(``/__mock__/messaging/rules``: POST a JSON object, GET, DELETE) and inbound SMS
(``POST /__mock__/inbound/sms`` with form fields), with the app's webhooks checked by the
official validator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client


@pytest.fixture
def server(backend: Backend) -> Iterator[ServerThread]:
    thread = ServerThread(MockServerApp(backend))
    yield thread
    thread.stop()


@pytest.fixture
def api(server: ServerThread) -> Client:
    return Client(server.account_sid, server.auth_token, api_base=server.url, environment={})


def test_rules_endpoints(server: ServerThread, api: Client, backend: Backend) -> None:
    rules = f"{server.url}/__mock__/messaging/rules"
    added = requests.post(rules, json={"to": CUSTOMER, "status": "failed", "error_code": 30008}, timeout=10)
    assert added.status_code == 201
    expected = {
        "to": CUSTOMER,
        "from": None,
        "status": "failed",
        "error_code": 30008,
        "error_message": "Unknown error",
    }
    assert added.json()["rule"] == expected
    assert requests.get(rules, timeout=10).json() == {"rules": [expected]}
    api.incoming_phone_numbers.create(phone_number=NUMBER)
    message = api.messages.create(to=CUSTOMER, from_=NUMBER, body="x")
    requests.post(f"{server.url}/__mock__/clock/advance", json={"seconds": 10}, timeout=10)
    assert (api.messages(message.sid).fetch().status, api.messages(message.sid).fetch().error_code) == (
        "failed",
        30008,
    )
    assert requests.delete(rules, timeout=10).json() == {"rules": []} and backend.messaging.rules == []


@pytest.mark.parametrize(
    "body", [{"status": "lost"}, {"to": "+1555"}, {"error_code": "30006"}, {"colour": "red"}, ["x"], "nope"]
)
def test_a_bad_rule_is_a_400(server: ServerThread, body: object) -> None:
    answer = requests.post(f"{server.url}/__mock__/messaging/rules", json=body, timeout=10)
    assert answer.status_code == 400 and answer.json()["code"] == 20001


def test_inbound_sms_endpoint(server: ServerThread, api: Client, backend: Backend, app: App) -> None:
    api.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=f"{APP}/sms")
    app.answers["/sms"] = "<Response><Message>Got it</Message></Response>"
    form = {"From": CUSTOMER, "To": NUMBER, "Body": "hello", "MediaUrl": ["https://cdn.test/a.png"]}
    answer = requests.post(f"{server.url}/__mock__/inbound/sms", data=form, timeout=10)
    assert answer.status_code == 200
    payload = answer.json()
    assert payload["sid"].startswith("MM") and payload["message"]["direction"] == "inbound"
    assert payload["deliveries"] == [{"url": f"{APP}/sms", "method": "POST", "status": 200, "error": None}]
    assert app.seen[0].form["Body"] == "hello" and app.seen[0].form["NumMedia"] == "1"
    (reply,) = payload["replies"]
    assert api.messages(reply).fetch().body == "Got it" and payload["errors"] == []


@pytest.mark.parametrize(
    ("form", "status", "code"),
    [
        ({"From": CUSTOMER, "To": NUMBER}, 404, 20404),
        ({"To": NUMBER}, 400, 20001),
        ({"From": CUSTOMER, "To": "+1555x"}, 400, 21211),
        ({"From": "+1234567", "To": NUMBER}, 400, 21212),
    ],
)
def test_inbound_sms_errors(server: ServerThread, form: dict[str, str], status: int, code: int) -> None:
    answer = requests.post(f"{server.url}/__mock__/inbound/sms", data=form, timeout=10)
    assert (answer.status_code, answer.json()["code"]) == (status, code)
    if status == 404:
        assert "incoming_phone_numbers.create" in answer.json()["message"]


def test_the_endpoints_are_listed_and_guarded(server: ServerThread) -> None:
    listed = requests.get(f"{server.url}/__mock__/", timeout=10).json()
    assert listed["/messaging/rules"] == ["DELETE", "GET", "POST"] and listed["/inbound/sms"] == ["POST"]
    foreign = requests.post(
        f"{server.url}/__mock__/inbound/sms",
        data={"From": CUSTOMER, "To": NUMBER},
        headers={"Origin": "https://evil.test"},
        timeout=10,
    )
    assert foreign.status_code == 403


def test_status_callbacks_over_real_http_and_the_webhooks_endpoint(server: ServerThread, api: Client) -> None:
    """Server mode end to end: callbacks go over HTTP to an app on loopback, as in local
    development, and ``/__mock__/webhooks`` lists them."""
    import threading

    from twilio_mock.ways_in.serving import make_http_server

    local = App(server.auth_token)
    http = make_http_server(local, "127.0.0.1", 0)
    threading.Thread(target=http.serve_forever, args=(0.05,), daemon=True).start()
    try:
        callback = f"http://127.0.0.1:{http.server_port}/status"
        sent = api.messages.create(to=CUSTOMER, from_=server.phone_number, body="x", status_callback=callback)
        requests.post(f"{server.url}/__mock__/clock/advance", json={"seconds": 30}, timeout=10)
    finally:
        http.shutdown()
        http.server_close()
    assert [s.form["MessageStatus"] for s in local.at("/status")] == ["sending", "sent", "delivered"]
    assert all(s.valid for s in local.seen)
    hooks = f"{server.url}/__mock__/webhooks"
    listed = requests.get(hooks, params={"event": "message.status"}, timeout=10).json()["deliveries"]
    assert [d["status"] for d in listed] == [200, 200, 200]
    assert {d["url"] for d in listed} == {callback} and all(d["signature_valid"] for d in listed)
    assert dict(listed[-1]["params"])["MessageSid"] == sent.sid
    assert requests.get(hooks, params={"limit": 1}, timeout=10).json()["deliveries"] == listed[-1:]
    assert requests.get(hooks, params={"event": "message.inbound"}, timeout=10).json() == {"deliveries": []}
    bad = requests.get(hooks, params={"status": "ok"}, timeout=10)
    assert (bad.status_code, bad.json()["code"]) == (400, 20001)
    assert requests.delete(hooks, timeout=10).json() == {"deliveries": []}
    assert requests.get(hooks, timeout=10).json() == {"deliveries": []}
