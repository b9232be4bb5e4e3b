"""Lookups v2 (``GET lookups.twilio.com/v2/PhoneNumbers/{PhoneNumber}``), answered by a fetch
provider: nothing is stored.

The number is parsed with ``phonenumbers`` (E.164, or national in ``CountryCode``'s country, US
by default as the description says); a valid one gets ``country_code``,
``calling_country_code``, ``national_format`` and its E.164 ``phone_number``, an invalid one
``valid: false`` with the reason in ``validation_errors`` and those fields null (oai's
``fetchInvalid`` example). ``Fields=line_type_intelligence,caller_name`` fill those packages
with data made up per number under the seed (the line type follows phonenumbers where it tells
landlines from mobiles; a number an account of the fake owns is Twilio's); every other package
stays null. Lookups v1 is left to the generic behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours.numbers import owned, type_name
from twilio_mock.behaviours.numbers_data import (
    AMBIGUOUS_LINES,
    CALLER_NAME_COUNTRIES,
    CALLER_TYPES,
    CARRIERS,
    LINE_TYPES,
    LOOKUP_FIELDS,
    PARSE_ERRORS,
    POSSIBILITY_ERRORS,
    TWILIO_CARRIER,
)
from twilio_mock.core.minter import keyed

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

Record = dict[str, Any]


def install(core: Core) -> None:
    core.fetches[("lookups", "PhoneNumbers")] = _lookup


def _lookup(call: Call) -> Record:
    import phonenumbers

    raw = call.route.ident or ""
    region = next((v for k, v in call.query if k == "CountryCode" and v), "US").upper()
    asked = {f.strip() for k, v in call.query if k == "Fields" for f in v.split(",")}
    record: Record = {"phone_number": raw, "valid": False}
    try:
        parsed = phonenumbers.parse(raw, None if raw.startswith("+") else region)
    except phonenumbers.NumberParseException as exc:
        record["validation_errors"] = [_parse_error(exc.error_type)]
        return record
    if not phonenumbers.is_valid_number(parsed):
        record["validation_errors"] = [_possibility(phonenumbers.is_possible_number_with_reason(parsed))]
        return record
    number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    iso = str(phonenumbers.region_code_for_number(parsed))
    record.update(
        phone_number=number,
        valid=True,
        validation_errors=[],
        calling_country_code=str(parsed.country_code),
        country_code=iso,
        national_format=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
    )
    seed = call.backend.minter.seed
    for package in LOOKUP_FIELDS:
        if package in asked:
            make = _line_type if package == "line_type_intelligence" else _caller_name
            record[package] = make(call.backend, seed, number, iso, parsed)
    return record


def _parse_error(error_type: int) -> str:
    import phonenumbers

    names = {getattr(phonenumbers.NumberParseException, n): n for n in PARSE_ERRORS}
    return PARSE_ERRORS.get(names.get(error_type, ""), "NOT_A_NUMBER")


def _possibility(result: int) -> str:
    import phonenumbers

    names = {getattr(phonenumbers.ValidationResult, n): n for n in POSSIBILITY_ERRORS}
    return POSSIBILITY_ERRORS.get(names.get(result, ""), "INVALID_BUT_POSSIBLE")


def _line_type(core: Core, seed: str, number: str, iso: str, parsed: Any) -> Record:
    import phonenumbers

    name: str | None
    mcc: str | None
    mnc: str | None
    if number in owned(core):
        name, mcc, mnc, line = TWILIO_CARRIER
    else:
        kind = type_name(phonenumbers.number_type(parsed))
        with keyed(seed, f"{number}|line") as fake:
            line = (
                fake.random_element(AMBIGUOUS_LINES)
                if kind == "FIXED_LINE_OR_MOBILE"
                else LINE_TYPES.get(kind, "unknown")
            )
            choices = CARRIERS.get(iso, {}).get(line, ())
            name, mcc, mnc = fake.random_element(choices) if choices else (None, None, None)
    return {
        "error_code": None,
        "mobile_country_code": mcc,
        "mobile_network_code": mnc,
        "carrier_name": name,
        "type": line,
    }


def _caller_name(core: Core, seed: str, number: str, iso: str, parsed: Any) -> Record:
    if iso not in CALLER_NAME_COUNTRIES:
        return {"caller_name": None, "caller_type": None, "error_code": None}
    with keyed(seed, f"{number}|cnam") as fake:
        caller_type = fake.random_element(CALLER_TYPES)
        name = fake.caller_name() if caller_type == "CONSUMER" else fake.company()
    return {"caller_name": str(name), "caller_type": caller_type, "error_code": None}
