"""The request journal: every request the backend handled and what it answered."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One handled request. ``form`` keeps every pair sent, unknown parameters included."""

    seq: int
    time: float
    method: str
    url: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    status: int
    body: bytes
    account_sid: str | None = None
    error: str | None = None
    json_body: Any = field(default=None, compare=False)

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters, first value of each name."""
        out: dict[str, str] = {}
        for key, value in (*self.query, *self.form):
            out.setdefault(key, value)
        return out

    def values(self, name: str) -> list[str]:
        """Every value sent for ``name`` (repeated keys such as ``MediaUrl``)."""
        return [v for k, v in (*self.query, *self.form) if k == name]

    def response(self) -> Any:
        """The response body, parsed as JSON (``None`` when empty)."""
        return json.loads(self.body) if self.body else None

    def __str__(self) -> str:
        return f"#{self.seq} {self.method} {self.url} -> {self.status}"


class Journal:
    """A bounded, thread-safe list of :class:`Entry`; ``maxlen=None`` keeps everything."""

    def __init__(self, maxlen: int | None = 10_000) -> None:
        self._entries: deque[Entry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()
        self._seq = 0

    def record(self, **values: Any) -> Entry:
        with self._lock:
            self._seq += 1
            entry = Entry(seq=self._seq, **values)
            self._entries.append(entry)
        return entry

    def find(
        self,
        method: str | None = None,
        path_contains: str | None = None,
        params: dict[str, str] | None = None,
        status: int | None = None,
        host_contains: str | None = None,
    ) -> list[Entry]:
        """Entries matching every given criterion, oldest first."""
        wanted = method.upper() if method else None
        out = []
        for entry in self:
            if wanted and entry.method != wanted:
                continue
            if path_contains and path_contains not in entry.path:
                continue
            if host_contains and host_contains not in entry.url:
                continue
            if status is not None and entry.status != status:
                continue
            if params and any(str(v) not in entry.values(k) for k, v in params.items()):
                continue
            out.append(entry)
        return out

    def last(self) -> Entry | None:
        with self._lock:
            return self._entries[-1] if self._entries else None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[Entry]:
        with self._lock:
            entries = list(self._entries)
        return iter(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def describe(self, limit: int = 20) -> str:
        """The last ``limit`` entries, one line each (for failure messages)."""
        lines = [str(e) for e in list(self)[-limit:]]
        return "\n".join(lines) if lines else "(no requests)"
