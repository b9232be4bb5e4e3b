"""Values Twilio derives instead of echoing them, and records a create brings with it.

The rules are data (``defaults.DERIVED``, ``defaults.CHILDREN``); this module applies them
through the backend's create and update hooks, like any behaviour. A value the client sent
wins over every rule except ``counter`` and ``revision``, which only the server sets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.core.defaults import CHILDREN, DERIVED

if TYPE_CHECKING:
    from twilio_mock.backend import Backend
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
Rules = dict[str, tuple[Any, ...]]
_SERVER_SIDE = ("counter", "revision")
_ON_UPDATE = ("revision", "related", "now")


def install(backend: Backend) -> None:
    for (domain, template), rules in DERIVED.items():
        backend.on("create", domain, template, _creating(rules, CHILDREN.get((domain, template), [])))
        if any(rule[0] in _ON_UPDATE for rule in rules.values()):
            backend.on("update", domain, template, _updating(rules))
    for (domain, template), children in CHILDREN.items():
        if (domain, template) not in DERIVED:
            backend.on("create", domain, template, _creating({}, children))


def _creating(rules: Rules, children: list[tuple[str, list[Record]]]) -> Any:
    def hook(call: Call, record: Record, old: Record | None) -> Record | None:
        if old is not None:  # an upsert of an existing record: an update, not a create
            return None
        made = _children(call, record, children) if children and not call.principal.test else {}
        for field, rule in rules.items():
            if rule[0] in _SERVER_SIDE or record.get(field) is None:
                value = _create_value(call, record, field, rule, made)
                if value is not None:
                    record[field] = value
        return record

    return hook


def _updating(rules: Rules) -> Any:
    def hook(call: Call, record: Record, old: Record | None) -> Record | None:
        for field, rule in rules.items():
            kind = rule[0]
            if kind == "revision":
                record[field] = _bump(old.get(field) if old else None, rule[1])
            elif kind == "related" and old is not None and record.get(rule[1]) != old.get(rule[1]):
                record[field] = _related(call, record, *rule[1:])
            elif (
                kind == "now"
                and len(rule) > 1
                and old is not None
                and record.get(rule[1]) != old.get(rule[1])
            ):
                record[field] = call.backend.clock.seconds()
        return record

    return hook


def _create_value(
    call: Call, record: Record, field: str, rule: tuple[Any, ...], made: dict[str, list[Record]]
) -> Any:
    kind = rule[0]
    if kind == "national":
        return national(record.get(rule[1]))
    if kind == "counter":
        return 0 if call.principal.test else call.open().next_count(field)
    if kind == "revision":
        return rule[1]
    if kind == "copy":
        return record.get(rule[1])
    if kind == "template":
        return _fill(rule[1], {**call.parent, **record, "sid4": _sid4(record)})
    if kind == "now":
        return call.backend.clock.seconds()
    if kind == "parent":
        parent = _parent_record(call)
        return parent.get(rule[1]) if parent else None
    if kind == "related":
        return _related(call, record, *rule[1:])
    if kind == "child":
        named = [r for r in made.get(rule[1], []) if r.get("friendly_name") == rule[2]]
        return named[0].get(rule[3]) if named else None
    if kind == "account_default":
        return _account_default(call, record, rule[1], rule[2], rule[3])
    raise ValueError(f"unknown derivation rule {rule!r}")


def _account_default(
    call: Call, record: Record, config: tuple[str, str, str, str], where: tuple[str, str, str], values: Record
) -> Any:
    """The SID of an account-wide default record (the default Conversations service), made on
    first need and remembered in the singleton ``config`` names (domain, version, path, field)."""
    if call.principal.test:
        return None
    backend, owner = call.backend, call.owner
    domain, version, path, field = config
    own = (call.route.domain, call.route.version.version, call.route.collection) == (domain, version, path)
    coll = backend.store.open((owner, domain, version, path), {"account_sid": owner}, "")
    held = record if own else coll.get("")
    if held is not None and held.get(field):
        return held[field]
    if not own:
        return account_default(backend, owner, config, where, values)
    return _make_default(backend, owner, where, values)


def account_default(
    core: Core, owner: str, config: tuple[str, str, str, str], where: tuple[str, str, str], values: Record
) -> str:
    """The SID of ``owner``'s default record at ``where``, made (and remembered in ``config``) on
    first need, from inside the mock (an SMS that starts a conversation)."""
    domain, version, path, field = config
    coll = core.store.open((owner, domain, version, path), {"account_sid": owner}, "")
    held = coll.get("")
    if held is not None and held.get(field):
        return str(held[field])
    sid = _make_default(core, owner, where, values)
    coll.put("", {**(held or {}), field: sid})
    return sid


def _make_default(core: Core, owner: str, where: tuple[str, str, str], values: Record) -> str:
    t_domain, t_version, t_path = where
    res = core.router.resource_at(t_domain, t_path)
    sid = core.minter.sid(res.sid_prefix or "" if res is not None else "")
    now = core.clock.seconds()
    target = core.store.open((owner, t_domain, t_version, t_path), {"account_sid": owner}, "sid")
    target.put(sid, {"sid": sid, **values, "date_created": now, "date_updated": now})
    return sid


def national(number: Any) -> Any:
    """``+14155550100`` as ``(415) 555-0100``; anything that is not a phone number as given."""
    if not isinstance(number, str) or not number.startswith("+"):
        return number
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def _bump(value: Any, start: Any) -> Any:
    if isinstance(start, int):
        return (value if isinstance(value, int) else start - 1) + 1
    try:
        return str(int(str(value)) + 1)
    except ValueError:
        return str(start)


def _sid4(record: Record) -> str:
    sid = str(record.get("sid") or "")
    try:
        return f"{int(sid[-8:], 16) % 10000:04d}"
    except ValueError:
        return "0000"


def _fill(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, str):
        try:
            return value.format_map(_Missing(names))
        except (ValueError, IndexError):
            return value
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _parent_record(call: Call) -> Record | None:
    found = call.route.parent
    if found is None:
        return None
    _template, path, ident = found
    coll = call.backend.store.get((call.owner, call.route.domain, call.route.version.version, path))
    return coll.get(ident) if coll is not None else None


def _sibling(call: Call, rel: str) -> Collection | None:
    found = call.route.parent
    if found is None:
        return None
    _template, path, ident = found
    return call.backend.store.get(
        (call.owner, call.route.domain, call.route.version.version, f"{path}/{ident}/{rel}")
    )


def _related(call: Call, record: Record, ref: str, rel: str, field: str, match: str = "") -> Any:
    """``field`` of the sibling record whose id (or ``match`` field) is ``record[ref]``."""
    coll, wanted = _sibling(call, rel), record.get(ref)
    if coll is None or wanted is None:
        return None
    if match:
        target = next((r for r in coll.records() if r.get(match) == wanted), None)
    else:
        target = coll.get(str(wanted))
    return target.get(field) if target is not None else None


def _children(
    call: Call, record: Record, children: list[tuple[str, list[Record]]]
) -> dict[str, list[Record]]:
    """Create the records a new ``record`` comes with; returns them by relative path."""
    backend, route = call.backend, call.route
    now = backend.clock.seconds()
    ident = str(record.get(call.id_field, ""))
    made: dict[str, list[Record]] = {}
    for rel, records in children:
        path = f"{route.collection}/{ident}/{rel}"
        parent, id_field = backend.router.collection_shape(route.domain, path)
        parent.setdefault("account_sid", call.owner)
        res = backend.router.resource_at(route.domain, path)
        prefix = res.sid_prefix if res is not None else None
        coll = backend.store.open((call.owner, route.domain, route.version.version, path), parent, id_field)
        made[rel] = []
        for template in records:
            child = {
                id_field: backend.minter.sid(prefix or ""),
                **template,
                "date_created": now,
                "date_updated": now,
            }
            coll.put(str(child[id_field]), child)
            made[rel].append(child)
    return made
