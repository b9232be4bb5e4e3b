"""Segment counting (ref §10): GSM-7 160/153, UCS-2 70/67, extension characters and characters
outside the BMP counted twice and never split; and ``num_segments`` on created messages."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twilio_mock import Backend, MockTransport
from twilio_mock.behaviours import segments
from twilio_mock.hypothesis_profiles import max_examples
from twilio_sdk import Client

BASIC = sorted(segments.GSM_BASIC)
EXTENSION = sorted(segments.GSM_EXTENSION)
NOT_GSM_BMP = st.characters(min_codepoint=0x100, max_codepoint=0xD7FF).filter(
    lambda c: c not in segments.GSM_ALL
)
SETTINGS = settings(derandomize=True, max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("body", "expected", "encoding"),
    [
        ("", 1, "GSM-7"),
        ("a" * 160, 1, "GSM-7"),
        ("a" * 161, 2, "GSM-7"),
        ("a" * 306, 2, "GSM-7"),
        ("a" * 307, 3, "GSM-7"),
        ("ÆØÅ Ñ ü é", 1, "GSM-7"),
        ("€" * 80, 1, "GSM-7"),  # 160 septets
        ("€" * 81, 2, "GSM-7"),  # 162 septets: 76 escapes fit in 153
        ("a" * 152 + "€" + "a", 1, "GSM-7"),  # 155 septets: one segment
        ("a" * 152 + "€" + "a" * 152, 3, "GSM-7"),  # 306 septets, but the escape is not split
        ("a" * 159 + "€", 2, "GSM-7"),  # 161 septets
        ("ç", 1, "UCS-2"),  # only the capital Ç is GSM-7
        ("ж" * 70, 1, "UCS-2"),
        ("ж" * 71, 2, "UCS-2"),
        ("ж" * 134, 2, "UCS-2"),
        ("ж" * 135, 3, "UCS-2"),
        ("a" * 159 + "ж", 3, "UCS-2"),  # one character makes the whole body UCS-2
        ("😀" * 35, 1, "UCS-2"),  # 70 UTF-16 units
        ("😀" * 36, 2, "UCS-2"),
        ("ж" * 66 + "😀", 1, "UCS-2"),  # 68 units
        ("ж" * 66 + "😀" + "ж" * 66, 3, "UCS-2"),  # 134 units, but the pair is not split
    ],
)
def test_examples(body: str, expected: int, encoding: str) -> None:
    assert segments.count(body) == expected
    assert segments.encoding(body) == encoding


@SETTINGS
@given(st.lists(st.sampled_from(BASIC), max_size=1600).map("".join))
def test_gsm_basic_is_160_then_153_per_segment(body: str) -> None:
    expected = 1 if len(body) <= 160 else math.ceil(len(body) / 153)
    assert segments.count(body) == expected


@SETTINGS
@given(st.lists(st.sampled_from(BASIC), max_size=800), NOT_GSM_BMP, st.integers(0, 800))
def test_one_non_gsm_character_makes_it_70_then_67(head: list[str], odd: str, at: int) -> None:
    chars = [*head]
    chars.insert(min(at, len(chars)), odd)
    body = "".join(chars)
    expected = 1 if len(body) <= 70 else math.ceil(len(body) / 67)
    assert segments.encoding(body) == "UCS-2"
    assert segments.count(body) == expected


@SETTINGS
@given(st.lists(st.sampled_from(BASIC + EXTENSION), min_size=1, max_size=1600).map("".join))
def test_extension_characters_take_two_septets(body: str) -> None:
    septets = len(body) + sum(c in segments.GSM_EXTENSION for c in body)
    assert segments.units(body) == septets
    count = segments.count(body)
    if septets <= 160:
        assert count == 1
    else:  # never splitting an escape costs at most one septet per segment
        assert math.ceil(septets / 153) <= count <= math.ceil(septets / 152)


@SETTINGS
@given(st.text(max_size=400), st.characters())
def test_appending_never_takes_fewer_segments(body: str, extra: str) -> None:
    assert segments.count(body) >= 1
    assert segments.count(body + extra) >= segments.count(body)


def test_num_segments_on_created_messages() -> None:
    backend = Backend(seed=1)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )

    @settings(derandomize=True, max_examples=max_examples(0.4), deadline=None)
    @given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=1600))
    def check(body: str) -> None:
        message = client.messages.create(to="+15558675310", from_="+15017122661", body=body)
        assert message.num_segments == str(segments.count(body))

    check()
