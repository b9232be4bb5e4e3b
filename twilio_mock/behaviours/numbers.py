"""The numbers accounts own (IncomingPhoneNumbers).

- Every account owns one number from the start, as a trial account does: the main account
  ``+15017122661`` (given at start and again on every reset; a restore keeps what its snapshot
  holds), each subaccount created through the API the first available US local number.
- Buying is ``create`` on ``IncomingPhoneNumbers`` and its ``Local``/``Mobile``/``TollFree``
  lists: by ``PhoneNumber`` (valid E.164 of a country the fake sells in, of the list's type,
  owned by no account) or by ``AreaCode`` (the first number ``AvailablePhoneNumbers`` offers
  there). Test credentials get the magic table of reference §2 and never change state.
- The typed lists show the account's numbers of their type; a released (deleted) number is
  available again, since what is available is computed from what accounts own.

Records keep ``sms_url``/``sms_method``/``voice_url``/``voice_method`` (methods ``POST`` unless
given) for whatever answers inbound traffic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import number_pool
from twilio_mock.behaviours.numbers_data import (
    COUNTRIES,
    ERRORS,
    KINDS,
    MAGIC_AVAILABLE,
    MAGIC_OTHER,
    MAGIC_PURCHASES,
    MAIN_KIND,
    MAIN_NATIONAL,
    MAIN_NUMBER,
    NANP,
    PARAM_CODES,
)
from twilio_mock.core import errors
from twilio_mock.identity import accounts_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

Record = dict[str, Any]
IPN = "Accounts/{AccountSid}/IncomingPhoneNumbers"
E164 = re.compile(r"\+[1-9]\d{1,14}")
AREA_CODE = re.compile(r"[2-9]\d\d")  # a NANP area code (NPA)
METHODS = ("sms_method", "voice_method")  # POST unless given (oai: the methods' default)


def install(core: Core) -> None:
    for key, codes in PARAM_CODES.items():
        errors.PARAM_CODES.setdefault(key, codes)
    core.on("create", "api", "Accounts", _subaccount_number)
    core.on("create", "api", IPN, _buy)
    core.visibility[("api", IPN)] = _of_kind
    core.parts["numbers"] = MainNumber(core)
    give_main_number(core)


class MainNumber:
    """The state part that gives the main account its number again when a reset has cleared the
    store (after identity's part has made the main account: parts reset in order). It keeps no
    state of its own: the numbers are records in the store."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def state(self) -> dict[str, Any]:
        return {}

    def load(self, state: dict[str, Any]) -> None:
        return None

    def reset(self) -> None:
        give_main_number(self.core)


# Ownership ------------------------------------------------------------------------------
def collection_key(account: str) -> tuple[str, str, str, str]:
    return (account, "api", "v2010", f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers")


def owned(core: Core) -> dict[str, str]:
    """Every number some account owns -> that account."""
    out: dict[str, str] = {}
    for key, coll in core.store.collections.items():
        if key[1] == "api" and key == collection_key(key[0]):
            for record in coll.records():
                out[str(record.get("phone_number"))] = key[0]
    return out


def give(core: Core, account: str, number: str, iso: str, kind: str) -> Record:
    """Put ``number`` in ``account``'s IncomingPhoneNumbers (a SID minted for it)."""
    now = core.clock.seconds()
    sid = core.minter.sid("PN")
    record = fill({"sid": sid, "date_created": now, "date_updated": now}, number, iso, kind)
    core.store.open(collection_key(account), {"account_sid": account}, "sid").put(sid, record)
    return record


def give_main_number(core: Core) -> None:
    give(core, accounts_of(core).main_sid, MAIN_NUMBER, *MAIN_KIND)


def fill(record: Record, number: str, iso: str, kind: str) -> Record:
    """The fields of an owned number of ``kind`` in ``iso``."""
    entry = COUNTRIES[iso]["kinds"][kind]
    record["phone_number"] = number
    if not record.get("friendly_name"):  # the main number's is known: no phonenumbers at start-up
        record["friendly_name"] = (
            MAIN_NATIONAL if number == MAIN_NUMBER else number_pool.national_format(number)
        )
    record["capabilities"] = dict(entry["capabilities"])
    record["address_requirements"] = entry["address"]
    record.update(type=KINDS[kind]["type"], origin="twilio", status="in-use", beta=False)
    for name in METHODS:
        record.setdefault(name, "POST")
    return record


def first_available(
    core: Core, iso: str, kind: str, spots: list[number_pool.Spot] | None = None
) -> str | None:
    """The first number AvailablePhoneNumbers offers (for the same spots), or ``None``."""
    search = number_pool.Search(
        iso, kind, spots if spots is not None else number_pool.kind_spots(iso, kind), exclude=set(owned(core))
    )
    found = number_pool.draw(core.minter.seed, search, 1)
    return found[0][0] if found else None


# Hooks ----------------------------------------------------------------------------------
def _subaccount_number(call: Call, record: Record, old: Record | None) -> None:
    if old is not None or call.principal.test:
        return
    backend = call.backend
    number = first_available(backend, "US", "Local")
    if number is not None:
        give(backend, str(record["sid"]), number, "US", "Local")


def _buy(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None:
        return None
    kind = _listed_kind(call)
    area = record.pop("area_code", None)
    number = record.get("phone_number")
    if call.principal.test:
        number, iso, kind = _magic(number, area), "US", "Local"
    elif number:
        iso, kind = _sellable(call.backend, str(number), kind)
    else:
        number, iso, kind = _by_area(call.backend, str(area))
    return fill(record, str(number), iso, kind)


def _of_kind(call: Call, record: Record) -> bool:
    """``IncomingPhoneNumbers/Local`` (Mobile, TollFree) lists the numbers of that type."""
    kind = _listed_kind(call)
    return kind is None or record.get("type", "local") == KINDS[kind]["type"]


def _listed_kind(call: Call) -> str | None:
    last = call.route.template.rsplit("/", 1)[-1]
    return last if last in KINDS else None


def failure(code: int) -> errors.MockError:
    status, message = ERRORS[code]
    return errors.MockError(status, code, message)


def _magic(number: Any, area: Any) -> str:
    """What test credentials buy: only the magic available number, or a magic error."""
    if number:
        if not _parses(str(number)):
            raise failure(21421)
        code = MAGIC_PURCHASES.get(("PhoneNumber", str(number)), MAGIC_OTHER["PhoneNumber"])
    else:
        if not AREA_CODE.fullmatch(str(area)):
            raise failure(21451)
        code = MAGIC_PURCHASES.get(("AreaCode", str(area)), MAGIC_OTHER["AreaCode"])
    if code is not None:
        raise failure(code)
    return MAGIC_AVAILABLE


def _parses(number: str) -> bool:
    import phonenumbers

    if not E164.fullmatch(number):
        return False
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(number, None)))
    except phonenumbers.NumberParseException:
        return False


def _sellable(core: Core, number: str, listed: str | None) -> tuple[str, str]:
    """(country, type) of a number one may buy; 21421 when it is not a valid number of a country
    the fake sells in, 21422 when it is not of a type sold there (or of the list's type) or some
    account owns it."""
    import phonenumbers

    if not _parses(number):
        raise failure(21421)
    parsed = phonenumbers.parse(number, None)
    iso = phonenumbers.region_code_for_number(parsed)
    if iso not in COUNTRIES:
        raise failure(21421)
    name = type_name(phonenumbers.number_type(parsed))
    offered = COUNTRIES[iso]["kinds"]
    kinds = [listed] if listed else list(offered)
    kind = next((k for k in kinds if k in offered and name in KINDS[k]["types"]), None)
    if kind is None or number in owned(core):
        raise failure(21422)
    return iso, kind


def _by_area(core: Core, area: str) -> tuple[str, str, str]:
    """The first local number available in a US or Canadian area code."""
    if not AREA_CODE.fullmatch(area):
        raise failure(21451)
    for iso in NANP:
        number = first_available(core, iso, "Local", [number_pool.area_spot(iso, area)])
        if number is not None:
            return number, iso, "Local"
    raise failure(21452)


def type_name(value: int) -> str:
    """A ``phonenumbers.PhoneNumberType`` value's name (``FIXED_LINE_OR_MOBILE``)."""
    import phonenumbers

    names = {v: k for k, v in vars(phonenumbers.PhoneNumberType).items() if k.isupper()}
    return names.get(value, "UNKNOWN")
