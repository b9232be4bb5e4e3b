"""Turning Python values into Twilio's wire formats, and dates and decimals back into Python."""

from __future__ import annotations

from typing import Any


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


def parse_date(value: Any, type_: str) -> Any:
    """Parse a response field of a date type; anything unparseable comes back unchanged."""
    if not isinstance(value, str) or not value:
        return value
    import datetime as dt

    try:
        if type_.endswith("rfc-2822"):
            return _rfc2822(value)
        if type_.endswith(":date"):
            return dt.date.fromisoformat(value[:10])
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        return dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return value


DATE_TYPES = ("string:date-time", "string:date-time-rfc-2822", "string:date")
#: Compact types the official package reads with ``deserialize.decimal``: a ``number``
#: without a format (``price``, ``latitude``); ``number:float`` stays as JSON gave it.
DECIMAL_TYPES = ("number",)


def parse_decimal(value: Any) -> Any:
    """A decimal field as :class:`decimal.Decimal`, as the official package returns it
    (falsy values unchanged); anything unparseable comes back unchanged."""
    if not value or isinstance(value, bool):
        return value
    from decimal import BasicContext, Decimal, InvalidOperation

    try:
        return Decimal(value, BasicContext)
    except (InvalidOperation, TypeError, ValueError):
        return value


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def _rfc2822(value: str) -> Any:
    """Twilio's fixed form (``Thu, 30 Jul 2015 20:12:31 +0000``) fast; anything else via
    ``email.utils``."""
    import datetime as dt

    parts = value.split()
    if len(parts) == 6 and parts[5] == "+0000" and parts[2] in _MONTHS and len(parts[4]) == 8:
        h, m, s = parts[4].split(":")
        return dt.datetime(
            int(parts[3]), _MONTHS[parts[2]], int(parts[1]), int(h), int(m), int(s), tzinfo=dt.timezone.utc
        )
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(value)
