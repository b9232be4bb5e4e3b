"""The request journal: every request the backend handled and what it answered.

Bounded by entries and by bytes (an estimate of the memory each entry holds), oldest first
out. An entry keeps at most :data:`BODY_LIMIT` bytes of the response body (``body_size`` is
the whole size) and :data:`PARAMS_LIMIT` bytes of request parameters; a request that failed
authentication (401) keeps only its method, path, status and time, since anyone can send
those and they carry nothing a test needs.
"""

from __future__ import annotations

import builtins
import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BODY_LIMIT", "DEFAULT_MAX_BYTES", "PARAMS_LIMIT", "Entry", "Journal"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024  # the whole journal: ~1,000 entries at their largest
BODY_LIMIT = 64 * 1024  # response bytes kept per entry: a default page (50 records) fits
PARAMS_LIMIT = 64 * 1024  # request parameter bytes (names and values) kept per entry
SUMMARY_URL_LIMIT = 2048  # characters of URL and path kept for an unauthenticated request
# What Python objects cost around their text (measured with tracemalloc on CPython 3.11).
_ENTRY_COST = 600  # the Entry, its lists and numbers
_PAIR_COST = 130  # a (name, value) tuple and its two strings
_NODE_COST = 60  # one value of a parsed JSON body


@dataclass(frozen=True)
class Entry:
    """One handled request. ``form`` keeps every pair sent, unknown parameters included, up to
    :data:`PARAMS_LIMIT` (then ``request_truncated``). ``body`` is the response body, cut at
    :data:`BODY_LIMIT` (``body_size`` is its real size). ``redacted``: authentication failed,
    only method, URL without query, path, status and time are kept."""

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
    body_size: int = 0
    request_truncated: bool = False
    redacted: bool = False
    # The scripted fault or limit that fired on this request (twilio_mock.core.faults), if any.
    fault: dict[str, Any] | None = field(default=None, compare=False)
    size: int = field(default=0, compare=False)  # bytes this entry counts for in the journal

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

    @property
    def body_truncated(self) -> bool:
        return len(self.body) < self.body_size

    def response(self) -> Any:
        """The response body, parsed as JSON (``None`` when empty); ``ValueError`` when the
        journal kept only the start of it."""
        if self.body_truncated:
            raise ValueError(
                f"the response body was truncated in the journal ({self.body_size:,} bytes, "
                f"{len(self.body):,} kept); read it from the response itself"
            )
        return json.loads(self.body) if self.body else None

    def __str__(self) -> str:
        fired = f" (fault {self.fault['id']}: {self.fault['action']})" if self.fault else ""
        return f"#{self.seq} {self.method} {self.url} -> {self.status}{fired}"


class Journal:
    """A bounded, thread-safe list of :class:`Entry`. ``maxlen`` bounds the entries and
    ``max_bytes`` their estimated memory (``None``: no bound); the newest entry is always kept."""

    def __init__(self, maxlen: int | None = 10_000, max_bytes: int | None = DEFAULT_MAX_BYTES) -> None:
        self.maxlen = maxlen
        self.max_bytes = max_bytes
        self._entries: deque[Entry] = deque()
        self._lock = threading.Lock()
        self._seq = 0
        self._bytes = 0

    @property
    def bytes(self) -> int:
        """The estimated bytes the entries hold (what ``max_bytes`` bounds)."""
        return self._bytes

    def record(
        self,
        *,
        time: float,
        method: str,
        url: str,
        path: str,
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
        status: int,
        body: builtins.bytes,  # ``bytes`` here is the property below
        account_sid: str | None = None,
        error: str | None = None,
        json_body: Any = None,
        fault: dict[str, Any] | None = None,
    ) -> Entry:
        body_size = len(body)
        truncated = redacted = False
        if status == 401:  # nothing of an unauthenticated request is worth its memory
            url = url.split("?", 1)[0][:SUMMARY_URL_LIMIT]
            path, query, form, body, json_body, redacted = path[:SUMMARY_URL_LIMIT], [], [], b"", None, True
        else:
            body = body[:BODY_LIMIT]
            query, form, truncated = _bounded_pairs(query, form)
            if json_body is not None and (truncated or _json_cost(json_body, PARAMS_LIMIT) > PARAMS_LIMIT):
                json_body, truncated = None, True
        size = _ENTRY_COST + len(url) + len(path) + len(body) + len(error or "")
        size += sum(_PAIR_COST + len(k) + len(v) for k, v in (*query, *form))
        size += _json_cost(json_body, PARAMS_LIMIT) if json_body is not None else 0
        with self._lock:
            self._seq += 1
            entry = Entry(
                seq=self._seq,
                time=time,
                method=method,
                url=url,
                path=path,
                query=query,
                form=form,
                status=status,
                body=body,
                account_sid=account_sid,
                error=error,
                json_body=json_body,
                body_size=body_size,
                request_truncated=truncated,
                redacted=redacted,
                fault=fault,
                size=size,
            )
            self._entries.append(entry)
            self._bytes += size
            while len(self._entries) > 1 and (
                (self.maxlen is not None and len(self._entries) > self.maxlen)
                or (self.max_bytes is not None and self._bytes > self.max_bytes)
            ):
                self._bytes -= self._entries.popleft().size
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
            self._bytes = 0

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


def _bounded_pairs(
    query: list[tuple[str, str]], form: list[tuple[str, str]]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], bool]:
    """``query`` and ``form`` within :data:`PARAMS_LIMIT` together: pairs in order, the one
    that crosses the limit cut short, the rest dropped. The lists are kept as they are when
    they fit (the common case: no copy)."""
    total = sum(len(k) + len(v) for k, v in (*query, *form))
    if total <= PARAMS_LIMIT:
        return query, form, False
    budget = PARAMS_LIMIT
    kept: list[list[tuple[str, str]]] = [[], []]
    for index, pairs in enumerate((query, form)):
        for key, value in pairs:
            if budget <= len(key):
                return kept[0], kept[1], True
            budget -= len(key)
            kept[index].append((key, value[:budget]))
            budget -= min(len(value), budget)
    return kept[0], kept[1], True


def _json_cost(value: Any, limit: int) -> int:
    """Roughly what a parsed JSON body holds, counted only up to just past ``limit``."""
    cost, stack = 0, [value]
    while stack and cost <= limit:
        item = stack.pop()
        cost += _NODE_COST
        if isinstance(item, str):
            cost += len(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
            cost += sum(len(k) for k in item)
        elif isinstance(item, list):
            stack.extend(item)
    return cost
