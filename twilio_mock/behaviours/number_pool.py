"""Drawing phone numbers the fake can sell: the same numbers for the same seed and search, each
one valid for its country and type by ``phonenumbers``, none that an account already owns.

A search draws from spots (a national prefix and how many digits follow it, with what is known
of the place: :data:`~twilio_mock.behaviours.numbers_data.NANP_AREAS` and the spots of
:data:`~twilio_mock.behaviours.numbers_data.COUNTRIES`); a ``Contains`` pattern is written into
each drawn number, so a pattern finds numbers without scanning for them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from twilio_mock.behaviours.numbers_data import COUNTRIES, KEYPAD, KINDS, NANP, NANP_AREAS
from twilio_mock.core.minter import keyed

ATTEMPTS_PER_NUMBER = 20  # draws allowed per number asked for, before a search gives up


@dataclass(frozen=True)
class Spot:
    """Where numbers are drawn: the national prefix, the digits after it, the place."""

    iso: str
    prefix: str
    digits: int
    locality: str | None = None
    region: str | None = None
    lata: str | None = None
    lat: float | None = None
    lon: float | None = None


def area_spots(iso: str) -> list[Spot]:
    """The NANP area codes of ``iso`` in the table, as spots of seven digits."""
    return [
        Spot(iso, npa, 7, place, region, lata, lat, lon)
        for npa, (country, place, region, lata, lat, lon) in NANP_AREAS.items()
        if country == iso
    ]


def area_spot(iso: str, npa: str) -> Spot:
    """One area code: the table's spot, or a bare one (phonenumbers decides which country it is)."""
    return next((s for s in area_spots(iso) if s.prefix == npa), Spot(iso, npa, 7))


def kind_spots(iso: str, kind: str) -> list[Spot]:
    """Every spot of a country's number type, before any filter."""
    if iso in NANP and kind == "Local":
        return area_spots(iso)
    entry = COUNTRIES[iso]["kinds"][kind]
    return [Spot(iso, prefix, digits, place) for prefix, digits, place in entry["spots"]]


class Pattern:
    """A ``Contains`` pattern: digits and letters (keypad digits), ``*`` one digit, ``%`` any
    run of digits, ``+`` at the start anchors it to the start of the number (with or without the
    country code), ``$`` at the end to its end."""

    ALLOWED = re.compile(r"\+?[0-9A-Za-z*%]+\$?")

    def __init__(self, text: str) -> None:
        if not self.ALLOWED.fullmatch(text) or not any(c.isalnum() for c in text):
            raise ValueError("digits, letters and the meta-characters * % + $")
        self.text = text
        body = text.strip("+$").upper()
        runs = body.split("%")
        self.start = text.startswith("+") and runs[0] != ""  # "+%..." is anchored to nothing
        self.end = text.endswith("$") and runs[-1] != ""
        # The runs between ``%``s, ``None`` for ``*``: written into a number one after the other.
        self.runs: list[list[str | None]] = [
            [None if c == "*" else KEYPAD.get(c, c) for c in run] for run in runs if run
        ]
        self.body = "".join({"*": r"\d", "%": r"\d*"}.get(c, KEYPAD.get(c, c)) for c in body)

    def matches(self, cc: str, national: str) -> bool:
        full, tail = cc + national, "$" if self.end else ""
        if self.start:
            return any(re.match(self.body + tail, text) for text in (full, national))
        return re.search(self.body + tail, full) is not None

    def place(self, cc: str, national: str, fixed: int, rng: random.Random) -> str | None:
        """``national`` with the pattern written over digits after the first ``fixed`` (the spot's
        prefix), each run at an offset chosen by ``rng`` after the one before; ``None`` when it
        cannot fit."""
        digits, locked = list(cc + national), len(cc) + fixed
        size, low = len(digits), 0
        for index, run in enumerate(self.runs):
            high = size - len(run) - sum(len(r) for r in self.runs[index + 1 :])
            offsets: Iterable[int] = range(low, high + 1)
            if index == 0 and self.start:
                offsets = [o for o in (0, len(cc)) if o in offsets]
            if index == len(self.runs) - 1 and self.end:
                offsets = [o for o in offsets if o == size - len(run)]
            fits = [o for o in offsets if self._fits(digits, run, o, locked)]
            if not fits:
                return None
            offset = fits[rng.randrange(len(fits))]
            for i, token in enumerate(run):
                if token is not None:
                    digits[offset + i] = token
            low = offset + len(run)
        return "".join(digits)[len(cc) :]

    @staticmethod
    def _fits(digits: list[str], run: list[str | None], offset: int, locked: int) -> bool:
        """Whether ``run`` agrees at ``offset`` with the digits it may not change."""
        return all(t is None or offset + i >= locked or digits[offset + i] == t for i, t in enumerate(run))


@dataclass
class Search:
    """What to draw: a country's number type, from which spots, matching which pattern."""

    iso: str
    kind: str
    spots: list[Spot]
    pattern: Pattern | None = None
    postal_code: str | None = None  # InPostalCode: the numbers found are there
    exclude: set[str] = field(default_factory=set)  # numbers not to offer (owned ones)


def draw(seed: str, search: Search, want: int) -> list[tuple[str, Spot]]:
    """Up to ``want`` (E.164 number, spot) pairs, the same ones for the same seed and search."""
    import phonenumbers

    if not search.spots or want <= 0:
        return []
    cc = str(phonenumbers.country_code_for_region(search.iso))
    allowed = {getattr(phonenumbers.PhoneNumberType, name) for name in KINDS[search.kind]["types"]}
    pattern = search.pattern
    prefixes = ",".join(s.prefix for s in search.spots)
    with keyed(seed, f"{search.iso}|{search.kind}|{prefixes}|{pattern.text if pattern else ''}") as fake:
        return _draw(fake.random, cc, allowed, search, want)


def _draw(
    rng: random.Random, cc: str, allowed: set[int], search: Search, want: int
) -> list[tuple[str, Spot]]:
    import phonenumbers

    pattern = search.pattern
    found: list[tuple[str, Spot]] = []
    seen: set[str] = set()
    for _ in range(want * ATTEMPTS_PER_NUMBER + 200):
        if len(found) >= want:
            break
        spot = search.spots[rng.randrange(len(search.spots))]
        drawn = spot.prefix + "".join(str(rng.randrange(10)) for _ in range(spot.digits))
        national = pattern.place(cc, drawn, len(spot.prefix), rng) if pattern is not None else drawn
        if national is None:
            continue
        number = f"+{cc}{national}"
        if number in seen or number in search.exclude:
            continue
        seen.add(number)
        parsed = phonenumbers.parse(number, None)
        if not phonenumbers.is_valid_number_for_region(parsed, search.iso):
            continue
        if phonenumbers.number_type(parsed) not in allowed:
            continue
        if pattern is not None and not pattern.matches(cc, national):
            continue
        found.append((number, spot))
    return found


def describe(seed: str, number: str, spot: Spot, search: Search) -> dict[str, Any]:
    """An AvailablePhoneNumber record: the fields the description declares, US/CA places filled."""
    entry = COUNTRIES[spot.iso]["kinds"][search.kind]
    nanp = spot.iso in NANP
    with keyed(seed, number) as fake:
        latitude, longitude = (
            (_near(spot.lat, fake.random), _near(spot.lon, fake.random)) if nanp else (None, None)
        )
    return {
        "friendly_name": national_format(number),
        "phone_number": number,
        "lata": spot.lata if nanp else None,
        "locality": spot.locality,
        "rate_center": spot.locality.upper() if nanp and spot.locality else None,  # unconfirmed
        "latitude": latitude,
        "longitude": longitude,
        "region": spot.region if nanp else None,
        "postal_code": (search.postal_code or postal_code(seed, number, spot)) if nanp else None,
        "iso_country": spot.iso,
        "address_requirements": entry["address"],
        "beta": False,
        "capabilities": dict(entry["capabilities"]),
    }


def _near(value: float | None, rng: random.Random) -> float | None:
    """A point a few kilometres from the city's centre."""
    return None if value is None else round(value + rng.uniform(-0.05, 0.05), 6)


def postal_code(seed: str, number: str, spot: Spot) -> str | None:
    """A postal code of the spot's state or province, from faker seeded per number."""
    if spot.region is None:
        return None
    with keyed(seed, f"{number}|postal", "en_CA" if spot.iso == "CA" else "en_US") as fake:
        if spot.iso == "CA":
            return str(fake.postalcode_in_province(spot.region))
        return str(fake.zipcode_in_state(spot.region))


def national_format(number: str) -> str:
    import phonenumbers

    parsed = phonenumbers.parse(number, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def region_of_postal(code: str) -> tuple[str, str] | None:
    """(country, state or province) of a US ZIP or Canadian postal code, from faker's tables."""
    text = code.strip().upper()
    if re.fullmatch(r"\d{5}", text):
        from faker.providers.address.en_US import Provider as Us

        value = int(text)
        for state, (low, high) in Us.states_postcode.items():
            if low <= value <= high:
                return "US", str(state)
        return None
    if re.fullmatch(r"[A-Z]\d[A-Z] ?\d[A-Z]\d", text):
        from faker.providers.address.en_CA import Provider as Ca

        for province, letters in Ca.provinces_postcode_prefixes.items():
            if text[0] in letters:
                return "CA", str(province)
    return None


def nanp_area(number: str) -> str | None:
    """The area code of a +1 number."""
    digits = re.sub(r"\D", "", number)
    if number.startswith("+1") and len(digits) == 11:
        return digits[1:4]
    return None


def miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance."""
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 3958.8 * 2 * asin(sqrt(a))
