"""E.164 numbers as ``phonenumbers`` judges them: number types, each region's example number,
validity, and a valid number built from chosen digits. Shared by the mock's faker provider and the
hypothesis strategies."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType as T

NUMBER_TYPES: dict[str, int] = {
    "fixed_line": T.FIXED_LINE,
    "mobile": T.MOBILE,
    "toll_free": T.TOLL_FREE,
    "premium_rate": T.PREMIUM_RATE,
    "shared_cost": T.SHARED_COST,
    "voip": T.VOIP,
    "personal_number": T.PERSONAL_NUMBER,
    "pager": T.PAGER,
    "uan": T.UAN,
    "voicemail": T.VOICEMAIL,
}
# Where phonenumbers cannot tell the two apart (the US, Canada...), a number is both.
_ALSO = {T.FIXED_LINE: {T.FIXED_LINE_OR_MOBILE}, T.MOBILE: {T.FIXED_LINE_OR_MOBILE}}


def _kind(type_: str | None) -> int | None:
    if type_ is None:
        return None
    try:
        return NUMBER_TYPES[type_]
    except KeyError:
        raise ValueError(f"unknown number type {type_!r}; one of {', '.join(NUMBER_TYPES)}") from None


@lru_cache(maxsize=1024)
def example(country: str, type_: str | None = None) -> tuple[str, str]:
    """(``+`` and country code, national significant number) of phonenumbers' example."""
    region = country.upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"phonenumbers knows no region {country!r}")
    kind = _kind(type_)
    found = (
        phonenumbers.example_number(region)
        if kind is None
        else phonenumbers.example_number_for_type(region, kind)
    )
    if found is None:
        raise ValueError(f"phonenumbers knows no {type_} numbers for {region}")
    return f"+{found.country_code}", phonenumbers.national_significant_number(found)


def is_valid(number: str, country: str | None = None, type_: str | None = None) -> bool:
    """Whether ``number`` is a valid E.164 number (of ``country`` and ``type_`` when given)."""
    if not number.startswith("+"):
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(parsed):
        return False
    if phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != number:
        return False
    if country is not None and phonenumbers.region_code_for_number(parsed) != country.upper():
        return False
    kind = _kind(type_)
    if kind is None:
        return True
    got = phonenumbers.number_type(parsed)
    return got == kind or got in _ALSO.get(kind, set())


def build(country: str, type_: str | None, digits: Sequence[int], keep: int) -> str:
    """A valid number: the example's first ``keep`` digits, then ``digits``; if that is not
    valid, fewer digits changed, and at worst the example itself."""
    head, nsn = example(country, type_)
    tail = "".join(str(d % 10) for d in digits)
    for kept in (keep, len(nsn) - 4, len(nsn) - 2, len(nsn) - 1):
        kept = max(0, min(kept, len(nsn)))
        number = head + nsn[:kept] + tail[kept : len(nsn)].ljust(len(nsn) - kept, "0")
        if is_valid(number, country, type_):
            return number
    return head + nsn
