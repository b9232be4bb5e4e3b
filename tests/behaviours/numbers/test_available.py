"""AvailablePhoneNumbers: the countries on sale, numbers valid for their country and type, the
declared fields filled, the filters, the same numbers under the same seed, never an owned one."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
import pytest

from tests.behaviours.numbers.sdks import Sdk, failure, fields
from twilio_mock import Backend, mock
from twilio_mock.behaviours.numbers_data import COUNTRIES, KINDS, MAIN_NUMBER, NANP_AREAS

KIND_ATTRS = {"Local": "local", "Mobile": "mobile", "TollFree": "toll_free"}
ON_SALE = [(iso, kind) for iso, country in COUNTRIES.items() for kind in country["kinds"]]


def _offered(client: Any, iso: str = "US", kind: str = "Local", **filters: Any) -> list[Any]:
    filters.setdefault("limit", 20)
    return list(getattr(client.available_phone_numbers(iso), KIND_ATTRS[kind]).list(**filters))


def _numbers(client: Any, iso: str = "US", kind: str = "Local", **filters: Any) -> list[str]:
    return [n.phone_number for n in _offered(client, iso, kind, **filters)]


def test_the_countries_on_sale(sdk: Sdk) -> None:
    listed = {c.country_code: c.country for c in sdk.client.available_phone_numbers.list()}
    assert listed == {iso: c["name"] for iso, c in COUNTRIES.items()}
    assert {"US", "CA", "GB", "AU", "DE", "FR"} <= set(listed)
    country = sdk.client.available_phone_numbers("GB").fetch()
    assert (country.country_code, country.country, country.beta) == ("GB", "United Kingdom", False)


@pytest.mark.parametrize("iso", ["ZZ", "JP"])
def test_a_country_not_on_sale_is_404(sdk: Sdk, iso: str) -> None:
    assert failure(lambda: sdk.client.available_phone_numbers(iso).fetch()) == (404, 20404)
    assert failure(lambda: _offered(sdk.client, iso)) == (404, 20404)


def test_a_type_a_country_does_not_sell_is_404(sdk: Sdk) -> None:
    assert failure(lambda: _offered(sdk.client, "US", "Mobile")) == (404, 20404)
    assert failure(lambda: list(sdk.client.available_phone_numbers("GB").voip.list())) == (404, 20404)


@pytest.mark.parametrize(("iso", "kind"), ON_SALE, ids=[f"{i}-{k}" for i, k in ON_SALE])
def test_numbers_are_valid_for_their_country_and_type(sdk: Sdk, iso: str, kind: str) -> None:
    offered = _offered(sdk.client, iso, kind)
    assert len(offered) == 20
    allowed = {getattr(phonenumbers.PhoneNumberType, name) for name in KINDS[kind]["types"]}
    entry = COUNTRIES[iso]["kinds"][kind]
    for number in offered:
        shown = fields(number)
        parsed = phonenumbers.parse(shown["phone_number"])
        assert phonenumbers.is_valid_number_for_region(parsed, iso), shown
        assert phonenumbers.number_type(parsed) in allowed, shown
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
        assert shown["friendly_name"] == national
        assert shown["iso_country"] == iso and shown["beta"] is False
        assert shown["capabilities"] == entry["capabilities"]
        assert shown["address_requirements"] == entry["address"]
    assert len({n.phone_number for n in offered}) == 20  # one page of distinct numbers


def test_us_local_numbers_carry_their_place(sdk: Sdk) -> None:
    for number in _offered(sdk.client):
        shown = fields(number)
        npa = shown["phone_number"][2:5]
        _iso, locality, region, lata, lat, lon = NANP_AREAS[npa]
        assert (shown["locality"], shown["region"], shown["lata"]) == (locality, region, lata)
        assert shown["rate_center"] == locality.upper()
        assert abs(float(shown["latitude"]) - lat) < 0.1 and abs(float(shown["longitude"]) - lon) < 0.1
        assert re.fullmatch(r"\d{5}", shown["postal_code"])


def test_places_outside_us_and_canada_are_the_locality_only(sdk: Sdk) -> None:
    for number in _offered(sdk.client, "GB"):
        shown = fields(number)
        assert shown["locality"] in {"London", "Manchester", "Birmingham", "Edinburgh", "Glasgow", "Bristol"}
        assert [
            shown[k] for k in ("lata", "rate_center", "latitude", "longitude", "region", "postal_code")
        ] == [None] * 6


def test_the_same_seed_offers_the_same_numbers() -> None:
    def offered(seed: int, **filters: Any) -> list[str]:
        return _numbers(mock(backend=Backend(seed=seed)).client(), **filters)

    assert offered(3) == offered(3)
    records = [[fields(n) for n in _offered(mock(backend=Backend(seed=3)).client())] for _ in range(2)]
    assert records[0] == records[1]  # every field: places, coordinates, postal codes
    assert offered(3) != offered(4)
    assert offered(3, contains="55") == offered(3, contains="55")
    assert offered(3, limit=5) == offered(3)[:5]  # a smaller page is the start of a larger one


def test_an_owned_number_is_never_offered(sdk: Sdk) -> None:
    client = sdk.client
    whole = {"contains": "+15017122661", "area_code": 501}  # a pattern only the main number fits
    assert _numbers(client, **whole) == []
    (main,) = client.incoming_phone_numbers.list()
    client.incoming_phone_numbers(main.sid).delete()
    assert _numbers(client, **whole) == [MAIN_NUMBER]  # released: on offer again
    sub = client.api.v2010.accounts.create(friendly_name="s").sid
    (theirs,) = client.api.v2010.accounts(sub).incoming_phone_numbers.list()
    assert theirs.phone_number not in _numbers(client, limit=200)


def test_area_code(sdk: Sdk) -> None:
    numbers = _numbers(sdk.client, area_code=415)
    assert len(numbers) == 20 and all(n.startswith("+1415") for n in numbers)
    assert all(n.startswith("+1919") for n in _numbers(sdk.client, area_code=919))  # not in the table
    assert _numbers(sdk.client, area_code=533) == []  # no local numbers there
    assert _numbers(sdk.client, area_code=604) == []  # Canadian
    assert all(n.startswith("+1604") for n in _numbers(sdk.client, "CA", area_code=604))
    assert all(n.startswith("+1888") for n in _numbers(sdk.client, "US", "TollFree", area_code=888))


@pytest.mark.parametrize(
    ("pattern", "regex"),
    [
        ("55", r"55"),
        ("415555****", r"415555\d{4}"),
        ("STORM", r"78676"),  # letters are keypad digits (unconfirmed)
        ("+1212", r"^\+1212"),
        ("+212", r"^\+1212"),  # the start of the national number too
        ("00$", r"00$"),
        ("+1415%00$", r"^\+1415\d*00$"),
    ],
)
def test_contains(sdk: Sdk, pattern: str, regex: str) -> None:
    numbers = _numbers(sdk.client, contains=pattern)
    assert numbers, pattern
    assert all(re.search(regex, n) for n in numbers), numbers


def test_contains_in_another_country(sdk: Sdk) -> None:
    numbers = _numbers(sdk.client, "GB", "Mobile", contains="123")
    assert numbers and all("123" in n for n in numbers)


@pytest.mark.parametrize("pattern", ["4!5", "**", "a b"])
def test_a_malformed_pattern_is_400(sdk: Sdk, pattern: str) -> None:
    assert failure(lambda: _numbers(sdk.client, contains=pattern))[0] == 400


@pytest.mark.parametrize(
    ("iso", "kind", "filters", "found"),
    [
        ("US", "Local", {"sms_enabled": True, "mms_enabled": True, "voice_enabled": True}, True),
        ("US", "Local", {"sms_enabled": False}, False),
        ("US", "Local", {"fax_enabled": True}, False),
        ("GB", "Local", {"sms_enabled": True}, False),  # UK landlines only take calls
        ("GB", "Mobile", {"sms_enabled": True, "mms_enabled": False}, True),
        ("GB", "Local", {"exclude_all_address_required": True}, False),
        ("DE", "Local", {"exclude_local_address_required": True}, False),
        ("DE", "Local", {"exclude_foreign_address_required": True}, True),
        ("US", "Local", {"exclude_all_address_required": True, "beta": False}, True),
    ],
)
def test_capability_and_address_filters(
    sdk: Sdk, iso: str, kind: str, filters: dict[str, Any], found: bool
) -> None:
    assert bool(_numbers(sdk.client, iso, kind, **filters)) is found


def test_place_filters(sdk: Sdk) -> None:
    client = sdk.client
    assert {n.region for n in _offered(client, in_region="CA")} == {"CA"}
    assert {n.locality for n in _offered(client, in_locality="Boston")} == {"Boston"}
    assert {n.lata for n in _offered(client, in_lata="132")} == {"132"}
    assert {n.rate_center for n in _offered(client, in_rate_center="AUSTIN")} == {"AUSTIN"}
    assert {n.locality for n in _offered(client, in_region="+12125550100")} == {"New York"}
    assert {n.locality for n in _offered(client, "GB", in_locality="Glasgow")} == {"Glasgow"}
    assert _offered(client, in_region="ZZ") == []


def test_postal_codes(sdk: Sdk) -> None:
    client = sdk.client
    offered = _offered(client, in_postal_code="94105")
    assert offered and {(n.region, n.postal_code) for n in offered} == {("CA", "94105")}
    canadian = _offered(client, "CA", in_postal_code="M5V 3L9")
    assert canadian and {(n.region, n.postal_code) for n in canadian} == {("ON", "M5V 3L9")}
    assert _offered(client, in_postal_code="M5V 3L9") == []  # a Canadian code in the US


def test_near(sdk: Sdk) -> None:
    client = sdk.client
    near_sf = {n.locality for n in _offered(client, near_number="+14155550100", limit=50)}
    assert near_sf == {"San Francisco", "Oakland"}  # within the default 25 miles
    near_point = {n.locality for n in _offered(client, near_lat_long="40.7,-74.0", distance=5)}
    assert near_point == {"New York"}
    assert {n.locality for n in _offered(client, near_lat_long="40.7,-74.0", distance=300)} >= {
        "New York",
        "Boston",
    }
    assert all(n.startswith("+1919") for n in _numbers(client, near_number="+19195550100"))  # no coordinates
    assert failure(lambda: _offered(client, near_lat_long="north"))[0] == 400


def test_page_size(sdk: Sdk) -> None:
    assert len(_numbers(sdk.client, limit=3)) == 3
    page = sdk.client.available_phone_numbers("US").local.page(page_size=7)
    assert len(list(page)) == 7 and page.next_page() is None  # one page of PageSize numbers
