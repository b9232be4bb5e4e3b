"""Canned Twilio payloads: one Message (20 fields, RFC 2822 dates) and a 1,000-record page."""

from __future__ import annotations

import json
from typing import Any

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "bench-auth-token"
TO = "+15558675310"
FROM = "+15017122661"
BODY = "Benchmarks are measured, not guessed."
MESSAGES_URL = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
PAGE_SIZE = 1000

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def message_sid(n: int) -> str:
    return f"SM{n:032x}"


def rfc2822(n: int) -> str:
    """A distinct RFC 2822 date per record (2024-01-01 was a Monday)."""
    day = n % 28 + 1
    weekday = _DAYS[(day - 1) % 7]
    return f"{weekday}, {day:02d} Jan 2024 {n % 24:02d}:{n % 60:02d}:{(n * 7) % 60:02d} +0000"


def message(n: int = 0, status: str = "queued") -> dict[str, Any]:
    """One Message record as the v2010 API returns it (20 fields)."""
    sid = message_sid(n)
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}"
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": BODY,
        "date_created": rfc2822(n),
        "date_sent": rfc2822(n + 1),
        "date_updated": rfc2822(n + 2),
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": FROM,
        "messaging_service_sid": "MG" + "fedcba9876543210" * 2,
        "num_media": "0",
        "num_segments": "1",
        "price": None if status == "queued" else "-0.00790",
        "price_unit": "USD",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
        "to": TO,
        "uri": f"{uri}.json",
    }


def message_json() -> str:
    """The 201 body of ``messages.create``."""
    return json.dumps(message(0))


def page_json(count: int = PAGE_SIZE) -> str:
    """One v2010 Messages page holding ``count`` records and no next page."""
    base = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    return json.dumps(
        {
            "end": count - 1,
            "first_page_uri": f"{base}?PageSize={count}&Page=0",
            "messages": [message(i, "delivered") for i in range(count)],
            "next_page_uri": None,
            "page": 0,
            "page_size": count,
            "previous_page_uri": None,
            "start": 0,
            "uri": f"{base}?PageSize={count}&Page=0",
        }
    )
