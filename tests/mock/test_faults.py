"""Scripted faults in process (twilio_mock.core.faults): through ``twilio_sdk`` on the in-process
transport and on ``requests`` (the interceptor), and through the official ``twilio`` package
(the interceptor). A status fault answers Twilio's error; a reset and a timeout surface as
each client's own network errors; latency moves the virtual clock; probability is seeded;
every firing is journaled and counted; the concurrency limit answers 429 / 20429."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as OfficialClient

from twilio_mock import Backend, MockTransport, mock
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException, TransportError

TO = "+15558675310"
MESSAGES = "/2010-04-01/Accounts/*/Messages.json"
CLIENTS = ["sdk-transport", "sdk-requests", "official"]


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=1)


@pytest.fixture(params=CLIENTS)
def client(request: pytest.FixtureRequest, backend: Backend) -> Iterator[Any]:
    """Each test runs with our SDK in process, our SDK over ``requests`` and the official one."""
    if request.param == "sdk-transport":
        yield Client(
            backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
        )
        return
    with mock(backend=backend):
        if request.param == "sdk-requests":
            yield Client(backend.account_sid, backend.auth_token, environment={})
        else:
            yield OfficialClient(backend.account_sid, backend.auth_token)


def official(client: Any) -> bool:
    return isinstance(client, OfficialClient)


def send(client: Any, backend: Backend, body: str = "hi") -> Any:
    return client.messages.create(to=TO, from_=backend.phone_number, body=body)


def rest_error(client: Any) -> type[Exception]:
    return TwilioRestException if official(client) else RestException


def test_20429_on_the_third_request(client: Any, backend: Backend) -> None:
    fault = backend.faults.add(method="POST", path=MESSAGES, status=429, after=2, times=1)
    send(client, backend)
    send(client, backend)
    with pytest.raises(rest_error(client)) as caught:
        send(client, backend)
    assert (caught.value.status, caught.value.code) == (429, 20429)
    assert "Too Many Requests" in str(caught.value)
    send(client, backend)  # times=1: it fired once
    assert (fault.seen, fault.fired) == (4, 1)
    assert len(list(client.messages.list())) == 3
    statuses = [e.status for e in backend.journal.find(method="POST")]
    assert statuses == [201, 201, 429, 201]
    faulted = [e.fault for e in backend.journal if e.fault]
    assert faulted == [{"id": fault.id, "action": "status", "status": 429, "code": 20429}]


def test_503_once_then_success(client: Any, backend: Backend) -> None:
    backend.faults.add(status=503, times=1, retry_after=2)
    with pytest.raises(rest_error(client)) as caught:
        send(client, backend)
    assert (caught.value.status, caught.value.code) == (503, 20503)
    assert send(client, backend).status == "queued"
    assert backend.journal.find(status=503)[0].response()["code"] == 20503
    assert len(list(client.messages.list())) == 1


def test_a_status_fault_answers_twilios_error_shape_with_retry_after(backend: Backend) -> None:
    backend.faults.add(status=429, retry_after=3, message="Slow down")
    with mock(backend=backend):
        answer = requests.get(
            f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json",
            auth=(backend.account_sid, backend.auth_token),
        )
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "3"
    assert answer.json() == {
        "code": 20429,
        "message": "Slow down",
        "more_info": "https://www.twilio.com/docs/errors/20429",
        "status": 429,
    }


def test_a_reset_on_a_post_is_a_connection_error_and_nothing_is_stored(client: Any, backend: Backend) -> None:
    backend.faults.add(method="POST", connection_reset=True, times=1)
    expected = requests.exceptions.ConnectionError if official(client) else TransportError
    with pytest.raises(expected) as caught:
        send(client, backend)
    if isinstance(caught.value, TransportError):
        assert caught.value.sent and not caught.value.timeout
    else:
        assert "Connection reset by peer" in str(caught.value)
    assert list(client.messages.list()) == []
    (entry,) = backend.journal.find(method="POST")
    assert entry.status == 0 and entry.fault is not None and entry.fault["action"] == "reset"


def test_a_processed_reset_stores_the_message_the_client_never_heard_of(
    client: Any, backend: Backend
) -> None:
    backend.faults.add(method="POST", path=MESSAGES, connection_reset=True, processed=True, times=1)
    with pytest.raises((requests.exceptions.ConnectionError, TransportError)):
        send(client, backend, "did it go?")
    (stored,) = client.messages.list()
    assert stored.body == "did it go?"
    (entry,) = backend.journal.find(method="POST")
    assert entry.fault == {"id": "FT1", "action": "reset", "processed": True, "processed_status": 201}


def test_a_timeout_is_the_clients_timeout(client: Any, backend: Backend) -> None:
    backend.faults.add(timeout=True, times=1)
    expected = requests.exceptions.ReadTimeout if official(client) else TransportError
    with pytest.raises(expected) as caught:
        client.messages.list()
    if isinstance(caught.value, TransportError):
        assert caught.value.timeout
    assert client.messages.list() == []


def test_latency_moves_the_virtual_clock_and_a_queued_message_progresses(
    client: Any, backend: Backend
) -> None:
    message = send(client, backend)
    assert message.status == "queued"
    start = backend.clock.now()
    backend.faults.add(method="GET", latency=5.0, times=1)
    fetched = client.messages(message.sid).fetch()  # answered as of before the latency
    assert backend.clock.now() - start == 5.0
    assert fetched.status == "queued"
    assert client.messages(message.sid).fetch().status != "queued"
    (entry,) = [e for e in backend.journal if e.fault]
    assert entry.status == 200 and entry.fault == {"id": "FT1", "action": "latency", "latency": 5.0}


def test_probability_is_reproducible_with_the_seed() -> None:
    def pattern(seed: int) -> list[int]:
        backend = Backend(seed=seed)
        backend.faults.add(status=500, probability=0.5)
        client = Client(
            backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
        )
        out = []
        for _ in range(40):
            try:
                client.messages.list()
                out.append(200)
            except RestException as exc:
                out.append(exc.status)
        return out

    first = pattern(7)
    assert first == pattern(7)
    assert 5 < first.count(500) < 35 and first != pattern(8)


def test_faults_match_in_order_first_firing_wins(backend: Backend) -> None:
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    first = backend.faults.add(method="GET", status=503, times=1)
    second = backend.faults.add(status=500)
    codes = []
    for _ in range(3):
        with pytest.raises(RestException) as caught:
            client.messages.list()
        codes.append(caught.value.status)
    assert codes == [503, 500, 500]
    assert (first.seen, first.fired, second.seen, second.fired) == (3, 1, 2, 2)
    backend.faults.remove(second.id)
    assert client.messages.list() == []
    backend.faults.clear()
    assert len(backend.faults) == 0 and not backend.faults.active


def test_host_and_path_globs(backend: Backend) -> None:
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    backend.faults.add(host="verify.twilio.com", status=503)
    backend.faults.add(path="/2010-04-01/Accounts/*/Calls.json", status=500)
    assert client.messages.list() == []
    with pytest.raises(RestException) as caught:
        client.calls.list()
    assert caught.value.status == 500
    with pytest.raises(RestException) as caught:
        client.verify.v2.services.list()
    assert caught.value.status == 503


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"status": 200}, "'status' must be an integer 400..599"),
        ({"status": 429, "timeout": True}, "at most one of"),
        ({}, "needs 'status'"),
        ({"latency": -1}, "'latency' must be between"),
        ({"latency": float("nan")}, "'latency' must be a number"),
        ({"status": 500, "times": 0}, "'times' must be an integer >= 1"),
        ({"status": 500, "probability": 2}, "'probability' must be between"),
        ({"code": 20429}, "'code' needs 'status'"),
        ({"latency": 1, "processed": True}, "'processed' needs"),
        ({"status": 500, "method": "FETCH"}, "'method' must be one of"),
        ({"status": 500, "colour": "red"}, "unknown field 'colour'"),
        ({"status": "500"}, "'status' must be an integer"),
        ({"connection_reset": "yes"}, "must be true or false"),
    ],
)
def test_a_bad_fault_is_refused_with_every_problem(
    backend: Backend, spec: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError) as caught:
        backend.faults.add_fault(spec)
    assert problem in str(caught.value)
    assert len(backend.faults) == 0


def test_every_problem_is_listed(backend: Backend) -> None:
    with pytest.raises(ValueError) as caught:
        backend.faults.add_fault({"status": 1, "times": -1, "after": "x"})
    assert str(caught.value).count(";") == 2


def test_reset_clears_faults_and_limits_and_snapshots_leave_them_out(backend: Backend) -> None:
    backend.faults.add(status=500)
    backend.limits.concurrency(1)
    assert "faults" not in backend.snapshot() and "limits" not in backend.snapshot()
    backend.reset()
    assert len(backend.faults) == 0 and backend.limits.as_dicts() == []


def test_the_fixture_handle_drives_faults(backend: Backend) -> None:
    with mock(backend=backend) as twilio:
        twilio.faults.add(status=500, times=1)
        with pytest.raises(RestException):
            twilio.client().messages.list()
        assert twilio.faults.as_dicts()[0]["fired"] == 1
        twilio.limits.concurrency(3)
        assert twilio.limits.as_dicts() == [
            {"kind": "concurrency", "max": 3, "account_sid": None, "retry_after": None, "refused": 0}
        ]


def test_every_answer_of_a_limited_account_carries_the_concurrency_header(backend: Backend) -> None:
    backend.limits.concurrency(2, account_sid=backend.account_sid)
    with mock(backend=backend):
        url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
        ok = requests.get(url, auth=(backend.account_sid, backend.auth_token))
        missing = requests.get(
            url.replace(".json", "/SM" + "0" * 32 + ".json"), auth=(backend.account_sid, backend.auth_token)
        )
    assert ok.headers["Twilio-Concurrent-Requests"] == "1" and missing.status_code == 404
    assert missing.headers["Twilio-Concurrent-Requests"] == "1"
    backend.limits.concurrency(None, account_sid=backend.account_sid)
    assert not backend.limits.active


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # the official package's
def test_the_official_async_client_sees_aiohttp_errors(backend: Backend) -> None:
    import asyncio

    import aiohttp
    from twilio.http.async_http_client import AsyncTwilioHttpClient

    backend.faults.add(method="POST", connection_reset=True, times=1)
    backend.faults.add(method="POST", timeout=True, times=1)

    async def run() -> list[str]:
        seen = []
        http = AsyncTwilioHttpClient()
        client = OfficialClient(backend.account_sid, backend.auth_token, http_client=http)
        try:
            for _ in range(3):
                try:
                    sent = await client.messages.create_async(to=TO, from_=backend.phone_number, body="a")
                    seen.append(sent.status)
                except aiohttp.ServerTimeoutError:  # also an asyncio.TimeoutError
                    seen.append("timeout")
                except aiohttp.ClientConnectionError as exc:
                    seen.append("reset" if "reset" in str(exc) else repr(exc))
        finally:
            await http.close()
        return seen

    with mock(backend=backend):
        assert asyncio.run(run()) == ["reset", "timeout", "queued"]
    assert issubclass(aiohttp.ServerTimeoutError, asyncio.TimeoutError)


def test_ids_start_again_after_clear_and_the_rolls_repeat(backend: Backend) -> None:
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )

    def rolls() -> list[bool]:
        fault = backend.faults.add(status=500, probability=0.3)
        out = []
        for _ in range(20):
            try:
                client.messages.list()
                out.append(False)
            except RestException:
                out.append(True)
        assert fault.id == "FT1"
        return out

    first = rolls()
    backend.faults.clear()
    assert rolls() == first and any(first) and not all(first)
