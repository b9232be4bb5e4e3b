"""Messages grouped into threads: one per pair of numbers (a Messaging Service's messages go to
the service's thread), newest activity first.

The index is built once per collection and then only reads the records added since: a render
or a live update costs what its page shows, not what the collection holds. Records are never
mutated in place and a thread's numbers never change on update, so positions stay valid; a
collection squeezed or cleared (its ``items`` list replaced) is indexed again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twilio_mock.core.store import Collection

Record = dict[str, Any]


def thread_key(record: Record) -> tuple[str, str, str]:
    """``(ours, theirs, service)``: our number (or the service, which sends from a pool), theirs."""
    inbound = str(record.get("direction") or "") == "inbound"
    ours = str(record.get("to" if inbound else "from") or "")
    theirs = str(record.get("from" if inbound else "to") or "")
    service = str(record.get("messaging_service_sid") or "")
    return (service or ours, theirs, service)


@dataclass
class Thread:
    ours: str
    theirs: str
    service: str
    positions: list[int] = field(default_factory=list)  # raw positions, ascending

    @property
    def ident(self) -> str:
        return f"{self.ours} {self.theirs}"


class ThreadIndex:
    """The threads of one messages collection; :meth:`refresh` under the backend's lock."""

    def __init__(self) -> None:
        self._items: list[Record | None] | None = None
        self._seen = 0
        self._last_sid: str | None = None
        self.threads: OrderedDict[str, Thread] = OrderedDict()  # least recently active first

    def refresh(self, coll: Collection | None) -> None:
        items = coll.items if coll is not None else None
        if items is not self._items or len(items or ()) < self._seen or not self._same_tail(items):
            self._items, self._seen, self._last_sid = items, 0, None
            self.threads = OrderedDict()
        if items is None:
            return
        for raw in range(self._seen, len(items)):
            record = items[raw]
            if record is None:
                continue
            ours, theirs, service = thread_key(record)
            key = f"{ours} {theirs}"
            thread = self.threads.get(key)
            if thread is None:
                thread = self.threads[key] = Thread(ours, theirs, service)
            else:
                self.threads.move_to_end(key)
            thread.positions.append(raw)
        self._seen = len(items)
        tail = items[-1] if items else None
        self._last_sid = str(tail.get("sid")) if tail is not None else None

    def _same_tail(self, items: list[Record | None] | None) -> bool:
        """The record indexed last is still there (a delete at the end followed by a create
        reuses its position)."""
        if not items or not self._seen or self._last_sid is None:
            return True
        record = items[self._seen - 1]
        return record is None or str(record.get("sid")) == self._last_sid

    def newest(self, offset: int, size: int) -> Iterator[Thread]:
        """Threads by their latest message, newest first, from ``offset``."""
        for n, thread in enumerate(reversed(self.threads.values())):
            if n >= offset + size:
                return
            if n >= offset:
                yield thread

    def records(self, thread: Thread, offset: int, size: int) -> list[Record]:
        """The thread's messages, newest first (deleted ones left out)."""
        items = self._items or []
        out: list[Record] = []
        skipped = 0
        for raw in reversed(thread.positions):
            record = items[raw] if raw < len(items) else None
            if record is None:
                continue
            if skipped < offset:
                skipped += 1
                continue
            out.append(record)
            if len(out) >= size:
                break
        return out

    def latest(self, thread: Thread) -> Record | None:
        found = self.records(thread, 0, 1)
        return found[0] if found else None

    def __len__(self) -> int:
        return len(self.threads)
