"""Whole requests for fuzzing: any operation, with the path ids of records a backend holds.

``api_requests(backend)`` draws an operation, fills its path with the SIDs of records the
backend stores right now (the deepest stored parent, else fresh SIDs that name nothing), and
gives it valid parameters or parameters broken by one rule (:func:`invalid_params`)::

    @given(api_requests(backend))
    def test_never_a_5xx(request):
        assert request.send(backend).status < 500

The path ids (and which operations have stored records to name) are read from the backend when
an example is drawn, so the backend must be in the same state whenever one is drawn, or
hypothesis cannot replay and shrink: restore a snapshot after each request
(``backend.restore(snapshot)`` in a ``finally``). JSON-bodied operations get no body
parameters.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from hypothesis import strategies as st

from twilio_mock.strategies.identifiers import sids
from twilio_mock.strategies.parameters import (
    Invalid,
    OperationRef,
    Pairs,
    invalid_params,
    operation,
    params,
    rules,
)
from twilio_mock.strategies.parameters import operations as all_operations
from twilio_mock.strategies.phones import phone_numbers
from twilio_sdk import spec as _spec

if TYPE_CHECKING:
    from twilio_mock.core.wire import MockRequest, MockResponse

ACCOUNTS = ("", "api", "v2010", "/2010-04-01/Accounts")  # where the store keeps the accounts
_SAMPLE = 16  # ids offered per stored collection (its newest)


@dataclass(frozen=True)
class ApiRequest:
    """One request: the ``operation``, its ``method`` and full Twilio ``url`` (with the query
    of a GET or DELETE), the form or query ``params``, the ``path`` values, whether every path
    id names a stored record (``real``), and the broken rule with Twilio's answer (``invalid``,
    ``None`` for a valid request)."""

    operation: OperationRef
    method: str
    url: str
    params: Pairs
    path: dict[str, str] = field(default_factory=dict)
    real: bool = False
    invalid: Invalid | None = None

    @property
    def body(self) -> bytes:
        """The form body of a POST (empty otherwise)."""
        return urlencode(self.params).encode() if self.method == "POST" else b""

    def headers(self, username: str, password: str) -> dict[str, str]:
        """Basic auth (and the form content type for a POST)."""
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        out = {"Authorization": f"Basic {token}"}
        if self.method == "POST":
            out["Content-Type"] = "application/x-www-form-urlencoded"
        return out

    def to_mock(self, username: str, password: str) -> MockRequest:
        from twilio_mock.core.wire import MockRequest

        return MockRequest(self.method, self.url, self.headers(username, password), self.body)

    def send(self, backend: Any) -> MockResponse:
        """Answered by ``backend`` in process, as its main account."""
        return backend.handle(self.to_mock(backend.account_sid, backend.auth_token))  # type: ignore[no-any-return]


@lru_cache(maxsize=4096)
def _pattern(ref: OperationRef) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """The op's full path as segments, and (segment index, parameter) of each path parameter."""
    vspec = _spec.version_spec(ref.domain, ref.version)
    path = (vspec.prefix + ref.op.path).removesuffix(".json")
    segments = tuple(s.removesuffix(".json") for s in path.split("/")[1:])
    slots = tuple((i, s[1:-1]) for i, s in enumerate(segments) if s.startswith("{") and s.endswith("}"))
    return segments, slots


def _regex(segments: Iterable[str]) -> re.Pattern[str]:
    parts = ["([^/]+)" if s.startswith("{") else re.escape(s) for s in segments]
    return re.compile("/" + "/".join(parts))


def _reachable(backend: Any) -> set[str]:
    """The accounts the main account may name: itself and its subaccounts (and none: '')."""
    main = str(backend.account_sid)
    out = {"", main}
    accounts = backend.store.get(ACCOUNTS)
    if accounts is not None:
        out.update(str(r["sid"]) for r in accounts.records() if r.get("owner_account_sid") == main)
    return out


def targets(backend: Any, ref: OperationRef) -> list[dict[str, str]]:
    """Path values of the operation that name stored records: for the deepest path parameter
    some stored collection can fill, every way it can (a collection's newest ids). Empty when
    nothing stored matches."""
    segments, slots = _pattern(ref)
    if not slots:
        return []
    accounts = _reachable(backend)
    # Copies, so a server thread writing meanwhile cannot break the walk.
    stored = [
        (k, c) for k, c in list(backend.store.collections.items()) if k[1:3] == (ref.domain, ref.version)
    ]
    for depth in range(len(slots), 0, -1):
        index, name = slots[depth - 1]
        head = _regex(segments[:index])  # the collection the id belongs to
        found: list[dict[str, str]] = []
        for key, coll in stored:
            if key[0] not in accounts or not coll.id_field or not (match := head.fullmatch(key[3])):
                continue
            base = [(slots[i][1], match.group(i + 1)) for i in range(depth - 1)]
            ids = [coll.ident(r) for r in list(coll.records())][-_SAMPLE:]
            found += [dict([*base, (name, ident)]) for ident in ids]
        if found:
            return found
    return []


_STORED: dict[int, tuple[tuple[Any, ...], list[OperationRef]]] = {}


def _stored_refs(backend: Any, refs: tuple[OperationRef, ...]) -> list[OperationRef]:
    """Those of ``refs`` with path parameters that stored records fill, all of them (worked out
    again only when the store changes)."""
    store = backend.store
    mark = (refs, len(store.collections), store.count(), backend.minter.counter, backend.account_sid)
    cached = _STORED.get(id(backend))
    if cached is None or cached[0] != mark:
        found = [r for r in refs if _pattern(r)[1] and _full(targets(backend, r), r)]
        cached = _STORED[id(backend)] = (mark, found)
        if len(_STORED) > 64:
            _STORED.pop(next(iter(_STORED)))
    return cached[1]


def _full(found: list[dict[str, str]], ref: OperationRef) -> bool:
    return bool(found) and len(found[0]) == len(_pattern(ref)[1])


def _fresh(ref: OperationRef, name: str) -> st.SearchStrategy[str]:
    """A value for a path parameter that names no stored record."""
    if "Phone" in name or "Number" in name:
        return phone_numbers()
    last = _pattern(ref)[1][-1][1] == name
    prefix = ref.res.sid_prefix if last else None
    return sids(prefix or None)


@st.composite
def _request(draw: st.DrawFn, backend: Any, refs: _Refs, valid: bool | None) -> ApiRequest:
    # Seven in ten go to an operation whose whole path names stored records, when one has.
    aim, which = draw(st.integers(0, 9)), draw(st.integers(0, 2**16))
    stored = _stored_refs(backend, refs.all) if aim < 7 else []
    ref = stored[which % len(stored)] if stored else refs.all[which % len(refs.all)]
    account = str(backend.account_sid)
    known = {"AccountSid": account}
    slots = [name for _i, name in _pattern(ref)[1]]
    # The same draws whatever is stored (hypothesis replays choices, not values): a choice
    # between stored and fresh ids, an index into the stored ones, and a fresh value per slot.
    use_stored, pick = draw(st.integers(0, 9)), draw(st.integers(0, 2**16))
    fresh = {name: draw(_fresh(ref, name)) for name in slots}
    found = targets(backend, ref)
    chosen = found[pick % len(found)] if found and use_stored else {}
    path = {n: chosen.get(n) or (account if n == "AccountSid" else fresh[n]) for n in slots}
    real = all(n in chosen or n == "AccountSid" for n in slots)  # the main account is stored too
    breakable = bool(rules(ref))
    broken = breakable and (valid is False or (valid is None and draw(st.booleans())))
    invalid: Invalid | None = draw(invalid_params(ref, known=known)) if broken else None
    pairs = invalid.params if invalid is not None else draw(params(ref, known=known))
    url = ref.url(path, pairs if ref.method in ("GET", "DELETE") else None)
    return ApiRequest(ref, ref.method, url, pairs, path, real, invalid)


def api_requests(
    backend: Any,
    operations: Iterable[str | OperationRef] | None = None,
    valid: bool | None = None,
) -> st.SearchStrategy[ApiRequest]:
    """Requests to any operation (or those of ``operations``), their path ids from what
    ``backend`` stores when drawn; ``valid``: ``True`` only valid parameters, ``False`` only
    requests broken by one rule (operations with no rule to break are left out), ``None``
    both."""
    refs = [operation(o) for o in operations] if operations is not None else list(all_operations())
    if valid is False:
        refs = [r for r in refs if rules(r)]
    if not refs:
        raise ValueError("no operation to draw requests for")
    return _request(backend, _Refs(tuple(refs)), valid)


@dataclass(frozen=True)
class _Refs:
    """The operations to draw from (with a short repr: hypothesis shows it in failures)."""

    all: tuple[OperationRef, ...]

    def __repr__(self) -> str:
        return f"<{len(self.all)} operations>"
