"""Turning Python values into Twilio's wire formats, and dates and decimals back into Python."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


def wire_value(value: Any, type_: str) -> Any:
    """Serialize one parameter value for its declared compact type."""
    if type(value) is str:
        return value
    import datetime as dt
    import json

    if isinstance(value, (list, tuple, set, frozenset)):
        item_type = type_[len("array:") :] if type_.startswith("array:") else type_
        return [wire_value(v, item_type) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        if type_.endswith(":date"):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        if type_.endswith("date-time"):
            return value.strftime("%Y-%m-%dT00:00:00Z")
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return value if isinstance(value, str) else str(value)


def flatten(prefix: str, value: dict[str, Any]) -> dict[str, Any]:
    """``{"a": {"b": 1}}`` under ``Tags`` -> ``{"Tags.a.b": 1}`` (prefixed collapsible map)."""
    out: dict[str, Any] = {}
    for key, sub in value.items():
        name = f"{prefix}.{key}"
        if isinstance(sub, dict):
            out.update(flatten(name, sub))
        else:
            out[name] = sub
    return out


DATE_TYPES = ("string:date-time", "string:date-time-rfc-2822", "string:date")
#: Compact types the official package reads with ``deserialize.decimal``: a ``number``
#: without a format (``price``, ``latitude``); ``number:float`` stays as JSON gave it.
DECIMAL_TYPES = ("number",)
_MONTHS = {
    m: f"{i:02d}"
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def date_parser(type_: str) -> Callable[[Any], Any]:
    """The parser of response fields of the date type ``type_`` (one of ``DATE_TYPES``):
    RFC 2822 on 2010-04-01, ISO 8601 elsewhere; anything unparseable comes back unchanged.
    (Made once per type, so each call pays for no import and no dispatch.)"""
    import datetime as dt

    if type_.endswith(":date"):
        date = dt.date.fromisoformat

        def iso_date(value: Any) -> Any:
            try:
                return date(value[:10]) if isinstance(value, str) and value else value
            except ValueError:
                return value

        return iso_date
    moment = dt.datetime.fromisoformat
    if not type_.endswith("rfc-2822"):

        def iso_datetime(value: Any) -> Any:
            if not isinstance(value, str) or not value:
                return value
            try:
                return moment(value[:-1] + "+00:00" if value.endswith("Z") else value)
            except ValueError:
                return value

        return iso_datetime

    def rfc2822(value: Any) -> Any:
        if not isinstance(value, str) or not value:
            return value
        # Twilio's fixed form, ``Thu, 30 Jul 2015 20:12:31 +0000``, as ISO text for the C parser.
        parts = value.split()
        if len(parts) == 6 and parts[5] == "+0000" and len(parts[1]) == 2 and len(parts[4]) == 8:
            month = _MONTHS.get(parts[2])
            if month is not None:
                try:
                    return moment(f"{parts[3]}-{month}-{parts[1]}T{parts[4]}+00:00")
                except ValueError:
                    pass
        from email.utils import parsedate_to_datetime

        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return value

    return rfc2822


def decimal_parser() -> Callable[[Any], Any]:
    """The parser of decimal fields: :class:`decimal.Decimal` as the official package returns
    it (falsy values unchanged); anything unparseable comes back unchanged."""
    from decimal import BasicContext, Decimal, InvalidOperation

    def parse_decimal(value: Any) -> Any:
        if not value or isinstance(value, bool):
            return value
        try:
            return Decimal(value, BasicContext)
        except (InvalidOperation, TypeError, ValueError):
            return value

    return parse_decimal


# Form encoding ------------------------------------------------------------------------------
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
# ASCII text is percent-encoded by one str.translate (C speed); anything else goes through
# urllib's quote_plus, which encodes UTF-8 bytes. Both give what urlencode gives.
_ASCII_FORM = {c: ("+" if c == 32 else f"%{c:02X}") for c in range(128) if chr(c) not in _UNRESERVED}


def form_quote(value: Any) -> str:
    """One key or value as ``urlencode`` (``quote_plus``, nothing safe) writes it."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return text.translate(_ASCII_FORM)
    from urllib.parse import quote_plus

    return quote_plus(text, safe="")


def form_encode(values: dict[str, Any]) -> str:
    """``urlencode(values, doseq=True)``: lists and tuples become repeated keys."""
    parts: list[str] = []
    for key, value in values.items():
        name = form_quote(key)
        if isinstance(value, (list, tuple)):
            parts.extend(f"{name}={form_quote(item)}" for item in value)
        else:
            parts.append(f"{name}={form_quote(value)}")
    return "&".join(parts)
