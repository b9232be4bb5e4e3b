"""Request parameters for any operation of the API description: valid ones, and invalid ones
per rule, each paired with the error the mock (and Twilio) answers.

An operation is named ``"<domain> <version> <resource key> <verb>"``, the four keys the mock's
validator compiles an operation by (``"api v2010 Accounts/{AccountSid}/Messages create"``).
Parameters are the wire pairs (``[("To", "+1…"), ("Body", "hi")]``) of the form or the query
string; an array parameter repeats its name. What is valid is what
:mod:`twilio_mock.core.validation` accepts: required parameters and one of each conditional
group present, enum values from the description, integers, numbers, booleans, phone numbers,
URLs, dates and JSON in their types. Behaviours may still refuse a valid request (an unknown
sender, a body over 1600 characters); those are Twilio's rules beyond the description.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from hypothesis import strategies as st

from twilio_mock.core import errors, validation
from twilio_mock.identity.gate import AUTH_EXEMPT
from twilio_mock.strategies.identifiers import HEX, known_prefixes
from twilio_mock.strategies.phones import phone_numbers
from twilio_sdk import spec as _spec
from twilio_sdk.spec import Operation, Param, ResourceSpec

Pairs = list[tuple[str, str]]
Known = Mapping[str, str] | None  # values some parameters must have (the account's own SID)

# Values that break each kind of checked parameter; a rule uses those the validator rejects.
_BAD = {
    "enum": ["not-a-listed-value", "🙃"],
    "integer": ["twelve", "1.5", "9" * 25],
    "number": ["a lot", "NaN", "1e999"],
    "boolean": ["yes", "2"],
    "phone": ["+12", "+1 415 ", "not a phone"],
    "uri": ["not a url", "http//missing-colon"],
    "date": ["not-a-date", "2025-13-45"],
    "json": ["{", "[1,", "NaN"],
}


@dataclass(frozen=True)
class OperationRef:
    """One operation: domain, version, resource key and verb."""

    domain: str
    version: str
    resource: str
    verb: str

    @property
    def name(self) -> str:
        return f"{self.domain} {self.version} {self.resource} {self.verb}"

    def __str__(self) -> str:
        return self.name

    @property
    def res(self) -> ResourceSpec:
        return _spec.version_spec(self.domain, self.version).resource(self.resource)

    @property
    def op(self) -> Operation:
        return self.res.ops[self.verb]

    @property
    def method(self) -> str:
        return self.op.method

    @property
    def compiled(self) -> validation.CompiledOp:
        return validation.compiled(self.domain, self.version, self.resource, self.verb)

    @property
    def path_params(self) -> list[str]:
        """The ``{Param}`` names of the path, in order."""
        return [seg.split("}")[0] for seg in self.op.path.split("{")[1:]]

    def url(self, path_values: dict[str, str], pairs: Pairs | None = None) -> str:
        """The full Twilio URL with ``path_values`` filled in (and ``pairs`` as the query
        string of a GET or DELETE)."""
        vspec = _spec.version_spec(self.domain, self.version)
        path = self.op.path
        for name in self.path_params:
            path = path.replace("{" + name + "}", quote(path_values[name], safe="+@:"))
        url = vspec.base_url + vspec.prefix + path
        if pairs and self.method in ("GET", "DELETE"):
            url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
        return url


@dataclass(frozen=True)
class Invalid:
    """Parameters broken by one ``rule`` (``"missing_required"``, ``"broken_conditional"``,
    ``"bad_enum"``, ``"bad_type"``) at ``names``, and Twilio's answer: ``status``, ``code``,
    ``message``."""

    operation: OperationRef
    params: Pairs
    rule: str
    names: tuple[str, ...]
    status: int
    code: int
    message: str


@lru_cache(maxsize=1)
def _all() -> tuple[OperationRef, ...]:
    out: list[OperationRef] = []
    for domain, info in _spec.domains().items():
        for version in info["versions"]:
            vspec = _spec.version_spec(domain, version)
            for key in vspec.resource_keys():
                out.extend(OperationRef(domain, version, key, verb) for verb in vspec.resource(key).ops)
    return tuple(out)


def operations(domain: str | None = None, verb: str | None = None) -> list[OperationRef]:
    """Every operation of the description (of ``domain``, with ``verb``), in its order."""
    return [o for o in _all() if (domain is None or o.domain == domain) and (verb is None or o.verb == verb)]


def operation(name: str | OperationRef | tuple[str, str, str, str]) -> OperationRef:
    """The operation ``name`` (``"api v2010 Accounts/{AccountSid}/Messages create"``; the
    version may be left out where the domain has one)."""
    if isinstance(name, OperationRef):
        return name
    parts = tuple(name) if isinstance(name, tuple) else tuple(name.split())
    if len(parts) == 3:
        versions = list(_spec.domains().get(parts[0], {}).get("versions", {}))
        if len(versions) != 1:
            raise ValueError(f"{' '.join(parts)!r}: name the version of {parts[0]} ({', '.join(versions)})")
        parts = (parts[0], versions[0], parts[1], parts[2])
    if len(parts) != 4:
        raise ValueError(f"an operation is '<domain> <version> <resource> <verb>', not {name!r}")
    ref = OperationRef(*parts)
    try:
        ref.op  # noqa: B018 - looked up to fail early
    except KeyError:
        raise ValueError(f"no operation {ref.name!r} in the description") from None
    return ref


def _kind(param: Param, check: validation.Checker) -> str:
    """What the validator checks a parameter as."""
    base = param.type.removeprefix("array:")
    if check in (validation._json_value,):  # noqa: SLF001 - the validator's own checker
        return "json"
    if base.startswith("enum:"):
        return "enum"
    if base in ("integer", "number", "boolean"):
        return base
    if base in ("string:phone-number", "string:endpoint"):
        return "phone"
    if base == "string:uri":
        return "uri"
    if base in ("string:date-time", "string:date"):
        return "date"
    return "text"


def _passes(check: validation.Checker, value: str) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=16)
_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=6,
).map(lambda v: json.dumps(v))


def _value(op: OperationRef, param: Param, kind: str, enums: list[str]) -> st.SearchStrategy[str]:
    if kind == "enum":
        return st.sampled_from(enums) if enums else _TEXT
    if kind == "integer":
        return st.integers(1, 50).map(str)
    if kind == "number":
        return st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false", "True", "FALSE"])
    if kind == "phone":
        return phone_numbers()
    if kind == "uri":
        return _TEXT.map(lambda t: "https://app.test/" + quote(t, safe=""))
    if kind == "date":
        moments = st.tuples(st.integers(2020, 2030), st.integers(1, 12), st.integers(1, 28))
        if param.type.endswith("date-time"):
            return moments.map(lambda d: f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}T12:00:00Z")
        return moments.map(lambda d: f"{d[0]:04d}-{d[1]:02d}-{d[2]:02d}")
    if kind == "json":
        return _JSON
    if param.wire.endswith(("Url", "Callback")) and param.type.removeprefix("array:") == "string":
        return _TEXT.map(lambda t: "https://app.test/" + quote(t, safe=""))
    if param.wire.endswith("Sid") and param.type == "string":
        return st.builds(
            str.__add__, st.sampled_from(known_prefixes()), st.text(HEX, min_size=32, max_size=32)
        )
    return _TEXT


@dataclass(frozen=True)
class _Slot:
    """One checked form or query parameter."""

    wire: str
    kind: str
    array: bool
    values: st.SearchStrategy[str]
    bad: tuple[tuple[str, str], ...]  # (value, the validator's reason)


@lru_cache(maxsize=4096)
def _slots(ref: OperationRef) -> dict[str, _Slot]:
    comp = ref.compiled
    enums = _spec.version_spec(ref.domain, ref.version).enums
    out = {}
    for wire, (param, _field, check, array) in comp.params.items():
        if param.location not in ("form", "query") or wire in comp.maps:
            continue
        kind = _kind(param, check)
        names = [
            v
            for v in enums.get(param.type.removeprefix("array:").removeprefix("enum:"), [])
            if isinstance(v, str)
        ]
        values = _value(ref, param, kind, names).filter(functools.partial(_passes, check))
        bad = []
        for candidate in _BAD.get(kind, []):
            try:
                check(candidate)
            except ValueError as exc:
                bad.append((candidate, str(exc)))
        out[wire] = _Slot(wire, kind, array, values, tuple(bad))
    return out


@st.composite
def _valid(
    draw: st.DrawFn, ref: OperationRef, drop: frozenset[str] = frozenset(), known: Known = None
) -> Pairs:
    comp = ref.compiled
    slots = _slots(ref)
    fixed = dict(known or {})
    chosen: list[str] = [w for w in comp.required if w in slots]
    for group in comp.groups:
        members = [w for w in group if w in slots and w not in drop]
        if members and not any(w in chosen for w in members):
            chosen.append(draw(st.sampled_from(members)))
    for wire in slots:
        if wire not in chosen and wire not in drop and draw(st.integers(0, 3)) == 0:
            chosen.append(wire)
    pairs: Pairs = []
    for wire in chosen:
        if wire in drop:
            continue
        slot = slots[wire]
        count = draw(st.integers(1, 3)) if slot.array else 1
        values = st.just(fixed[wire]) if wire in fixed else slot.values
        pairs += [(wire, draw(values)) for _ in range(count)]
    return pairs


def params(
    operation_name: str | OperationRef, valid: bool = True, known: Known = None
) -> st.SearchStrategy[Pairs]:
    """Wire pairs for the operation: valid by default, else broken by one rule (see
    :func:`invalid_params`). ``known``: values that parameters take when present
    (``{"AccountSid": backend.account_sid}``: a request naming another account is a 401)."""
    ref = operation(operation_name)
    if valid:
        return _valid(ref, frozenset(), known)
    return invalid_params(ref, known=known).map(lambda bad: bad.params)


def rules(operation_name: str | OperationRef) -> list[tuple[str, tuple[str, ...]]]:
    """The ways a request to the operation can be wrong: (rule, parameter names)."""
    ref = operation(operation_name)
    comp = ref.compiled
    if (ref.domain, comp.template) in AUTH_EXEMPT:  # OAuth token endpoints answer OAuth's errors
        return []
    slots = _slots(ref)
    out: list[tuple[str, tuple[str, ...]]] = [("missing_required", (w,)) for w in comp.required if w in slots]
    required = set(comp.required)
    for group in comp.groups:
        if not required & set(group):
            out.append(("broken_conditional", tuple(group)))
    for wire, slot in slots.items():
        if slot.bad:
            out.append(("bad_enum" if slot.kind == "enum" else "bad_type", (wire,)))
    return out


@st.composite
def _invalid(
    draw: st.DrawFn, ref: OperationRef, choices: list[tuple[str, tuple[str, ...]]], known: Known
) -> Invalid:
    comp = ref.compiled
    rule, names = draw(st.sampled_from(choices))
    body = ref.method != "GET"
    if rule in ("missing_required", "broken_conditional"):
        pairs = draw(_valid(ref, frozenset(names), known))
        error = errors.missing_param(comp.domain, comp.template, list(names), body)
    else:
        (wire,) = names
        pairs = [p for p in draw(_valid(ref, frozenset(), known)) if p[0] != wire]
        value, reason = draw(st.sampled_from(_slots(ref)[wire].bad))
        pairs.insert(draw(st.integers(0, len(pairs))), (wire, value))
        error = errors.invalid_param(comp.domain, comp.template, wire, value, reason)
    return Invalid(ref, pairs, rule, names, error.status, error.code, error.message)


def invalid_params(
    operation_name: str | OperationRef, rule: str | None = None, known: Known = None
) -> st.SearchStrategy[Invalid]:
    """Parameters broken by one rule (``rule``, or any the operation has: see :func:`rules`),
    with the error Twilio answers. Raises ``ValueError`` for an operation with none (no
    required, conditional or checked parameter; JSON-bodied operations)."""
    ref = operation(operation_name)
    choices = [c for c in rules(ref) if rule is None or c[0] == rule]
    if not choices:
        raise ValueError(f"{ref.name}: no parameter a request can get wrong{f' by {rule}' if rule else ''}")
    return _invalid(ref, choices, known)


def breakable() -> Iterator[OperationRef]:
    """The operations :func:`invalid_params` can break."""
    return (o for o in _all() if rules(o))


# SDK keyword arguments -------------------------------------------------------------------
_WORDS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
)
_ASCII = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=12)
_OBJECT = st.dictionaries(
    _TEXT, st.one_of(_ASCII, st.integers(-99, 99), st.booleans()), min_size=1, max_size=3
)
_MOMENTS = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


def _argument(param: Param, enums: Mapping[str, list[object]]) -> st.SearchStrategy[object]:
    """A Python value of the parameter's declared type, as a user passes it to an SDK."""
    base = param.type.removeprefix("array:")
    one: st.SearchStrategy[object]
    if base.startswith("enum:"):
        names = [v for v in enums.get(base[5:], []) if isinstance(v, str)]
        one = st.sampled_from(names) if names else _ASCII
    elif base == "boolean":
        one = st.booleans()
    elif base.startswith("integer"):
        one = st.integers(-(2**31), 2**31 - 1)
    elif base == "number":
        one = st.decimals(-1000, 1000, places=2, allow_nan=False, allow_infinity=False)
    elif base == "string:date-time":
        one = _MOMENTS
    elif base == "string:date":
        one = _MOMENTS.map(lambda d: d.date())
    elif base in ("string:phone-number", "string:endpoint"):
        one = phone_numbers()
    elif base == "string:uri":
        one = _TEXT.map(lambda t: "https://app.test/" + quote(t, safe=""))
    elif base in ("object", "any", "application/json") or "prefixed-collapsible-map" in base:
        one = _OBJECT
    elif param.location == "header":
        one = _ASCII.map(str.strip).filter(bool)  # a header value: printable ASCII
    else:
        one = _WORDS
    if param.type.startswith("array:"):
        return st.lists(one, min_size=1, max_size=3)
    return one


@st.composite
def _arguments(draw: st.DrawFn, ref: OperationRef) -> dict[str, object]:
    enums = _spec.version_spec(ref.domain, ref.version).enums
    out: dict[str, object] = {}
    for param in ref.op.params:
        if param.required or draw(st.booleans()):
            out[param.name] = draw(_argument(param, enums))
    return out


def arguments(operation_name: str | OperationRef) -> st.SearchStrategy[dict[str, object]]:
    """Keyword arguments of the operation's SDK method (``twilio_sdk`` and the official
    package name them alike: ``from_``, ``status_callback``...): every required parameter and
    any of the others, each a Python value of its declared type (``bool``, ``int``,
    ``Decimal``, ``datetime``, ``date``, a list for an array, a dict for an object or a JSON
    body). Values are of the right type, not checked against Twilio's other rules."""
    return _arguments(operation(operation_name))
