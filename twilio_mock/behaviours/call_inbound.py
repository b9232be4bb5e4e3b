"""Inbound calls (reference/twilio-facts.md §11, §17.1): a call to one of an account's numbers
is stored ``ringing`` (``direction`` inbound) and rings the number's ``VoiceUrl`` with
``VoiceMethod``; the TwiML it answers runs on the engine (:mod:`.call_engine`), its first verb
answering the call (a ``<Reject>`` first leaves it unanswered); the number's ``StatusCallback``
gets the call's progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import calls, senders
from twilio_mock.behaviours import voice_data as data

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

Record = dict[str, Any]


def inbound(core: Core, from_: str, to: str) -> str:
    from twilio_mock.behaviours import call_engine
    from twilio_mock.behaviours.number_pool import national_format

    caller = calls.address(from_, "From") if from_ else ""
    number = calls.address(to, "To")
    if not caller:
        raise ValueError("an inbound call needs a From")
    with core._lock:
        account, owned = senders.owner(core, number)
        now = core.clock.seconds()
        sid = core.minter.sid("CA")
        record: Record = {
            "sid": sid,
            "account_sid": account,
            "to": number,
            "from": caller,
            "to_formatted": national_format(number),
            "from_formatted": national_format(caller) if caller.startswith("+") else caller,
            "status": "ringing",
            "direction": "inbound",
            "phone_number_sid": owned.get("sid"),
            "start_time": now,
            "end_time": None,
            "duration": None,
            "price": None,
            "price_unit": data.PRICE_UNIT,
            "answered_by": None,
            "date_created": now,
            "date_updated": now,
            "url": owned.get("voice_url") or None,
            "method": owned.get("voice_method") or "POST",
            "fallback_url": owned.get("voice_fallback_url") or None,
            "fallback_method": owned.get("voice_fallback_method") or "POST",
            "status_callback": owned.get("status_callback") or None,
            "status_callback_method": owned.get("status_callback_method") or "POST",
        }
        application = _application(core, account, owned.get("voice_application_sid"))
        if application is not None:  # the number's voice Application answers instead (twilio-oai)
            record.update(
                url=application.get("voice_url") or None,
                method=application.get("voice_method") or "POST",
                fallback_url=application.get("voice_fallback_url") or None,
                fallback_method=application.get("voice_fallback_method") or "POST",
                status_callback=application.get("status_callback") or record["status_callback"],
                status_callback_method=application.get("status_callback_method") or "POST",
            )
        calls.put(core, account, record)
        afters = call_engine.begin(core, account, record)
    for thunk in afters:
        thunk()
    return sid


def _application(core: Core, account: str, sid: object) -> Record | None:
    if not sid:
        return None
    coll = core.store.get((account, "api", "v2010", f"/2010-04-01/Accounts/{account}/Applications"))
    return coll.get(str(sid)) if coll is not None else None
