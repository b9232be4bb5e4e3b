"""Properties of the SDK under any schedule of scripted faults (hypothesis): ``messages.create``
either returns the one message it stored or raises the SDK's exception for the fault that
answered, never sends a message twice and never loses one silently; ``list()`` over a paged
run with 429s in it returns exactly the stored set, in order, or raises the 429."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from twilio_mock import Backend, MockTransport
from twilio_mock.hypothesis_profiles import max_examples
from twilio_sdk import Client, RestException, TransportError

TO, FROM = "+15558675310", "+15017122661"

STATUSES = st.sampled_from([500, 502, 503, 504])
COUNTS = {"times": st.integers(1, 3), "after": st.integers(0, 2)}
FAULT = st.one_of(
    st.fixed_dictionaries({"status": st.just(429), **COUNTS}),  # 20429: never carried out
    st.fixed_dictionaries({"status": STATUSES, "processed": st.booleans(), **COUNTS}),
    st.fixed_dictionaries({"connection_reset": st.just(True), "processed": st.booleans(), **COUNTS}),
    st.fixed_dictionaries({"timeout": st.just(True), "processed": st.booleans(), **COUNTS}),
)
METHODS = st.sampled_from([None, "POST", "GET"])


def _client(backend: Backend, **options: Any) -> Client:
    return Client(
        backend.account_sid,
        backend.auth_token,
        http_client=MockTransport(backend),
        environment={},
        sleep=lambda seconds: None,
        **options,
    )


def _stored(backend: Backend) -> list[str]:
    backend.faults.clear()
    return [m.sid for m in _client(backend).messages.list()]


@settings(deadline=None, derandomize=True)
@given(
    schedule=st.lists(st.tuples(METHODS, FAULT), max_size=4),
    auto_retry=st.booleans(),
    max_retries=st.integers(0, 4),
    seed=st.integers(0, 2**16),
)
def test_create_under_any_fault_schedule(
    schedule: list[tuple[str | None, dict[str, Any]]], auto_retry: bool, max_retries: int, seed: int
) -> None:
    backend = Backend(seed=seed)
    for method, fault in schedule:
        backend.faults.add(method=method, **fault)
    client = _client(backend, auto_retry=auto_retry, max_retries=max_retries)
    outcome: Any
    try:
        outcome = client.messages.create(to=TO, from_=FROM, body="property")
    except (RestException, TransportError) as exc:
        outcome = exc
    attempts = backend.journal.find(method="POST", path_contains="/Messages.json")
    stored = _stored(backend)

    assert len(stored) <= 1  # never a duplicate
    assert all(e.status == 429 for e in attempts[:-1])  # only a 20429 (never carried out) is resent
    assert len(attempts) <= (max_retries + 1 if auto_retry else 1)
    if not isinstance(outcome, Exception):
        assert stored == [outcome.sid]
        return
    assert outcome.method == "POST" and outcome.uri.endswith("/Messages.json")
    last = attempts[-1]
    fired = last.fault  # what the journal says answered the last attempt
    assert fired is not None, "an error the schedule did not cause"
    if isinstance(outcome, RestException):
        assert (outcome.status, outcome.code) == (fired["status"], fired["code"])
    else:
        assert outcome.timeout is (fired["action"] == "timeout")
    assert len(stored) == (1 if fired.get("processed") else 0)  # carried out, or not at all: never half


@settings(max_examples=max_examples(0.8), deadline=None, derandomize=True)
@given(
    count=st.integers(0, 25),
    page_size=st.integers(1, 8),
    limit=st.none() | st.integers(1, 30),
    faults=st.lists(st.fixed_dictionaries(COUNTS), max_size=3),
    chaos=st.floats(0.0, 0.6),
)
def test_list_with_429s_returns_exactly_the_stored_set(
    count: int, page_size: int, limit: int | None, faults: list[dict[str, int]], chaos: float
) -> None:
    backend = Backend(seed=count)
    writer = _client(backend)
    sids = [writer.messages.create(to=TO, from_=FROM, body=str(n)).sid for n in range(count)]
    expected = list(reversed(sids))[:limit]  # Twilio lists messages newest first

    budget = sum(f["times"] for f in faults)  # within max_retries: the list must come back whole
    for fault in faults:
        backend.faults.add(method="GET", status=429, **fault)
    reader = _client(backend, auto_retry=True, max_retries=max(budget, 1))
    assert [m.sid for m in reader.messages.list(limit=limit, page_size=page_size)] == expected

    backend.faults.clear()
    backend.faults.add(method="GET", status=429, probability=chaos)
    impatient = _client(backend, auto_retry=True, max_retries=2)
    try:
        got = [m.sid for m in impatient.messages.list(limit=limit, page_size=page_size)]
    except RestException as exc:
        assert (exc.status, exc.code) == (429, 20429)
    else:
        assert got == expected  # whole, or an error: never a short or repeated list
