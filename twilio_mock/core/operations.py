"""The generic operations every resource of the description gets.

create (on a list: new record, SID minted; on an instance or singleton: upsert), fetch,
update/patch (merge, nested objects too), delete, and list (filters + paging).

Choices where Twilio's behaviour cannot be derived from the description:
- an unknown SID is 404 (20404), in read-only collections too (conferences, recordings,
  alerts: their records come from behaviours or a seeded state). Only what exists without a
  create answers with a default record: singletons (no id of their own, such as an
  ``insights`` call summary) and catalogues keyed by a natural key (a phone number, a
  country: ``defaults.NATURAL_KEYS``); a default catalogue entry is not stored, so it never
  shows up in a list;
- a child of a creatable parent (``Services/{ServiceSid}/Verifications``) is 404 until
  the parent exists;
- ``unique_name`` works wherever an id goes (a scan, only when the id is not a SID);
- delete-only paths (no GET beside them, e.g. a webhook type) delete idempotently.

Hooks, aliases, visibility and providers (:mod:`twilio_mock.core.contract`) let identity and
behaviours adjust what the generic operations do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twilio_mock.core import errors, paging, render, validation
from twilio_mock.core.defaults import NATURAL_KEYS
from twilio_mock.core.router import Route, encode_segment, id_field_of
from twilio_mock.core.sids import looks_like_sid
from twilio_mock.core.store import Collection, CollectionKey

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.contract import Principal
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.wire import MockRequest

SERVER_DATES = ("date_created", "date_updated", "created_at", "updated_at", "dateCreated", "dateUpdated")
UPDATED_DATES = ("date_updated", "updated_at", "dateUpdated")
SECRETS = ("secret", "auth_token")
_MISSING = object()

Record = dict[str, Any]


@dataclass
class Call:
    """One request on its way through an operation."""

    backend: Core
    principal: Principal
    route: Route
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    body: Any
    base: str  # absolute origin for ``url``/``links`` (``https://verify.twilio.com``)
    owner: str  # the account whose records these are
    store_key: CollectionKey = ("", "", "", "")
    parent: dict[str, Any] = field(default_factory=dict)
    after: list[After] = field(default_factory=list)  # to run once the lock is released (webhooks)
    request: MockRequest | None = None  # the request itself, for header parameters

    def header(self, name: str) -> str | None:
        """A request header (``X-Twilio-Webhook-Enabled``), ``None`` when absent."""
        return self.request.header(name) if self.request is not None else None

    @property
    def template(self) -> str:
        return self.route.endpoint.canonical

    @property
    def id_field(self) -> str:
        return id_field_of(self.route.res)

    @property
    def creatable(self) -> bool:
        return self.template in self.route.versions.creatable

    def collection(self) -> Collection | None:
        return self.backend.store.get(self.store_key)

    def open(self) -> Collection:
        return self.backend.store.open(self.store_key, self.parent, self.id_field)

    def path_for(self, ident: str) -> str:
        """The record's path as rendered in ``uri``/``url`` (percent-encoded)."""
        if ident and not self.route.res.singleton:
            return f"{self.route.collection_url}/{encode_segment(ident)}"
        return self.route.list_url

    def render(self, record: Record, ident: str) -> dict[str, Any]:
        route = self.route
        rend = render.renderer(route.domain, route.version.version, route.res.key)
        shown = self.id_field if route.res.instance_param else ""
        return rend.render(record, self.parent, self.path_for(ident), self.base, shown)


def prepare(call: Call, aliases: dict[tuple[str, str], Callable[[Call], tuple[str, CollectionKey]]]) -> None:
    """Work out the collection key and the parent values shared by its records."""
    route = call.route
    ep = route.endpoint
    _canonical_parents(call)
    segs = route.segs
    parent = {name: segs[i] for i, name in ep.path_fields}
    alias = aliases.get((route.domain, ep.canonical))
    if alias is not None:
        call.owner, call.store_key = alias(call)
    else:
        call.store_key = (call.owner, route.domain, route.version.version, route.collection)
    if call.owner:
        parent.setdefault("account_sid", call.owner)
    call.parent = parent


def _canonical_parents(call: Call) -> None:
    """Parents addressed by their unique name (Conversations, Sync, Chat, Serverless allow it)
    become their SIDs, so children live in one collection under the canonical parent path."""
    route = call.route
    segs = route.segs
    prefix = route.version.prefix
    store = call.backend.store
    for index, _name in route.endpoint.path_fields:
        value = segs[index]
        if looks_like_sid(value):
            continue
        key = (call.owner, route.domain, route.version.version, prefix + "/" + "/".join(segs[:index]))
        coll = store.get(key)
        found = coll.find_unique(value) if coll is not None else None
        if found is not None and coll is not None:
            segs[index] = coll.ident(found)
            route.reset_paths()


def run(call: Call) -> tuple[int, Any]:
    """Perform the routed operation; returns (status, payload or ``None`` for no body)."""
    route = call.route
    verb = route.verb
    comp = validation.compiled(route.domain, route.version.version, route.res.key, verb)
    if verb == "list":
        return route.op.ok, list_page(call, comp)
    if verb in ("create", "update", "patch"):
        values = comp.body_values(call.body) if comp.json_body else comp.values(call.query + call.form)
    else:
        comp.values(call.query)
        values = {}
    _check_parent(call)
    if verb == "create":
        return _answer(call, *create(call, values))
    if verb == "fetch":
        return _answer(call, *fetch(call))
    if verb in ("update", "patch"):
        return _answer(call, *update(call, values))
    delete(call)
    return route.op.ok, None


def _answer(call: Call, record: Record, ident: str) -> tuple[int, Any]:
    status = call.route.op.ok
    return status, (None if status == 204 else call.render(record, ident))


def _check_parent(call: Call) -> None:
    parent = call.route.parent
    if parent is None or call.principal.test:
        return
    _template, path, ident = parent
    coll = call.backend.store.get((call.owner, call.route.domain, call.route.version.version, path))
    if coll is None or lookup(coll, ident) is None:
        raise errors.not_found(call.route.path)


def lookup(coll: Collection | None, ident: str) -> Record | None:
    if coll is None:
        return None
    found = coll.get(ident)
    if found is None and ident and not looks_like_sid(ident):
        found = coll.find_unique(ident)
    return found


def fill_new(call: Call, record: Record, now: int) -> None:
    """Server-side fields of a new record: ids, dates, secrets."""
    res = call.route.res
    minter = call.backend.minter
    fields = res.fields
    id_field = call.id_field
    if id_field and record.get(id_field) in (None, ""):
        if fields.get(id_field) == "integer":  # Sync list items: 0, 1, 2... in their list
            record[id_field] = call.open().next_count(id_field) if not call.principal.test else 0
        else:
            record[id_field] = minter.sid(res.sid_prefix or "")
    if "sid" in fields and record.get("sid") in (None, "") and res.sid_prefix:
        record["sid"] = minter.sid(res.sid_prefix)
    for name in SERVER_DATES:
        if name in fields and name not in record:
            record[name] = now
    for name in SECRETS:
        if name in fields and not record.get(name):
            record[name] = minter.secret()


def _hooks(call: Call, event: str, record: Record, old: Record | None) -> Record:
    for hook in call.backend.hooks.get((event, call.route.domain, call.template), ()):
        changed = hook(call, record, old)
        if changed is not None:
            record = changed
    return record


def _store(call: Call, ident: str, record: Record) -> None:
    if not call.principal.test:  # test credentials never change state
        call.open().put(ident, record)


def create(call: Call, values: Record) -> tuple[Record, str]:
    route, now = call.route, call.backend.clock.seconds()
    if route.kind == "instance" or route.res.singleton:
        ident = route.ident or ""
        coll = call.collection()
        old = lookup(coll, ident)
        if old is not None and coll is not None:
            ident = coll.ident(old)  # the id may have been given as a unique name
        record = merge(old, values) if old is not None else dict(values)
        if call.id_field and ident:
            record[call.id_field] = ident
        if old is None:
            fill_new(call, record, now)
        else:
            _touch(call, record, now)
        record = _hooks(call, "create", record, old)
        _store(call, ident, record)
        return record, ident
    record = dict(values)
    fill_new(call, record, now)
    record = _hooks(call, "create", record, None)
    ident = str(record.get(call.id_field, "")) if call.id_field else ""
    _store(call, ident, record)
    return record, ident


def merge(old: Record, values: Record) -> Record:
    """``old`` updated with ``values``; nested objects (``Push.IncludeDate``) merge."""
    out = {**old, **values}
    for key, value in values.items():
        before = old.get(key)
        if isinstance(value, dict) and isinstance(before, dict):
            out[key] = merge(before, value)
    return out


def _touch(call: Call, record: Record, now: int) -> None:
    for name in UPDATED_DATES:
        if name in call.route.res.fields:
            record[name] = now


def _synthesize(call: Call, ident: str, keep: bool, store: bool = True) -> tuple[Record, str]:
    """A default record; ``keep`` makes it a created one (``store``: stored now, so a
    singleton keeps its minted SID; an update stores it once its own hooks have passed)."""
    record: Record = {}
    if ident and call.id_field:
        record[call.id_field] = ident
    fill_new(call, record, call.backend.clock.seconds())
    ident = str(record.get(call.id_field, "")) if call.id_field else ""
    if keep:
        record = _hooks(call, "create", record, None)
        if store:
            _store(call, ident, record)
    return record, ident


def _natural(call: Call) -> bool:
    """Whether the addressed id is a natural key of a catalogue (exists without a create)."""
    return not call.creatable and call.route.res.instance_param in NATURAL_KEYS


def _existing(call: Call, store: bool = True) -> tuple[Record, str]:
    """The addressed record; singletons and read-only resources get a default one (stored
    unless ``store`` is false)."""
    route, coll = call.route, call.collection()
    if route.res.singleton or route.kind == "list":
        record = None
        if coll is not None:
            record = coll.get("") if route.res.singleton else coll.latest()
        if record is None:
            return _synthesize(call, "", keep=True, store=store)
        return record, coll.ident(record) if coll is not None else ""
    ident = route.ident or ""
    record = lookup(coll, ident)
    if record is not None:
        assert coll is not None
        return record, coll.ident(record)
    if not _natural(call):
        raise errors.not_found(route.path)
    return _synthesize(call, ident, keep=False)


def fetch(call: Call) -> tuple[Record, str]:
    provide = call.backend.fetches.get((call.route.domain, call.template))
    if provide is not None:  # a computed resource (Lookups): the provider answers
        record = provide(call)
        return record, str(record.get(call.id_field, call.route.ident or "")) if call.id_field else ""
    return _existing(call)


def update(call: Call, values: Record) -> tuple[Record, str]:
    old, ident = _existing(call, store=False)  # nothing is stored if the update is refused
    record = merge(old, values)
    _touch(call, record, call.backend.clock.seconds())
    record = _hooks(call, "update", record, old)
    _store(call, ident, record)
    return record, ident


def delete(call: Call) -> None:
    route, coll = call.route, call.collection()
    if coll is None or call.principal.test:
        if route.kind == "instance" and not route.res.singleton and _addressable(call):
            raise errors.not_found(route.path)
        return
    if route.res.singleton or route.kind == "list":
        old = coll.get("") if route.res.singleton else None
        if old is not None:
            _hooks(call, "delete", old, old)
        coll.remove("") if route.res.singleton else coll.clear()
        return
    record = lookup(coll, route.ident or "")
    if record is None:
        if _addressable(call):
            raise errors.not_found(route.path)
        return
    _hooks(call, "delete", record, record)  # first: a hook that refuses leaves the record there
    coll.remove(coll.ident(record))


def _addressable(call: Call) -> bool:
    """Whether deleting an unknown id is a 404: records that can be fetched and are keyed by
    a SID. Delete-only paths (no GET beside them) address something other than a record id,
    such as a webhook type: deleting is idempotent there."""
    return "GET" in call.route.methods and not _natural(call)


def list_page(call: Call, comp: validation.CompiledOp) -> Any:
    route = call.route
    res, op = route.res, route.op
    comp.values(call.query)
    tests = validation.filters(route.domain, res, op, call.query)
    provide = call.backend.lists.get((route.domain, call.template))
    coll: Collection | None
    if provide is not None:  # a computed list (available numbers): the provider's records, paged
        records = [{**r, "_n": n} for n, r in enumerate(provide(call))]  # ``_n``: an id when none is declared
        if res.paging == "v2010":  # 2010-04-01 pages run newest first: keep the provider's order
            records.reverse()
        id_field = call.id_field if call.id_field in res.fields else "_n"  # ``sid`` is only a fallback name
        coll = Collection.of(records, call.parent, id_field)
        tests = []  # the provider applied the filters it understands
    else:
        coll = call.collection()
    parent = coll.parent if coll is not None else call.parent
    rend = render.renderer(route.domain, route.version.version, res.key)
    defaults = rend.defaults
    visible = call.backend.visibility.get((route.domain, call.template))

    def value_of(name: str, record: Record) -> Any:
        """What a filter sees: the record's value, else the collection's, else the default."""
        value = record.get(name, _MISSING)
        return parent.get(name, defaults.get(name)) if value is _MISSING else value

    pred: Callable[[Record], bool] | None = None
    window = None
    if tests or visible is not None:

        def pred(record: Record) -> bool:
            if visible is not None and not visible(call, record):
                return False
            return all(t.test(value_of(t.field, record)) for t in tests)

        if coll is not None and tests:
            window = paging.narrow(coll, tests, value_of)

    declared = {p.wire for p in op.params if p.location == "query"}
    query: dict[str, str] = {}
    for key, value in call.query:
        query.setdefault(key, value)
    base, list_path = call.base, route.list_url
    collection_path = route.collection_url
    shown = call.id_field if res.instance_param else ""

    def render_one(record: Record) -> dict[str, Any]:
        ident = coll.ident(record) if coll is not None else ""
        path = f"{collection_path}/{encode_segment(ident)}" if ident else list_path
        return rend.render(record, parent, path, base, shown)

    listing = paging.Listing(
        style=res.paging,
        key=res.list_key,
        coll=coll,
        desc=res.paging == "v2010",
        pred=pred,
        window=window,
        exact=window is not None and len(tests) == 1 and visible is None,
        filters=[(k, v) for k, v in call.query if k in declared and k not in ("Token", "Size")],
        query=query,
        list_path=list_path,
        json_suffix=".json" if res.json_suffix else "",
        base=base,
        render=render_one,
        meta_keys=tuple(str(k) for k in res.raw.get("meta", ())),
        token_param=next((w for w in ("Token", "PageToken") if w in declared), ""),
        size_param=next((w for w in ("Size", "PageSize") if w in declared), ""),
    )
    return paging.respond(listing)
