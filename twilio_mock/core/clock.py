"""The mock's virtual clock: frozen at a fixed instant (seeded runs) or following real time.

``Backend(seed=N)`` starts frozen at 2025-01-01T00:00:00Z, so dates are reproducible;
``Backend(seed=None)`` follows the wall clock. Either way ``advance`` moves time forward.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from twilio_mock.core import dates

DEFAULT_START = 1735689600.0  # 2025-01-01T00:00:00Z
MIN_EPOCH = 0.0  # the clock stays within 1970..9999, the dates every format can write
MAX_EPOCH = 253402300799.0  # 9999-12-31T23:59:59Z


class Clock:
    """``now()`` in epoch seconds; ``advance(seconds)``; ``set(when)``.

    ``start=None`` follows real time (plus whatever was advanced); a number freezes the
    clock at that instant until it is advanced or set.
    """

    def __init__(self, start: float | None = DEFAULT_START) -> None:
        self._base = start
        self._offset = 0.0
        # Called with the target instant when time moves forward: the backend runs the events
        # that fall due on the way, each at its own time (``Core.advance``).
        self.listener: Callable[[float], None] | None = None

    @property
    def frozen(self) -> bool:
        return self._base is not None

    def now(self) -> float:
        base = time.time() if self._base is None else self._base
        return base + self._offset

    def seconds(self) -> int:
        """Whole seconds, as records store them."""
        return int(self.now())

    def datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.now(), dt.timezone.utc)

    def advance(self, seconds: float) -> float:
        """Move time forward (never backward, never past year 9999) and return the new ``now()``."""
        if not seconds >= 0:  # NaN too
            raise ValueError("the clock only moves forward")
        target = self.now() + seconds
        if target > MAX_EPOCH:
            raise ValueError("the clock cannot move past 9999-12-31T23:59:59Z")
        if self.listener is not None:
            self.listener(target)
        self.move_to(target)
        return self.now()

    def move_to(self, when: float) -> None:
        """Move forward to ``when`` without running anything (a no-op when already past it)."""
        now = self.now()
        if when > now:
            self._offset += when - now

    def set(self, when: float | dt.datetime | str) -> None:
        """Jump to an instant (epoch seconds, a datetime or ISO/RFC 2822 text) and freeze.
        A naive datetime is taken as UTC, like the text forms without an offset."""
        if isinstance(when, dt.datetime):
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            value: float | None = when.timestamp()
        else:
            value = dates.parse(when)
        if value is None:
            raise ValueError(f"not a date: {when!r}")
        if not MIN_EPOCH <= value <= MAX_EPOCH:
            raise ValueError(f"outside 1970..9999: {when!r}")
        if self.listener is not None and value > self.now():
            self.listener(value)  # what falls due on the way runs first
        self._base, self._offset = value, 0.0

    def state(self) -> dict[str, Any]:
        """A frozen clock is its instant; a running one is how far it was advanced (``now``
        is only informative then)."""
        if self.frozen:
            return {"frozen": True, "now": self.now()}
        return {"frozen": False, "now": self.now(), "offset": self._offset}

    def load(self, state: dict[str, Any]) -> None:
        if state.get("frozen", True):
            self._base, self._offset = float(state["now"]), 0.0
        else:
            self._base, self._offset = None, float(state.get("offset", 0.0))
