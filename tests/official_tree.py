"""Walk the official ``twilio`` package's client object tree without network I/O.

Only constructors, navigation properties and ``__call__``/``get`` are used;
operation methods are inspected with :func:`inspect.signature`, never called.
A ``nav`` item ``"()"`` is a call (``nav_args`` holds its argument counts); an
item like ``"<Versionless>"`` is a version object the domain does not expose.
"""

from __future__ import annotations

import inspect
import itertools
import json
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias

from twilio.base.domain import Domain
from twilio.base.instance_context import InstanceContext
from twilio.base.list_resource import ListResource
from twilio.base.version import Version
from twilio.rest import Client

ACCOUNT_SID = "AC" + "0" * 32
MAX_DEPTH = 12
PAGED = ("list", "stream", "page")
OPERATIONS = ("create", "fetch", "update", "delete", "patch", *PAGED, "get_page")
PAGING = {"limit", "page_size", "page_token", "page_number"}
MARKER = re.compile(r"__P\d+__")
NODE = (ListResource, InstanceContext)

Node: TypeAlias = ListResource | InstanceContext
Member: TypeAlias = tuple[list[str], Any, int]
Found: TypeAlias = Iterator[tuple[dict[str, Any], Node]]


def _properties(obj: object) -> list[str]:
    """Sorted names of the ``property`` attributes of ``obj``'s class."""
    members = inspect.getmembers(type(obj))
    return sorted(n for n, v in members if isinstance(v, property))


def _call(func: Callable[..., Any], n: int, counter: Iterator[int]) -> Any:
    """Call ``func`` with ``n`` unique markers; an exception is returned, not raised."""
    try:
        return func(*(f"__P{next(counter)}__" for _ in range(n)))
    except Exception as exc:  # noqa: BLE001 - routes.v3.iso_country_code is broken
        return exc


def _prop(obj: object, name: str) -> Any:
    """Read a property; an exception is returned, not raised."""
    return _call(lambda: getattr(obj, name), 0, iter(()))


def _template(uri: str | None) -> str | None:
    """Replace each marker (and the client's account SID) in ``uri`` with ``{}``."""
    return None if uri is None else MARKER.sub("{}", uri).replace(ACCOUNT_SID, "{}")


def _positional(func: Callable[..., Any], required_only: bool = False) -> int:
    """Number of positional parameters of a bound ``func`` (optionally required ones)."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    params = inspect.signature(func).parameters.values()
    return sum(p.kind in kinds and not (required_only and p.default is not p.empty) for p in params)


def _call_target(obj: object) -> Callable[..., Any] | None:
    """The ``__call__`` or ``get`` of a list, which yields its context."""
    if not isinstance(obj, ListResource):
        return None
    has_get = callable(getattr(type(obj), "get", None))
    target: Callable[..., Any] | None = obj.__call__ if callable(obj) else None
    return target or (obj.get if has_get else None)


def _entry(obj: Node, nav: list[str], nav_args: list[int]) -> dict[str, Any]:
    """Describe one list or context node."""
    methods: dict[str, list[str]] = {}
    required: dict[str, list[str]] = {}
    for op in OPERATIONS:
        if callable(getattr(type(obj), op, None)):
            skip = PAGING if op in PAGED else set()
            params = inspect.signature(getattr(obj, op)).parameters.values()
            kept = [p for p in params if p.name not in skip]
            methods[op] = [p.name for p in kept]
            required[op] = [p.name for p in kept if p.default is p.empty]
    target = _call_target(obj)
    return {
        "nav": nav,
        "nav_args": nav_args,
        "kind": "list" if isinstance(obj, ListResource) else "context",
        "class": type(obj).__name__,
        "uri": _template(getattr(obj, "_uri", None)),
        "version": obj._version.version,
        "base_url": obj._version.domain.base_url,
        "methods": methods,
        "required": required,
        "call_args": None if target is None else _positional(target),
    }


def _visit(
    obj: Node,
    nav: list[str],
    args: list[int],
    seen: tuple[type, ...],
    ids: Iterator[int],
) -> Found:
    """Yield ``(entry, object)`` for ``obj`` and everything reachable below it."""
    if len(seen) >= MAX_DEPTH or type(obj) in seen:
        return
    yield _entry(obj, nav, args), obj
    seen = (*seen, type(obj))
    for name in _properties(obj):
        child = _prop(obj, name)
        if isinstance(child, NODE):
            yield from _visit(child, [*nav, name], args, seen, ids)
    target = _call_target(obj)
    if target is not None:
        n = _positional(target)
        child = _call(target, n, ids)
        if isinstance(child, NODE):
            yield from _visit(child, [*nav, "()"], [*args, n], seen, ids)


def _members(owner: object, base: type, ids: Iterator[int]) -> Iterator[Member]:
    """Yield ``(nav, value, nargs)`` for properties and own public methods of ``owner``.

    Methods not on ``base`` (``conversations.v2.communications(conversation_id)``)
    are called with a marker per required argument; their nav ends in ``"()"``.
    """
    for name in _properties(owner):
        yield [name], _prop(owner, name), 0
    for name, _ in inspect.getmembers(type(owner), inspect.isfunction):
        if not name.startswith("_") and not hasattr(base, name):
            n = _positional(getattr(owner, name), required_only=True)
            yield [name, "()"], _call(getattr(owner, name), n, ids), n


def _domains(client: Client) -> Iterator[tuple[str, Domain]]:
    """Client properties whose value is a Domain."""
    for name in _properties(client):
        if isinstance(value := _prop(client, name), Domain):
            yield name, value


def _walk(client: Client) -> Found:
    """Yield ``(entry, object)`` for every node reachable from ``client``."""
    ids = itertools.count()
    for dname, domain in _domains(client):
        members = list(_members(domain, Domain, ids))
        versions = [(nav, v) for nav, v, _ in members if isinstance(v, Version)]
        exposed: set[str] = set()
        for nav, node, _ in members:
            # A node on a version the domain does not expose is canonical here
            # (preview_iam.organization); the others are deprecated shortcuts.
            if isinstance(node, NODE) and all(node._version is not v for _, v in versions):
                exposed.add(nav[0])
                versions.append(([f"<{type(node._version).__name__}>"], node._version))
                yield from _visit(node, [dname, *nav], [], (), ids)
        for vnav, version in versions:
            for nav, node, n in _members(version, Version, ids):
                hidden = vnav[0].startswith("<") and nav[0] in exposed
                if isinstance(node, NODE) and not hidden:
                    args = [n] if nav[-1] == "()" else []
                    yield from _visit(node, [dname, *vnav, *nav], args, (), ids)


def walk() -> list[dict[str, Any]]:
    """Describe every list and context reachable from the official client."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [entry for entry, _ in _walk(Client(ACCOUNT_SID, "token"))]


def _match(members: Iterable[Member], index: dict[Any, list[str]]) -> dict[str, list[str]]:
    """Map each shortcut name (``"x"`` or ``"x()"``) to the canonical nav of its node."""
    found: dict[str, list[str]] = {}
    for nav, value, _ in members:
        key = (type(value), getattr(value, "_uri", None))
        if isinstance(value, NODE) and key in index:
            found["".join(nav)] = index[key]
    return found


def _shortcut_maps() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Client-level and domain-level (``"api.messages"``) shortcut maps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client = Client(ACCOUNT_SID, "token")
        index: dict[Any, list[str]] = {}
        for entry, obj in _walk(client):
            key, nav = (type(obj), getattr(obj, "_uri", None)), entry["nav"]
            if "()" not in nav and len(nav) < len(index.get(key, nav + nav)):
                index[key] = nav
        ids = itertools.count()
        domains = dict(_domains(client))
        members = [m for m in _members(client, Client, ids) if m[0][0] not in domains]
        nested: dict[str, list[str]] = {}
        for dname, domain in domains.items():
            found = _match(_members(domain, Domain, ids), index)
            nested |= {f"{dname}.{k}": v for k, v in found.items() if len(v) > 2}
        return _match(members, index), nested


def shortcuts() -> dict[str, list[str]]:
    """Deprecated Client shortcuts: ``messages`` -> api.v2010.account.messages."""
    return _shortcut_maps()[0]


def domain_shortcuts() -> dict[str, list[str]]:
    """Domain shortcuts keyed ``"domain.name"``: ``verify.services`` -> verify.v2..."""
    return _shortcut_maps()[1]


if __name__ == "__main__":
    tree = walk()
    json.dump(tree, sys.stdout, indent=1)
    sys.stdout.write("\n")
    uris = {(e["base_url"], e["version"], e["uri"]) for e in tree if e["uri"]}
    print(f"{len(tree)} entries, {len(uris)} distinct URIs", file=sys.stderr)
