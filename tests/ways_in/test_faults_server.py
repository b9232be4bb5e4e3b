"""Scripted faults over real HTTP (``serve_in_thread``): our SDK (``api_base``) and the official
package (a URL-rewriting ``TwilioHttpClient``) see a TCP reset as a connection error, a held
connection as their own read timeout, latency as a real wait; the concurrency limit answers
429 / 20429 with ``Twilio-Concurrent-Requests`` and processes none of them; the
``Twilio-Mock-Fault`` header and the control plane's ``/__mock__/faults`` and ``/limits``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as OfficialClient

from tests.ways_in.conftest import rewriting_http_client
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException, TransportError

TO = "+15558675310"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    running = ServerThread(MockServerApp(Backend(seed=11)))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def backend(server: ServerThread) -> Backend:
    fresh = Backend(seed=11)
    server.app.backend = fresh
    return fresh


def ours(server: ServerThread, backend: Backend, timeout: float | None = None) -> Client:
    return Client(
        backend.account_sid, backend.auth_token, api_base=server.url, environment={}, timeout=timeout
    )


def theirs(server: ServerThread, backend: Backend, timeout: float | None = None) -> OfficialClient:
    http = rewriting_http_client(server.url)
    if timeout is not None:
        http.timeout = timeout
    return OfficialClient(backend.account_sid, backend.auth_token, http_client=http, environment={})


@pytest.fixture(params=["twilio_sdk", "twilio"])
def client(request: pytest.FixtureRequest, server: ServerThread, backend: Backend) -> Any:
    return (ours if request.param == "twilio_sdk" else theirs)(server, backend)


def send(client: Any, backend: Backend, body: str = "hi") -> Any:
    return client.messages.create(to=TO, from_=backend.phone_number, body=body)


def control(
    server: ServerThread, method: str, path: str, payload: Any = None, raw: bytes | None = None
) -> Any:
    data = raw if raw is not None else (None if payload is None else json.dumps(payload).encode())
    return requests.request(method, f"{server.url}/__mock__{path}", data=data, timeout=5)


def test_20429_on_the_third_request_over_http(client: Any, backend: Backend) -> None:
    backend.faults.add(method="POST", status=429, after=2, times=1)
    send(client, backend)
    send(client, backend)
    error = TwilioRestException if isinstance(client, OfficialClient) else RestException
    with pytest.raises(error) as caught:
        send(client, backend)
    assert (caught.value.status, caught.value.code) == (429, 20429)
    send(client, backend)
    assert len(backend.journal.find(method="POST", status=201)) == 3


def test_a_reset_on_a_post_over_http(client: Any, backend: Backend) -> None:
    backend.faults.add(method="POST", connection_reset=True, times=1)
    if isinstance(client, OfficialClient):
        with pytest.raises(requests.exceptions.ConnectionError) as caught:
            send(client, backend)
        assert "reset" in str(caught.value).lower()
    else:
        with pytest.raises(TransportError) as raised:
            send(client, backend)
        assert raised.value.sent and not raised.value.timeout
    assert list(client.messages.list()) == []


def test_a_processed_reset_over_http_leaves_the_message_stored(client: Any, backend: Backend) -> None:
    backend.faults.add(method="POST", connection_reset=True, processed=True, times=1)
    with pytest.raises((requests.exceptions.ConnectionError, TransportError)):
        send(client, backend, "unknown fate")
    assert [m.body for m in client.messages.list()] == ["unknown fate"]


@pytest.mark.parametrize("which", ["twilio_sdk", "twilio"])
def test_a_timeout_is_the_clients_own_timeout(server: ServerThread, backend: Backend, which: str) -> None:
    backend.faults.add(timeout=True, latency=5.0, times=1)
    client = (ours if which == "twilio_sdk" else theirs)(server, backend, timeout=0.3)
    started = time.perf_counter()
    if which == "twilio":
        with pytest.raises(requests.exceptions.ReadTimeout):
            client.messages.list()
    else:
        with pytest.raises(TransportError) as caught:
            client.messages.list()
        assert caught.value.timeout
    assert 0.3 <= time.perf_counter() - started < 3.0  # the client gave up, not the server
    assert list(client.messages.list()) == []


def test_latency_is_a_real_wait_over_http(client: Any, backend: Backend) -> None:
    send(client, backend)  # a warm connection
    backend.faults.add(method="GET", latency=0.25)
    before = backend.clock.now()
    started = time.perf_counter()
    client.messages.list()
    assert time.perf_counter() - started >= 0.25
    assert backend.clock.now() == before  # over HTTP, latency does not move the virtual clock


def test_the_concurrency_limit_under_real_concurrency(server: ServerThread, backend: Backend) -> None:
    backend.limits.concurrency(2, retry_after=1)
    backend.faults.add(method="POST", latency=1.0)  # each create stays in flight 1 s
    url = f"{server.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    answers: list[requests.Response] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def create(n: int) -> None:
        barrier.wait(5)
        answer = requests.post(
            url,
            data={"To": TO, "From": backend.phone_number, "Body": f"m{n}"},
            auth=(backend.account_sid, backend.auth_token),
            timeout=10,
        )
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    created = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code == 429]
    assert len(answers) == 6 and len(created) + len(refused) == 6
    assert 1 <= len(created) <= 2 and len(refused) >= 4
    for answer in refused:
        assert answer.json()["code"] == 20429 and answer.headers["Retry-After"] == "1"
        assert int(answer.headers["Twilio-Concurrent-Requests"]) > 2
    assert all(int(a.headers["Twilio-Concurrent-Requests"]) <= 2 for a in created)
    stored = sorted(m.body for m in server.messages())
    assert stored == sorted(a.json()["body"] for a in created)  # none of the refused was processed
    limited = [e for e in backend.journal if e.fault and "limit" in json.dumps(e.fault)]
    assert len(limited) == len(refused) == backend.limits.as_dicts()[0]["refused"]


@pytest.mark.parametrize(
    ("header", "status", "code"),
    [
        ("status=429", 429, 20429),
        ("status=503;code=20503", 503, 20503),
        ("status=500; latency=0.05", 500, 20500),
    ],
)
def test_the_fault_header(
    server: ServerThread, backend: Backend, header: str, status: int, code: int
) -> None:
    answer = requests.get(
        f"{server.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
        auth=(backend.account_sid, backend.auth_token),
        headers={"Twilio-Mock-Fault": header},
        timeout=5,
    )
    assert answer.status_code == status and answer.json()["code"] == code
    (entry,) = list(backend.journal)
    assert entry.fault is not None and entry.fault["id"] == "header"
    assert len(backend.faults) == 0  # one-shot: nothing added to the schedule


def test_the_fault_header_reset_and_latency(server: ServerThread, backend: Backend) -> None:
    url = f"{server.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    auth = (backend.account_sid, backend.auth_token)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, auth=auth, headers={"Twilio-Mock-Fault": "reset"}, timeout=5)
    started = time.perf_counter()
    answer = requests.get(url, auth=auth, headers={"Twilio-Mock-Fault": "latency=0.2"}, timeout=5)
    assert answer.status_code == 200 and time.perf_counter() - started >= 0.2
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(url, auth=auth, headers={"Twilio-Mock-Fault": "timeout"}, timeout=0.2)


@pytest.mark.parametrize("header", ["status=abc", "bogus", "status=200", "reset;timeout", "latency=-1", ";;"])
def test_a_malformed_fault_header_is_a_400(server: ServerThread, backend: Backend, header: str) -> None:
    answer = requests.get(
        f"{server.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
        auth=(backend.account_sid, backend.auth_token),
        headers={"Twilio-Mock-Fault": header},
        timeout=5,
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == 20001 and body["status"] == 400 and "Twilio-Mock-Fault" in body["message"]


def test_the_control_plane_round_trip(server: ServerThread, backend: Backend) -> None:
    made = control(server, "POST", "/faults", {"method": "POST", "status": 503, "times": 1})
    assert made.status_code == 201 and made.json()["id"] == "FT1"
    second = control(server, "POST", "/faults", {"path": "/2010-04-01/Accounts/*/Calls.json", "status": 500})
    client = ours(server, backend)
    with pytest.raises(RestException) as caught:
        send(client, backend)
    assert caught.value.status == 503
    listed = control(server, "GET", "/faults").json()["faults"]
    assert [(f["id"], f["fired"], f["seen"]) for f in listed] == [("FT1", 1, 1), ("FT2", 0, 0)]
    assert control(server, "GET", "/faults/FT2").json()["status"] == 500
    assert control(server, "DELETE", f"/faults/{second.json()['id']}").status_code == 200
    assert control(server, "DELETE", "/faults/FT9").status_code == 404
    assert [f["id"] for f in control(server, "GET", "/faults").json()["faults"]] == ["FT1"]
    assert control(server, "DELETE", "/faults").json() == {"faults": []}
    assert len(backend.faults) == 0
    entries = control(server, "GET", "/journal?method=POST").json()["entries"]
    assert entries[0]["fault"] == {"id": "FT1", "action": "status", "status": 503, "code": 20503}


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"{not json", "Not a fault"),
        (b"[1, 2]", "a fault is a JSON object"),
        (b'{"status": 700, "colour": 1}', "unknown field 'colour'"),
        (b"", "a fault is a JSON object"),
    ],
)
def test_bad_fault_json_is_a_400(server: ServerThread, backend: Backend, raw: bytes, problem: str) -> None:
    answer = control(server, "POST", "/faults", raw=raw)
    assert answer.status_code == 400 and answer.json()["code"] == 20001
    assert problem in answer.json()["message"]
    assert len(backend.faults) == 0


def test_the_limits_endpoint(server: ServerThread, backend: Backend) -> None:
    made = control(server, "POST", "/limits", {"concurrency": 3, "retry_after": 2})
    assert made.status_code == 201
    assert made.json()["limits"] == [
        {"kind": "concurrency", "max": 3, "account_sid": None, "retry_after": 2.0, "refused": 0}
    ]
    answer = requests.get(
        f"{server.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
        auth=(backend.account_sid, backend.auth_token),
        timeout=5,
    )
    assert answer.headers["Twilio-Concurrent-Requests"] == "1"
    for bad in ({"concurrency": 0}, {"concurrency": 2, "extra": 1}, {"account_sid": "AC1"}, [3]):
        refused = control(server, "POST", "/limits", bad)
        assert refused.status_code == 400 and refused.json()["message"].startswith("Not a limit")
    assert control(server, "DELETE", "/limits").json() == {"limits": []}
    assert not backend.limits.active


def test_a_held_timeout_does_not_hold_up_stopping_the_server() -> None:
    running = ServerThread(MockServerApp(Backend(seed=12)))
    backend = running.backend
    backend.faults.add(timeout=True, latency=60.0)
    failures: list[BaseException] = []

    def wait_for_answer() -> None:
        try:
            requests.get(
                f"{running.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
                auth=(backend.account_sid, backend.auth_token),
                timeout=30,
            )
        except requests.exceptions.RequestException as exc:
            failures.append(exc)

    waiting = threading.Thread(target=wait_for_answer)
    waiting.start()
    deadline = time.monotonic() + 5
    while not backend.faults.as_dicts()[0]["fired"] and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.perf_counter()
    running.stop()
    waiting.join(10)
    assert time.perf_counter() - started < 3.0
    assert len(failures) == 1 and isinstance(failures[0], requests.exceptions.ConnectionError)


def test_under_another_wsgi_server_the_app_waits_and_stands_in_for_a_reset() -> None:
    from werkzeug.test import Client as WsgiClient

    backend = Backend(seed=13)
    http = WsgiClient(MockServerApp(backend))
    path = f"/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    auth = {"Authorization": requests.auth._basic_auth_str(backend.account_sid, backend.auth_token)}
    started = time.perf_counter()
    answer = http.get(path, headers={**auth, "Twilio-Mock-Fault": "latency=0.1"})
    assert answer.status_code == 200 and time.perf_counter() - started >= 0.1
    stand_in = http.get(path, headers={**auth, "Twilio-Mock-Fault": "reset"})
    assert stand_in.status_code == 503 and stand_in.get_json()["code"] == 20503
