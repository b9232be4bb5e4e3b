"""Durable state for ``twilio-mock serve --state FILE``: every acknowledged change survives
``kill -9`` and power loss.

``FILE`` is a snapshot in the usual JSON format (``Backend.from_file`` reads it); ``FILE.log``
(:mod:`twilio_mock.core.changelog`) holds the changes made since, one framed record per
request, event or control-plane action. A record is a *delta*, not a replay of the request
(SIDs may be random, the clock real): the records put or deleted per collection (with the
collection's counters), the collections dropped, the SID counter, the clock, the scheduler's
events added and taken, and the state parts whose state changed. Reset and restore write the
whole snapshot instead (``{"full": ...}``).

Deltas are taken under the backend's lock, in the order the changes happened
(:meth:`Durability.capture`); ``Core.handle`` answers only after :meth:`Durability.wait` saw
the delta on disk (group commit: the requests in flight share one fsync). A request that
changed nothing waits for the writes queued before it, so nothing a client has read is lost.

Replaying is idempotent: every field of a delta is the value after the change, so a log
replayed over a snapshot that already holds it gives the same state. That makes compaction
simple: write the snapshot (temporary file, fsync, rename, fsync the directory), then empty the
log; a crash between the two replays the old log over the new snapshot, harmlessly. Start-up
and a clean stop compact; so does a log grown past ``compact_bytes``.

Without durable state nothing here runs: the store, its collections and the scheduler check a
``watch`` attribute that is ``None``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twilio_mock.core.changelog import ChangeLog, fsync_dir, read_frames
from twilio_mock.core.snapshot import parse_snapshot

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.store import Collection, CollectionKey

__all__ = ["COMPACT_BYTES", "Durability", "Recovery", "log_path", "write_atomic"]

COMPACT_BYTES = 64 * 1024 * 1024  # a log this long is folded into the snapshot file


def log_path(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def write_atomic(path: Path, data: bytes, prefix: str | None = None, suffix: str = ".json") -> None:
    """``path`` holds ``data`` or what it held before, whatever happens: a temporary file
    beside it (``prefix`` + random + ``suffix``; by default ``.twilio-mock-<name>.*.json``,
    which ``serve`` cleans up), fsync, rename, fsync of the directory."""
    prefix = f".twilio-mock-{path.name}." if prefix is None else prefix
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


_ENCODER = json.JSONEncoder(separators=(",", ":"))


def _encode(value: Any) -> bytes:
    return _ENCODER.encode(value).encode()


class Recovery:
    """What start-up found: records replayed, bytes of a torn or corrupt tail dropped."""

    def __init__(self, replayed: int = 0, dropped: int = 0) -> None:
        self.replayed, self.dropped = replayed, dropped


class _Watch:
    """One collection's changes since the last capture (``Collection.watch``)."""

    __slots__ = ("key", "ids", "clear", "dirty")

    def __init__(self, key: CollectionKey, dirty: dict[CollectionKey, _Watch]) -> None:
        self.key, self.dirty = key, dirty
        self.ids: dict[str, None] = {}  # a dict: first-change order, which is creation order
        self.clear = False

    def mark(self, ident: str | None) -> None:
        self.dirty[self.key] = self
        if ident is not None:
            self.ids[ident] = None

    def cleared(self) -> None:
        self.dirty[self.key] = self
        self.ids.clear()
        self.clear = True


class _Collections(dict[Any, Any]):
    """The store's collections, noting the ones dropped whole (a conversation removed)."""

    def __init__(self, items: dict[Any, Any]) -> None:
        super().__init__(items)
        self.dropped: set[Any] = set()

    def __delitem__(self, key: Any) -> None:
        super().__delitem__(key)
        self.dropped.add(key)


class Durability:
    """Durable state of ``core`` in ``path`` (and ``path.log``); :meth:`open` is the way in."""

    def __init__(self, core: Core, path: Path, compact_bytes: int = COMPACT_BYTES) -> None:
        self.core, self.path, self.compact_bytes = core, path, compact_bytes
        self.log = ChangeLog(log_path(path))
        self._dirty: dict[CollectionKey, _Watch] = {}
        self._events: list[tuple[str, Any]] = []
        self._seen: dict[str, Any] = {}
        self._full = False
        self._compacting = False

    @classmethod
    def open(
        cls, core: Core, path: str | Path, compact_bytes: int = COMPACT_BYTES
    ) -> tuple[Durability, Recovery]:
        """Load ``path`` and replay its log into ``core``, compact, and track every change
        from now on. ``ValueError`` when the snapshot (or a replayed state) is not valid."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > 0:
            core.restore(parse_snapshot(path.read_bytes()))
        payloads, good, size = read_frames(log_path(path))
        if payloads:
            state = core.snapshot()
            for payload in payloads:
                state = replay(state, json.loads(payload))
            core.restore(state)
        made = cls(core, path, compact_bytes)
        with core._lock:
            made._attach()
            core.durability = made
            made._compact()  # also drops a torn tail
        return made, Recovery(len(payloads), size - good)

    # Capturing, under the core's lock -----------------------------------------------------
    def capture(self, full: bool = False) -> int | None:
        """Queue what changed since the last capture; the ticket to wait for, or ``None``
        when nothing is pending at all."""
        if full or self._full:
            self._full = False
            self._drop_marks()
            snapshot = self.core.snapshot()
            self._attach()
            return self.log.append(_encode({"full": snapshot}))
        delta = self._delta()
        if delta:
            return self.log.append(_encode(delta))
        return self.log.pending()

    def _delta(self) -> dict[str, Any]:
        core = self.core
        delta: dict[str, Any] = {}
        collections: dict[Any, Any] = core.store.collections
        dropped = getattr(collections, "dropped", None)
        if dropped:
            delta["drop"] = [list(k) for k in dropped]
            dropped.clear()
        if self._dirty:
            changed = []
            for key, watch in self._dirty.items():
                coll = collections.get(key)
                if coll is not None and coll.watch is watch:
                    changed.append(_changes(key, coll, watch))
                watch.ids, watch.clear = {}, False
            self._dirty.clear()
            if changed:
                delta["c"] = changed
        if self._events:
            delta["q"] = {"order": core.scheduler._order, "ops": [list(op) for op in self._events]}
            self._events.clear()
        seen = self._seen
        if core.minter.counter != seen.get("sids"):
            seen["sids"] = core.minter.counter
            delta["sids"] = core.minter.state()
        clock = core.clock
        moment = (clock._base, clock._offset)
        if moment != seen.get("clock"):
            seen["clock"] = moment
            delta["clock"] = clock.state()
        parts = {}
        for name, part in core.parts.items():
            state = part.state()
            # ``seen`` holds a copy decoded from JSON (never aliased to the part's own objects):
            # equal means unchanged, which most requests leave most parts; otherwise compare as
            # text (a part may hold tuples where the copy has lists).
            if state == seen.get("part:" + name):
                continue
            encoded = _encode(state)
            if encoded != seen.get("text:" + name):
                parts[name] = state
                seen["text:" + name] = encoded
            seen["part:" + name] = json.loads(encoded)
        if parts:
            delta["parts"] = parts
        return delta

    def _attach(self) -> None:
        """Watch every collection, the store and the scheduler; note what is logged so far."""
        core = self.core
        store = core.store
        if not isinstance(store.collections, _Collections):
            store.collections = _Collections(store.collections)
        store.watch = self._opened
        for key, coll in store.collections.items():
            self._opened(key, coll)
        core.scheduler.watch = self._events
        clock = core.clock
        self._seen = {"sids": core.minter.counter, "clock": (clock._base, clock._offset)}
        for name, part in core.parts.items():
            encoded = _encode(part.state())
            self._seen["text:" + name], self._seen["part:" + name] = encoded, json.loads(encoded)

    def _opened(self, key: CollectionKey, coll: Collection) -> None:
        coll.watch = _Watch(key, self._dirty)

    def _drop_marks(self) -> None:
        self._dirty.clear()
        self._events.clear()
        dropped = getattr(self.core.store.collections, "dropped", None)
        if dropped:
            dropped.clear()

    # Waiting, outside the lock --------------------------------------------------------------
    def wait(self, ticket: int) -> None:
        """Return once ``ticket`` is durable (``OSError`` when the disk refused)."""
        self.log.wait(ticket)
        if self.log.size > self.compact_bytes and not self._compacting:
            self.compact()

    def compact(self) -> None:
        """Fold the log into the snapshot file (blocks requests while the snapshot is written)."""
        with self.core._lock:
            if not self._compacting:
                self._compact()

    def _compact(self) -> None:
        self._compacting = True
        try:
            self.log.flush()
            write_atomic(self.path, _encode(self.core.snapshot()))
            self.log.truncate()
        finally:
            self._compacting = False

    def close(self) -> None:
        """A clean stop: compact, and remove the (empty) log."""
        with self.core._lock:
            self._compact()
            self.core.durability = None
            self.core.store.watch = None
            self.core.scheduler.watch = None
            for coll in self.core.store.collections.values():
                coll.watch = None
            self.log.close()
            self.log.path.unlink(missing_ok=True)
            fsync_dir(self.path.parent)


def _changes(key: CollectionKey, coll: Collection, watch: _Watch) -> dict[str, Any]:
    puts, gone = [], []
    for ident in watch.ids:
        record = coll.get(ident)
        if record is None:
            gone.append(ident)
        else:
            puts.append(record)
    entry: dict[str, Any] = {"key": list(key), "parent": coll.parent, "id_field": coll.id_field}
    if coll.counters:
        entry["counters"] = coll.counters
    if watch.clear:
        entry["clear"] = True
    if puts:
        entry["put"] = puts
    if gone:
        entry["delete"] = gone
    return entry


# Replaying, at start-up -------------------------------------------------------------------
def replay(state: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """``state`` (a snapshot) with one logged record applied."""
    if "full" in delta:
        return dict(delta["full"])
    out = dict(state)
    if "drop" in delta or "c" in delta:
        out["collections"] = _collections(out.get("collections") or [], delta)
    if "q" in delta:
        out["schedule"] = _schedule(out.get("schedule") or {}, delta["q"])
    for name in ("sids", "clock"):
        if name in delta:
            out[name] = delta[name]
    out.update(delta.get("parts") or {})
    return out


def _collections(collections: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    by_key: dict[tuple[str, ...], dict[str, Any]] = {}
    for item in collections:
        key = (str(item["account"]), str(item["domain"]), str(item["version"]), str(item["path"]))
        by_key[key] = item
    for key in delta.get("drop") or []:
        by_key.pop(tuple(key), None)
    for entry in delta.get("c") or []:
        key = tuple(entry["key"])
        id_field = str(entry.get("id_field", "sid") or "")
        found = by_key.get(key)
        records: dict[str, Any] = {}
        if found is not None and not entry.get("clear"):
            field = str(found.get("id_field", id_field) or "")
            records = {str(r.get(field, "")) if field else "": r for r in found.get("records") or []}
        for ident in entry.get("delete") or []:
            records.pop(ident, None)
        for record in entry.get("put") or []:
            records[str(record.get(id_field, "")) if id_field else ""] = record
        account, domain, version, path = key
        by_key[key] = {
            "account": account,
            "domain": domain,
            "version": version,
            "path": path,
            "id_field": id_field,
            "parent": entry.get("parent") or {},
            **({"counters": entry["counters"]} if entry.get("counters") else {}),
            "records": list(records.values()),
        }
    return list(by_key.values())


def _schedule(schedule: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    events = {int(e[1]): e for e in schedule.get("events") or []}
    for op, value in change.get("ops") or []:
        if op == "+":
            events[int(value[1])] = value
        else:
            events.pop(int(value), None)
    ordered = sorted(events.values(), key=lambda e: (float(e[0]), int(e[1])))
    return {"order": int(change.get("order", schedule.get("order", 0))), "events": ordered}
