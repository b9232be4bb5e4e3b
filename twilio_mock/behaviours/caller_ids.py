"""Caller IDs: the numbers an account may call from (its IncomingPhoneNumbers and its
OutgoingCallerIds, the verified caller IDs a test adds with ``backend.voice.verify_caller_id``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from twilio_mock.behaviours import senders
from twilio_mock.identity import accounts_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.store import CollectionKey


def is_caller_id(core: Core, owner: str, number: str) -> bool:
    if senders.owned(core, owner, number) is not None:
        return True
    coll = core.store.get(caller_ids_key(owner))
    return coll is not None and any(r.get("phone_number") == number for r in coll.records())


def caller_ids_key(owner: str) -> CollectionKey:
    return (owner, "api", "v2010", f"/2010-04-01/Accounts/{owner}/OutgoingCallerIds")


def add(core: Core, account: str | None, number: str, friendly_name: str | None) -> str:
    from twilio_mock.behaviours.number_pool import national_format

    with core._lock:
        owner = account or accounts_of(core).main_sid
        sid = core.minter.sid("PN")
        now = core.clock.seconds()
        record = {
            "sid": sid,
            "phone_number": number,
            "friendly_name": friendly_name or national_format(number),
            "date_created": now,
            "date_updated": now,
        }
        core.store.open(caller_ids_key(owner), {"account_sid": owner}, "sid").put(sid, record)
        return sid


def hint(core: Core, owner: str, from_: str) -> str:
    held = ", ".join(senders.owned_numbers(core, owner)) or "no phone number"
    return (
        f" On the mock, an account's caller IDs are its IncomingPhoneNumbers (it owns {held}) and "
        f'its verified caller IDs: backend.voice.verify_caller_id("{from_}") adds one; '
        f"backend.voice.require_owned_caller_id = False lifts the check."
    )
