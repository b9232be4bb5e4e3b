"""Replay into state: a cassette's records loaded into a :class:`~twilio_mock.Backend`.

With ``use_cassette(..., backend=b)`` the backend answers what the cassette does not hold, and
by default (``into_state=True``) it is first loaded with what the cassette's responses say
exists, so its answers agree with the recorded ones: a fetch of a message the cassette created,
or a list, answers from the same records. Without this a backend would answer 404 for a record
the cassette just showed the test, which no real Twilio does.

Each 2xx response, in recorded order, routed as the backend routes it (:mod:`twilio_mock.core.router`)
and keyed as :mod:`twilio_mock.core.operations` keys collections, ``(account, domain, version,
collection path)``:

- a create, fetch, update or patch answering a record (a JSON object holding the resource's id
  field; a singleton's object) puts it in its collection, replacing an earlier version;
- a list page puts each of its records in;
- a DELETE removes the record.

The account placeholder ``AC…01`` becomes the backend's main account; other placeholders stay
as they are. Identity records (accounts, API keys, OAuth apps, public keys) are left out: they
hold scrubbed secrets, and the backend keeps credentials apart from records. The records go in
through ``Backend.snapshot()``/``restore()``, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from twilio_mock.cassettes.errors import CassetteError
from twilio_mock.cassettes.matching import canonical_host
from twilio_mock.cassettes.scrubber import placeholder
from twilio_mock.core import errors
from twilio_mock.core.router import Route, id_field_of

if TYPE_CHECKING:
    from twilio_mock.backend import Backend

__all__ = ["IDENTITY", "load_into", "route_of"]

IDENTITY = {
    ("api", "Accounts"),
    ("api", "Accounts/{AccountSid}/Keys"),
    ("iam", "Keys"),
    ("iam", "Account/OAuthApps"),
    ("accounts", "Credentials/PublicKeys"),
}
_Key = tuple[str, str, str, str]


def route_of(backend: Backend, request: dict[str, Any]) -> Route | None:
    """The route of a stored request, or ``None`` when the backend has none for it."""
    url = str(request.get("url", ""))
    found = backend.router.domain_for_host(canonical_host(url))
    if found is None:
        return None
    domain, product = found
    try:
        return backend.router.route(
            domain, product, str(request.get("method", "GET")).upper(), urlsplit(url).path
        )
    except errors.MockError:
        return None


def _owner(route: Route, main: str) -> str:
    """The account whose records these are (``Backend._access``'s rule)."""
    if route.domain != "api":
        return main
    target = route.ident if route.endpoint.canonical == "Accounts" else route.params.get("AccountSid")
    return target or main


def load_into(backend: Backend, interactions: list[dict[str, Any]], resolve: Callable[[Any], Any]) -> int:
    """Put the records of ``interactions`` into ``backend``; returns how many records went in.
    ``resolve`` turns stored values into the test's (named placeholders back)."""
    main = backend.account_sid
    first = placeholder(1)

    def real(value: Any) -> Any:
        return _replace(resolve(value), first, main)

    state = backend.snapshot()
    collections: dict[_Key, dict[str, Any]] = {}
    for item in state["collections"]:
        key = (item["account"], item["domain"], item["version"], item["path"])
        collections[key] = {
            **item,
            "records": {_ident(r, item.get("id_field", "sid")): r for r in item["records"]},
        }
    touched = 0
    for interaction in interactions:
        response = interaction.get("response") or {}
        status = int(response.get("status", 0))
        if not 200 <= status < 300:
            continue
        route = route_of(backend, real(interaction.get("request") or {}))
        if route is None or (route.domain, route.endpoint.canonical) in IDENTITY:
            continue
        if (route.domain, route.endpoint.canonical) in backend.aliases:
            continue  # stored elsewhere than its path says; the backend's own business
        key = (_owner(route, main), route.domain, route.version.version, route.collection)
        id_field = id_field_of(route.res)
        coll = collections.setdefault(
            key, {"account": key[0], "domain": key[1], "version": key[2], "path": key[3], "records": {}}
        )
        records: dict[str, dict[str, Any]] = coll["records"]
        body = real(response.get("json"))
        if route.verb == "delete":
            if route.kind == "instance" and route.ident is not None:
                records.pop(route.ident, None)
            continue
        found: list[dict[str, Any]] = []
        if route.verb == "list" and isinstance(body, dict) and route.res.list_key:
            page = body.get(route.res.list_key)
            found = [r for r in page if isinstance(r, dict)] if isinstance(page, list) else []
            if route.res.paging == "v2010":
                found.reverse()  # those pages are newest first; the store keeps creation order
        elif route.verb in ("create", "fetch", "update", "patch") and isinstance(body, dict):
            found = [body]
        for record in found:
            if route.res.singleton:
                ident = ""
            elif id_field and isinstance(record.get(id_field), (str, int)) and record.get(id_field) != "":
                ident = str(record[id_field])
            else:
                continue
            records[ident] = record
            touched += 1
    state["collections"] = [
        {**c, "records": list(c["records"].values())} for c in collections.values() if c["records"]
    ]
    try:
        backend.restore(state)
    except ValueError as exc:
        raise CassetteError(f"cannot load the cassette's records into the backend: {exc}") from exc
    return touched


def _ident(record: dict[str, Any], id_field: str) -> str:
    return str(record.get(id_field, "")) if id_field else ""


def _replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value
