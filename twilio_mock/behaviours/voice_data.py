"""Voice's data tables: error codes and texts, the test credentials' magic numbers, delays of the
call lifecycle, prices and TwiML defaults (reference/twilio-facts.md §1.4, §2, §11, §17)."""

from __future__ import annotations

from typing import Any

# code -> (HTTP status, message template). ``{to}``/``{from_}``/``{value}`` are filled in.
ERRORS: dict[int, tuple[int, str]] = {
    20001: (400, "{value}"),
    21201: (400, "No 'To' number is specified"),  # current wording unconfirmed (ref §1.4)
    21218: (400, "Invalid ApplicationSid"),  # unconfirmed: code and wording for an unknown application
    21210: (400, "The source phone number provided, {from_}, is not yet verified for your account."),
    21211: (400, "The 'To' number {to} is not a valid phone number."),
    21212: (400, "The 'From' number {from_} is not a valid phone number or shortcode."),
    21214: (400, "'To' phone number cannot be reached"),
    21215: (
        400,
        "Account not authorized to call {to}. Perhaps you need to enable some international permissions.",
    ),
    21216: (400, "Account not allowed to call {to}"),
    21217: (400, "Phone number does not appear to be valid"),
    21220: (400, "Call is not in-progress. Cannot redirect."),  # unconfirmed wording and code
    32018: (400, "Twiml parameter is longer than 4000 characters"),  # unconfirmed wording
}

# Test credentials (ref §2, "Calls"): From first, then To.
MAGIC_FROM: dict[str, int | None] = {"+15005550001": 21212, "+15005550006": None}
MAGIC_FROM_OTHER = 21210
MAGIC_TO: dict[str, int] = {
    "+15005550001": 21217,
    "+15005550002": 21214,
    "+15005550003": 21215,
    "+15005550004": 21216,
}

MAX_TWIML = 4000  # characters of inline Twiml (ref §17.1)
DEFAULT_TIMEOUT = 60  # s a call rings before no-answer (ref §11)
MAX_TIMEOUT = 600

# Virtual seconds of the lifecycle; the mock's choices (Twilio states none).
DELAYS: dict[str, float] = {
    "ringing": 1.0,  # queued -> ringing
    "answer": 3.0,  # ringing -> in-progress for an ordinary number
    "busy": 2.0,  # ringing -> busy
    "failed": 1.0,  # queued -> failed
    "talk": 10.0,  # how long a dialed party stays on before hanging up
    "recording": 5.0,  # how long a caller speaks into <Record>
    "amd": 2.0,  # answer -> the asynchronous AMD result (unconfirmed)
}

# Per-minute prices, negative (a charge), by direction; unconfirmed: the mock's round figures.
PRICES = {"outbound-api": "0.01400", "outbound-dial": "0.01400", "inbound": "0.00850"}
PRICE_UNIT = "USD"
UNBILLED = ("busy", "failed", "no-answer", "canceled")  # ref §17.9

STATUS_EVENTS = ("initiated", "ringing", "answered", "completed")
FINAL = ("completed", "busy", "failed", "no-answer", "canceled")
# StatusCallbackEvent names by the status that fires them.
EVENT_OF = {"initiated": "initiated", "ringing": "ringing", "in-progress": "answered"}

# TwiML execution (ref §17.2). The "application error" words are unconfirmed (ref §17.2).
TWIML_ERRORS = {
    "fetch": 11200,
    "status": 11200,
    "parse": 12100,
    "root": 12102,
    "schema": 12200,
    "content_type": 12300,
    "too_large": 11750,
    "redirects": 11215,
}
ERROR_TEXTS = {
    11100: "Invalid URL format",
    11200: "HTTP retrieval failure",
    11205: "HTTP connection failure",
    11215: "HTTP too many redirects",
    11750: "TwiML response body too large",
    12100: "Document parse failure",
    12102: "The root element must be Response",
    12200: "Schema validation warning",
    12300: "Invalid Content-Type",
}
APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye."  # unconfirmed
MAX_BODY = 64 * 1024
FETCH_LIMIT = 100  # TwiML documents one call may fetch before the mock stops it (a loop guard)
XML_TYPES = ("text/xml", "application/xml", "text/html")

# Verb defaults (ref §17.4-17.8).
SAY_VOICE, SAY_LANGUAGE = "man", "en-US"
GATHER: dict[str, Any] = {"timeout": 5, "finishOnKey": "#", "input": "dtmf", "method": "POST"}
DIAL_TIMEOUT = 30
DIAL_TIME_LIMIT = 14400
RECORD: dict[str, Any] = {"timeout": 5, "finishOnKey": "1234567890*#", "maxLength": 3600, "method": "POST"}
QUEUE_MAX = 100


def error_text(code: int, **values: Any) -> str:
    template = ERRORS.get(code, (400, ERROR_TEXTS.get(code, "Error")))[1]
    filled = {"to": "", "from_": "", "value": "", **{k: str(v) for k, v in values.items()}}
    return template.format(**filled)
