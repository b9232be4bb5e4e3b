"""Future events on the virtual clock: run in time order when the clock passes them, each at its
own time, kept in snapshots; with a real-time clock they run as time passes."""

from __future__ import annotations

import time
from typing import Any

from twilio_mock import Backend
from twilio_mock.core.backend import Core
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread


def _recorder(backend: Backend) -> list[tuple[float, str]]:
    seen: list[tuple[float, str]] = []

    def run(core: Core, data: dict[str, Any]) -> None:
        seen.append((core.clock.now(), data["name"]))

    backend.scheduler.handler("test.ping", run)
    return seen


def test_events_run_in_time_order_each_at_its_own_time(backend: Backend) -> None:
    seen = _recorder(backend)
    start = backend.clock.now()
    for delay, name in ((30, "c"), (10, "a"), (20, "b"), (20, "b2"), (90, "late")):
        backend.scheduler.at(start + delay, "test.ping", {"name": name})
    backend.advance(60)
    assert seen == [(start + 10, "a"), (start + 20, "b"), (start + 20, "b2"), (start + 30, "c")]
    assert backend.clock.now() == start + 60
    assert len(backend.scheduler) == 1
    backend.clock.advance(30)  # the clock itself runs what falls due
    assert seen[-1] == (start + 90, "late")


def test_an_event_may_schedule_more_and_they_run_in_the_same_advance(backend: Backend) -> None:
    seen: list[float] = []

    def chain(core: Core, data: dict[str, Any]) -> None:
        seen.append(core.clock.now())
        if data["left"]:
            core.scheduler.at(core.clock.now() + 5, "test.chain", {"left": data["left"] - 1})

    backend.scheduler.handler("test.chain", chain)
    start = backend.clock.now()
    backend.scheduler.at(start + 5, "test.chain", {"left": 3})
    backend.advance(100)
    assert seen == [start + 5, start + 10, start + 15, start + 20]


def test_the_schedule_is_part_of_snapshots_and_reset_clears_it(backend: Backend) -> None:
    start = backend.clock.now()
    backend.scheduler.at(start + 10, "test.ping", {"name": "saved"})
    state = backend.snapshot()
    assert state["schedule"]["events"][0][2:] == ["test.ping", {"name": "saved"}]
    other = Backend(seed=5)
    seen = _recorder(other)
    other.restore(state)
    other.advance(10)
    assert seen == [(start + 10, "saved")]
    other.scheduler.at(other.clock.now() + 1, "test.ping", {"name": "gone"})
    other.reset()
    assert len(other.scheduler) == 0


def test_a_cancelled_event_never_runs(backend: Backend) -> None:
    seen = _recorder(backend)
    event = backend.scheduler.at(backend.clock.now() + 1, "test.ping", {"name": "cancelled"})
    backend.scheduler.cancel(event)
    backend.advance(5)
    assert seen == [] and len(backend.scheduler) == 0


def test_with_a_real_time_clock_the_server_runs_due_events_as_time_passes() -> None:
    backend = Backend(seed=None)
    seen = _recorder(backend)
    backend.scheduler.at(time.time() + 0.3, "test.ping", {"name": "soon"})
    with ServerThread(MockServerApp(backend)):
        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [name for _, name in seen] == ["soon"]


def test_with_a_real_time_clock_a_request_runs_what_fell_due() -> None:
    from tests.mock.helpers import Raw

    backend = Backend(seed=None)
    seen = _recorder(backend)
    backend.scheduler.at(time.time() - 1, "test.ping", {"name": "overdue"})
    Raw(backend)("GET", f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json")
    assert [name for _, name in seen] == ["overdue"]
