"""``TwilioProvider``: valid values, and one seed gives the same ones."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from faker import Faker

from twilio_mock.behaviours import segments
from twilio_mock.strategies import TwilioProvider


def fake(seed: int) -> Faker:
    found = Faker()
    found.add_provider(TwilioProvider)
    found.seed_instance(seed)
    return found


def values(f: Faker) -> list[str]:
    return [
        f.sid("CA"),
        f.e164(),
        f.e164("GB", type="mobile"),
        f.e164("US", type="toll_free"),
        f.friendly_name(),
        f.message_body(),
        f.message_body(unicode=True),
        f.caller_name(),
    ]


def test_one_seed_gives_the_same_values() -> None:
    first = [values(fake(42)) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    assert values(fake(43)) != first[0]
    a, b = fake(7), fake(7)
    assert [values(a) for _ in range(20)] == [values(b) for _ in range(20)]


@pytest.mark.parametrize("seed", range(25))
def test_values_are_valid(seed: int) -> None:
    f = fake(seed)
    sid, us, gb, toll_free, name, body, unicode, caller = values(f)
    assert re.fullmatch(r"CA[0-9a-f]{32}", sid)
    for number, region, kinds in (
        (us, "US", None),
        (gb, "GB", {phonenumbers.PhoneNumberType.MOBILE}),
        (toll_free, "US", {phonenumbers.PhoneNumberType.TOLL_FREE}),
    ):
        parsed = phonenumbers.parse(number, None)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.region_code_for_number(parsed) == region
        assert kinds is None or phonenumbers.number_type(parsed) in kinds
    assert name and segments.encoding(body) == "GSM-7" and segments.encoding(unicode) == "UCS-2"
    assert caller.isupper() and len(caller) <= 15


def test_bad_arguments_are_errors() -> None:
    with pytest.raises(ValueError):
        fake(1).sid("sm")
    with pytest.raises(ValueError):
        fake(1).e164("XX")
