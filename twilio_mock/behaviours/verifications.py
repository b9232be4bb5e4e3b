"""Verify v2 (ref §12, §13): sending a code and checking it.

Create (``POST /v2/Services/{VA}/Verifications``): ``Channel`` one of ``verify_data.CHANNELS``
and ``To`` an E.164 number (an email address for ``email``), else 400 / 60200; an ``sms`` to a
number ``phonenumbers`` knows as a landline is 403 / 60205; the service must exist (404 / 20404,
the core's parent check). A code of the service's ``code_length`` is drawn
from the backend's seeded generator, or ``CustomCode`` (4 to 10 letters or digits) is used. An
``sms`` verification sends ``verify_data.SMS_TEXT`` through the messaging behaviour, from
``backend.verify.sender``, so it is a Message with its lifecycle; ``call``, ``email``,
``whatsapp`` and ``sna`` only record the send attempt. Creating again for a ``To`` with a pending
verification reuses it (same SID, same code unless ``CustomCode`` is given, one more
``send_code_attempts`` entry); past ``max_sends`` sends it is 429 / 60203 and nothing changes.
A limit rule (``backend.verify.limit``) answers a start 429 / 60212 (or 60203) instead.
A verification expires ``lifetime`` seconds after it was created (a scheduler event; what reads
it also compares the clock, for a real-time clock or a state restored without its schedule).

Check (``POST .../VerificationCheck``) with ``Code`` and ``To`` or ``VerificationSid`` (neither:
400 / 60221): the right code approves it (``valid`` true), a wrong one answers ``pending``; once
``max_checks`` checks were wrong the next is 429 / 60202 and the verification is
``max_attempts_reached``. No pending verification (unknown, expired, approved, canceled): 404.

Update (``Status=canceled|approved``) finishes a pending verification; a finished one is 404.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import messages
from twilio_mock.behaviours import verify_data as data
from twilio_mock.behaviours.verify import Verify, live, verify_of
from twilio_mock.core import dates, errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
SERVICES = "Services"
VERIFICATIONS = "Services/{ServiceSid}/Verifications"
CHECKS = "Services/{ServiceSid}/VerificationCheck"
EXPIRE = "verify.expire"
_PENDING = "~pending_to"  # the equality index over pending verifications' To
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[0-9A-Za-z]+$")


def install(core: Core) -> None:
    state = Verify(core)
    core.extensions["verify"] = state
    core.parts["verify"] = state
    for wire in data.MISSING_IS_INVALID:
        text = data.error_text(60200, name=wire)
        errors.PARAM_CODES.setdefault(("verify", VERIFICATIONS, wire), {"missing": (60200, text)})
    core.on("create", "verify", SERVICES, _service_settings)
    core.on("update", "verify", SERVICES, _service_settings)
    core.on("create", "verify", VERIFICATIONS, _creating)
    core.on("update", "verify", VERIFICATIONS, _updating)
    core.on("create", "verify", CHECKS, _checking)
    core.fetches[("verify", VERIFICATIONS)] = _fetch
    core.scheduler.handler(EXPIRE, _expire)


def _invalid(name: str) -> errors.MockError:
    return errors.MockError(400, 60200, data.error_text(60200, name=name))


def _error(code: int) -> errors.MockError:
    return errors.MockError(data.ERRORS[code][0], code, data.error_text(code))


def _service_settings(call: Call, record: Record, old: Record | None) -> Record | None:
    """A service's ``code_length`` is 4 to 10 (60200 otherwise; unconfirmed for services)."""
    length = record.get("code_length")
    low, high = data.CODE_LENGTHS
    if length is not None and not low <= int(length) <= high:
        raise _invalid("CodeLength")
    return None


# Create -------------------------------------------------------------------------------
def _creating(call: Call, record: Record, old: Record | None) -> Record | None:
    core, state = call.backend, verify_of(call.backend)
    channel = str(record.get("channel") or "")
    if channel not in data.CHANNELS:
        raise _invalid("Channel")
    to = str(record.get("to") or "").strip()
    if not _address_ok(to, data.CHANNELS[channel]):
        raise _invalid("To")
    if channel == "sms" and _landline(to):
        raise _error(60205)
    custom = record.pop("custom_code", None)
    if custom is not None and not _code_ok(str(custom)):
        raise _invalid("CustomCode")
    service = _service(call)
    limited = state.take(to)
    if limited is not None:
        raise _error(limited)
    now = core.clock.now()
    coll = call.open()
    attempt = {
        "time": dates.iso8601(int(now)),
        "channel": channel.upper(),
        "attempt_sid": core.minter.sid(data.ATTEMPT_PREFIX),
    }
    found = pending_to(coll, to, now)
    if found is not None:  # a resend: the same verification, one more attempt
        attempts = list(found.get("send_code_attempts") or [])
        if len(attempts) >= state.max_sends:
            raise _error(60203)
        made = {**found, "channel": channel, "date_updated": int(now)}
        made["send_code_attempts"] = [*attempts, attempt]
        if custom is not None:
            made["_code"] = str(custom)
    else:
        made = dict(record)
        length = int(service.get("code_length") or data.CODE_LENGTH)
        made.update(
            to=to,
            channel=channel,
            status="pending",
            valid=False,
            lookup={},
            sna=None,
            send_code_attempts=[attempt],
            _code=str(custom) if custom is not None else _draw(core, length),
            _checks=0,
            _expires=now + state.lifetime,
        )
        for name in ("amount", "payee"):
            made.setdefault(name, None)
    if channel == "sms":
        name = str(record.get("custom_friendly_name") or service.get("friendly_name") or "")
        body = data.SMS_TEXT.format(friendly_name=name, code=made["_code"])
        messages.send(
            core,
            call.owner,
            to=to,
            from_=state.sender,
            body=body,
            direction="outbound-api",
            free=True,
            check_opt_out=False,
        )
    if found is None:
        event = {"account": call.owner, "service": str(service["sid"]), "sid": str(made["sid"])}
        core.scheduler.at(made["_expires"], EXPIRE, event)
    return made


def _address_ok(to: str, kind: str) -> bool:
    if kind == "email":
        return bool(_EMAIL.match(to))
    if not _E164.match(to):
        return False
    from twilio_mock.behaviours.senders import e164

    return e164(to) == to


def _landline(number: str) -> bool:
    """Whether ``phonenumbers`` knows ``number`` as a fixed line (not "fixed line or mobile",
    as most US numbers are)."""
    import phonenumbers

    parsed = phonenumbers.parse(number, None)
    return bool(phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE)


def _code_ok(code: str) -> bool:
    low, high = data.CODE_LENGTHS
    return low <= len(code) <= high and bool(_CODE.match(code))


def _draw(core: Core, length: int) -> str:
    """A code of ``length`` digits from the backend's seeded generator (a seed reproduces it)."""
    return core.minter.code(length)


def _service(call: Call) -> Record:
    sid = str(call.parent.get("service_sid") or "")
    coll = call.backend.store.get((call.owner, "verify", "v2", "/v2/Services"))
    found = coll.get(sid) if coll is not None else None
    if found is None:  # the core checks the parent first; a test-credentials call never gets here
        raise errors.not_found(call.route.path)
    return found


def pending_to(coll: Collection | None, to: str, now: float) -> Record | None:
    """The newest pending, unexpired verification to ``to`` in ``coll``."""
    if coll is None or not len(coll):
        return None
    positions, start, stop = coll.equality_index(_PENDING, _pending_keys).window(to)
    found = [coll.at(positions[i]) for i in range(start, stop)]
    live_ones = [r for r in found if live(r, now)]
    for record in found:
        if not live(record, now):
            _lapse(coll, record, now)
    return live_ones[-1] if live_ones else None


def _pending_keys(record: Record) -> tuple[str, ...]:
    return (str(record["to"]),) if record.get("status") == "pending" and record.get("to") else ()


def _lapse(coll: Collection, record: Record, now: float) -> Record:
    """Mark a verification past its time ``expired`` (when the scheduler has not yet, as on a
    real-time clock or a state restored without its schedule); returns the record as stored."""
    if record.get("status") == "pending" and not live(record, now):
        record = {**record, "status": "expired", "date_updated": int(now)}
        coll.put(str(record["sid"]), record)
    return record


def _fetch(call: Call) -> Record:
    coll = call.collection()
    found = coll.get(call.route.ident or "") if coll is not None else None
    if coll is None or found is None:
        raise errors.not_found(call.route.path)
    return _lapse(coll, found, call.backend.clock.now())


def _expire(core: Core, event: dict[str, Any]) -> list[After] | None:
    account, service = str(event["account"]), str(event["service"])
    coll = core.store.get((account, "verify", "v2", f"/v2/Services/{service}/Verifications"))
    record = coll.get(str(event["sid"])) if coll is not None else None
    if coll is not None and record is not None:
        _lapse(coll, record, core.clock.now())
    return None


# Update -------------------------------------------------------------------------------
def _updating(call: Call, record: Record, old: Record | None) -> Record | None:
    assert old is not None
    now = call.backend.clock.now()
    if not live(old, now):
        coll = call.collection()
        if coll is not None:
            _lapse(coll, old, now)
        raise errors.not_found(call.route.path)
    record["valid"] = record.get("status") == "approved"
    return record


# Check --------------------------------------------------------------------------------
def _checking(call: Call, record: Record, old: Record | None) -> Record | None:
    core, state = call.backend, verify_of(call.backend)
    to, sid = record.get("to"), record.get("verification_sid")
    if not to and not sid:
        raise _error(60221)
    service = str(call.parent.get("service_sid") or "")
    coll = core.store.get((call.owner, "verify", "v2", f"/v2/Services/{service}/Verifications"))
    now = core.clock.now()
    by_sid = coll.get(str(sid)) if coll is not None and sid else None
    found = by_sid if sid else pending_to(coll, str(to), now)
    if coll is None or found is None or not live(found, now):
        if coll is not None and found is not None:
            _lapse(coll, found, now)
        raise errors.not_found(call.route.path)
    code = str(record.get("code") or "")
    if not _code_ok(code):
        raise _invalid("Code")
    ident = str(found["sid"])
    checks = int(found.get("_checks") or 0)
    if checks >= state.max_checks:
        coll.put(ident, {**found, "status": "max_attempts_reached", "date_updated": int(now)})
        raise _error(60202)
    if code == found.get("_code"):
        found = {**found, "status": "approved", "valid": True, "date_updated": int(now)}
    else:
        found = {**found, "_checks": checks + 1, "date_updated": int(now)}
    for name in ("amount", "payee"):
        if record.get(name) is not None:
            found[name] = record[name]
    coll.put(ident, found)
    out = {k: found.get(k) for k in ("to", "channel", "status", "valid", "amount", "payee", "date_created")}
    out.update(sid=ident, service_sid=service, date_updated=int(now), sna_attempts_error_codes=[])
    return out
