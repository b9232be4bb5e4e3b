"""Buying numbers (create on IncomingPhoneNumbers and its typed lists): the magic table of the
test credentials, buying by number and by area code with live ones, the errors, updates that
keep the webhook URLs, and releasing a number, which puts it back on sale."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.numbers.sdks import Sdk, failure, fields
from twilio_mock import Backend
from twilio_mock.behaviours.numbers import collection_key
from twilio_mock.behaviours.numbers_data import MAGIC_PURCHASES, MAIN_NUMBER

MAGIC = sorted(MAGIC_PURCHASES.items())


def _buy(client: Any, kind: str = "", **params: Any) -> Any:
    numbers = client.incoming_phone_numbers
    return (getattr(numbers, kind) if kind else numbers).create(**params)


@pytest.mark.parametrize(("given", "code"), MAGIC, ids=[f"{p}={v}" for (p, v), _ in MAGIC])
def test_the_magic_purchase_table(sdk: Sdk, given: tuple[str, str], code: int | None) -> None:
    """reference §2: +15005550000 unavailable, +15005550001 invalid, +15005550006 bought;
    AreaCode 533 has none, 500 buys +15005550006. Nothing is stored either way."""
    param, value = given
    keyword = {"PhoneNumber": "phone_number", "AreaCode": "area_code"}[param]
    before = sdk.backend.snapshot()["collections"]
    if code is None:
        bought = _buy(sdk.test_client, **{keyword: value})
        assert bought.phone_number == "+15005550006"
        assert bought.friendly_name == "(500) 555-0006"
        assert bought.sid.startswith("PN") and bought.account_sid == sdk.backend.test_account_sid
    else:
        assert failure(lambda: _buy(sdk.test_client, **{keyword: value})) == (400, code)
    assert sdk.backend.snapshot()["collections"] == before  # test credentials change nothing


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"phone_number": "+14155550100"}, 21422),  # valid, but not a test number (unconfirmed)
        ({"phone_number": "+1415"}, 21421),
        ({"area_code": "415"}, 21452),  # test accounts have numbers in 500 only (unconfirmed)
        ({"area_code": "41"}, 21451),
    ],
)
def test_test_credentials_outside_the_table(sdk: Sdk, params: dict[str, str], code: int) -> None:
    assert failure(lambda: _buy(sdk.test_client, **params)) == (400, code)


def test_the_magic_number_on_a_typed_list(sdk: Sdk) -> None:
    assert _buy(sdk.test_client, "local", phone_number="+15005550006").phone_number == "+15005550006"


def test_buying_a_number(sdk: Sdk) -> None:
    client = sdk.client
    bought = _buy(client, phone_number="+14155550123", voice_url="https://example.com/voice")
    shown = fields(bought)
    assert shown["friendly_name"] == "(415) 555-0123"
    assert shown["capabilities"] == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert (shown["type"], shown["origin"], shown["status"]) == ("local", "twilio", "in-use")
    assert shown["voice_url"] == "https://example.com/voice"
    assert client.incoming_phone_numbers(bought.sid).fetch().phone_number == "+14155550123"
    assert {n.phone_number for n in client.incoming_phone_numbers.list()} == {MAIN_NUMBER, "+14155550123"}
    assert [n.phone_number for n in client.incoming_phone_numbers.list(phone_number="+14155550123")] == [
        "+14155550123"
    ]


def test_a_given_friendly_name_is_kept(sdk: Sdk) -> None:
    assert (
        _buy(sdk.client, phone_number="+14155550123", friendly_name="Front desk").friendly_name
        == "Front desk"
    )


@pytest.mark.parametrize(
    ("kind", "number", "listed"),
    [
        ("local", "+14155550124", "local"),
        ("toll_free", "+18005550123", "tollfree"),
        ("mobile", "+447400123456", "mobile"),
        ("", "+447400123457", "mobile"),  # the plain list buys whatever type the number is
        ("", "+18885550123", "tollfree"),
    ],
)
def test_typed_lists_buy_and_show_their_type(sdk: Sdk, kind: str, number: str, listed: str) -> None:
    client = sdk.client
    bought = _buy(client, kind, phone_number=number)
    assert bought.phone_number == number
    assert fields(client.incoming_phone_numbers(bought.sid).fetch())["type"] == listed
    typed = {"local": "local", "tollfree": "toll_free", "mobile": "mobile"}[listed]
    assert number in [n.phone_number for n in getattr(client.incoming_phone_numbers, typed).list()]
    others = [k for k in ("local", "toll_free", "mobile") if k != typed]
    for other in others:
        assert number not in [n.phone_number for n in getattr(client.incoming_phone_numbers, other).list()]


def test_a_gb_number_has_gb_capabilities(sdk: Sdk) -> None:
    landline = fields(_buy(sdk.client, phone_number="+442071838750"))
    assert landline["friendly_name"] == "020 7183 8750"
    assert landline["capabilities"] == {"voice": True, "sms": False, "mms": False, "fax": False}
    assert landline["address_requirements"] == "any"


def test_buying_by_area_code_takes_the_first_number_on_offer(sdk: Sdk) -> None:
    client = sdk.client
    (offered,) = client.available_phone_numbers("US").local.list(area_code=415, limit=1)
    bought = _buy(client, area_code="415")
    assert bought.phone_number == offered.phone_number and bought.phone_number.startswith("+1415")
    assert bought.friendly_name == offered.friendly_name
    (vancouver,) = client.available_phone_numbers("CA").local.list(area_code=604, limit=1)
    canadian = _buy(client, area_code="604")
    assert canadian.phone_number == vancouver.phone_number and canadian.phone_number.startswith("+1604")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"phone_number": "+1 415 555 0123"}, 21421),  # E.164 has no punctuation
        ({"phone_number": "4155550123"}, 21421),
        ({"phone_number": "+1415555"}, 21421),
        ({"phone_number": "+99912345678"}, 21421),
        ({"phone_number": "+81312345678"}, 21421),  # valid, in a country the fake does not sell in
        ({"phone_number": "not-a-number"}, 21421),  # refused by the description's check too
        ({"phone_number": MAIN_NUMBER}, 21422),  # the account's own
        ({"phone_number": "+15005550006"}, 21422),  # a test number: not for sale with live credentials
        ({"area_code": "533"}, 21452),
        ({"area_code": "41"}, 21451),
        ({"area_code": "123"}, 21451),
        ({}, 20001),  # neither PhoneNumber nor AreaCode
    ],
)
def test_purchase_errors(sdk: Sdk, params: dict[str, str], code: int) -> None:
    before = sdk.backend.store.count()
    assert failure(lambda: _buy(sdk.client, **params)) == (400, code)
    assert sdk.backend.store.count() == before


@pytest.mark.parametrize(("kind", "number"), [("local", "+18005550123"), ("toll_free", "+14155550123")])
def test_a_typed_list_refuses_other_types(sdk: Sdk, kind: str, number: str) -> None:
    assert failure(lambda: _buy(sdk.client, kind, phone_number=number)) == (400, 21422)


def test_a_number_another_account_owns_is_unavailable(sdk: Sdk) -> None:
    client = sdk.client
    sub = client.api.v2010.accounts.create(friendly_name="other").sid
    (theirs,) = client.api.v2010.accounts(sub).incoming_phone_numbers.list()
    assert failure(lambda: _buy(client, phone_number=theirs.phone_number)) == (400, 21422)
    mine = _buy(client, phone_number="+14155550199").phone_number
    assert failure(
        lambda: client.api.v2010.accounts(sub).incoming_phone_numbers.create(phone_number=mine)
    ) == (
        400,
        21422,
    )


def test_missing_parameters_name_both(sdk: Sdk) -> None:
    from twilio.base.exceptions import TwilioRestException

    from twilio_sdk import RestException

    with pytest.raises((RestException, TwilioRestException)) as info:
        _buy(sdk.client)
    assert "PhoneNumber or AreaCode" in str(info.value)


def test_updates_keep_the_webhooks_in_the_record(sdk: Sdk, backend: Backend) -> None:
    client = sdk.client
    bought = _buy(client, phone_number="+14155550123", sms_url="https://example.com/in")
    updated = client.incoming_phone_numbers(bought.sid).update(
        sms_method="GET", voice_url="https://example.com/voice", friendly_name="Support"
    )
    assert (updated.sms_url, updated.sms_method, updated.voice_url) == (
        "https://example.com/in",
        "GET",
        "https://example.com/voice",
    )
    assert updated.friendly_name == "Support" and updated.phone_number == "+14155550123"
    # What an inbound simulation reads: the stored record itself.
    stored = backend.store.get(collection_key(backend.account_sid))
    assert stored is not None
    record = stored.get(bought.sid)
    assert record is not None
    assert (record["sms_url"], record["sms_method"], record["voice_method"]) == (
        "https://example.com/in",
        "GET",
        "POST",
    )


def test_a_released_number_is_on_sale_again(sdk: Sdk) -> None:
    client = sdk.client

    def offered() -> list[str]:
        return [
            n.phone_number for n in client.available_phone_numbers("US").local.list(area_code=212, limit=5)
        ]

    first = offered()
    bought = _buy(client, phone_number=first[0])
    assert first[0] not in offered() and offered()[:4] == first[1:]
    assert failure(lambda: _buy(client, phone_number=first[0])) == (400, 21422)
    assert client.incoming_phone_numbers(bought.sid).delete() is True
    assert failure(lambda: client.incoming_phone_numbers(bought.sid).fetch()) == (404, 20404)
    assert offered() == first
    assert _buy(client, phone_number=first[0]).phone_number == first[0]


def test_the_main_number_can_be_released_and_bought_back(sdk: Sdk) -> None:
    client = sdk.client
    (number,) = client.incoming_phone_numbers.list()
    client.incoming_phone_numbers(number.sid).delete()
    assert _buy(client, phone_number=MAIN_NUMBER).friendly_name == "(501) 712-2661"
