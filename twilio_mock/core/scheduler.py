"""Future events on the virtual clock: what behaviours do later (a message turning ``sent``,
a status callback, a scheduled send).

An event is plain data (``kind`` and a JSON-able ``data``), so the schedule is part of
snapshots; what an event of a kind does is a handler a behaviour registers. Events sit in a
heap by (time, order of scheduling): scheduling and running one costs O(log n) whatever else
is pending, and advancing the clock runs only the events that fall due, each at its own time
(see ``Core.advance``).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

# A handler runs under the backend's lock and returns what to do once the lock is released
# (webhook deliveries, which may call back into the mock).
After = Callable[[], None]
Handler = Callable[["Core", dict[str, Any]], "list[After] | None"]
Event = tuple[float, int, str, dict[str, Any]]  # (at, order, kind, data)


class Scheduler:
    """Pending events, earliest first."""

    def __init__(self) -> None:
        self._heap: list[Event] = []
        self._order = 0
        self._cancelled: set[int] = set()
        self.handlers: dict[str, Handler] = {}
        # Durable state (core.durability) collects ("+", event) / ("-", id) here; None: untracked.
        self.watch: list[tuple[str, Any]] | None = None

    def handler(self, kind: str, run: Handler) -> None:
        """Register what an event of ``kind`` does."""
        self.handlers[kind] = run

    def at(self, when: float, kind: str, data: dict[str, Any]) -> int:
        """Schedule ``kind`` with ``data`` at epoch second ``when``; returns its id."""
        self._order += 1
        event = (float(when), self._order, kind, data)
        heapq.heappush(self._heap, event)
        if self.watch is not None:
            self.watch.append(("+", event))
        return self._order

    def cancel(self, event_id: int) -> None:
        self._cancelled.add(event_id)
        if self.watch is not None:
            self.watch.append(("-", event_id))

    def next_due(self, now: float) -> Event | None:
        """Take the earliest event due at ``now``, if any."""
        heap = self._heap
        while heap and heap[0][0] <= now:
            event = heapq.heappop(heap)
            if self.watch is not None:
                self.watch.append(("-", event[1]))
            if event[1] in self._cancelled:
                self._cancelled.discard(event[1])
                continue
            return event
        return None

    def __len__(self) -> int:
        return len(self._heap) - len(self._cancelled)

    def pending(self) -> list[Event]:
        """Every pending event, earliest first (for inspection; not cheap)."""
        return sorted(e for e in self._heap if e[1] not in self._cancelled)

    def state(self) -> dict[str, Any]:
        return {"order": self._order, "events": [list(e) for e in self.pending()]}

    def load(self, state: dict[str, Any]) -> None:
        self._heap = [
            (float(at), int(order), str(kind), dict(data))
            for at, order, kind, data in state.get("events", [])
        ]
        heapq.heapify(self._heap)
        self._order = max([int(state.get("order", 0)), *(e[1] for e in self._heap)], default=0)
        self._cancelled = set()

    def reset(self) -> None:
        self._heap, self._order, self._cancelled = [], 0, set()
