"""Verify's 429s that the mock cannot reach on its own (ref §13): a limit rule answers the next
verification starts 429 / 60212 "Too many concurrent requests for phone number" (or 60203), from
Python and from the control plane, and is part of snapshots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.behaviours.verify.conftest import CUSTOMER, code_of
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client


def test_a_limit_answers_the_next_start_429_60212(client: Any, service: Any, backend: Backend) -> None:
    backend.verify.limit(CUSTOMER)
    status, code, message = code_of(lambda: service.verifications.create(to=CUSTOMER, channel="sms"))
    assert (status, code) == (429, 60212) and "Too many concurrent requests for phone number" in message
    assert backend.verify.pending() == [] and client.messages.list() == []
    assert backend.verify.limits == []  # used up
    assert service.verifications.create(to=CUSTOMER, channel="sms").status == "pending"


def test_a_limit_matches_its_recipient_and_counts_its_times(service: Any, backend: Backend) -> None:
    backend.verify.limit(CUSTOMER, code=60203, times=2)
    other = service.verifications.create(to="+15558675311", channel="sms")
    assert other.status == "pending"
    for _ in range(2):
        assert code_of(lambda: service.verifications.create(to=CUSTOMER, channel="sms"))[:2] == (429, 60203)
    assert service.verifications.create(to=CUSTOMER, channel="sms").status == "pending"


def test_a_limit_for_everyone_until_cleared(service: Any, backend: Backend) -> None:
    backend.verify.limit(times=None)
    for to in (CUSTOMER, "+15558675311", "ada@example.com"):
        channel = "email" if "@" in to else "sms"
        assert code_of(lambda t=to, c=channel: service.verifications.create(to=t, channel=c))[1] == 60212
    backend.verify.clear()
    assert service.verifications.create(to=CUSTOMER, channel="sms").status == "pending"


def test_a_bad_request_is_answered_before_a_limit(service: Any, backend: Backend) -> None:
    backend.verify.limit()
    assert code_of(lambda: service.verifications.create(to="nope", channel="sms"))[1] == 60200
    assert len(backend.verify.limits) == 1


@pytest.mark.parametrize(
    "rule", [{"code": 20404}, {"times": 0}, {"times": True}, {"to": 5}, {"colour": "red"}, ["x"]]
)
def test_a_bad_limit_is_refused(backend: Backend, rule: Any) -> None:
    with pytest.raises(ValueError):
        backend.verify.add_limit(rule)
    assert backend.verify.limits == []


def test_limits_are_kept_in_snapshots_and_forgotten_on_reset(backend: Backend) -> None:
    backend.verify.limit(CUSTOMER, times=3)
    state = backend.snapshot()
    assert state["verify"] == {"limits": [{"to": CUSTOMER, "code": 60212, "times": 3}]}
    backend.reset()
    assert backend.verify.limits == []
    backend.restore(state)
    assert backend.verify.limits == [{"to": CUSTOMER, "code": 60212, "times": 3}]
    with pytest.raises(ValueError):
        backend.restore({**state, "verify": {"limits": [{"code": 1}]}})
    assert backend.verify.limits == [{"to": CUSTOMER, "code": 60212, "times": 3}]  # all or nothing


@pytest.fixture
def server() -> Iterator[ServerThread]:
    thread = ServerThread(MockServerApp(Backend(seed=2)))
    yield thread
    thread.stop()


def test_the_control_plane_sets_limits(server: ServerThread) -> None:
    api = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
    sid = api.verify.v2.services.create(friendly_name="Acme").sid
    limits = f"{server.url}/__mock__/verify/limits"
    added = requests.post(limits, json={"to": CUSTOMER}, timeout=10)
    assert added.status_code == 201 and added.json()["limit"] == {"to": CUSTOMER, "code": 60212, "times": 1}
    assert requests.get(limits, timeout=10).json() == {
        "limits": [{"to": CUSTOMER, "code": 60212, "times": 1}]
    }
    status, code, _ = code_of(
        lambda: api.verify.v2.services(sid).verifications.create(to=CUSTOMER, channel="sms")
    )
    assert (status, code) == (429, 60212)
    requests.post(limits, json={"times": None}, timeout=10)
    assert requests.delete(limits, timeout=10).json() == {"limits": []} and server.backend.verify.limits == []
    bad = requests.post(limits, json={"code": 1}, timeout=10)
    assert bad.status_code == 400 and bad.json()["code"] == 20001


def test_concurrent_starts_for_one_number_make_one_verification(server: ServerThread) -> None:
    """The threaded server serializes them: one verification with five attempts, no 60212."""
    import threading

    api = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
    sid = api.verify.v2.services.create(friendly_name="Acme").sid
    made: list[str] = []

    def start() -> None:
        client = Client(server.account_sid, server.auth_token, api_base=server.url, environment={})
        made.append(client.verify.v2.services(sid).verifications.create(to=CUSTOMER, channel="sms").sid)

    threads = [threading.Thread(target=start) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(made) == 5 and len(set(made)) == 1
    [pending] = server.backend.verify.pending(CUSTOMER)
    assert pending["sends"] == 5
    assert len(api.messages.list(to=CUSTOMER)) == 5
