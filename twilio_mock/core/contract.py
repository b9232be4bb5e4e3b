"""What plugs into the core, and how: the contract between the core and identity, behaviours
and the ways in. The core imports none of them; they import this.

Hooks (``core.on(event, domain, template, hook)``)
    ``hook(call, record, old)`` runs inside the operation, under the backend's lock, before the
    record is stored: ``event`` is ``create`` (``old`` is ``None``, or the record an upsert
    replaces), ``update`` (``old`` the record before) or ``delete`` (``record`` is ``old``).
    ``template`` is the collection's path template as in the description
    (``Accounts/{AccountSid}/Messages``). A hook may change ``record`` in place or return a new
    one (returned ``None`` keeps it); raising a ``MockError`` answers the request with it and
    stores nothing. Hooks run in the order they were registered. Records are never mutated after
    they are stored (the store's indexes rely on it): a hook changes the record before storing,
    and later changes go through ``Collection.put`` with a new dict.

Aliases (``core.aliases[(domain, template)] = alias``)
    ``alias(call) -> (owner, collection key)``: where a resource's records live when that is not
    its own path (``iam`` keys show the account's ``Keys``).

Visibility (``core.visibility[(domain, template)] = visible``)
    ``visible(call, record) -> bool``: which records a list shows the caller (accounts see
    themselves and their subaccounts).

Providers (``core.lists`` / ``core.fetches``)
    ``core.lists[(domain, template)] = provide`` makes a list computed instead of stored:
    ``provide(call) -> records`` (available phone numbers); ``core.fetches[(domain, template)]``
    likewise answers a fetch with ``provide(call) -> record`` (Lookups).

Identity (``core.identity``)
    An :class:`Identity` decides who is calling and what they may reach; the core calls it for
    every request: ``exempt(route)`` (routes that authenticate with their own parameters, such
    as OAuth token endpoints), then ``authenticate(request)`` (before the path is looked at, so
    a caller without credentials learns nothing), then ``authorize(principal, route)``.

State parts (``core.parts[name] = part``)
    A :class:`StatePart` keeps state outside the store: ``snapshot()`` writes ``part.state()``
    under ``name``, ``restore()`` calls ``part.load(...)`` after the store is loaded, ``reset()``
    calls ``part.reset()``.

Extensions (``core.extensions[name]``)
    Whatever else the assembly plugs in, by name: ``webhooks`` (``twilio_mock.webhooks``).

Schedule (``core.scheduler``)
    Behaviours schedule future events on the virtual clock (:mod:`twilio_mock.core.scheduler`):
    ``core.scheduler.handler(kind, run)`` registers what an event of ``kind`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.router import Route
    from twilio_mock.core.store import CollectionKey
    from twilio_mock.core.wire import MockRequest

Record = dict[str, Any]
Hook = Callable[["Call", Record, "Record | None"], "Record | None"]
Alias = Callable[["Call"], "tuple[str, CollectionKey]"]
Visibility = Callable[["Call", Record], bool]
ListProvider = Callable[["Call"], "list[Record]"]
FetchProvider = Callable[["Call"], Record]
# An exempt route's handler: (core, route, query pairs, form pairs) -> (account, status, payload).
ExemptHandler = Callable[
    ["Core", "Route", "list[tuple[str, str]]", "list[tuple[str, str]]"], "tuple[str, int, Any]"
]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: its account, and how it proved it."""

    account_sid: str
    test: bool = False
    key_sid: str | None = None


class Identity(Protocol):
    """Who is calling and what they may reach."""

    def exempt(self, route: Route) -> ExemptHandler | None: ...

    def authenticate(self, request: MockRequest) -> Principal: ...

    def authorize(self, principal: Principal, route: Route) -> str:
        """The account whose records the request touches; raises 401/403 when not allowed."""
        ...


class StatePart(Protocol):
    """State kept outside the store, snapshotted under its own name."""

    def state(self) -> dict[str, Any]: ...

    def load(self, state: dict[str, Any]) -> None: ...

    def reset(self) -> None: ...
