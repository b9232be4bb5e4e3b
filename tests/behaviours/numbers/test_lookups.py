"""Lookups v2: validation with phonenumbers (E.164 or national in CountryCode's country), the
reasons an invalid number gives, and the line type and caller name packages made up per
number under the seed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.numbers.sdks import Sdk, fields
from twilio_mock import Backend, mock
from twilio_mock.behaviours.numbers_data import CALLER_TYPES, CARRIERS, MAIN_NUMBER, TWILIO_CARRIER

PACKAGES = (
    "caller_name",
    "sim_swap",
    "call_forwarding",
    "line_type_intelligence",
    "line_status",
    "identity_match",
    "reassigned_number",
    "sms_pumping_risk",
    "phone_number_quality_score",
    "pre_fill",
)


def _lookup(client: Any, number: str, **params: Any) -> dict[str, Any]:
    return fields(client.lookups.v2.phone_numbers(number).fetch(**params))


def test_a_valid_number(sdk: Sdk) -> None:
    found = _lookup(sdk.client, "+14155550100")
    assert found["valid"] is True and found["validation_errors"] == []
    assert (found["phone_number"], found["country_code"], found["calling_country_code"]) == (
        "+14155550100",
        "US",
        "1",
    )
    assert found["national_format"] == "(415) 555-0100"
    assert found["url"] == "https://lookups.twilio.com/v2/PhoneNumbers/+14155550100"
    assert all(found[p] is None for p in PACKAGES)  # no Fields: no packages


@pytest.mark.parametrize(
    ("given", "params", "number", "country", "national"),
    [
        ("020 7183 8750", {"country_code": "GB"}, "+442071838750", "GB", "020 7183 8750"),
        ("0412 345 678", {"country_code": "au"}, "+61412345678", "AU", "0412 345 678"),
        ("(415) 555-0100", {}, "+14155550100", "US", "(415) 555-0100"),  # US when no CountryCode
        ("+44 20 7183 8750", {}, "+442071838750", "GB", "020 7183 8750"),
    ],
)
def test_national_and_formatted_input(
    sdk: Sdk, given: str, params: dict[str, str], number: str, country: str, national: str
) -> None:
    found = _lookup(sdk.client, given, **params)
    assert found["valid"] is True
    assert (found["phone_number"], found["country_code"], found["national_format"]) == (
        number,
        country,
        national,
    )
    assert found["url"] == f"https://lookups.twilio.com/v2/PhoneNumbers/{number}"


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("+141599299600", "TOO_LONG"),  # oai's fetchInvalid example
        ("+1415", "TOO_SHORT"),
        ("+15558675310", "INVALID_BUT_POSSIBLE"),  # 555 is no area code
        ("+999123456", "INVALID_COUNTRY_CODE"),
        ("banana", "NOT_A_NUMBER"),
        ("0764709712", "INVALID_BUT_POSSIBLE"),  # a UK mobile read as a US number
    ],
)
def test_an_invalid_number(sdk: Sdk, given: str, reason: str) -> None:
    found = _lookup(sdk.client, given, fields="line_type_intelligence,caller_name")
    assert found["valid"] is False and found["validation_errors"] == [reason]
    assert found["phone_number"] == given
    assert [found[k] for k in ("country_code", "calling_country_code", "national_format")] == [None] * 3
    assert all(found[p] is None for p in PACKAGES)


def test_line_type_intelligence(sdk: Sdk) -> None:
    client = sdk.client
    us = _lookup(client, "+14155550100", fields="line_type_intelligence")["line_type_intelligence"]
    assert set(us) == {"error_code", "mobile_country_code", "mobile_network_code", "carrier_name", "type"}
    assert us["type"] in {"mobile", "landline", "nonFixedVoip"} and us["error_code"] is None
    assert (us["carrier_name"], us["mobile_country_code"], us["mobile_network_code"]) in CARRIERS["US"][
        us["type"]
    ]
    mobile = _lookup(client, "+447400123456", fields="line_type_intelligence")["line_type_intelligence"]
    assert mobile["type"] == "mobile" and mobile["mobile_country_code"] == "234"
    landline = _lookup(client, "+442071838750", fields="line_type_intelligence")["line_type_intelligence"]
    assert landline["type"] == "landline" and landline["mobile_country_code"] is None
    toll_free = _lookup(client, "+18005550123", fields="line_type_intelligence")["line_type_intelligence"]
    assert toll_free["type"] == "tollFree"


def test_a_number_of_the_fake_is_twilio_s(sdk: Sdk) -> None:
    found = _lookup(sdk.client, MAIN_NUMBER, fields="line_type_intelligence")["line_type_intelligence"]
    name, mcc, mnc, line = TWILIO_CARRIER
    assert (found["carrier_name"], found["mobile_country_code"], found["mobile_network_code"]) == (
        name,
        mcc,
        mnc,
    )
    assert found["type"] == line == "nonFixedVoip"


def test_caller_name(sdk: Sdk) -> None:
    found = _lookup(sdk.client, "+14155550100", fields="caller_name,sim_swap")
    name = found["caller_name"]
    assert name["caller_type"] in CALLER_TYPES and name["error_code"] is None
    assert isinstance(name["caller_name"], str) and name["caller_name"]
    assert found["sim_swap"] is None  # asked for, but the fake has no such package
    assert found["line_type_intelligence"] is None  # not asked for
    abroad = _lookup(sdk.client, "+442071838750", fields="caller_name")["caller_name"]
    assert abroad == {"caller_name": None, "caller_type": None, "error_code": None}  # CNAM is US only


def test_both_packages_by_name_list(sdk: Sdk) -> None:
    found = _lookup(sdk.client, "+12125550100", fields="line_type_intelligence,caller_name")
    assert found["line_type_intelligence"] is not None and found["caller_name"] is not None


def _packages(seed: int, numbers: list[str]) -> list[Any]:
    client = mock(backend=Backend(seed=seed)).client()
    wanted = "line_type_intelligence,caller_name"
    return [
        [_lookup(client, n, fields=wanted)[p] for p in ("line_type_intelligence", "caller_name")]
        for n in numbers
    ]


def test_the_packages_follow_the_seed() -> None:
    numbers = [f"+1212555{n:04d}" for n in range(100, 110)]
    one, again, two = _packages(1, numbers), _packages(1, numbers), _packages(2, numbers)
    assert one == again
    for package in (0, 1):  # line type, caller name: each one made up under the seed
        assert [p[package] for p in one] != [p[package] for p in two]
    assert [p[1]["caller_name"] for p in one] != [p[1]["caller_name"] for p in two]  # faker's names too


def test_test_credentials_may_look_up(sdk: Sdk) -> None:
    before = sdk.backend.snapshot()["collections"]
    found = _lookup(sdk.test_client, "+14155550100", fields="caller_name")
    assert found["valid"] is True and found["caller_name"]["caller_name"]
    assert sdk.backend.snapshot()["collections"] == before
