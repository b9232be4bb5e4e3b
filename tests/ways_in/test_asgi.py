"""The ASGI app (:mod:`twilio_mock.ways_in.asgi`), mounted in uvicorn the way a user would: the
same answers as the WSGI app, the control plane, Twilio's 413 past 16 MiB, and a webhook whose
app calls the mock back over HTTP while the request that fired it still waits."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import uvicorn  # a dev dependency: the suite fails, never skips, without it

from twilio_mock import Backend
from twilio_mock.ways_in.asgi import MockASGIApp, make_asgi_app
from twilio_sdk import Client

SENDER, NUMBER, CUSTOMER = "+15017122661", "+15017122671", "+15558675310"  # owned, to buy, anyone


class Served:
    def __init__(self, app: MockASGIApp) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.app, self.url = app, f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.app.close()


@pytest.fixture
def served() -> Iterator[Served]:
    running = Served(make_asgi_app(Backend(seed=1)))
    yield running
    running.stop()


@pytest.fixture
def api(served: Served) -> Client:
    backend = served.app.backend
    return Client(backend.account_sid, backend.auth_token, api_base=served.url, environment={})


def test_the_sdk_creates_fetches_and_lists_through_the_asgi_app(served: Served, api: Client) -> None:
    created = api.messages.create(to=CUSTOMER, from_=SENDER, body="hi")
    assert api.messages(created.sid).fetch().body == "hi"
    assert [m.sid for m in api.messages.list(limit=5)] == [created.sid]
    raw = requests.get(f"{served.url}/api/2010-04-01/Accounts/{api.account_sid}/Messages.json?PageSize=1",
                       auth=(api.account_sid, served.app.backend.auth_token), timeout=10)  # fmt: skip
    assert raw.json()["first_page_uri"].startswith("/2010-04-01/")
    assert raw.json()["messages"][0]["sid"] == created.sid


def test_errors_and_the_control_plane_in_twilio_shape(served: Served) -> None:
    health = requests.get(f"{served.url}/__mock__/health", timeout=10)
    assert health.status_code == 200 and health.headers["Content-Type"].startswith("application/json")
    missing = requests.get(f"{served.url}/no-such-product/v1/Things", timeout=10)
    assert (missing.status_code, missing.json()["code"]) == (404, 20404)
    anonymous = requests.get(f"{served.url}/api/2010-04-01/Accounts.json", timeout=10)
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, 20003)
    head = requests.head(f"{served.url}/__mock__/health", timeout=10)
    assert head.status_code in (200, 405) and head.content == b""


def test_a_body_past_16_mib_is_twilios_413(served: Served, api: Client) -> None:
    url = f"{served.url}/api/2010-04-01/Accounts/{api.account_sid}/Messages.json"
    body = b"Body=" + b"x" * (16 * 1024 * 1024)
    answer = requests.post(url, data=body, auth=(api.account_sid, served.app.backend.auth_token), timeout=30,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert (answer.status_code, answer.json()["code"]) == (413, 20413)
    assert api.messages.list() == []  # nothing half-written


def test_a_webhook_app_calling_the_mock_back_is_answered(served: Served, api: Client) -> None:
    """The inbound SMS request waits for the app's TwiML; the app lists messages over HTTP first:
    that second request must be served while the first still runs (the loop is never blocked)."""
    seen: list[Any] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        listed = requests.get(
            f"{served.url}/api/2010-04-01/Accounts/{api.account_sid}/Messages.json",
            auth=(api.account_sid, served.app.backend.auth_token),
            timeout=10,
        )
        seen.append(listed.status_code)
        start_response("200 OK", [("Content-Type", "text/xml")])
        return [b"<Response><Message>Got it</Message></Response>"]

    served.app.backend.webhooks.route("https://app.test", app)
    api.incoming_phone_numbers.create(phone_number=NUMBER, sms_url="https://app.test/sms")
    answer = requests.post(f"{served.url}/__mock__/inbound/sms", data={"From": CUSTOMER, "To": NUMBER,
                           "Body": "hello"}, timeout=20)  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert seen == [200]
    (reply,) = answer.json()["replies"]
    assert api.messages(reply).fetch().body == "Got it"


def test_scripted_faults_are_acted_out_in_uvicorn(served: Served, api: Client) -> None:
    """Latency is a real wait; ASGI cannot reset a connection, so a reset (and a timeout held to
    its end) is Twilio's 503 / 20503 naming the fault, with the connection closed; a timeout
    longer than the client waits is the client's own timeout."""
    faults = served.app.backend.faults
    faults.add(method="POST", latency=0.2, times=1)
    started = time.perf_counter()
    api.messages.create(to=CUSTOMER, from_=SENDER, body="late")
    assert time.perf_counter() - started >= 0.2
    url = f"{served.url}/api/2010-04-01/Accounts/{api.account_sid}/Messages.json"
    auth = (api.account_sid, served.app.backend.auth_token)
    form = {"To": CUSTOMER, "From": SENDER, "Body": "lost"}
    faults.add(method="POST", connection_reset=True, times=1)
    dropped = requests.post(url, data=form, auth=auth, timeout=10)
    assert (dropped.status_code, dropped.json()["code"]) == (503, 20503)
    assert dropped.headers["Connection"] == "close" and "FT2" in dropped.json()["message"]
    faults.add(method="POST", timeout=True, latency=1.0, times=1)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(url, data=form, auth=auth, timeout=0.3)
    assert [m.body for m in api.messages.list()] == ["late"]
