"""Scripted faults: which requests misbehave and how (``backend.faults``).

A :class:`Fault` matches requests by ``method``, ``path`` (an ``fnmatch`` glob on the Twilio
path, ``/2010-04-01/Accounts/*/Messages.json``) and ``host`` (a glob; ``None`` matches every
Twilio API host and never a webhook, so a webhook is faulted only by a fault naming its host,
``"app.test"``). Faults are tried in the order added: each one whose filters match counts the
request (``seen``); it fires when the first ``after`` matching requests have gone through, it
has firings left (``times``) and its seeded roll passes (``probability``); the first that fires
wins and the rest are not tried.

What a firing does:

- ``status``: Twilio's JSON error (reference/twilio-facts.md §1.1) with ``code`` and
  ``message`` (defaults in :data:`DEFAULT_ERRORS`), ``Retry-After`` when ``retry_after`` is set;
- ``connection_reset``: no answer, the connection drops; ``timeout``: no answer at all;
- ``latency``: seconds before the answer (alone: a normal answer, late). In process the
  virtual clock moves forward (a running clock's offset too: in process latency never sleeps);
  on the server it is a real wait, done by the server front outside the core's lock;
- ``processed=True``: the request is carried out first (state changes) and only then the answer
  is replaced or dropped: the client cannot tell whether its POST succeeded.

Each firing is journaled (``Entry.fault``) and counted (``Fault.fired``). Faults are not state:
snapshots leave them out (like the journal) and ``reset()`` clears them, as WireMock's reset
clears its stubs. :class:`Limits` holds the REST concurrency limit (reference §13).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import translate
from typing import Any

__all__ = [
    "DEFAULT_ERRORS",
    "FIELDS",
    "MAX_LATENCY",
    "Fault",
    "Faults",
    "Limits",
    "check_fault",
    "parse_header",
]

# status -> (code, message) when a fault gives only a status.
DEFAULT_ERRORS: dict[int, tuple[int, str]] = {
    429: (20429, "Too Many Requests"),  # code from docs 20429 (§1.4); the message text: unconfirmed
    500: (20500, "An internal server error has occurred"),  # the mock's own 500 (errors.internal)
    503: (20503, "Service Unavailable"),  # unconfirmed: code and text follow 20000 + status
}
# Any other status: code 20000 + status (as the server's own HTTP-level errors), unconfirmed.
MAX_LATENCY = 3600.0  # seconds a fault may delay an answer
FIELDS = (
    "method",
    "path",
    "host",
    "status",
    "code",
    "message",
    "times",
    "after",
    "probability",
    "latency",
    "connection_reset",
    "timeout",
    "processed",
    "retry_after",
)
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
HEADER = "Twilio-Mock-Fault"


@dataclass
class Fault:
    """One scripted fault (see the module docstring); ``seen`` and ``fired`` count the requests
    it matched and the times it fired."""

    id: str
    method: str | None = None
    path: str | None = None
    host: str | None = None
    status: int | None = None
    code: int | None = None
    message: str | None = None
    times: int | None = None
    after: int = 0
    probability: float = 1.0
    latency: float = 0.0
    connection_reset: bool = False
    timeout: bool = False
    processed: bool = False
    retry_after: float | None = None
    seen: int = 0
    fired: int = 0
    _path_re: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _host_re: re.Pattern[str] | None = field(default=None, repr=False, compare=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._path_re = re.compile(translate(self.path)) if self.path is not None else None
        self._host_re = re.compile(translate(self.host), re.IGNORECASE) if self.host is not None else None

    @property
    def action(self) -> str:
        """``"status"``, ``"reset"``, ``"timeout"`` or ``"latency"``."""
        if self.status is not None:
            return "status"
        if self.connection_reset:
            return "reset"
        return "timeout" if self.timeout else "latency"

    def matches(self, method: str, host: str, path: str, webhook: bool) -> bool:
        if self.method is not None and method != self.method:
            return False
        if self._host_re is None:
            if webhook:
                return False
        elif not self._host_re.match(host):
            return False
        return self._path_re is None or bool(self._path_re.match(path))

    def error(self) -> tuple[int, int, str, dict[str, str]]:
        """(status, code, message, headers) of a status fault."""
        status = int(self.status or 500)
        code, message = DEFAULT_ERRORS.get(status, (20000 + status, ""))
        headers = {} if self.retry_after is None else {"Retry-After": _seconds(self.retry_after)}
        return status, self.code or code, self.message or message or f"HTTP {status}", headers

    def firing(self) -> dict[str, Any]:
        """What the journal keeps of one firing."""
        out: dict[str, Any] = {"id": self.id, "action": self.action}
        if self.status is not None:
            status, code, _message, _headers = self.error()
            out.update(status=status, code=code)
        if self.latency:
            out["latency"] = self.latency
        if self.processed:
            out["processed"] = True
        return out

    def as_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in ("id", *FIELDS)}
        out.update(seen=self.seen, fired=self.fired)
        return out


def check_fault(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a fault, checked: unknown names, wrong types and ranges, combinations that
    mean nothing; ``ValueError`` listing every problem."""
    if not isinstance(spec, Mapping):
        raise ValueError(f"a fault is a JSON object of {', '.join(FIELDS)}, not {type(spec).__name__}")
    problems = [f"unknown field {name!r}" for name in spec if name not in FIELDS]
    out: dict[str, Any] = {}

    def text(name: str) -> None:
        value = spec.get(name)
        if value is None:
            return
        if not isinstance(value, str) or not value or len(value) > 2000:
            problems.append(f"{name!r} must be a non-empty string")
            return
        out[name] = value

    def integer(name: str, low: int, high: int | None = None) -> None:
        value = spec.get(name)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            span = f"{low}..{high}" if high else f">= {low}"
            problems.append(f"{name!r} must be an integer {span}")
            return
        out[name] = value

    def number(name: str, low: float, high: float) -> None:
        value = spec.get(name)
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(f"{name!r} must be a number")
        elif not low <= value <= high:
            problems.append(f"{name!r} must be between {low:g} and {high:g}")
        else:
            out[name] = float(value)

    def flag(name: str) -> None:
        value = spec.get(name, False)
        if not isinstance(value, bool):
            problems.append(f"{name!r} must be true or false")
        elif value:
            out[name] = True

    for name in ("path", "host", "message"):
        text(name)
    method = spec.get("method")
    if method is not None:
        if not isinstance(method, str) or method.upper() not in METHODS:
            problems.append(f"'method' must be one of {', '.join(sorted(METHODS))}")
        else:
            out["method"] = method.upper()
    if "host" in out:
        out["host"] = out["host"].lower()
    integer("status", 400, 599)
    integer("code", 1, 999_999)
    integer("times", 1)
    integer("after", 0)
    number("probability", 0.0, 1.0)
    number("latency", 0.0, MAX_LATENCY)
    number("retry_after", 0.0, 86_400.0)
    for name in ("connection_reset", "timeout", "processed"):
        flag(name)
    kinds = [k for k in ("status", "connection_reset", "timeout") if k in out]
    if len(kinds) > 1:
        problems.append(f"give at most one of 'status', 'connection_reset' and 'timeout', not {kinds}")
    if not kinds and not out.get("latency") and not problems:
        problems.append("a fault needs 'status', 'connection_reset', 'timeout' or a 'latency' > 0")
    if "status" not in out:
        problems.extend(
            f"{name!r} needs 'status'" for name in ("code", "message", "retry_after") if name in out
        )
    if out.get("processed") and not kinds:
        problems.append("'processed' needs 'status', 'connection_reset' or 'timeout'")
    if problems:
        raise ValueError("; ".join(problems))
    return out


class Faults:
    """The fault schedule of one backend, in order; thread-safe. ``seed`` makes every fault's
    ``probability`` rolls reproducible (each fault rolls its own sequence)."""

    def __init__(self, seed: int | str | None = None) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._items: list[Fault] = []
        self._ids = itertools.count(1)
        self.active = False  # any fault at all: the core's hot path reads only this

    def add(
        self,
        method: str | None = None,
        path: str | None = None,
        host: str | None = None,
        status: int | None = None,
        code: int | None = None,
        message: str | None = None,
        times: int | None = None,
        after: int = 0,
        probability: float = 1.0,
        latency: float = 0.0,
        connection_reset: bool = False,
        timeout: bool = False,
        processed: bool = False,
        retry_after: float | None = None,
    ) -> Fault:
        """Add a fault at the end of the schedule; ``ValueError`` when its fields are wrong."""
        values = dict(locals())
        values.pop("self")
        return self.add_fault(values)

    def add_fault(self, spec: Mapping[str, Any]) -> Fault:
        """A fault given as a mapping of the :meth:`add` fields (JSON, the marker)."""
        checked = check_fault(spec)
        with self._lock:
            fault = Fault(f"FT{next(self._ids)}", **checked)
            if self.seed is not None:
                fault._rng = random.Random(f"{self.seed}:{fault.id}")
            self._items.append(fault)
            self.active = True
        return fault

    def remove(self, fault_id: str) -> Fault:
        """Take one fault out; ``KeyError`` when there is none with that id."""
        with self._lock:
            for index, fault in enumerate(self._items):
                if fault.id == fault_id:
                    del self._items[index]
                    self.active = bool(self._items)
                    return fault
        raise KeyError(fault_id)

    def clear(self) -> None:
        """Forget every fault; ids start again at ``FT1`` (so seeded rolls repeat too)."""
        with self._lock:
            self._items = []
            self._ids = itertools.count(1)
            self.active = False

    def get(self, fault_id: str) -> Fault | None:
        return next((f for f in self if f.id == fault_id), None)

    def __iter__(self) -> Iterator[Fault]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def as_dicts(self) -> list[dict[str, Any]]:
        """Every fault with its fields, ``seen`` and ``fired`` (JSON-ready)."""
        with self._lock:
            return [f.as_dict() for f in self._items]

    def match(self, method: str, host: str, path: str, webhook: bool = False) -> Fault | None:
        """The fault that fires for this request, counted, or ``None``."""
        with self._lock:
            for fault in self._items:
                if not fault.matches(method, host, path, webhook):
                    continue
                fault.seen += 1
                if fault.seen <= fault.after or (fault.times is not None and fault.fired >= fault.times):
                    continue
                if fault.probability < 1.0 and fault._rng.random() >= fault.probability:
                    continue
                fault.fired += 1
                return fault
        return None


def parse_header(value: str) -> Fault:
    """A one-shot fault from a ``Twilio-Mock-Fault`` header: ``;``-separated items, each
    ``status=429``, ``code=20503``, ``message=...``, ``latency=2.5``, ``retry_after=1``, or the
    bare words ``reset``, ``timeout``, ``processed``. ``ValueError`` when it is not one."""
    spec: dict[str, Any] = {}
    problems = []
    words = {"reset": "connection_reset", "connection_reset": "connection_reset"}
    words.update(timeout="timeout", processed="processed")
    for item in (part.strip() for part in value.split(";")):
        if not item:
            continue
        name, sep, raw = (s.strip() for s in item.partition("="))
        name = name.lower().replace("-", "_")
        if not sep:
            if name in words:
                spec[words[name]] = True
            else:
                problems.append(f"unknown item {item[:40]!r}")
        elif name in ("status", "code"):
            spec[name] = int(raw) if raw.isdigit() else raw
        elif name in ("latency", "retry_after"):
            try:
                spec[name] = float(raw)
            except ValueError:
                spec[name] = raw
        elif name == "message":
            spec[name] = raw
        else:
            problems.append(f"unknown item {item[:40]!r}")
    if problems:
        raise ValueError("; ".join(problems))
    return Fault("header", **check_fault(spec))


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass
class _Limit:
    max: int
    account_sid: str | None
    retry_after: float | None
    refused: int = 0  # requests answered 429 under this limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "concurrency",
            "max": self.max,
            "account_sid": self.account_sid,
            "retry_after": self.retry_after,
            "refused": self.refused,
        }


class Limits:
    """The REST concurrency limit (reference §13), per account, off by default.

    A request of a limited account is in flight from the moment it is authenticated until it
    leaves ``Core.handle``, plus the real latency the server front still waits after that.
    Above ``max`` in flight, the request is answered 429 / 20429 and never processed; every REST
    answer to a limited account carries ``Twilio-Concurrent-Requests`` (the requests in flight,
    this one included).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: dict[str | None, _Limit] = {}
        self._inside: dict[str, int] = {}
        self._waiting: dict[str, list[float]] = {}  # monotonic ends of real waits after handle
        self.active = False

    def concurrency(
        self, max: int | None, account_sid: str | None = None, retry_after: float | None = None
    ) -> None:
        """At most ``max`` REST requests in flight for ``account_sid`` (``None``: for each
        account, counted separately); ``max=None`` lifts that limit. ``retry_after`` adds a
        ``Retry-After`` header to the 429s."""
        problems = []
        if max is not None and (isinstance(max, bool) or not isinstance(max, int) or max < 1):
            problems.append("'concurrency' must be an integer >= 1 (or null to lift it)")
        if account_sid is not None and not (isinstance(account_sid, str) and account_sid.startswith("AC")):
            problems.append("'account_sid' must be an account SID (AC...)")
        if retry_after is not None and (
            isinstance(retry_after, bool)
            or not isinstance(retry_after, int | float)
            or not 0 <= retry_after <= 86_400
        ):
            problems.append("'retry_after' must be a number of seconds between 0 and 86400")
        if problems:
            raise ValueError("; ".join(problems))
        with self._lock:
            if max is None:
                self._rules.pop(account_sid, None)
            else:
                after = None if retry_after is None else float(retry_after)
                self._rules[account_sid] = _Limit(max, account_sid, after)
            self.active = bool(self._rules)

    def clear(self) -> None:
        with self._lock:
            self._rules = {}
            self.active = False

    def as_dicts(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.as_dict() for rule in self._rules.values()]

    def in_flight(self, account_sid: str) -> int:
        with self._lock:
            return self._count(account_sid, time.monotonic())

    def _count(self, account: str, now: float) -> int:
        waits = self._waiting.get(account)
        while waits and waits[0] <= now:
            heapq.heappop(waits)
        return self._inside.get(account, 0) + (len(waits) if waits else 0)

    def enter(self, account: str) -> tuple[bool, int, _Limit | None]:
        """A request of ``account`` starts: (admitted, in flight with it, the limit or None)."""
        with self._lock:
            rule = self._rules.get(account) or self._rules.get(None)
            if rule is None:
                return True, 0, None
            count = self._count(account, time.monotonic()) + 1
            if count > rule.max:
                rule.refused += 1
                return False, count, rule
            self._inside[account] = self._inside.get(account, 0) + 1
            return True, count, rule

    def leave(self, account: str, wait: float = 0.0) -> None:
        """An admitted request leaves ``Core.handle``; ``wait``: real seconds it is still in
        flight (the server front's latency)."""
        with self._lock:
            left = self._inside.get(account, 0) - 1
            if left > 0:
                self._inside[account] = left
            else:
                self._inside.pop(account, None)
            if wait > 0:
                heapq.heappush(self._waiting.setdefault(account, []), time.monotonic() + wait)

    def retry_header(self, rule: _Limit) -> dict[str, str]:
        return {} if rule.retry_after is None else {"Retry-After": _seconds(rule.retry_after)}
