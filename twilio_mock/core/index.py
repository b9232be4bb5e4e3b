"""Secondary indexes of a collection: what list filters look up instead of scanning.

Positions are a collection's raw positions (creation order, holes included), kept sorted
(small lists in an ``array('q')``, large ones in :class:`~twilio_mock.core.positions.Positions`
blocks), so a filtered page is a window of one sequence: page k of a single filter costs what
page 0 costs, and a delete costs the same at any size. Indexes are built on a collection's
first filtered list and kept up to date by every write after that.

- :class:`EqualityIndex`: value -> positions (``To=``, ``Status=``; a list field indexes
  each of its values).
- :class:`DateIndex`: positions with a date and their seconds, aligned. While the dates
  grow with the positions (records are created as the virtual clock moves forward) a date
  range is one contiguous window; once they do not (a date set by hand, a clock set back),
  the index answers ``None`` and the list scans.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from twilio_mock.core.positions import LOAD, Positions

Record = dict[str, Any]
Sorted: TypeAlias = "array[int] | Positions"
Window = tuple[Sorted, int, int]  # (sorted positions, start, stop)
KeysOf = Callable[[Record], tuple[str, ...]]
SecondsOf = Callable[[Record], float | None]
_EMPTY: array[int] = array("q")


def rank(seq: Sorted, raw: int) -> int:
    """How many positions of ``seq`` are below ``raw``."""
    return seq.bisect_left(raw) if isinstance(seq, Positions) else bisect_left(seq, raw)


def _remove(positions: Sorted, raw: int) -> None:
    if isinstance(positions, Positions):
        positions.remove(raw)
        return
    i = bisect_left(positions, raw)
    if i < len(positions) and positions[i] == raw:
        del positions[i]


class EqualityIndex:
    """Positions by the value a field holds."""

    __slots__ = ("keys_of", "by_key")

    def __init__(self, keys_of: KeysOf, items: Iterable[Record | None]) -> None:
        self.keys_of = keys_of
        self.by_key: dict[str, Sorted] = {}
        for raw, record in enumerate(items):
            if record is not None:
                self.add(raw, record)

    def add(self, raw: int, record: Record) -> None:
        """``raw`` is past every indexed position (an append)."""
        for key in self.keys_of(record):
            self._put(key, raw)

    def replace(self, raw: int, old: Record, new: Record) -> None:
        before, after = self.keys_of(old), self.keys_of(new)
        if before == after:
            return
        for key in before:
            if key not in after:
                self._drop(key, raw)
        for key in after:
            if key not in before:
                self._put(key, raw)

    def _put(self, key: str, raw: int) -> None:
        found = self.by_key.get(key)
        if found is None:
            self.by_key[key] = array("q", (raw,))
        elif isinstance(found, Positions):
            found.insert(raw)  # an append when ``raw`` is the largest
        else:
            insort(found, raw)
            if len(found) > LOAD:  # large lists go into blocks: deletes stay cheap
                self.by_key[key] = Positions(found.tolist())

    def discard(self, raw: int, record: Record) -> None:
        for key in self.keys_of(record):
            self._drop(key, raw)

    def _drop(self, key: str, raw: int) -> None:
        found = self.by_key.get(key)
        if found is not None:
            _remove(found, raw)
            if not found:
                del self.by_key[key]

    def window(self, key: str) -> Window:
        found = self.by_key.get(key, _EMPTY)
        return found, 0, len(found)


class DateIndex:
    """Positions holding a date, with the date's epoch seconds beside each."""

    __slots__ = ("seconds_of", "positions", "monotonic")

    def __init__(self, seconds_of: SecondsOf, items: Iterable[Record | None]) -> None:
        self.seconds_of = seconds_of
        self.positions = Positions(valued=True)
        self.monotonic = True
        for raw, record in enumerate(items):
            if record is not None:
                self.add(raw, record)

    def add(self, raw: int, record: Record) -> None:
        seconds = self.seconds_of(record)
        if seconds is None:
            return
        held = self.positions
        if len(held) and seconds < held.value(-1):
            self.monotonic = False
        held.append(raw, seconds)

    def replace(self, raw: int, old: Record, new: Record) -> None:
        after = self.seconds_of(new)
        if self.seconds_of(old) == after:
            return
        self.discard(raw, old)
        if after is None:
            return
        held = self.positions
        i = held.insert(raw, after)
        if (i > 0 and held.value(i - 1) > after) or (i + 1 < len(held) and held.value(i + 1) < after):
            self.monotonic = False

    def discard(self, raw: int, record: Record) -> None:
        self.positions.remove(raw)

    def window(self, low: float, high: float, high_inclusive: bool) -> Window | None:
        """Positions whose date is in ``[low, high)`` (``[low, high]``), or ``None`` when the
        dates do not grow with the positions."""
        if not self.monotonic:
            return None
        held = self.positions
        start = held.bisect_value(low)
        stop = held.bisect_value(high, right=high_inclusive)
        return held, start, max(start, stop)
