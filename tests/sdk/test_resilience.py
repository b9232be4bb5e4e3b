"""The SDK's resilience, proven against the mock's scripted faults (not stubs): 429s retried
with full-jitter backoff and a capped ``Retry-After``, GET and DELETE retried after a dropped
connection, a POST never sent twice, and every failure raised as the SDK's typed exception
naming the request. Each test runs through the three ways in: the in-process transport, the
``responses`` interceptor under the default ``requests`` transport, and a real HTTP server.
What the mock stored and journaled is the judge."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from twilio_mock import Backend, MockTransport, mock
from twilio_mock.ways_in.serving import serve_in_thread
from twilio_sdk import Client, RestException, TransportError

TO = "+15558675310"
WAYS = ["transport", "interceptor", "server"]


class Way:
    """One way to reach ``backend``: ``client(**options)`` builds our SDK's client for it."""

    def __init__(self, name: str, backend: Backend, url: str | None = None) -> None:
        self.name, self.backend, self.url = name, backend, url
        self.sleeps: list[float] = []
        self.attempts: list[tuple[int, float, Any]] = []

    def client(self, **options: Any) -> Client:
        options.setdefault("sleep", self.sleeps.append)
        options.setdefault(
            "on_retry", lambda n, delay, request, cause: self.attempts.append((n, delay, cause))
        )
        b = self.backend
        if self.name == "transport":
            return Client(
                b.account_sid, b.auth_token, http_client=MockTransport(b), environment={}, **options
            )
        if self.name == "server":
            return Client(b.account_sid, b.auth_token, api_base=self.url, environment={}, **options)
        return Client(b.account_sid, b.auth_token, environment={}, **options)

    def posts(self) -> list[Any]:
        return self.backend.journal.find(method="POST", path_contains="/Messages.json")


def _messages(backend: Backend) -> list[Any]:
    """Every message stored, listed once the faults are cleared."""
    sdk = Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})
    backend.faults.clear()
    return sdk.messages.list()


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest) -> Iterator[Way]:
    backend = Backend(seed=7)
    if request.param == "interceptor":
        with mock(backend=backend):
            yield Way("interceptor", backend)
    elif request.param == "server":
        with serve_in_thread(backend) as server:
            yield Way("server", backend, server.url)
    else:
        yield Way("transport", backend)


def send(client: Client) -> Any:
    return client.messages.create(to=TO, from_="+15017122661", body="hello")


# 429s -----------------------------------------------------------------------------------
def test_20429_twice_is_retried_with_full_jitter_and_the_hook_sees_every_attempt(way: Way) -> None:
    way.backend.faults.add(method="POST", path="*/Messages.json", status=429, times=2)
    client = way.client(auto_retry=True)
    client.retry_policy.random = lambda: 0.5
    message = send(client)
    assert [n for n, _, _ in way.attempts] == [1, 2]
    assert [cause.status_code for _, _, cause in way.attempts] == [429, 429]
    assert way.sleeps == [0.1, 0.2]  # 0.5 * min(3 s, 100 ms * 2**n)
    assert [e.status for e in way.posts()] == [429, 429, 201]
    assert [m.sid for m in _messages(way.backend)] == [message.sid]


def test_retry_after_is_honoured_and_capped(way: Way) -> None:
    way.backend.faults.add(method="POST", status=429, retry_after=7, times=1)
    way.backend.faults.add(method="POST", status=429, retry_after=3600, times=1)
    send(way.client(auto_retry=True))
    assert way.sleeps == [7.0, 30.0]  # the policy's cap: max_retry_after
    assert len(_messages(way.backend)) == 1


def test_429s_past_max_retries_raise_20429_and_nothing_was_created(way: Way) -> None:
    way.backend.faults.add(method="POST", status=429)
    with pytest.raises(RestException) as info:
        send(way.client(auto_retry=True, max_retries=2))
    error = info.value
    assert (error.status, error.code, error.method) == (429, 20429, "POST")
    assert error.uri.endswith(f"/Accounts/{way.backend.account_sid}/Messages.json")
    assert len(way.posts()) == 3 and len(way.attempts) == 2
    assert _messages(way.backend) == []


def test_without_auto_retry_the_first_429_is_raised(way: Way) -> None:
    way.backend.faults.add(method="POST", status=429, times=1)
    with pytest.raises(RestException) as info:
        send(way.client())
    assert (info.value.status, info.value.code) == (429, 20429)
    assert len(way.posts()) == 1 and way.attempts == []


def test_a_concurrency_limit_is_ridden_out_by_retrying_429s() -> None:
    """Over HTTP with real latency: more threads than the account may run at once get 20429s,
    which the SDK retries; every message ends up stored exactly once."""
    backend = Backend(seed=3)
    backend.limits.concurrency(2)
    backend.faults.add(method="POST", latency=0.05)
    with serve_in_thread(backend) as server:
        retried: list[int] = []
        client = Client(
            backend.account_sid,
            backend.auth_token,
            api_base=server.url,
            environment={},
            auto_retry=True,
            max_retries=50,
            max_retry_delay=0.05,
            on_retry=lambda n, delay, request, cause: retried.append(cause.status_code),
        )
        sids: list[str] = []
        threads = [threading.Thread(target=lambda: sids.append(send(client).sid)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(sids) == 6
    assert retried and set(retried) == {429}
    refused = backend.journal.find(method="POST", status=429)
    assert refused and all(e.body and b"20429" in e.body for e in refused)
    assert sorted(m.sid for m in _messages(backend)) == sorted(sids)


# Dropped connections --------------------------------------------------------------------
def test_get_is_retried_after_a_reset(way: Way) -> None:
    send(way.client())
    way.backend.faults.add(method="GET", path="*/Messages.json", connection_reset=True, times=1)
    found = way.client(auto_retry=True).messages.list()
    assert len(found) == 1
    assert [type(cause) for _, _, cause in way.attempts] == [TransportError]


def test_delete_is_retried_after_a_reset(way: Way) -> None:
    sid = send(way.client()).sid
    way.backend.faults.add(method="DELETE", connection_reset=True, times=1)
    assert way.client(auto_retry=True).messages(sid).delete() is True
    assert len(way.attempts) == 1
    assert _messages(way.backend) == []


@pytest.mark.parametrize("fault", ["reset", "timeout", "500", "503"])
def test_a_post_is_never_sent_twice(way: Way, fault: str) -> None:
    """The request was carried out, then its answer was lost or replaced: retrying would send
    a second message, so the SDK raises and the caller decides."""
    options: dict[str, Any] = {"method": "POST", "processed": True, "times": 1}
    if fault == "reset":
        options["connection_reset"] = True
    elif fault == "timeout":
        options.update(timeout=True, latency=5.0)
    else:
        options["status"] = int(fault)
    way.backend.faults.add(**options)
    client = way.client(auto_retry=True, timeout=0.5)
    expected = TransportError if fault in ("reset", "timeout") else RestException
    with pytest.raises(expected) as info:
        send(client)
    error = info.value
    assert error.method == "POST" and "/Messages.json" in error.uri
    if isinstance(error, TransportError):
        assert error.timeout is (fault == "timeout")
        assert error.status is None
    else:
        assert error.status == int(fault) and error.code == 20000 + int(fault)
    assert len(way.posts()) == 1 and way.attempts == []
    assert len(_messages(way.backend)) == 1  # carried out once: the caller must look, not resend


def test_a_post_refused_before_processing_leaves_nothing_behind(way: Way) -> None:
    way.backend.faults.add(method="POST", connection_reset=True, times=1)
    with pytest.raises(TransportError) as info:
        send(way.client(auto_retry=True))
    assert info.value.uri.endswith("/Messages.json")
    assert len(way.posts()) == 1
    assert _messages(way.backend) == []


def test_503_on_a_get_is_retried(way: Way) -> None:
    way.backend.faults.add(method="GET", status=503, times=2)
    assert way.client(auto_retry=True).messages.list() == []
    assert [cause.status_code for _, _, cause in way.attempts] == [503, 503]
