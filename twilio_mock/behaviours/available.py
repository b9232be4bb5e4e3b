"""AvailablePhoneNumbers: the countries the fake sells numbers in and the numbers on offer,
computed on each request (list and fetch providers), never stored.

Numbers are drawn by :mod:`~twilio_mock.behaviours.number_pool`: the same ones for the same
seed and search, valid for the country and type, none that any account owns (a released number
is offered again). Filters: ``AreaCode``, ``Contains``, the ``*Enabled`` capabilities (``true``
asks for the capability, ``false`` for its absence; unconfirmed), the ``Exclude*AddressRequired``
flags, ``Beta`` (every number is ``beta: false``), and for US/CA numbers the places of
:data:`~twilio_mock.behaviours.numbers_data.NANP_AREAS`: ``InRegion``, ``InLocality``,
``InLata``, ``InRateCenter``, ``InPostalCode``, ``NearNumber`` / ``NearLatLong`` with
``Distance`` (each ``In*`` also takes a phone number: the place of its area code). Outside US/CA
only ``InLocality`` applies; the others are ignored there, as the description says they only
apply to US and Canadian numbers. ``PageSize`` numbers (default 50) make one page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import number_pool
from twilio_mock.behaviours.number_pool import Pattern, Search, Spot
from twilio_mock.behaviours.numbers import owned
from twilio_mock.behaviours.numbers_data import COUNTRIES, NANP, NANP_AREAS, NEAR_MILES
from twilio_mock.core import errors
from twilio_mock.core.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

Record = dict[str, Any]
COUNTRY = "Accounts/{AccountSid}/AvailablePhoneNumbers"
TYPES = ("Local", "Mobile", "TollFree", "National", "Voip", "SharedCost", "MachineToMachine")
CAPABILITIES = {"SmsEnabled": "sms", "MmsEnabled": "mms", "VoiceEnabled": "voice", "FaxEnabled": "fax"}
ADDRESS_EXCLUSIONS = {
    "ExcludeAllAddressRequired": ("any", "local", "foreign"),
    "ExcludeLocalAddressRequired": ("local",),
    "ExcludeForeignAddressRequired": ("foreign",),
}


def install(core: Core) -> None:
    core.lists[("api", COUNTRY)] = _countries
    core.fetches[("api", COUNTRY)] = _country
    for kind in TYPES:
        core.lists[("api", f"{COUNTRY}/{{CountryCode}}/{kind}")] = _numbers


def _countries(call: Call) -> list[Record]:
    return [_country_record(iso) for iso in COUNTRIES]


def _country(call: Call) -> Record:
    iso = (call.route.ident or "").upper()
    if iso not in COUNTRIES:
        raise errors.not_found(call.route.path)
    return _country_record(iso)


def _country_record(iso: str) -> Record:
    return {"country_code": iso, "country": COUNTRIES[iso]["name"], "beta": False}


def _numbers(call: Call) -> list[Record]:
    iso = call.route.params.get("CountryCode", "").upper()
    kind = call.route.template.rsplit("/", 1)[-1]
    offered = COUNTRIES.get(iso, {}).get("kinds", {})
    if kind not in offered:  # a country or type the fake does not sell: Twilio's 404 (unconfirmed)
        raise errors.not_found(call.route.path)
    query: dict[str, str] = {}
    for key, value in call.query:
        query.setdefault(key, value)
    entry = offered[kind]
    for wire, capability in CAPABILITIES.items():
        if wire in query and _true(query[wire]) != entry["capabilities"][capability]:
            return []
    for wire, refused in ADDRESS_EXCLUSIONS.items():
        if _true(query.get(wire)) and entry["address"] in refused:
            return []
    search = Search(iso, kind, _spots(iso, kind, query), exclude=set(owned(call.backend)))
    if query.get("Contains"):
        try:
            search.pattern = Pattern(query["Contains"])
        except ValueError as exc:
            raise errors.invalid_param(
                "api", call.route.template, "Contains", query["Contains"], str(exc)
            ) from None
    postal = query.get("InPostalCode")
    if postal and not postal.startswith("+") and iso in NANP:
        search.postal_code = postal
    seed = call.backend.minter.seed
    drawn = number_pool.draw(seed, search, _want(query))
    return [number_pool.describe(seed, number, spot, search) for number, spot in drawn]


def _true(text: str | None) -> bool:
    return str(text).strip().lower() == "true"


def _want(query: dict[str, str]) -> int:
    try:
        size = int(query.get("PageSize") or DEFAULT_PAGE_SIZE)
    except ValueError:
        return DEFAULT_PAGE_SIZE  # the pager answers the bad value
    return max(0, min(size, MAX_PAGE_SIZE))


def _spots(iso: str, kind: str, query: dict[str, str]) -> list[Spot]:
    """The spots a search draws from, narrowed by its place filters."""
    spots = number_pool.kind_spots(iso, kind)
    locality = _place(query.get("InLocality"), "locality")
    if locality:
        spots = [s for s in spots if (s.locality or "").lower() == locality.lower()]
    if iso not in NANP:
        return spots
    area = query.get("AreaCode")
    if area:
        spots = (
            [number_pool.area_spot(iso, area)] if kind == "Local" else [s for s in spots if s.prefix == area]
        )
    for wire, attr in (("InRegion", "region"), ("InLata", "lata"), ("InRateCenter", "locality")):
        wanted = _place(query.get(wire), attr)
        if wanted:
            spots = [s for s in spots if str(getattr(s, attr) or "").upper() == wanted.upper()]
    postal = query.get("InPostalCode")
    if postal:
        region = _place(postal, "region") if postal.startswith("+") else _postal_region(iso, postal)
        spots = [s for s in spots if region and s.region == region]
    near = number_pool.nanp_area(query.get("NearNumber") or "")
    if near and near not in NANP_AREAS:  # no coordinates: numbers in the same area code
        spots = (
            [number_pool.area_spot(iso, near)] if kind == "Local" else [s for s in spots if s.prefix == near]
        )
    center = _center(query)
    if center is not None:
        distance = float(query.get("Distance") or NEAR_MILES)
        spots = [s for s in spots if s.lat is not None and s.lon is not None]
        spots = [s for s in spots if number_pool.miles(*center, s.lat or 0, s.lon or 0) <= distance]
    return spots


def _place(value: str | None, attr: str) -> str | None:
    """A filter's value; given a phone number, that attribute of its area code's place."""
    if not value or not value.startswith("+"):
        return value
    found = NANP_AREAS.get(number_pool.nanp_area(value) or "")
    if found is None:
        return "\0"  # a number of no known place: nothing matches
    _iso, locality, region, lata, _lat, _lon = found
    return {"locality": locality, "region": region, "lata": lata or "\0"}[attr]


def _postal_region(iso: str, postal: str) -> str | None:
    found = number_pool.region_of_postal(postal)
    return found[1] if found is not None and found[0] == iso else None


def _center(query: dict[str, str]) -> tuple[float, float] | None:
    """Where ``NearLatLong`` or ``NearNumber`` (its area code's place) points; ``None``: neither."""
    text = query.get("NearLatLong")
    if text:
        try:
            lat, lon = (float(part) for part in text.split(","))
        except ValueError:
            raise errors.invalid_param("api", "", "NearLatLong", text, "latitude,longitude") from None
        return lat, lon
    found = NANP_AREAS.get(number_pool.nanp_area(query.get("NearNumber") or "") or "")
    return (found[4], found[5]) if found is not None else None
