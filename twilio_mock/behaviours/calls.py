"""Calls: what Twilio checks when a call is made, and the call's life on the virtual clock
(reference/twilio-facts.md §2, §11, §17.9, §19).

Create: ``To``/``From`` as addresses (phone numbers checked with ``phonenumbers``: 21217/21212;
``client:``/``sip:`` taken as given); one of ``Url``, ``Twiml`` or ``ApplicationSid`` (a ``Url``
wins over ``Twiml``, ref §17.1); inline TwiML at most 4000 characters (32018); with test
credentials the magic numbers decide (ref §2) and nothing happens after; otherwise the caller ID
must be the account's (an IncomingPhoneNumber or OutgoingCallerId, 21210).

Lifecycle, one scheduler event per step (plain data): ``queued`` → ``ringing`` → ``in-progress``
(the TwiML runs: :mod:`.call_engine`) → ``completed``; or ``busy`` / ``no-answer`` (after
``Timeout``) / ``failed`` by the rules of ``backend.voice``. Each step posts the status callback
when its event was asked for (``StatusCallbackEvent``; only ``completed`` by default).

Update: ``Status=completed`` hangs up (a call not yet answered too), ``Status=canceled`` cancels
a queued or ringing call (21220 for one that was answered: code unconfirmed); an ended call stays
as it was, ``Url``/``Twiml`` redirect a live one.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import caller_ids, senders
from twilio_mock.behaviours import voice_data as data
from twilio_mock.behaviours.voice import Voice
from twilio_mock.core import dates, errors
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.store import Collection, CollectionKey

Record = dict[str, Any]
CALLS = "Accounts/{AccountSid}/Calls"
KIND = "call.status"
AMD = "call.amd"


def install(core: Core) -> None:
    state = Voice(core)
    core.parts["voice"] = state
    core.extensions["voice"] = state
    core.on("create", "api", CALLS, _creating)
    core.on("update", "api", CALLS, _updating)
    core.on("delete", "api", CALLS, _deleting)
    core.scheduler.handler(KIND, _step)
    core.scheduler.handler(AMD, _amd)


def voice_of(core: Core) -> Voice:
    found: Voice = core.extensions["voice"]
    return found


def calls_key(owner: str) -> CollectionKey:
    return (owner, "api", "v2010", f"/2010-04-01/Accounts/{owner}/Calls")


def calls_of(core: Core, owner: str) -> Collection:
    return core.store.open(calls_key(owner), {"account_sid": owner}, "sid")


def find(core: Core, owner: str, sid: str) -> Record | None:
    coll = core.store.get(calls_key(owner))
    return coll.get(sid) if coll is not None else None


def owner_of_call(core: Core, sid: str) -> str | None:
    for (owner, domain, _v, path), coll in core.store.collections.items():
        if domain == "api" and path.endswith("/Calls") and coll.get(sid) is not None:
            return owner
    return None


def _note(core: Core, old: Record, new: Record) -> None:
    """The call's status history (the inbox's): ``new``'s status, after ``old``'s."""
    voice_of(core).history.note(
        str(new["sid"]),
        str(new.get("status")),
        core.clock.now(),
        (old.get("status"), old.get("date_created")),
    )


def put(core: Core, owner: str, record: Record) -> None:
    calls_of(core, owner).put(str(record["sid"]), record)


# Create ----------------------------------------------------------------------------------
def _creating(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None:
        return None
    core, owner = call.backend, call.owner
    to = address(str(record.get("to") or ""), "To")
    from_ = address(str(record.get("from") or ""), "From")
    record.update(to=to, account_sid=owner, **{"from": from_})
    if call.principal.test:
        _magic(from_, to)
        record.update(status="queued", direction="outbound-api")
        return record
    _document_of(core, owner, record)
    voice = voice_of(core)
    if (
        voice.require_owned_caller_id
        and from_.startswith("+")
        and not caller_ids.is_caller_id(core, owner, from_)
    ):
        raise error(21210, from_=from_, hint=caller_ids.hint(core, owner, from_))
    timeout = record.get("timeout")
    record["timeout"] = min(max(int(timeout), 1), data.MAX_TIMEOUT) if timeout else data.DEFAULT_TIMEOUT
    record.update(status="queued", direction="outbound-api", price_unit=data.PRICE_UNIT)
    record.update(start_time=None, end_time=None, duration=None, price=None, answered_by=None)
    number = senders.owned(core, owner, from_) if from_.startswith("+") else None
    record["phone_number_sid"] = number.get("sid") if number else None
    start(core, owner, record)
    thunk = callback(core, owner, record, "initiated", save=False)
    if thunk is not None:
        call.after.append(thunk)
    return record


def start(core: Core, owner: str, record: Record) -> None:
    """Schedule a new outbound call's first step by its number's rule."""
    voice = voice_of(core)
    now = core.clock.now()
    rule = voice.rule_for(str(record["to"]))
    if rule["outcome"] == "failed":
        schedule(core, owner, record, "failed", now + voice.delays["failed"])
    else:
        schedule(core, owner, record, "ringing", now + voice.delays["ringing"])


def schedule(core: Core, owner: str, record: Record, status: str, at: float, **extra: Any) -> None:
    event = {"account": owner, "sid": str(record["sid"]), "from": record["status"], "to": status}
    core.scheduler.at(at, KIND, {**event, **extra})


def address(value: str, param: str) -> str:
    """A ``To``/``From`` as the key calls are compared by (E.164 for phone numbers)."""
    if not value.startswith("+"):
        return value
    try:
        return senders.normalize(value, param)
    except errors.MockError:
        raise error(21217 if param == "To" else 21212, to=value, from_=value) from None


def _magic(from_: str, to: str) -> None:
    """Test credentials: the magic numbers of ref §2 (From first, then To)."""
    code = data.MAGIC_FROM.get(from_, data.MAGIC_FROM_OTHER)
    if code is not None:
        raise error(code, to=to, from_=from_)
    found = data.MAGIC_TO.get(to)
    if found is not None:
        raise error(found, to=to, from_=from_)


def _document_of(core: Core, owner: str, record: Record) -> None:
    """Where the call's TwiML comes from: ``Url`` (wins), else ``Twiml``, else the Application's
    ``voice_url``."""
    if record.get("url"):
        record.pop("twiml", None)
    elif record.get("twiml"):
        if len(str(record["twiml"])) > data.MAX_TWIML:
            raise error(32018)
    elif record.get("application_sid"):
        key = (owner, "api", "v2010", f"/2010-04-01/Accounts/{owner}/Applications")
        coll = core.store.get(key)
        app = coll.get(str(record["application_sid"])) if coll is not None else None
        if app is None or not app.get("voice_url"):  # unconfirmed: Twilio's answer for a bad app
            raise error(21218)
        record["url"] = app["voice_url"]
        record["method"] = app.get("voice_method") or "POST"
        record.setdefault("fallback_url", app.get("voice_fallback_url"))
        if not record.get("status_callback") and app.get("status_callback"):
            record["status_callback"] = app["status_callback"]
            record["status_callback_method"] = app.get("status_callback_method") or "POST"
    else:  # the description's conditional group answers first (20001); kept for hooks' callers
        raise errors.MockError(400, 20001, "Missing required parameter Url or Twiml or ApplicationSid")


# Lifecycle -------------------------------------------------------------------------------
def _step(core: Core, event: dict[str, Any]) -> list[After] | None:
    account, sid = str(event["account"]), str(event["sid"])
    record = find(core, account, sid)
    if record is None or record.get("status") != event.get("from"):
        return None
    voice = voice_of(core)
    now = core.clock.now()
    target = str(event["to"])
    if target in data.FINAL:
        return finish(core, account, record, target)
    changed = {**record, "status": target, "date_updated": int(now)}
    afters: list[After] = []
    if target == "ringing":
        changed["start_time"] = int(now)
        rule = voice.rule_for(str(record["to"]))
        timeout = float(record.get("timeout") or data.DEFAULT_TIMEOUT)
        after = voice.delays["answer"] if rule["after"] is None else rule["after"]
        if rule["outcome"] == "busy":
            schedule(core, account, changed, "busy", now + voice.delays["busy"])
        elif rule["outcome"] == "no-answer" or after >= timeout:
            schedule(core, account, changed, "no-answer", now + timeout)
        else:
            schedule(core, account, changed, "in-progress", now + after, answered_by=rule["answered_by"])
    elif target == "in-progress":
        changed["start_time"] = int(now)
        if record.get("machine_detection") and str(record.get("async_amd")).lower() == "true":
            # asynchronous AMD: the TwiML runs at once, the result is posted later (ref §17.9)
            core.scheduler.at(
                now + voice.delays["amd"],
                AMD,
                {
                    "account": account,
                    "sid": changed["sid"],
                    "answered_by": event.get("answered_by") or "human",
                },
            )
        elif record.get("machine_detection"):
            changed["answered_by"] = event.get("answered_by") or "human"
        if record.get("time_limit"):  # the call is hung up after TimeLimit seconds (ref §11)
            schedule(core, account, changed, "completed", now + float(record["time_limit"]))
    put(core, account, changed)
    _note(core, record, changed)
    thunk = callback(core, account, changed, data.EVENT_OF.get(target, target))
    if thunk is not None:
        afters.append(thunk)
    if target == "in-progress":
        from twilio_mock.behaviours import call_engine

        afters += call_engine.begin(core, account, changed)
    return afters


def _amd(core: Core, event: dict[str, Any]) -> list[After] | None:
    """Asynchronous AMD's result: ``answered_by`` set, ``AsyncAmdStatusCallback`` posted."""
    account, sid = str(event["account"]), str(event["sid"])
    record = find(core, account, sid)
    owner = accounts_of(core).get(account)
    if record is None or record.get("status") != "in-progress" or owner is None:
        return None
    answered_by = str(event.get("answered_by") or "human")
    put(core, account, {**record, "answered_by": answered_by})
    url = record.get("async_amd_status_callback")
    if not url:
        return None
    params = [("CallSid", sid), ("AccountSid", account), ("AnsweredBy", answered_by)]
    token, target, hooks = str(owner["auth_token"]), str(url), webhooks_of(core)
    method = str(record.get("async_amd_status_callback_method") or "POST")

    def deliver() -> None:
        hooks.deliver(target, params, token, account_sid=account, method=method, event="call.amd")

    return [deliver]


def ended(record: Record, status: str, now: float) -> Record:
    """``record`` ended with ``status`` at ``now``: end time, duration and price filled."""
    answered = record.get("status") == "in-progress"
    started = record.get("start_time")
    seconds = int(now - float(started)) if answered and started is not None else 0
    changed = {**record, "status": status, "end_time": int(now), "date_updated": int(now)}
    changed["duration"] = str(seconds)
    if started is None:
        changed["start_time"] = None
    if status in data.UNBILLED or not answered:
        changed["price"] = None
    else:
        rate = data.PRICES.get(str(record.get("direction")), data.PRICES["outbound-api"])
        minutes = max(1, math.ceil(seconds / 60))
        changed["price"] = f"{-float(rate) * minutes:.5f}"
    return changed


def finish(core: Core, account: str, record: Record, status: str, *, stored: bool = True) -> list[After]:
    """End a call (under the lock): stored ended, its TwiML stopped, its callback queued.
    With ``stored=False`` the caller stores the ended record (an update hook); the returned
    list's first item is then the record (callers use :func:`finish_record`)."""
    from twilio_mock.behaviours import call_engine

    changed = ended(record, status, core.clock.now())
    _note(core, record, changed)
    if stored:
        put(core, account, changed)
    afters = call_engine.stop(core, account, changed)
    thunk = callback(core, account, changed, "completed")
    return afters + ([thunk] if thunk is not None else [])


def callback(core: Core, account: str, record: Record, event: str, *, save: bool = True) -> After | None:
    """The status callback for ``event`` of ``record`` if it was asked for, to run after the
    lock; advances the call's ``SequenceNumber`` (in the store, or in ``record`` when not
    ``save``: a record not yet stored)."""
    url = record.get("status_callback")
    owner = accounts_of(core).get(account)
    if not url or owner is None:
        return None
    wanted = record.get("status_callback_event") or ["completed"]
    if isinstance(wanted, str):
        wanted = wanted.split()
    wanted = {w for item in wanted for w in str(item).split()}
    if event not in wanted:
        return None
    seq = int(record.get("callback_sequence") or 0)
    if save:
        put(core, account, {**record, "callback_sequence": seq + 1})
    else:
        record["callback_sequence"] = seq + 1
    status = "initiated" if event == "initiated" else str(record.get("status"))
    params = call_params(record, status)
    params += [
        ("CallbackSource", "call-progress-events"),
        ("SequenceNumber", str(seq)),
        ("Timestamp", dates.rfc2822(core.clock.now())),
    ]
    if status in data.FINAL:
        params += [("CallDuration", str(record.get("duration") or "0")), ("Duration", _minutes(record))]
    if status in ("busy", "canceled"):
        params.append(("SipResponseCode", "487" if status == "canceled" else "486"))
    token, target, hooks = str(owner["auth_token"]), str(url), webhooks_of(core)
    method = str(record.get("status_callback_method") or "POST")

    def deliver() -> None:
        hooks.deliver(target, params, token, account_sid=account, method=method, event="call.status")

    return deliver


def _minutes(record: Record) -> str:
    return str(math.ceil(int(record.get("duration") or 0) / 60))


def call_params(record: Record, status: str | None = None) -> list[tuple[str, str]]:
    """The standard parameters of a voice request about ``record`` (ref §11, §17.1)."""
    to, from_ = str(record.get("to") or ""), str(record.get("from") or "")
    params = [
        ("CallSid", str(record["sid"])),
        ("AccountSid", str(record.get("account_sid") or "")),
        ("From", from_),
        ("To", to),
        ("Caller", from_),
        ("Called", to),
        ("CallStatus", status or str(record.get("status"))),
        ("Direction", str(record.get("direction") or "outbound-api")),
        ("ApiVersion", "2010-04-01"),
    ]
    for side, address in (("From", from_), ("To", to), ("Caller", from_), ("Called", to)):
        where = senders.country(address) if address.startswith("+") else ""  # only the country is known
        params += [(f"{side}City", ""), (f"{side}State", ""), (f"{side}Zip", ""), (f"{side}Country", where)]
    if record.get("parent_call_sid"):
        params.append(("ParentCallSid", str(record["parent_call_sid"])))
    if record.get("answered_by"):
        params.append(("AnsweredBy", str(record["answered_by"])))
    return params


def _deleting(call: Call, record: Record, old: Record | None) -> Record | None:
    """A deleted call's TwiML stops and it leaves its rooms (it is gone, so no callback)."""
    from twilio_mock.behaviours import call_engine

    call.after += call_engine.stop(call.backend, call.owner, record, by="deleted")
    return None


# Update ----------------------------------------------------------------------------------
def _updating(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is None or call.principal.test:
        return None
    from twilio_mock.behaviours import call_engine

    core, owner = call.backend, call.owner
    given = {name for name, _ in call.form}
    status = record.get("status") if "Status" in given else None
    live = old.get("status") in ("queued", "ringing", "in-progress")
    if status is not None:
        if status == "canceled" and old.get("status") not in ("queued", "ringing"):
            raise error(21220, hint="")  # unconfirmed: the code for canceling a call that was answered
        if not live:
            return {**record, "status": old.get("status")}
        final = str(status)
        changed = ended(old, final, core.clock.now())
        put(core, owner, changed)
        call.after += call_engine.stop(core, owner, changed, by="api")
        thunk = callback(core, owner, changed, "completed")
        if thunk is not None:
            call.after.append(thunk)
        stored = find(core, owner, str(old["sid"])) or changed
        return {**record, **{k: stored.get(k) for k in stored}}
    if "Url" in given or "Twiml" in given:
        if old.get("status") != "in-progress":
            raise error(21220, hint="")
        if "Url" in given and "Twiml" in given:
            raise error(20001, value="Url and Twiml cannot both be given")
        if record.get("twiml") and len(str(record["twiml"])) > data.MAX_TWIML:
            raise error(32018)
        if "Url" in given:
            record.pop("twiml", None)
        put(core, owner, record)
        call.after += call_engine.redirect(core, owner, record)
        return find(core, owner, str(record["sid"])) or record
    return None


def error(code: int, hint: str = "", **values: Any) -> errors.MockError:
    status = data.ERRORS.get(code, (400, ""))[0]
    return errors.MockError(status, code, data.error_text(code, **values) + hint)
