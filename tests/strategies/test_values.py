"""``sids``, ``phone_numbers`` and ``message_bodies``: what they generate is what they promise,
judged by ``phonenumbers`` and by the mock itself (its segment counter, a created message's
``num_segments``)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twilio_mock import Backend, MockTransport
from twilio_mock.behaviours import segments
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import known_prefixes, message_bodies, phone_numbers, sids
from twilio_sdk import Client

FAST = settings(max_examples=max_examples(0.4), deadline=None)
SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")


@FAST
@given(sids("SM"), sids(), sids("ZZ"))
def test_sids_have_the_prefix_and_32_lowercase_hex(sm: str, anything: str, zz: str) -> None:
    assert SID.match(sm) and sm.startswith("SM")
    assert SID.match(anything) and anything[:2] in known_prefixes()
    assert zz.startswith("ZZ")


def test_known_prefixes_come_from_the_description() -> None:
    assert {"AC", "SM", "CA", "PN", "VA", "MG"} <= set(known_prefixes())
    with pytest.raises(ValueError):
        sids("sm")


def _parsed(number: str) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse(number, None)


@FAST
@given(phone_numbers())
def test_us_numbers_are_valid_e164(number: str) -> None:
    parsed = _parsed(number)
    assert phonenumbers.is_valid_number(parsed)
    assert phonenumbers.region_code_for_number(parsed) == "US"
    assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == number


@pytest.mark.parametrize(
    ("country", "type_", "expected"),
    [
        ("GB", "mobile", {phonenumbers.PhoneNumberType.MOBILE}),
        ("DE", "fixed_line", {phonenumbers.PhoneNumberType.FIXED_LINE}),
        ("US", "toll_free", {phonenumbers.PhoneNumberType.TOLL_FREE}),
        ("FR", "mobile", {phonenumbers.PhoneNumberType.MOBILE}),
    ],
)
def test_numbers_per_country_and_type(country: str, type_: str, expected: set[int]) -> None:
    @FAST
    @given(phone_numbers(country, type_))
    def check(number: str) -> None:
        parsed = _parsed(number)
        assert phonenumbers.is_valid_number(parsed)
        assert phonenumbers.region_code_for_number(parsed) == country
        assert phonenumbers.number_type(parsed) in expected

    check()


@FAST
@given(phone_numbers(None))
def test_any_region(number: str) -> None:
    assert phonenumbers.is_valid_number(_parsed(number))


@settings(max_examples=max_examples(0.8), deadline=None)
@given(
    st.one_of(phone_numbers(valid=False), phone_numbers("GB", valid=False), phone_numbers(None, valid=False))
)
def test_invalid_numbers_are_rejected_by_phonenumbers(value: str) -> None:
    try:
        parsed = _parsed(value)
    except phonenumbers.NumberParseException:
        return
    assert not phonenumbers.is_valid_number(parsed) or (
        phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value
    )


def test_unknown_country_or_type_is_an_error_at_once() -> None:
    with pytest.raises(ValueError, match="region"):
        phone_numbers("XX")
    with pytest.raises(ValueError, match="type"):
        phone_numbers("US", "landline")


@FAST
@given(
    st.sampled_from([None, "gsm7", "ucs2"])
    .flatmap(lambda e: st.tuples(st.just(e), st.integers(1, 12)))
    .flatmap(lambda pair: st.tuples(st.just(pair), message_bodies(pair[0], segments=pair[1])))
)
def test_bodies_have_the_segments_the_mock_counts(case: tuple[tuple[str | None, int], str]) -> None:
    (encoding, count), body = case
    assert body
    assert segments.count(body) == count
    if encoding is not None:
        assert segments.encoding(body) == {"gsm7": "GSM-7", "ucs2": "UCS-2"}[encoding]


@FAST
@given(message_bodies("gsm7"), message_bodies("ucs2"), message_bodies(over_limit=True))
def test_encodings_and_the_limit(gsm: str, ucs2: str, over: str) -> None:
    assert segments.is_gsm(gsm) and 1 <= len(gsm) <= 1600
    assert not segments.is_gsm(ucs2) and 1 <= len(ucs2) <= 1600
    assert len(over) > 1600


BACKEND = Backend(seed=5)
NUMBER = "+15017122671"


def _client() -> Client:
    client = Client(
        BACKEND.account_sid, BACKEND.auth_token, http_client=MockTransport(BACKEND), environment={}
    )
    if not client.incoming_phone_numbers.list(phone_number=NUMBER):
        client.incoming_phone_numbers.create(phone_number=NUMBER)
    return client


@settings(max_examples=max_examples(0.25), deadline=None)
@given(
    st.one_of(
        message_bodies(segments=None), message_bodies("ucs2", segments=3), message_bodies(over_limit=True)
    )
)
def test_created_messages_agree_with_the_strategy(body: str) -> None:
    from twilio_sdk.exceptions import RestException

    client = _client()
    try:
        message = client.messages.create(to="+15558675310", from_=NUMBER, body=body)
    except RestException as exc:
        assert len(body) > 1600 and exc.status == 400 and exc.code == 21617
        return
    assert len(body) <= 1600
    assert int(message.num_segments) == segments.count(body)


def test_without_hypothesis_the_import_error_says_what_to_install() -> None:
    import subprocess
    import sys

    code = "import sys; sys.modules['hypothesis'] = None; import twilio_mock.strategies"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "twilio_mock.strategies needs hypothesis: pip install 'twilio-toolkit[mock]'" in done.stderr
