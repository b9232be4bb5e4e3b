"""Messaging Services: the sender pool (``Services/{ServiceSid}/PhoneNumbers``, made of the
account's IncomingPhoneNumbers) and which sender of the pool a message goes out from.

Adding a number takes its ``PhoneNumberSid``: the pool entry has the number's SID, its
``phone_number``, ``country_code`` and ``capabilities`` (``["MMS", "SMS", "Voice"]`` from the
number's own); an unknown SID is 400/21421, a number that can neither SMS nor MMS 400/21715.
A message sent with ``MessagingServiceSid`` and no ``From`` goes out from the recipient's sticky
sender when the service has ``sticky_sender`` (the sender it last used with them), else from the
first number of the pool; an empty pool is 21704 (unconfirmed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import messaging_data as data
from twilio_mock.behaviours import senders
from twilio_mock.core import errors, render
from twilio_mock.core.sids import looks_like_sid

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

Record = dict[str, Any]
POOL = "Services/{ServiceSid}/PhoneNumbers"


def install(core: Core) -> None:
    core.on("create", "messaging", POOL, _adding)


def _adding(call: Call, record: Record, old: Record | None) -> Record:
    sid = str(record.get("phone_number_sid") or "")
    number = _number_by_sid(call.backend, call.owner, sid)
    if number is None:
        raise errors.MockError(400, 21421, f"{data.ERRORS[21421][1]}: {errors.short(sid)}")
    capabilities = number.get("capabilities") or render.renderer(
        "api", "v2010", "Accounts/{AccountSid}/IncomingPhoneNumbers"
    ).defaults.get("capabilities", {})
    if not (capabilities.get("sms") or capabilities.get("mms")):
        raise errors.MockError(400, 21715, data.ERRORS[21715][1])
    phone = str(number.get("phone_number") or "")
    record.pop("phone_number_sid", None)
    record["sid"] = sid
    record["phone_number"] = phone
    record["country_code"] = senders.country(senders.e164(phone) or phone) if phone.startswith("+") else None
    record["capabilities"] = [name for key, name in data.CAPABILITY_NAMES if capabilities.get(key)]
    return record


def _number_by_sid(core: Core, owner: str, sid: str) -> Record | None:
    for key in senders.number_keys(owner):
        coll = core.store.get(key)
        found = coll.get(sid) if coll is not None else None
        if found is not None:
            return found
    return None


def _key(owner: str, path: str) -> tuple[str, str, str, str]:
    return (owner, "messaging", "v1", path)


def service(core: Core, owner: str, sid: str) -> Record | None:
    """The account's Messaging Service ``sid``, if it exists."""
    if not looks_like_sid(sid) or not sid.startswith("MG"):
        return None
    coll = core.store.get(_key(owner, "/v1/Services"))
    return coll.get(sid) if coll is not None else None


def setting(record: Record, name: str) -> Any:
    """A service's field, its documented default when unset."""
    if name in record:
        return record[name]
    return render.renderer("messaging", "v1", "Services").defaults.get(name)


def pool(core: Core, owner: str, sid: str) -> list[Record]:
    """The service's phone numbers, in the order they were added."""
    coll = core.store.get(_key(owner, f"/v1/Services/{sid}/PhoneNumbers"))
    return list(coll.records()) if coll is not None else []


def in_pool(core: Core, owner: str, sid: str, number: str) -> bool:
    return any(senders.e164(str(r.get("phone_number") or "")) == number for r in pool(core, owner, sid))


def service_of(core: Core, owner: str, number: str) -> str | None:
    """The Messaging Service whose pool holds ``number`` (E.164), if any."""
    coll = core.store.get(_key(owner, "/v1/Services"))
    if coll is None:
        return None
    for record in coll.records():
        sid = str(record.get("sid"))
        if in_pool(core, owner, sid, number):
            return sid
    return None


def choose(core: Core, owner: str, record: Record, to: str) -> str:
    """The sender a message of service ``record`` to ``to`` goes out from; 21704 if none."""
    from twilio_mock.behaviours.messaging import Messaging

    sid = str(record["sid"])
    held_numbers = (str(r.get("phone_number") or "") for r in pool(core, owner, sid))
    numbers = [senders.e164(n) or n for n in held_numbers if n]
    if not numbers:
        raise errors.MockError(400, 21704, f"{data.ERRORS[21704][1]}: {sid}")
    state: Messaging = core.extensions["messaging"]
    if setting(record, "sticky_sender"):
        held = state.sticky(owner, sid, to)
        if held is not None and held in numbers:
            return held
    return numbers[0]
