"""Checking a snapshot before it is restored: every field of the format ``Backend.snapshot()``
writes, its type and its range, so that no restored state can break the requests that follow.

One place for ``Backend.restore``/``load``, the control plane's ``restore`` and ``--state``
files. Hand-written files may leave sections out (``clock``, ``sids``, ``auth``, a collection's
``id_field``/``parent``/``records``); what is there must be right.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from twilio_mock.core.clock import MAX_EPOCH, MIN_EPOCH
from twilio_mock.core.sids import looks_like_sid

__all__ = ["MAX_DEPTH", "SNAPSHOT_FORMAT", "SnapshotError", "parse_snapshot", "validate_snapshot"]

SNAPSHOT_FORMAT = "twilio_mock/1"
MAX_DEPTH = 32  # objects and arrays inside one another, counted from the snapshot itself
MAX_COUNTER = 2**63  # the SID minter hashes its counter as 8 bytes
MAX_INT = 2**63  # record numbers: JSON clients read them as 64-bit at most
_KEYS = {"format", "clock", "sids", "auth", "collections", "schedule"}
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")  # a domain or version name


class SnapshotError(ValueError):
    """Why a snapshot cannot be restored; the message names the field."""


def parse_snapshot(data: bytes | str) -> Any:
    """JSON text to a value. Raises :class:`SnapshotError` for text that is not standard JSON
    (``NaN`` included) or nested too deep for the parser."""
    try:
        return json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise SnapshotError(f"not a snapshot: nested deeper than {MAX_DEPTH} levels") from None
    except SnapshotError:
        raise
    except (ValueError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"not JSON: {exc}") from None


def _no_constant(name: str) -> Any:
    raise SnapshotError(f"not standard JSON: {name}")


def validate_snapshot(snapshot: Any, extra: Iterable[str] = ()) -> dict[str, Any]:
    """A checked copy of ``snapshot``; raises :class:`SnapshotError` naming the first bad field.
    ``extra`` names the sections of parts plugged into the backend (objects of JSON values).

    Records are checked as they are read from the copy (one pass; ``records`` may then be any
    iterable, e.g. a generator from Python), so a restore must treat a ``SnapshotError`` raised
    while loading them as a refusal and put the previous state back (``Backend.restore`` does)."""
    if not isinstance(snapshot, dict):
        raise SnapshotError("a snapshot is a JSON object")
    keys = _KEYS | set(extra)
    unknown = sorted(str(k) for k in set(snapshot) - keys)
    if unknown:
        raise SnapshotError(f"unknown key {unknown[0]!r}; a snapshot has {', '.join(sorted(keys))}")
    if not {"collections", "auth"} & set(snapshot):
        raise SnapshotError("not a snapshot: it has neither 'collections' nor 'auth'")
    if snapshot.get("format", SNAPSHOT_FORMAT) != SNAPSHOT_FORMAT:
        raise SnapshotError(f"format: not {SNAPSHOT_FORMAT!r}")
    checked = dict(snapshot)
    for name, check in (("clock", _clock), ("sids", _sids), ("auth", _auth), ("schedule", _schedule)):
        if snapshot.get(name) is not None:
            _json_value(snapshot[name], name, 1)  # JSON types only, finite, bounded depth
            check(snapshot[name])
    for name in set(extra) - _KEYS:
        if snapshot.get(name) is not None:
            _json_value(_typed(snapshot[name], dict, name), name, 1)
    if snapshot.get("collections") is not None:
        collections = _typed(snapshot["collections"], list, "collections")
        checked["collections"] = [
            _collection(item, f"collections[{i}]") for i, item in enumerate(collections)
        ]
    return checked


def _json_value(value: Any, where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise SnapshotError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if not -MAX_INT < value < MAX_INT:
            raise SnapshotError(f"{where}: integer out of range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise SnapshotError(f"{where}: not a finite number")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _json_value(item, f"{where}[{i}]", depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SnapshotError(f"{where}: key {key!r} is not a string")
            _json_value(item, f"{where}.{key}", depth + 1)
    else:
        raise SnapshotError(f"{where}: {type(value).__name__} is not a JSON value")


def _typed(value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = {dict: "an object", list: "an array", str: "a string", int: "an integer", bool: "true/false"}
        raise SnapshotError(f"{where}: must be {names.get(kind, kind.__name__)}")
    return value


def _keys(value: dict[str, Any], allowed: set[str], where: str, required: Iterable[str] = ()) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise SnapshotError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")
    missing = sorted(set(required) - set(value))
    if missing:
        raise SnapshotError(f"{where}: {missing[0]!r} is missing")


def _epoch(value: Any, where: str, low: float = MIN_EPOCH) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SnapshotError(f"{where}: must be a number (epoch seconds)")
    if not low <= value <= MAX_EPOCH:
        raise SnapshotError(f"{where}: {value!r} is outside {low:g}..{MAX_EPOCH:g} (year 9999)")


def _clock(clock: Any) -> None:
    _typed(clock, dict, "clock")
    _keys(clock, {"frozen", "now", "offset"}, "clock")
    frozen = _typed(clock.get("frozen", True), bool, "clock.frozen")
    if frozen and "now" not in clock:
        raise SnapshotError("clock.now: a frozen clock needs 'now'")
    if "now" in clock:
        _epoch(clock["now"], "clock.now")
    if "offset" in clock:
        _epoch(clock["offset"], "clock.offset", 0.0)


def _schedule(schedule: Any) -> None:
    _typed(schedule, dict, "schedule")
    _keys(schedule, {"order", "events"}, "schedule")
    if not 0 <= _typed(schedule.get("order", 0), int, "schedule.order") < MAX_COUNTER:
        raise SnapshotError("schedule.order: outside 0..2**63-1")
    for i, event in enumerate(_typed(schedule.get("events") or [], list, "schedule.events")):
        where = f"schedule.events[{i}]"
        if not (isinstance(event, list) and len(event) == 4):
            raise SnapshotError(f"{where}: must be [at, order, kind, data]")
        _epoch(event[0], f"{where}[0]")
        if not 0 <= _typed(event[1], int, f"{where}[1]") < MAX_COUNTER:
            raise SnapshotError(f"{where}[1]: outside 0..2**63-1")
        _typed(event[2], str, f"{where}[2]")
        _typed(event[3], dict, f"{where}[3]")


def _sids(sids: Any) -> None:
    _typed(sids, dict, "sids")
    _keys(sids, {"seed", "counter"}, "sids", {"seed", "counter"})
    seed = sids["seed"]
    if isinstance(seed, bool) or not isinstance(seed, (str, int)):
        raise SnapshotError("sids.seed: must be a string or an integer")
    counter = _typed(sids["counter"], int, "sids.counter")
    if not 0 <= counter < MAX_COUNTER:
        raise SnapshotError(f"sids.counter: outside 0..2**63-1: {counter}")


def _account_sid(value: Any, where: str) -> None:
    if not isinstance(value, str) or not (value.startswith("AC") and looks_like_sid(value)):
        raise SnapshotError(f"{where}: not an account SID (AC and 32 hex digits): {str(value)[:40]!r}")


def _auth(auth: Any) -> None:
    _typed(auth, dict, "auth")
    # "bearers": opaque OAuth tokens of older snapshots, ignored on load.
    _keys(auth, {"main", "test", "keys", "oauth_apps", "pkcv_required", "bearers"}, "auth")
    if auth.get("main"):
        _account_sid(auth["main"], "auth.main")
    if auth.get("test") is not None:
        test = _typed(auth["test"], dict, "auth.test")
        _keys(test, {"sid", "auth_token"}, "auth.test")
        if test.get("sid"):
            _account_sid(test["sid"], "auth.test.sid")
        _typed(test.get("auth_token", ""), str, "auth.test.auth_token")
    for section in ("keys", "oauth_apps"):
        entries = _typed(auth.get(section) or {}, dict, f"auth.{section}")
        for sid, entry in entries.items():
            where = f"auth.{section}.{sid}"
            if not looks_like_sid(sid):
                raise SnapshotError(f"{where}: not a SID (two capitals and 32 hex digits)")
            _typed(entry, dict, where)
            _keys(entry, {"account_sid", "secret"}, where, {"account_sid", "secret"})
            _account_sid(entry["account_sid"], f"{where}.account_sid")
            _typed(entry["secret"], str, f"{where}.secret")
    for i, sid in enumerate(_typed(auth.get("pkcv_required") or [], list, "auth.pkcv_required")):
        _account_sid(sid, f"auth.pkcv_required[{i}]")


def _collection(item: Any, where: str) -> dict[str, Any]:
    _typed(item, dict, where)
    _keys(
        item,
        {"account", "domain", "version", "path", "id_field", "parent", "counters", "records"},
        where,
        {"account", "domain", "version", "path"},
    )
    _typed(item["account"], str, f"{where}.account")
    for name in ("domain", "version"):
        if not isinstance(item[name], str) or not _NAME.match(item[name]):
            raise SnapshotError(
                f"{where}.{name}: not a name (letters, digits, _ . -): {str(item[name])[:40]!r}"
            )
    path = _typed(item["path"], str, f"{where}.path")
    if not path.startswith("/"):
        raise SnapshotError(f"{where}.path: must start with '/': {path[:60]!r}")
    if "id_field" in item:
        _typed(item["id_field"], str, f"{where}.id_field")
    if "parent" in item:
        _json_value(_typed(item["parent"], dict, f"{where}.parent"), f"{where}.parent", 3)
    for name, value in _typed(item.get("counters") or {}, dict, f"{where}.counters").items():
        if not 0 <= _typed(value, int, f"{where}.counters.{name}") < MAX_COUNTER:
            raise SnapshotError(f"{where}.counters.{name}: outside 0..2**63-1: {value}")
    records = item.get("records", [])
    if isinstance(records, (dict, str, bytes)) or not hasattr(records, "__iter__"):
        raise SnapshotError(f"{where}.records: must be an array")
    return {**item, "records": _records(records, f"{where}.records")}


def _records(records: Iterable[Any], where: str) -> Iterator[dict[str, Any]]:
    """Each record, checked when it is read: an object of JSON values."""
    for i, record in enumerate(records):
        if type(record) is not dict:
            raise SnapshotError(f"{where}[{i}]: must be an object")
        for key, value in record.items():
            if type(key) is not str:
                raise SnapshotError(f"{where}[{i}]: key {key!r} is not a string")
            kind = type(value)
            if kind is str or value is None or kind is bool:  # most fields: the fast path
                continue
            if kind is int and -MAX_INT < value < MAX_INT:
                continue
            _json_value(value, f"{where}[{i}].{key}", 5)  # snapshot > collections > item > records > record
        yield record
