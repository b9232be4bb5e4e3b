"""A sorted sequence of record positions, in blocks, for cheap deletes at any size.

One flat array would make a delete near the start of a million-record collection move
eight megabytes; blocks of about a thousand keep every delete, insert, ``seq[i]`` and
bisection at a small, size-independent cost. Each position may carry a value beside it
(a date index keeps each record's seconds there).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate

LOAD = 1024  # elements per block; a block splits at twice this


class Positions:
    """Ascending ints with an optional float beside each: ``len``, ``seq[i]``, ``value(i)``,
    ``bisect_left(x)``, ``bisect_value(v)``, ``append``, ``insert``, ``remove``."""

    __slots__ = ("blocks", "values", "maxes", "load", "_prefix", "_len")

    def __init__(
        self, items: range | list[int] | None = None, valued: bool = False, load: int = LOAD
    ) -> None:
        self.load = load
        self.blocks: list[array[int]] = []
        self.values: list[array[float]] | None = [] if valued else None
        self.maxes: list[int] = []
        self._prefix: list[int] | None = None  # elements before each block, rebuilt on demand
        self._len = 0
        if items is not None:
            for start in range(0, len(items), load):
                self.blocks.append(array("q", items[start : start + load]))
            self.maxes = [b[-1] for b in self.blocks]
            self._len = len(items)

    def __len__(self) -> int:
        return self._len

    def _offsets(self) -> list[int]:
        if self._prefix is None:
            self._prefix = [0, *accumulate(len(b) for b in self.blocks)]
        return self._prefix

    def _locate(self, i: int) -> tuple[int, int]:
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError(i)
        offsets = self._offsets()
        b = bisect_right(offsets, i) - 1
        return b, i - offsets[b]

    def __getitem__(self, i: int) -> int:
        b, j = self._locate(i)
        return self.blocks[b][j]

    def value(self, i: int) -> float:
        assert self.values is not None
        b, j = self._locate(i)
        return self.values[b][j]

    def bisect_left(self, x: int) -> int:
        """How many positions are below ``x``."""
        b = bisect_left(self.maxes, x)
        if b == len(self.blocks):
            return self._len
        return self._offsets()[b] + bisect_left(self.blocks[b], x)

    def bisect_value(self, v: float, right: bool = False) -> int:
        """Like ``bisect_left``/``bisect_right`` over the values (which must be ascending)."""
        assert self.values is not None
        find = bisect_right if right else bisect_left
        lasts = [block[-1] for block in self.values]
        b = find(lasts, v)
        if b == len(self.values):
            return self._len
        return self._offsets()[b] + find(self.values[b], v)

    def append(self, x: int, value: float = 0.0) -> None:
        """Add ``x``, larger than every position held."""
        if not self.blocks or len(self.blocks[-1]) >= self.load:
            self.blocks.append(array("q"))
            self.maxes.append(x)
            if self.values is not None:
                self.values.append(array("d"))
            if self._prefix is not None:
                self._prefix.append(self._prefix[-1])
        self.blocks[-1].append(x)
        self.maxes[-1] = x
        if self.values is not None:
            self.values[-1].append(value)
        if self._prefix is not None:
            self._prefix[-1] += 1
        self._len += 1

    def insert(self, x: int, value: float = 0.0) -> int:
        """Add ``x`` where it sorts; returns its index."""
        if not self.blocks or x > self.maxes[-1]:
            self.append(x, value)
            return self._len - 1
        b = bisect_left(self.maxes, x)
        block = self.blocks[b]
        j = bisect_left(block, x)
        block.insert(j, x)
        if self.values is not None:
            self.values[b].insert(j, value)
        self._len += 1
        index = self._offsets()[b] + j
        self._prefix = None
        if len(block) > 2 * self.load:
            self._split(b)
        return index

    def _split(self, b: int) -> None:
        block = self.blocks[b]
        half = len(block) // 2
        self.blocks[b : b + 1] = [block[:half], block[half:]]
        self.maxes[b : b + 1] = [block[half - 1], block[-1]]
        if self.values is not None:
            values = self.values[b]
            self.values[b : b + 1] = [values[:half], values[half:]]
        self._prefix = None

    def remove(self, x: int) -> int | None:
        """Drop ``x``; returns the index it had, or ``None`` when it was not held."""
        b = bisect_left(self.maxes, x)
        if b == len(self.blocks):
            return None
        block = self.blocks[b]
        j = bisect_left(block, x)
        if j == len(block) or block[j] != x:
            return None
        index = self._offsets()[b] + j
        del block[j]
        if self.values is not None:
            del self.values[b][j]
        self._len -= 1
        if not block:
            del self.blocks[b], self.maxes[b]
            if self.values is not None:
                del self.values[b]
        elif j == len(block):
            self.maxes[b] = block[-1]
        self._prefix = None
        return index
