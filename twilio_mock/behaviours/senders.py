"""Addresses messages go to and come from: phone numbers (checked with ``phonenumbers``), short
codes, alphanumeric sender IDs and channel addresses (``whatsapp:+1…``); and which of an account's
phone numbers it owns (its IncomingPhoneNumber records, whatever created them)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from twilio_mock.core import errors
from twilio_mock.core.store import CollectionKey

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

Record = dict[str, Any]
NUMBER_PATHS = ("", "/Local", "/Mobile", "/TollFree")  # IncomingPhoneNumbers and its three kinds
_INDEX = "~e164"  # the name of the equality index over owned numbers (never a list filter's)


@lru_cache(maxsize=8192)
def e164(value: str) -> str | None:
    """``value`` as E.164 when it is a *possible* phone number (``+`` and digits, formatting
    allowed), else ``None``."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)
def country(number: str) -> str:
    """The ISO country of an E.164 number (the main country of its calling code), or ``""``."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return ""
    region = phonenumbers.region_code_for_number(parsed)
    if not region or region == "ZZ":
        region = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
    return "" if region in (None, "ZZ") else str(region)


@lru_cache(maxsize=8192)
def kind(address: str) -> str:
    """``long_code``, ``toll_free``, ``short_code``, ``alphanumeric`` or ``channel``."""
    if ":" in address:
        return "channel"
    if address.isdigit():
        return "short_code"
    if not address.startswith("+"):
        return "alphanumeric"
    import phonenumbers

    try:
        parsed = phonenumbers.parse(address, None)
    except phonenumbers.NumberParseException:
        return "long_code"
    toll_free = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE
    return "toll_free" if toll_free else "long_code"


def normalize(value: str, param: str) -> str:
    """The key an address is compared by: E.164 for phone numbers (``whatsapp:`` kept in front),
    others as given. A ``+`` number that is not a possible phone number is Twilio's 21211 (To) or
    21212 (From)."""
    scheme, colon, rest = value.partition(":")
    number = rest if colon else value
    if not number.startswith("+"):
        return value
    found = e164(number)
    if found is None:
        code = 21211 if param == "To" else 21212
        raise invalid(code, value)
    return f"{scheme}:{found}" if colon else found


def invalid(code: int, value: str) -> errors.MockError:
    from twilio_mock.behaviours.messaging_data import error_text

    return errors.MockError(400, code, error_text(code, to=errors.short(value), from_=errors.short(value)))


def number_keys(owner: str) -> list[CollectionKey]:
    base = f"/2010-04-01/Accounts/{owner}/IncomingPhoneNumbers"
    return [(owner, "api", "v2010", base + tail) for tail in NUMBER_PATHS]


def _keys_of(record: Record) -> tuple[str, ...]:
    number = record.get("phone_number")
    found = e164(number) if isinstance(number, str) and number.startswith("+") else number
    return (str(found),) if found else ()


def owned(core: Core, owner: str, number: str) -> Record | None:
    """The account's IncomingPhoneNumber record for ``number`` (E.164), if it owns it."""
    store = core.store
    for key in number_keys(owner):
        coll = store.get(key)
        if coll is None or not len(coll):
            continue
        positions, start, stop = coll.equality_index(_INDEX, _keys_of).window(number)
        if stop > start:
            return coll.at(positions[start])
    return None


def owned_numbers(core: Core, owner: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` of the account's phone numbers (for error messages)."""
    out: list[str] = []
    for key in number_keys(owner):
        coll = core.store.get(key)
        for record in coll.records() if coll is not None else ():
            if len(out) < limit and record.get("phone_number"):
                out.append(str(record["phone_number"]))
    return out


def owner_of(core: Core, number: str) -> tuple[str, Record] | None:
    """The account that owns ``number`` (E.164) and its IncomingPhoneNumber record."""
    from twilio_mock.identity import accounts_of

    for account in accounts_of(core).collection.records():
        sid = str(account.get("sid"))
        found = owned(core, sid, number)
        if found is not None:
            return sid, found
    return None


def owner(core: Core, number: str) -> tuple[str, Record]:
    """:func:`owner_of`, or ``LookupError`` saying how to make ``number`` an account's (what an
    inbound message or call to a number nobody owns answers)."""
    found = owner_of(core, number)
    if found is None:
        raise LookupError(
            f"no account owns {number}: create it first, e.g. "
            f'client.incoming_phone_numbers.create(phone_number="{number}")'
        )
    return found
