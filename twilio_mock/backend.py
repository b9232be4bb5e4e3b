"""The mock core: ``Backend.handle(MockRequest) -> MockResponse`` over plain values.

One ``RLock`` guards all state (store, accounts, SID counter, clock); JSON encoding and
the journal happen outside it. Any failure inside becomes a Twilio-shaped error body; a
bug in the mock becomes a 500 (code 20500) as the last resort, never an exception.

Order of checks: an unknown host is 404; then credentials (401/20003, before the path is
looked at, so a caller without credentials learns nothing; the OAuth token endpoints take
their credentials from the form instead); then Public Key Client Validation for accounts that
require it; then 404/405 for the path;
then access: test credentials outside Messages/Calls/IncomingPhoneNumbers creates are
403/20008, and an ``AccountSid`` in the path that is neither the caller's account nor one
of its subaccounts is 401/20003 (what Twilio answers when SID and token do not match).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from twilio_mock import accounts as _accounts
from twilio_mock import derived, errors, oauth, operations, pkcv
from twilio_mock.auth import TEST_ROUTES, Accounts, Principal
from twilio_mock.clock import DEFAULT_START, Clock
from twilio_mock.journal import DEFAULT_MAX_BYTES, Journal
from twilio_mock.router import Route, Router
from twilio_mock.sids import SidMinter
from twilio_mock.snapshot import SNAPSHOT_FORMAT, SnapshotError, parse_snapshot, validate_snapshot
from twilio_mock.store import Store
from twilio_mock.validation import parse_json
from twilio_mock.wire import MockRequest, MockResponse

_ROUTER = Router()  # tries are pure functions of the description: share them
_UNSET: Any = object()
JSON_HEADERS = {"Content-Type": "application/json"}


class Backend:
    """An in-memory Twilio.

    ``seed`` makes SIDs, tokens and the clock reproducible (``None``: random SIDs and the
    real time). ``account_sid``/``auth_token`` fix the main account's credentials and
    ``test_account_sid``/``test_auth_token`` the test credentials (seeded defaults
    otherwise). ``start`` freezes the clock at an epoch second (default 2025-01-01 when
    seeded). ``journal_size`` bounds the journal's entries and ``journal_bytes`` their memory
    (default 64 MiB; ``None``: unbounded; see :mod:`twilio_mock.journal`). With
    ``auto_accounts`` any unknown ``AC…`` SID authenticates and becomes an account.
    """

    def __init__(
        self,
        seed: int | str | None = 0,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
        test_account_sid: str | None = None,
        test_auth_token: str | None = None,
        start: float | None = _UNSET,
        journal_size: int | None = 10_000,
        journal_bytes: int | None = DEFAULT_MAX_BYTES,
        auto_accounts: bool = False,
    ) -> None:
        self.seed = seed
        self._start = (DEFAULT_START if seed is not None else None) if start is _UNSET else start
        self._credentials = (account_sid, auth_token, test_account_sid, test_auth_token)
        self._restored: tuple[str, str, str, str] | None = None  # credentials the last restore set
        self._lock = threading.RLock()
        self.router = _ROUTER
        self.journal = Journal(journal_size, journal_bytes)
        self.clock = Clock(self._start)
        self.minter = SidMinter(seed)
        self.store = Store()
        self.accounts = Accounts(self.store, self.minter, self.clock, auto_accounts)
        self.hooks: dict[tuple[str, str, str], list[operations.Hook]] = {}
        self.aliases: dict[tuple[str, str], Callable[[operations.Call], Any]] = {}
        self.visibility: dict[tuple[str, str], Callable[[operations.Call, dict[str, Any]], bool]] = {}
        # What PKCV tokens' time windows are judged by (see twilio_mock.pkcv): the wall clock,
        # since clients sign with theirs; ``backend.clock.now`` judges them by the virtual clock.
        self.pkcv_clock: Callable[[], float] = time.time
        _accounts.install(self)
        derived.install(self)
        self.accounts.setup(self.clock.seconds(), *self._credentials)

    # Credentials ---------------------------------------------------------------------
    @property
    def account_sid(self) -> str:
        return self.accounts.main_sid

    @property
    def auth_token(self) -> str:
        return str(self.accounts.main["auth_token"])

    @property
    def test_account_sid(self) -> str:
        return self.accounts.test_sid

    @property
    def test_auth_token(self) -> str:
        return self.accounts.test_token

    def require_pkcv(self, account_sid: str | None = None, required: bool = True) -> None:
        """Make every request authenticated as ``account_sid`` (default: the main account) carry a
        valid ``Twilio-Client-Validation`` token (``required=False`` lifts it). Kept in snapshots."""
        sid = account_sid or self.account_sid
        with self._lock:
            if self.accounts.get(sid) is None:
                raise KeyError(f"no account {sid}")
            self.accounts.require_pkcv(sid, required)

    def on(self, event: str, domain: str, template: str, hook: operations.Hook) -> None:
        """Run ``hook(call, record, old)`` on ``event`` (create/update/delete) of a resource
        (``template`` as in the description, e.g. ``Accounts/{AccountSid}/Messages``)."""
        self.hooks.setdefault((event, domain, template), []).append(hook)

    # Requests -------------------------------------------------------------------------
    def handle(self, request: MockRequest) -> MockResponse:
        """Answer one request as Twilio would; never raises."""
        parts = None
        query: list[tuple[str, str]] = []
        form: list[tuple[str, str]] = []
        body_json: Any = None
        principal: Principal | None = None
        failure = None
        try:
            parts = _split(str(request.url))
            query = parse_qsl(parts.query, keep_blank_values=True)
            form, body_json = _body(request)
            with self._lock:
                principal, status, payload = self._dispatch(request, parts, query, form, body_json)
            if payload is None:
                response = MockResponse(status, {}, b"")
            else:
                response = MockResponse(
                    status, dict(JSON_HEADERS), json.dumps(payload, separators=(",", ":")).encode()
                )
        except errors.MockError as exc:
            response = _error(exc)
        except Exception as exc:  # the last resort: a bug in the mock is still a Twilio-shaped 500
            failure = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            response = _error(errors.internal())
        with contextlib.suppress(Exception):  # the journal never turns an answer into an exception
            self.journal.record(
                time=self.clock.now(),
                method=str(request.method).upper(),
                url=str(request.url),
                path=parts.path if parts is not None else "",
                query=query,
                form=form,
                status=response.status,
                body=response.body,
                account_sid=principal.account_sid if principal else None,
                error=failure,
                json_body=body_json,
            )
        return response

    def _dispatch(
        self,
        request: MockRequest,
        parts: Any,
        query: list[tuple[str, str]],
        form: list[tuple[str, str]],
        body: Any,
    ) -> tuple[Principal, int, Any]:
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        found = self.router.domain_for_host(host)
        if found is None:
            label = host.split(".", 1)[0]
            raise _here(errors.not_found(path, self.router.suggest(label, path)), request.origin)
        domain, product = found
        method = str(request.method).upper()
        route: Route | None = None
        route_error = None
        try:
            route = self.router.route(domain, product, method, path)
        except errors.MockError as exc:
            route_error = _here(exc, request.origin)
        if route is not None and (domain, route.endpoint.canonical) in _accounts.AUTH_EXEMPT:
            account, status, answer = oauth.token_endpoint(self, route, query, form)
            return Principal(account), status, answer
        principal = self.accounts.authenticate(request.header("Authorization"))
        if principal.account_sid in self.accounts.pkcv_required and not principal.test:
            pkcv.check(self, request, principal, self.pkcv_clock())
        if route is None:
            assert route_error is not None
            raise route_error
        owner = self._access(principal, route)
        if request.origin:
            base = f"{request.origin.rstrip('/')}/{product}"
        else:  # region and edge labels only choose a data centre: URLs name the one Twilio host
            base = f"https://{product}.twilio.com"
        call = operations.Call(self, principal, route, query, form, body, base, owner)
        operations.prepare(call, self.aliases)
        status, payload = operations.run(call)
        return principal, status, payload

    def _access(self, principal: Principal, route: Route) -> str:
        """The account whose records the request touches; raises 401/403 when not allowed."""
        if (
            principal.test
            and (route.domain, route.version.version, route.template, route.verb) not in TEST_ROUTES
        ):
            raise errors.test_credentials()
        if route.domain != "api":
            return principal.account_sid
        target = route.ident if route.endpoint.canonical == "Accounts" else route.params.get("AccountSid")
        if target is None:
            return principal.account_sid
        if not self.accounts.can_reach(principal, target):
            raise errors.authenticate()
        return target

    # State ------------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to a fresh backend with the same seed and credentials; clears the journal.

        The credentials are those in force after the last :meth:`restore` (or :meth:`load`), if
        any: exported variables keep working. SIDs continue as on a fresh backend."""
        with self._lock:
            self.store.clear()
            self.minter.load({"seed": self.minter.seed if self.seed is None else self.seed, "counter": 0})
            self.clock.load({"frozen": self._start is not None, "now": self._start or 0.0})
            self.accounts.reset()
            # Mint as a fresh backend does, so the SIDs that follow are the same as after a start.
            self.accounts.setup(self.clock.seconds(), *self._credentials)
            if self._restored is not None:
                self._use_credentials(*self._restored)
        self.journal.clear()

    def _use_credentials(self, sid: str, token: str, test_sid: str, test_token: str) -> None:
        accounts = self.accounts
        if accounts.main_sid != sid:
            accounts.collection.remove(accounts.main_sid)
            accounts.main_sid = sid
        accounts.add(sid, token, self.clock.seconds())
        accounts.test_sid, accounts.test_token = test_sid, test_token
        accounts.changed()

    def snapshot(self) -> dict[str, Any]:
        """All state as a plain, JSON-able dict (the journal is not state)."""
        with self._lock:
            return {
                "format": SNAPSHOT_FORMAT,
                "clock": self.clock.state(),
                "sids": self.minter.state(),
                "auth": self.accounts.state(),
                "collections": self.store.dump(),
            }

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Replace all state with a :meth:`snapshot` (or a seed file in the same format).

        All or nothing: a snapshot that fails the checks of :mod:`twilio_mock.snapshot` (types
        and ranges of every field) or fails to load leaves the state as it was and raises
        ``ValueError`` (a ``SnapshotError`` naming the field)."""
        checked = validate_snapshot(snapshot)
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
            self._restored = (self.account_sid, self.auth_token, self.test_account_sid, self.test_auth_token)

    def _apply(self, snapshot: dict[str, Any]) -> None:
        with self._lock:
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
            auth = snapshot.get("auth") or {}
            if not auth.get("main"):  # a hand-written file: the first top-level account is the main one
                top = [
                    r
                    for r in self.accounts.collection.records()
                    if r.get("owner_account_sid") in (None, r.get("sid"))
                ]
                auth = {**auth, "main": top[0]["sid"]} if top else auth
            self.accounts.load(auth)
            if self.accounts.get(self.accounts.main_sid) is None:
                self.accounts.add(self.accounts.main_sid, self.minter.secret(), self.clock.seconds())

    def load(self, path: str | Path) -> None:
        """Restore state from a JSON file written by :meth:`save` (or by hand); ``ValueError``
        when it is not a valid snapshot, ``OSError`` when it cannot be read."""
        self.restore(parse_snapshot(Path(path).read_bytes()))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.snapshot(), indent=1))

    @classmethod
    def from_file(cls, path: str | Path, **options: Any) -> Backend:
        backend = cls(**options)
        backend.load(path)
        return backend

    def __repr__(self) -> str:
        return f"<twilio_mock.Backend {self.account_sid} records={self.store.count()}>"


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
