"""E.164 phone numbers per country and type, valid or not, as ``phonenumbers`` judges them."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from hypothesis import strategies as st

from twilio_mock.core.e164 import NUMBER_TYPES, build, example, is_valid

__all__ = ["NUMBER_TYPES", "is_valid", "phone_numbers"]


@st.composite
def _valid(draw: st.DrawFn, country: str | None, type_: str | None) -> str:
    region = country or draw(st.sampled_from(_regions(type_)))
    _head, nsn = example(region, type_)
    digits = draw(st.lists(st.integers(0, 9), min_size=len(nsn), max_size=len(nsn)))
    keep = draw(st.integers(min(2, len(nsn)), len(nsn)))
    return build(region, type_, digits, keep)


@lru_cache(maxsize=32)
def _regions(type_: str | None) -> tuple[str, ...]:
    out = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        try:
            example(region, type_)
        except ValueError:
            continue
        out.append(region)
    return tuple(out)


MALFORMED = ["", "+", "++14155550100", "14155550100 ", " +14155550100", "+1415555abcd", "+" + "9" * 17, "+0"]


@st.composite
def _invalid(draw: st.DrawFn, country: str | None, type_: str | None) -> str:
    region = country or draw(st.sampled_from(_regions(None)))
    head, nsn = example(region, type_)
    how = draw(st.sampled_from(["random", "short", "long", "malformed"]))
    if how == "malformed":
        value = draw(st.sampled_from(MALFORMED))
    elif how == "short":
        value = head + nsn[: draw(st.integers(0, 2))]
    elif how == "long":
        value = head + nsn + draw(st.text(alphabet="0123456789", min_size=3, max_size=6))
    else:
        value = head + draw(st.text(alphabet="0123456789", min_size=len(nsn), max_size=len(nsn)))
    return value if not is_valid(value) else head + nsn[:1]  # a lone digit is never valid


def phone_numbers(
    country: str | None = "US", type: str | None = None, valid: bool = True
) -> st.SearchStrategy[str]:
    """E.164 numbers of ``country`` (``None``: any region) and ``type`` (``"mobile"``,
    ``"fixed_line"``, ``"toll_free"``... see :data:`NUMBER_TYPES`) that phonenumbers accepts;
    with ``valid=False``, numbers and strings it rejects."""
    if country is not None:
        example(country, type if valid else None)  # fail now, not at draw time
    return _valid(country, type) if valid else _invalid(country, type)
