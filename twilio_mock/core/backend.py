"""The mock core: ``Core.handle(MockRequest) -> MockResponse`` over plain values.

One ``RLock`` guards all state (store, SID counter, clock, schedule, the parts plugged in);
JSON encoding and the journal happen outside it. Any failure inside becomes a Twilio-shaped
error body; a bug in the mock becomes a 500 (code 20500) as the last resort, never an
exception.

Order of checks: an unknown host is 404; then the identity's ``exempt`` routes (OAuth token
endpoints, which take their credentials from the form); then ``authenticate`` (401, before the
path is looked at, so a caller without credentials learns nothing); then 404/405 for the path;
then ``authorize`` (which account's records the request touches, 401/403). What identity and
behaviours plug in, and how, is :mod:`twilio_mock.core.contract`. The core knows no HTTP
library and no behaviour: ``twilio_mock.Backend`` assembles it with identity and behaviours.
"""

from __future__ import annotations

import contextlib
import json
import threading
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from twilio_mock.core import errors, operations
from twilio_mock.core.clock import DEFAULT_START, Clock
from twilio_mock.core.contract import (
    Alias,
    FetchProvider,
    Hook,
    Identity,
    ListProvider,
    Principal,
    StatePart,
    Visibility,
)
from twilio_mock.core.faults import DEFAULT_ERRORS, Fault, Faults, Limits, _Limit
from twilio_mock.core.journal import DEFAULT_MAX_BYTES, Journal
from twilio_mock.core.minter import Minter
from twilio_mock.core.router import Router
from twilio_mock.core.scheduler import After, Scheduler
from twilio_mock.core.snapshot import SNAPSHOT_FORMAT, SnapshotError, parse_snapshot, validate_snapshot
from twilio_mock.core.store import Store
from twilio_mock.core.validation import parse_json
from twilio_mock.core.wire import MockRequest, MockResponse

if TYPE_CHECKING:
    from twilio_mock.core.durability import Durability

_ROUTER = Router()  # tries are pure functions of the description: share them
_UNSET: Any = object()
JSON_HEADERS = {"Content-Type": "application/json"}


class Core:
    """The request pipeline and the state, with nothing plugged in.

    ``seed`` makes SIDs and the clock reproducible (``None``: random SIDs and the real time);
    ``start`` freezes the clock at an epoch second (default 2025-01-01 when seeded);
    ``journal_size`` / ``journal_bytes`` bound the journal (:mod:`twilio_mock.core.journal`).
    """

    def __init__(
        self,
        seed: int | str | None = 0,
        *,
        start: float | None = _UNSET,
        journal_size: int | None = 10_000,
        journal_bytes: int | None = DEFAULT_MAX_BYTES,
    ) -> None:
        self.seed = seed
        self._start = (DEFAULT_START if seed is not None else None) if start is _UNSET else start
        self._lock = threading.RLock()
        self.router = _ROUTER
        self.journal = Journal(journal_size, journal_bytes)
        self.clock = Clock(self._start)
        self.clock.listener = self._on_clock
        self.minter = Minter(seed)
        self.store = Store()
        self.scheduler = Scheduler()
        self.identity: Identity | None = None
        self.parts: dict[str, StatePart] = {}
        self.hooks: dict[tuple[str, str, str], list[Hook]] = {}
        self.aliases: dict[tuple[str, str], Alias] = {}
        self.visibility: dict[tuple[str, str], Visibility] = {}
        self.lists: dict[tuple[str, str], ListProvider] = {}
        self.fetches: dict[tuple[str, str], FetchProvider] = {}
        self.extensions: dict[str, Any] = {}  # what else is plugged in, by name (webhooks)
        self.faults = Faults(seed)  # scripted faults (not state: not in snapshots)
        self.limits = Limits()  # the REST concurrency limit, off by default
        # Durable state (``twilio_mock.core.durability``, plugged in by ``serve --state``): each
        # change is captured under the lock and made durable before its answer leaves. None: off.
        self.durability: Durability | None = None

    def on(self, event: str, domain: str, template: str, hook: Hook) -> None:
        """Run ``hook(call, record, old)`` on ``event`` (create/update/delete) of a resource
        (``template`` as in the description, e.g. ``Accounts/{AccountSid}/Messages``); the
        contract is in :mod:`twilio_mock.core.contract`."""
        self.hooks.setdefault((event, domain, template), []).append(hook)

    # Requests -------------------------------------------------------------------------
    def handle(self, request: MockRequest, fault: Fault | None = None) -> MockResponse:
        """Answer one request as Twilio would; never raises. ``fault``: a one-shot fault for this
        request (the server's ``Twilio-Mock-Fault`` header); ``self.faults`` is then not consulted."""
        # With no fault and no limit (the common case) nothing below costs more than this test.
        plan = _Plan(fault) if fault is not None or self.faults.active or self.limits.active else None
        parts = None
        query: list[tuple[str, str]] = []
        form: list[tuple[str, str]] = []
        body_json: Any = None
        principal: Principal | None = None
        failure = None
        ticket = None
        if self._start is None and len(self.scheduler):
            self.run_due()  # a real-time clock: what fell due since the last request runs first
        try:
            parts = _split(str(request.url))
            if plan is not None and plan.fault is None and self.faults.active:
                method = str(request.method).upper()
                plan.fault = self.faults.match(method, (parts.hostname or "").lower(), parts.path or "/")
            after: list[After] = []
            if plan is not None and plan.skips:
                response = plan.refusal()
            else:
                query = parse_qsl(parts.query, keep_blank_values=True)
                form, body_json = _body(request)
                with self._lock:
                    try:
                        principal, status, payload, after = self._dispatch(
                            request, parts, query, form, body_json, plan
                        )
                    finally:
                        if self.durability is not None:  # what this request changed, in order
                            ticket = self.durability.capture()
                if payload is None:
                    response = MockResponse(status, {}, b"")
                else:
                    response = MockResponse(
                        status, dict(JSON_HEADERS), json.dumps(payload, separators=(",", ":")).encode()
                    )
        except errors.MockError as exc:
            response = _error(exc)
            after = []
        except Exception as exc:  # the last resort: a bug in the mock is still a Twilio-shaped 500
            failure = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            response = _error(errors.internal())
            after = []
        if ticket is not None:  # acknowledged only once durable
            try:
                self._wait(ticket)
            except OSError as exc:
                failure = f"durable state not written: {exc!r}"
                response, after = _error(errors.internal()), []
        fired = None
        if plan is not None:
            response, fired = plan.finish(response, request.served)
        with contextlib.suppress(Exception):  # the journal never turns an answer into an exception
            self.journal.record(
                time=self.clock.now(),
                method=str(request.method).upper(),
                url=str(request.url),
                path=parts.path if parts is not None else "",
                query=query,
                form=form,
                status=0 if response.fault else response.status,
                body=b"" if response.fault else response.body,
                account_sid=principal.account_sid if principal else None,
                error=failure,
                json_body=body_json,
                fault=fired,
            )
        _run(after)
        if after and self.durability is not None:
            self.commit()  # what the deliveries changed (a call's TwiML fetched and run)
        if plan is not None:
            if plan.latency and not request.served:
                with contextlib.suppress(ValueError):  # the clock cannot pass year 9999
                    self.advance(plan.latency)
            plan.release(self.limits, response.delay)
        return response

    def _dispatch(
        self,
        request: MockRequest,
        parts: Any,
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
        body: Any,
        plan: _Plan | None = None,
    ) -> tuple[Principal, int, Any, list[After]]:
        identity = self.identity
        assert identity is not None, "a Core needs an identity (twilio_mock.Backend plugs one in)"
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        found = self.router.domain_for_host(host)
        if found is None:
            label = host.split(".", 1)[0]
            raise _here(errors.not_found(path, self.router.suggest(label, path)), request.origin)
        domain, product = found
        method = str(request.method).upper()
        route = None
        route_error = None
        try:
            route = self.router.route(domain, product, method, path)
        except errors.MockError as exc:
            route_error = _here(exc, request.origin)
        exempt = identity.exempt(route) if route is not None else None
        if exempt is not None and route is not None:
            account, status, answer = exempt(self, route, query, form)
            return Principal(account), status, answer, []
        principal = identity.authenticate(request)
        if route is None:
            assert route_error is not None
            raise route_error
        owner = identity.authorize(principal, route)
        if plan is not None and self.limits.active:
            plan.admit(self.limits, principal.account_sid)
        if request.origin:
            base = f"{request.origin.rstrip('/')}/{product}"
        else:  # region and edge labels only choose a data centre: URLs name the one Twilio host
            base = f"https://{product}.twilio.com"
        call = operations.Call(self, principal, route, query, form, body, base, owner, request=request)
        operations.prepare(call, self.aliases)
        status, payload = operations.run(call)
        return principal, status, payload, call.after

    # Time ------------------------------------------------------------------------------
    def advance(self, seconds: float) -> float:
        """Move the virtual clock forward, running the events that fall due, each at its own
        time; returns the new ``now``."""
        return self.clock.advance(seconds)

    def _on_clock(self, target: float) -> None:
        self._run_until(target)

    def run_due(self) -> int:
        """Run the events due by now (a real-time clock's way to catch up); returns how many."""
        return self._run_until(self.clock.now(), move=False)

    def _run_until(self, target: float, move: bool = True) -> int:
        ran = 0
        ticket = None  # durable state: the events' changes, waited for once (or before a delivery)
        while True:
            with self._lock:
                event = self.scheduler.next_due(target)
                if event is None:
                    break
                at, _order, kind, data = event
                if move:
                    self.clock.move_to(at)
                handler = self.scheduler.handlers.get(kind)
                try:
                    after = handler(self, data) if handler is not None else None
                finally:
                    if self.durability is not None:
                        ticket = self.durability.capture() or ticket
            ran += 1
            if after:
                if ticket is not None:
                    self._wait(ticket)
                _run(after)
                if self.durability is not None:
                    self.commit()
        if ticket is not None:
            self._wait(ticket)
        return ran

    # State ------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to a fresh state with the same seed; clears the journal, the faults and the
        limits. Each part resets itself (identity keeps the credentials in force)."""
        with self._lock:
            self.store.clear()
            self.scheduler.reset()
            self.minter.load({"seed": self.minter.seed if self.seed is None else self.seed, "counter": 0})
            self.clock.load({"frozen": self._start is not None, "now": self._start or 0.0})
            for part in self.parts.values():
                part.reset()
            ticket = self.durability.capture(full=True) if self.durability is not None else None
        if ticket is not None:
            self._wait(ticket)
        self.journal.clear()
        self.faults.clear()  # as WireMock's reset clears its stubs
        self.limits.clear()

    def snapshot(self) -> dict[str, Any]:
        """All state as a plain, JSON-able dict (the journal is not state)."""
        with self._lock:
            out: dict[str, Any] = {
                "format": SNAPSHOT_FORMAT,
                "clock": self.clock.state(),
                "sids": self.minter.state(),
            }
            out.update({name: part.state() for name, part in self.parts.items()})
            out["collections"] = self.store.dump()
            if len(self.scheduler):
                out["schedule"] = self.scheduler.state()
            return out

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace all state with a :meth:`snapshot` (or a seed file in the same format).

        All or nothing: a snapshot that fails the checks of :mod:`twilio_mock.core.snapshot`
        (types and ranges of every field) or fails to load leaves the state as it was and raises
        ``ValueError`` (a ``SnapshotError`` naming the field)."""
        checked = validate_snapshot(snapshot, extra=set(self.parts))
        with self._lock:
            before = self.snapshot()
            try:
                self._apply(checked)
            except SnapshotError:  # a record failed its check while being loaded
                self._apply(before)
                raise
            except Exception as exc:
                self._apply(before)
                raise ValueError(f"cannot restore this snapshot: {exc!r}") from exc
            finally:  # a refused restore put new collections back too: watch them
                ticket = self.durability.capture(full=True) if self.durability is not None else None
        if ticket is not None:
            self._wait(ticket)

    def _wait(self, ticket: int) -> None:
        if self.durability is not None:
            self.durability.wait(ticket)

    def commit(self) -> None:
        """Make durable what changed outside a request (the control plane's actions, the clock
        moved by hand); a no-op without durable state."""
        durability = self.durability
        if durability is None:
            return
        with self._lock:
            ticket = durability.capture()
        if ticket is not None:
            durability.wait(ticket)

    def _apply(self, snapshot: dict[str, Any]) -> None:
        collections = [dict(c) for c in snapshot.get("collections") or []]
        for item in collections:
            if "parent" not in item or "id_field" not in item:  # hand-written: derive from the path
                parent, id_field = self.router.collection_shape(
                    str(item.get("domain")), str(item.get("path"))
                )
                if item.get("account"):
                    parent.setdefault("account_sid", str(item["account"]))
                item.setdefault("parent", parent)
                item.setdefault("id_field", id_field)
        self.store.load(collections)
        if snapshot.get("sids"):
            self.minter.load(snapshot["sids"])
        if snapshot.get("clock"):
            self.clock.load(snapshot["clock"])
        self.scheduler.load(snapshot.get("schedule") or {})
        for name, part in self.parts.items():
            part.load(snapshot.get(name) or {})

    def load(self, path: str | Path) -> None:
        """Restore state from a JSON file written by :meth:`save` (or by hand); ``ValueError``
        when it is not a valid snapshot, ``OSError`` when it cannot be read."""
        self.restore(parse_snapshot(Path(path).read_bytes()))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.snapshot(), indent=1))


class _Plan:
    """How one request misbehaves: the fault that fired and the concurrency slot it holds."""

    __slots__ = ("account", "count", "fault", "refused", "rule")

    def __init__(self, fault: Fault | None) -> None:
        self.fault = fault
        self.account: str | None = None  # set once admitted under a limit: the slot to release
        self.count = 0
        self.rule: _Limit | None = None
        self.refused = False  # answered 429 by the concurrency limit

    @property
    def skips(self) -> bool:
        """The fault answers instead of the request being carried out."""
        fault = self.fault
        return fault is not None and fault.action != "latency" and not fault.processed

    @property
    def latency(self) -> float:
        return self.fault.latency if self.fault is not None else 0.0

    def admit(self, limits: Limits, account: str) -> None:
        admitted, self.count, self.rule = limits.enter(account)
        if not admitted:
            assert self.rule is not None
            self.refused = True
            headers = {"Twilio-Concurrent-Requests": str(self.count), **limits.retry_header(self.rule)}
            message = DEFAULT_ERRORS[429][1]
            raise errors.MockError(429, 20429, message, headers)
        if self.rule is not None:
            self.account = account

    def refusal(self) -> MockResponse:
        """The answer of a fault that fires instead of the request."""
        fault = self.fault
        assert fault is not None
        if fault.status is not None:
            status, code, message, headers = fault.error()
            return _error(errors.MockError(status, code, message, headers))
        kind = "reset" if fault.connection_reset else "timeout"
        # A way in that cannot act the fault out still answers an error, never a success.
        text = f"twilio-mock fault {fault.id}: connection {kind}"
        response = _error(errors.MockError(503, 20503, text))
        response.fault = kind
        return response

    def finish(self, response: MockResponse, served: bool) -> tuple[MockResponse, dict[str, Any] | None]:
        """The answer as the fault and the limit leave it, and what the journal says fired."""
        fired = None
        fault = self.fault
        if fault is not None:
            fired = fault.firing()
            if fault.processed:
                fired["processed_status"] = response.status
                response = self.refusal()
            if served:
                response.delay = fault.latency
        if self.rule is not None:
            if self.refused:
                limit = {"id": "concurrency", "action": "limit", "status": 429, "code": 20429}
                fired = limit if fired is None else {**fired, "limit": limit}
            response.headers["Twilio-Concurrent-Requests"] = str(self.count)
        return response, fired

    def release(self, limits: Limits, wait: float) -> None:
        if self.account is not None:
            limits.leave(self.account, wait)
            self.account = None


def _run(after: list[After]) -> None:
    """What events and operations left for after the lock: webhook deliveries, in order."""
    for thunk in after:
        thunk()


def _split(url: str) -> Any:
    try:
        return urlsplit(url)
    except ValueError:  # e.g. "Invalid IPv6 URL": no Twilio resource lives there
        raise errors.not_found(url.split("?", 1)[0]) from None


def _here(error: errors.MockError, origin: str | None) -> errors.MockError:
    """A 404's suggested URLs as this way in serves them (``<origin>/<product>/...`` on the
    mock server)."""
    if not error.near or not origin:
        return error
    base = origin.rstrip("/")
    near = []
    for url in error.near:
        label, _, rest = url.removeprefix("https://").partition(".twilio.com")
        near.append(f"{base}/{label}{rest}")
    return errors.not_found(error.path, near)


def _body(request: MockRequest) -> tuple[list[tuple[str, str]], Any]:
    """Form pairs, or the parsed JSON body (whose object members also count as params)."""
    raw = request.body
    if not raw:
        return [], None
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "replace")
    ctype = (request.header("Content-Type") or "").lower()
    if "json" in ctype:
        data = parse_json(raw)
        pairs: list[tuple[str, str]] = []
        if isinstance(data, dict):
            for key, value in data.items():
                for item in value if isinstance(value, list) else [value]:
                    text = item if isinstance(item, str) else json.dumps(item)
                    pairs.append((str(key), text))
        return pairs, data
    return parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True), None


def _error(exc: errors.MockError) -> MockResponse:
    return MockResponse.of_json(exc.status, exc.body(), exc.headers)
