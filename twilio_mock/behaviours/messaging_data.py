"""What the messaging behaviours know about Twilio, as data: error codes, the test credentials'
magic numbers, delays, throughput, prices, opt-out keywords and their default replies.

Sources are named beside each entry: "ref §N" is ``reference/twilio-facts.md``; "docs NNNNN" a
twilio.com error page read while this was written. Anything marked **unconfirmed** is a guess
or remembered, not checked against Twilio; change it here, nowhere else.
"""

from __future__ import annotations

from typing import Any

# Error catalogue: code -> (HTTP status, message, source). Status 0: a delivery error, reported on
# the Message (``error_code``) and in its status callback, never as an HTTP error (ref §1.4).
# ``{to}``/``{from_}`` in a message are filled with the values sent.
ERRORS: dict[int, tuple[int, str, str]] = {
    21211: (400, "The 'To' number {to} is not a valid phone number.", "ref §1.4"),
    21212: (400, "The 'From' number {from_} is not a valid phone number or shortcode.", "ref §1.1"),
    21266: (400, "'To' and 'From' number cannot be the same: {to}", "ref §1.4 (third-party copy)"),
    21408: (
        400,
        "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
        "ref §1.4 (third-party copy)",
    ),
    21421: (400, "Phone Number is invalid", "docs 21421 (a PhoneNumberSid for a Messaging Service)"),
    21606: (
        400,
        "The 'From' phone number provided ({from_}) is not a valid message-capable Twilio phone number "
        "for this destination/account.",
        "ref §1.4 (docs 21606)",
    ),
    21610: (400, "Attempt to send to unsubscribed recipient {to}", "ref §1.4, §18.1"),
    21611: (
        400,
        "This 'From' number ({from_}) has exceeded the maximum number of queued messages",
        "ref §1.4, §13 (docs 21611)",
    ),
    21612: (
        400,
        "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: "
        "{from_} via SMS.",
        "ref §2 (magic +15005550002); wording unconfirmed",
    ),
    21614: (400, "'To' number {to} is not a valid mobile number", "ref §1.4 (third-party copy)"),
    21617: (400, "The concatenated message body exceeds the 1600 character limit.", "ref §1.4 (docs 21617)"),
    21704: (400, "The Messaging Service contains no phone numbers", "unconfirmed (code and wording)"),
    21705: (400, "The Messaging Service is invalid", "docs 21705; for an unknown MG SID unconfirmed"),
    21715: (400, "Phone Number Does Not Have Correct Messaging Service Capabilities", "docs 21715"),
    30409: (400, "This message cannot be canceled", "docs 30409; HTTP status unconfirmed"),
    35111: (400, "SendAt timestamp is missing", "ref §1.4 (docs 35111)"),
    35115: (
        400,
        "Scheduling does not support this timestamp: SendAt must be more than 300 seconds and at most "
        "35 days in the future",
        "ref §1.4, §10 (docs 35115; 35114 and 35117 carry the same text)",
    ),
    35118: (400, "MessagingServiceSid is required to schedule a message", "docs 35118"),
    35126: (
        400,
        "The ScheduleType value provided is not supported for this channel",
        "ref §1.4 (docs 35126)",
    ),
    # Delivery errors (ref §1.4).
    30001: (0, "Queue overflow", "ref §1.4, §13 (docs 21611)"),
    30003: (0, "Unreachable destination handset", "ref §1.4 (docs 30003)"),
    30004: (0, "Message blocked", "unconfirmed"),
    30005: (0, "Unknown destination handset", "unconfirmed"),
    30006: (0, "Landline or unreachable carrier", "ref §1.4 (docs 30006)"),
    30007: (0, "Message filtered", "unconfirmed"),
    30008: (0, "Unknown error", "unconfirmed"),
}

# Parameter codes the generic validation uses for Messages (added to ``core.errors.PARAM_CODES``).
PARAM_CODES: dict[str, dict[str, tuple[int, str]]] = {
    "ScheduleType": {"invalid": (35126, ERRORS[35126][1])},
}

# Test credentials, Messages create (ref §2, "Messages" table): From first, then To.
MAGIC_FROM: dict[str, int | None] = {
    "+15005550001": 21212,
    "+15005550007": 21606,
    "+15005550008": 21611,
    "+15005550006": None,  # success
}
MAGIC_FROM_OTHER = 21606  # any other From (ref §2)
MAGIC_TO: dict[str, int] = {
    "+15005550001": 21211,
    "+15005550002": 21612,
    "+15005550003": 21408,
    "+15005550004": 21610,
    "+15005550009": 21614,
}

# Seconds between the steps of an outbound message, on the virtual clock (unconfirmed: Twilio's
# times vary; by default a message is delivered within 10 s of being created). Keyed by the status
# reached: ``queued`` (after ``accepted``), ``sending`` (after the sender's queue frees up),
# ``sent``, ``delivered`` (also ``undelivered``/``failed``, whichever a rule chooses).
DELAYS: dict[str, float] = {"queued": 1.0, "sending": 1.0, "sent": 1.0, "delivered": 3.0}

# Segments per second each kind of sender sends (ref §13: 1/s for a US long code, 100+ for short
# codes); toll-free, alphanumeric and channel (WhatsApp) rates are unconfirmed.
THROUGHPUT: dict[str, float] = {
    "long_code": 1.0,
    "toll_free": 3.0,
    "short_code": 100.0,
    "alphanumeric": 10.0,
    "channel": 80.0,
}
VALIDITY_PERIOD = 36000  # seconds a message may wait in its sender's queue (ref §10, §13)
SCHEDULE_MIN = 300  # SendAt more than this many seconds ahead ... (ref §10, docs 35115)
SCHEDULE_MAX = 35 * 86400  # ... and at most 35 days (ref §10)
MAX_BODY = 1600  # characters (ref §10, 21617)

# Price per segment (SMS) or per message (MMS), by destination country (ISO code), USD, charged
# once sent: all unconfirmed (US list prices as remembered); "*" is every other country.
PRICE_UNIT = "USD"
SMS_PRICES: dict[str, str] = {"US": "0.00790", "CA": "0.00790", "*": "0.05000"}
MMS_PRICES: dict[str, str] = {"US": "0.02000", "CA": "0.02000", "*": "0.10000"}
FREE_PRICE = "0.00000"  # keyword auto-replies are free (ref §18.1)

# Keywords, matched against the whole body (ref §18.1: "STOP PLEASE" is not a keyword); trimmed
# and in any case (unconfirmed beyond lower-case "stop").
OPT_OUT = ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
OPT_IN = ("START", "YES", "UNSTOP")
HELP = ("HELP", "INFO")
# ``OptOutType`` on the inbound webhook per kind (ref §18.1: STOP seen; START and HELP unconfirmed).
OPT_OUT_TYPES = {"opt_out": "STOP", "opt_in": "START", "help": "HELP"}
# Twilio's automatic replies (ref §18.1 gives their gist; the exact texts are unconfirmed).
DEFAULT_REPLIES = {
    "opt_out": (
        "You have successfully been unsubscribed. You will not receive any more messages from this "
        "number. Reply START to resubscribe."
    ),
    "opt_in": (
        "You have successfully been re-subscribed to messages from this number. Reply HELP for help. "
        "Reply STOP to unsubscribe. Msg&Data Rates May Apply."
    ),
    "help": "Reply STOP to unsubscribe. Msg&Data Rates May Apply.",
}

# Inbound TwiML (ref §18.2): how many <Redirect>s are followed (unconfirmed) and the codes logged.
REDIRECT_LIMIT = 10
TWIML_ERRORS = {
    "fetch": 11200,  # HTTP retrieval failure (ref §17.2)
    "parse": 12100,  # document parse failure (ref §17.2)
    "redirects": 11215,  # too many redirects (ref §17.2)
}
# Media content type when a URL's extension says nothing (unconfirmed).
DEFAULT_MEDIA_TYPE = "image/jpeg"
# Messaging Service phone number ``capabilities`` names (docs "Messaging Service PhoneNumber
# Resource": Voice, SMS, MMS; their order unconfirmed).
CAPABILITY_NAMES = (("mms", "MMS"), ("sms", "SMS"), ("voice", "Voice"))


def error_text(code: int, **values: Any) -> str:
    """The catalogue message for ``code`` with ``{to}``/``{from_}`` filled in."""
    return ERRORS[code][1].format_map(_Blank(values))


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
