"""What the Verify behaviour knows about Twilio, as data: error codes, limits, the channels and
what each checks ``To`` against, the SMS text and the sender the mock sends it from.

"ref §N" is ``reference/twilio-facts.md``. Anything marked **unconfirmed** is a guess or
remembered, not checked against Twilio; change it here, nowhere else.
"""

from __future__ import annotations

# code -> (HTTP status, message, source)
ERRORS: dict[int, tuple[int, str, str]] = {
    60200: (400, "Invalid parameter: {name}", "ref §1.1 (docs 60200), §1.4"),
    60202: (429, "Max check attempts reached", "ref §1.4, §12; HTTP 429 from a blog test (ref §16)"),
    60203: (429, "Max send attempts reached", "ref §1.4, §12 (docs 60203)"),
    60205: (403, "SMS is not supported by landline phone number", "ref §1.4 (docs 60205)"),
    60212: (429, "Too many concurrent requests for phone number", "ref §1.4, §13 (docs 60212)"),
    60221: (400, "No target verification specified", "ref §12 (docs 60221)"),
}
# What a limit rule (``backend.verify.limit``) may answer a verification start with: the 429s of
# ref §13. The mock serializes requests, so 60212 (concurrent starts for one number) and a
# service's rate limits never happen on their own: tests ask for them.
LIMIT_CODES = (60212, 60203)

# Verification create: the channels Twilio accepts (ref §12) and what ``To`` must be for each.
CHANNELS = {"sms": "phone", "call": "phone", "whatsapp": "phone", "sna": "phone", "email": "email"}

LIFETIME = 600.0  # seconds a verification stays pending (ref §12: 10 minutes)
MAX_SENDS = 5  # sends of one verification; the next is 429 / 60203 (ref §12)
MAX_CHECKS = 5  # wrong checks allowed; the next check is 429 / 60202 (ref §12)
CODE_LENGTH = 6  # a service's default ``code_length`` (core.defaults)
CODE_LENGTHS = (4, 10)  # ``CustomCode`` and a check's ``Code``: 4 to 10 characters (ref §1.4, 60200)

# The SMS an ``sms`` verification sends. The wording is unconfirmed (Twilio's English template
# as remembered; ``Locale`` and ``CustomMessage`` are not applied).
SMS_TEXT = "Your {friendly_name} verification code is: {code}"
# Twilio sends Verify SMS from its own senders, none of the account's numbers. Which one varies by
# country and is not documented: the mock uses this short code (unconfirmed, a mock choice), so
# the message never counts against the account's own numbers or their queues.
SMS_SENDER = "89363"

# ``send_code_attempts[].channel`` is upper case ("SMS", ref §12); ``attempt_sid`` starts VL.
ATTEMPT_PREFIX = "VL"

# Missing ``To``/``Channel`` on a create answer 60200 as an invalid value does (unconfirmed: the
# reference gives 60200 for bad values only).
MISSING_IS_INVALID = ("To", "Channel")

# Statuses after which a verification can no longer be checked or updated (404, ref §12 for
# approved and expired). Fetching one still answers it, with its status (unconfirmed: Twilio may
# answer 404 once it deletes the SID).
FINISHED = ("approved", "canceled", "max_attempts_reached", "expired")


def error_text(code: int, **values: str) -> str:
    return ERRORS[code][1].format(**values) if values else ERRORS[code][1]
