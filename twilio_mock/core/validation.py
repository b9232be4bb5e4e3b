"""Checking request parameters against the description, and turning them into record values.

Each operation is compiled once: wire name -> (parameter, record field, checker). Required
parameters, ``x-twilio`` conditional groups (at least one of each), enums, integer/boolean/
number types, phone-number and URL formats are checked; unknown parameters are ignored.
List filters (exact match, and ``<``/``>`` date ranges) are compiled here too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from twilio_mock.core import dates, errors
from twilio_sdk import spec as _spec
from twilio_sdk.naming import snake
from twilio_sdk.spec import Operation, Param, ResourceSpec

Checker = Callable[[str], Any]  # returns the coerced value or raises ValueError

_INVALID = ValueError
_FORMATTING = str.maketrans("", "", " -().")


def field_for(name: str, wire: str, fields: dict[str, str]) -> str:
    """The record field a parameter fills (``from_``/``From`` -> ``from``)."""
    for candidate in (name, name.rstrip("_"), snake(wire)):
        if candidate in fields:
            return candidate
    return name.rstrip("_") or snake(wire) or wire


def phone_ok(value: str, allow_alpha: bool) -> bool:
    """E.164 numbers (``+`` then 5 to 15 digits; spaces, dashes, dots and brackets between
    digits allowed), short codes (3 to 8 digits), channel addresses (``whatsapp:+1…``,
    ``client:alice``, ``sip:…``) and, for senders, alphanumeric IDs. Whitespace around the value
    is not: a ``+`` sent unencoded in a form arrives as a space (``curl -d To=+1…``), and
    Twilio rejects what is left."""
    if not value or len(value) > 256 or value != value.strip():
        return False
    scheme, colon, rest = value.partition(":")
    if colon:
        return scheme.isascii() and scheme.isalpha() and bool(rest.strip())
    digits = value.translate(_FORMATTING)
    if digits.startswith("+"):
        body = digits[1:]
        return body.isascii() and body.isdigit() and 5 <= len(body) <= 15
    if digits.isascii() and digits.isdigit():
        return 3 <= len(digits) <= 8 and digits == value
    return (
        allow_alpha
        and len(value) <= 11
        and value.isascii()
        and any(c.isalpha() for c in value)
        and (all(c.isalnum() or c == " " for c in value))
    )


def uri_ok(value: str) -> bool:
    if value == "":
        return True
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return bool(parts.scheme) and parts.scheme.isascii() and parts.scheme.isalpha() and bool(parts.netloc)


def _checker(type_: str, wire: str, enums: dict[str, list[Any]]) -> Checker:
    """A function validating and coercing one text value of ``type_``."""
    base = type_.split(":", 1)[0]
    if base == "array":
        return _checker(type_[len("array:") :], wire, enums)
    if base == "integer":
        return _integer
    if base == "number":
        return _number
    if base == "boolean":
        return _boolean
    if base == "enum":
        values = [v for v in enums.get(type_[len("enum:") :], []) if isinstance(v, str)]
        if not values:
            return str
        lookup = {v.lower(): v for v in values}

        def enum(value: str) -> str:
            found = lookup.get(value.lower())
            if found is None:
                raise _INVALID(f"must be one of {', '.join(values[:12])}")
            return found

        return enum
    if type_ in ("string:phone-number", "string:endpoint"):  # an endpoint: a number, client:, sip:
        allow_alpha = "From" in wire or "CallerId" in wire

        def phone(value: str) -> str:
            if not phone_ok(value, allow_alpha):
                raise _INVALID("not a valid phone number")
            return value

        return phone
    if type_ == "string:uri":

        def uri(value: str) -> str:
            if not uri_ok(value):
                raise _INVALID("not a valid URL")
            return value

        return uri
    if type_ in ("string:date-time", "string:date"):

        def date(value: str) -> str:
            if value and dates.parse(value) is None:
                raise _INVALID("not a valid date")
            return value

        return date
    return str


def _json_value(value: str) -> Any:
    """A schema-less parameter: the JSON value its text holds."""
    try:
        return json.loads(value, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise _INVALID("must be valid JSON") from None


def _json_or_text(value: str) -> Any:
    """A string parameter filling a JSON field: the JSON value when the text is JSON."""
    try:
        parsed = json.loads(value, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return value
    return parsed if isinstance(parsed, (dict, list)) else value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity would render as invalid JSON


def _integer(value: str) -> int:
    text = value.strip()
    if not text or len(text) > 19 or not text.lstrip("-").isdigit() or not text.isascii():
        raise _INVALID("must be an integer")
    return int(text)


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _INVALID("must be a number") from None
    if not math.isfinite(number):
        raise _INVALID("must be a finite number")
    return number


def _boolean(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise _INVALID("must be true or false")


class CompiledOp:
    """One operation's parameters, ready to validate requests quickly."""

    def __init__(self, domain: str, res: ResourceSpec, op: Operation, enums: dict[str, list[Any]]) -> None:
        self.domain = domain
        self.template = res.key.split("#")[0]
        self.op = op
        self.json_body = op.body == "json"
        self.params: dict[str, tuple[Param, str, Checker, bool]] = {}
        self.maps: dict[str, str] = {}
        self.nested: dict[str, list[str]] = {}  # ``Push.IncludeDate`` -> ["push", "include_date"]
        for p in op.params:
            if p.location not in ("form", "query"):
                continue
            field = field_for(p.name, p.wire, res.fields)
            head, dot, rest = p.wire.partition(".")
            if (
                dot
                and field not in res.fields
                and res.fields.get(snake(head), "").split(":")[0] in ("object", "any")
            ):
                self.nested[p.wire] = [snake(head), *(snake(part) for part in rest.split("."))]
            check = _checker(p.type, p.wire, enums)
            holds_json = res.fields.get(field, "").split(":")[0] in ("any", "object")
            if p.type.split(":")[0] in ("any", "object") and (holds_json or field not in res.fields):
                check = _json_value  # clients send JSON values as JSON text in the form
            elif p.type == "string" and holds_json:
                check = _json_or_text
            self.params[p.wire] = (p, field, check, p.type.startswith("array:"))
            if "prefixed-collapsible-map" in p.type:
                self.maps[p.wire] = field
        by_name = {p.name: p for p in op.params}
        by_name.update({p.name.rstrip("_"): p for p in op.params})
        self.required = [
            by_name[n].wire for n in op.required if n in by_name and by_name[n].location in ("form", "query")
        ]
        self.body_required = any(p.required and p.location == "body" for p in op.params)
        self.groups = []
        for group in op.conditional:
            wires = [by_name[n].wire for n in group if n in by_name]
            if wires:
                self.groups.append(wires)
        self.fields = res.fields

    def values(self, pairs: list[tuple[str, str]]) -> dict[str, Any]:
        """Validate ``pairs`` (wire name, text) and return record field -> coerced value."""
        given: dict[str, list[str]] = {}
        for key, value in pairs:
            given.setdefault(key, []).append(value)
        for wire in self.required:
            if not any(v.strip() for v in given.get(wire, ())):
                raise errors.missing_param(self.domain, self.template, [wire], self.op.method != "GET")
        for group in self.groups:
            if not any(any(v.strip() for v in given.get(w, ())) for w in group):
                raise errors.missing_param(self.domain, self.template, group, self.op.method != "GET")
        out: dict[str, Any] = {}
        for wire, texts in given.items():
            entry = self.params.get(wire)
            if entry is None:
                if "." in wire and wire.split(".", 1)[0] in self.maps:
                    _put_dotted(
                        out.setdefault(self.maps[wire.split(".", 1)[0]], {}), wire.split(".")[1:], texts[0]
                    )
                continue
            _param, field, check, is_array = entry
            try:
                coerced = [check(t) for t in texts] if is_array else check(texts[0])
            except ValueError as exc:
                bad = (
                    texts[0] if not is_array else next((t for t in texts if not _passes(check, t)), texts[0])
                )
                raise errors.invalid_param(self.domain, self.template, wire, bad, str(exc)) from None
            path = self.nested.get(wire)
            if path is None:
                out[field] = coerced
            else:
                target = out.get(path[0])
                if not isinstance(target, dict):
                    target = out[path[0]] = {}
                _put_dotted(target, path[1:], coerced)
        return out

    def body_values(self, body: Any) -> dict[str, Any]:
        """Record values from a JSON body (keys already in the API's JSON naming)."""
        if body is None:
            if self.body_required:
                raise errors.MockError(400, 20001, "Missing required JSON request body")
            return {}
        if not isinstance(body, dict):
            raise errors.MockError(400, 20001, "The JSON request body must be an object")
        out = {}
        for key, value in body.items():
            key = str(key)
            out[key if key in self.fields else field_for(key, key, self.fields)] = value
        return out


def _passes(check: Checker, text: str) -> bool:
    try:
        check(text)
    except ValueError:
        return False
    return True


def _put_dotted(target: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = target[part] = {}
        target = nxt
    if path:
        target[path[-1]] = value


@lru_cache(maxsize=4096)
def compiled(domain: str, version: str, key: str, verb: str) -> CompiledOp:
    vspec = _spec.version_spec(domain, version)
    res = vspec.resource(key)
    return CompiledOp(domain, res, res.ops[verb], vspec.enums)


def parse_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise errors.MockError(400, 20001, "The request body is not valid JSON") from None


# List filters -------------------------------------------------------------------------
Predicate = Callable[[Any], bool]
_FOREVER = float("inf")


@dataclass(frozen=True)
class Filter:
    """One declared list filter as sent: the record field, the test on its value, and what an
    index can look up instead (``equals``: an exact value; ``span``: a date range
    ``(low, high, high_inclusive)``)."""

    field: str
    test: Predicate
    equals: str | None = None
    span: tuple[float, float, bool] | None = None


def norm(value: Any) -> Any:
    """A stored value as the text a filter compares it with."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    return value if value is None or isinstance(value, str) else str(value)


def _date_filter(field: str, op: str, text: str) -> Filter:
    moment = dates.parse(text)
    if moment is None:
        raise ValueError("not a date")
    whole_day = len(text.strip()) == 10
    end = moment + 86400 if whole_day else moment
    if op == "<":
        span = (-_FOREVER, end, False) if whole_day else (-_FOREVER, moment, True)
    elif op == ">":
        span = (moment, _FOREVER, True)
    else:
        span = (moment, end, False) if whole_day else (moment, moment, True)
    low, high, inclusive = span

    def test(value: Any) -> bool:
        seconds = dates.parse(value)
        if seconds is None:
            return False
        return low <= seconds and (seconds <= high if inclusive else seconds < high)

    return Filter(field, test, span=span)


def _equal_filter(field: str, text: str) -> Filter:
    def test(value: Any) -> bool:
        value = norm(value)
        return text in value if isinstance(value, list) else value == text

    return Filter(field, test, equals=text)


def filters(domain: str, res: ResourceSpec, op: Operation, pairs: list[tuple[str, str]]) -> list[Filter]:
    """The declared list filters present in ``pairs``; raises 400s."""
    declared = {p.wire: p for p in op.params if p.location == "query"}
    out: list[Filter] = []
    template = res.key.split("#")[0]
    for wire, text in pairs:
        p = declared.get(wire)
        if p is None:
            continue
        base, cmp = (wire[:-1], wire[-1]) if wire[-1:] in "<>" else (wire, "=")
        field = field_for(snake(base), base, res.fields)
        if field not in res.fields:
            continue
        try:
            if dates.formatter(res.fields[field]) or cmp != "=":
                out.append(_date_filter(field, cmp, text))
            else:
                out.append(_equal_filter(field, text))
        except ValueError as exc:
            raise errors.invalid_param(domain, template, wire, text, str(exc)) from None
    return out
