"""Twilio's date formats: RFC 2822 on 2010-04-01, ISO 8601 elsewhere, and parsing both.

Records keep server-side times as integer epoch seconds; these functions turn them into
the text each API version sends, and turn the text clients send back into seconds.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from email.utils import parsedate_tz
from functools import lru_cache
from typing import Any

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@lru_cache(maxsize=4096)
def rfc2822(seconds: int) -> str:
    """``Thu, 30 Jul 2015 20:12:31 +0000`` (locale-independent)."""
    t = time.gmtime(seconds)
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
    )


@lru_cache(maxsize=4096)
def iso8601(seconds: int) -> str:
    """``2015-07-30T20:12:31Z``."""
    t = time.gmtime(seconds)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}Z"


def iso_date(seconds: int) -> str:
    """``2015-07-30``."""
    return iso8601(seconds)[:10]


def parse(value: Any) -> float | None:
    """Epoch seconds from ISO 8601 (date, date-time, ``Z`` or offset) or RFC 2822 text;
    ``None`` when the value is not a date."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or not value or len(value) > 64:
        return None
    text = value.strip()
    try:
        if len(text) == 10 and text[4] == "-":
            day = dt.date.fromisoformat(text)
            return (
                dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc) - _EPOCH
            ).total_seconds()
        if text[:4].isdigit() and len(text) > 10:
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            return (moment - _EPOCH).total_seconds()
        parts = parsedate_tz(text)
        if parts is None:
            return None
        moment = dt.datetime(*parts[:6], tzinfo=dt.timezone.utc)
        return (moment - _EPOCH).total_seconds() - (parts[9] or 0)
    except (ValueError, OverflowError, TypeError, IndexError):
        return None


def formatter(type_: str) -> Callable[[int], str] | None:
    """The formatter for a compact field type, or ``None`` when the type is not a date."""
    if type_ == "string:date-time-rfc-2822":
        return rfc2822
    if type_ == "string:date-time":
        return iso8601
    if type_ == "string:date":
        return iso_date
    return None


def render(value: Any, fmt: Callable[[int], str]) -> Any:
    """A stored date value (seconds, or text a client sent) in the field's format."""
    if isinstance(value, bool) or value is None:
        return value
    seconds = value if isinstance(value, (int, float)) else parse(value)
    if seconds is None:
        return value
    try:
        return fmt(int(seconds))
    except (OverflowError, ValueError, OSError):
        return value
