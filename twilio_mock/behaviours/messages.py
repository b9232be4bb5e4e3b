"""Messages create: what Twilio checks and decides when a message is sent (ref §2, §10, §13).

In order: the body's length (21617); ``To``/``From`` as possible phone numbers (``phonenumbers``;
21211/21212; short codes, alphanumeric IDs and ``whatsapp:`` addresses as before) and not the same
(21266). With test credentials the magic numbers decide (ref §2) and nothing is kept. Otherwise:
the Messaging Service (21705), scheduling (35111/35115/35118), the sender (its pool when ``From``
is left out, 21704; with ``require_owned_sender``, an owned number or a pool sender, 21606), the
recipient's opt-out (21610) and the sender's queue (21611). A message with media is an MMS
(``MM`` SID, ``Media`` records). Then the lifecycle starts (:mod:`.message_lifecycle`).

Update: ``Status=canceled`` cancels a scheduled message (30409 for any other); ``Body`` may only
be ``""`` (redaction: any other value is an invalid parameter, 20001; the code is unconfirmed).
"""

from __future__ import annotations

import mimetypes
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from twilio_mock.behaviours import message_lifecycle as lifecycle
from twilio_mock.behaviours import messaging_data as data
from twilio_mock.behaviours import messaging_services as services
from twilio_mock.behaviours import segments, senders
from twilio_mock.behaviours.messaging import Messaging
from twilio_mock.core import dates, errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.store import CollectionKey

Record = dict[str, Any]
MESSAGES = "Accounts/{AccountSid}/Messages"


def install(core: Core) -> None:
    state = Messaging(core)
    core.parts["messaging"] = state
    core.extensions["messaging"] = state
    for wire, codes in data.PARAM_CODES.items():
        errors.PARAM_CODES.setdefault(("api", MESSAGES, wire), codes)
    core.on("create", "api", MESSAGES, _creating)
    core.on("update", "api", MESSAGES, _updating)


def messaging_of(core: Core) -> Messaging:
    found: Messaging = core.extensions["messaging"]
    return found


def messages_key(owner: str) -> CollectionKey:
    return (owner, "api", "v2010", f"/2010-04-01/Accounts/{owner}/Messages")


def _creating(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None:
        return None
    return prepare(call.backend, call.owner, record, test=call.principal.test)


def send(
    core: Core,
    owner: str,
    *,
    to: str,
    from_: str,
    body: str = "",
    media: list[str] | None = None,
    status_callback: str | None = None,
    direction: str = "outbound-reply",
    free: bool = False,
    check_opt_out: bool = True,
) -> Record:
    """Send a message from inside the mock (TwiML replies, keyword auto-replies), under the lock;
    raises ``MockError`` as the API would. Returns the stored record."""
    now = core.clock.seconds()
    record: Record = {"sid": core.minter.sid("SM"), "to": to, "from": from_, "body": body}
    record.update(date_created=now, date_updated=now, media_url=list(media or []))
    if status_callback:
        record["status_callback"] = status_callback
    record = prepare(core, owner, record, direction=direction, free=free, check_opt_out=check_opt_out)
    key = messages_key(owner)
    core.store.open(key, {"account_sid": owner}, "sid").put(str(record["sid"]), record)
    return record


def prepare(
    core: Core,
    owner: str,
    record: Record,
    *,
    test: bool = False,
    direction: str = "outbound-api",
    free: bool = False,
    check_opt_out: bool = True,
) -> Record:
    """Check a new message and fill in what Twilio decides; starts its lifecycle (live only)."""
    body = str(record.get("body") or "")
    if len(body) > data.MAX_BODY:
        raise _error(21617)
    to = senders.normalize(str(record.get("to") or ""), "To")
    from_raw = record.get("from")
    from_ = senders.normalize(str(from_raw), "From") if from_raw else None
    if from_ is not None and from_ == to:
        raise _error(21266, to=to)
    media = [str(u) for u in record.pop("media_url", None) or [] if u]
    if test:
        _magic(from_ or "", to)
        return _fill(record, to, from_ or "", body, segments.count(body), media, "queued", direction)
    state = messaging_of(core)
    now = core.clock.now()
    service = _service(core, owner, record.get("messaging_service_sid"))
    send_at = _schedule(record, service, now)
    sender = _sender(core, state, owner, from_, service, to)
    scopes = {sender, *((str(service["sid"]),) if service else ())}
    pooled = services.service_of(core, owner, sender) if sender.startswith("+") else None
    if pooled:
        scopes.add(pooled)
    if check_opt_out and state.blocked(owner, scopes, to):
        raise _error(21610, to=to)
    count = segments.count(body)
    validity = float(
        record.pop("validity_period", None)
        or (services.setting(service, "validity_period") if service else None)
        or data.VALIDITY_PERIOD
    )
    start = None
    if service is None and send_at is None:
        start = state.slot(owner, sender, senders.kind(sender), count, now, validity)
        if start is None:
            raise _error(21611, from_=sender)
    status = "scheduled" if send_at is not None else ("accepted" if service else "queued")
    record = _fill(record, to, sender, body, count, media, status, direction)
    if status != "queued":
        record["num_segments"] = "0"  # the create response with a Messaging Service (ref §10)
    if service is not None:
        sid = str(service["sid"])
        record["messaging_service_sid"] = sid
        record.setdefault("status_callback", services.setting(service, "status_callback"))
        if services.setting(service, "sticky_sender"):
            state.stick(owner, sid, to, sender)
    if not record.get("status_callback"):
        record.pop("status_callback", None)
    media_records(core, owner, str(record["sid"]), media)
    extra: dict[str, Any] = {"free": True} if free else {}
    if start is not None:
        lifecycle.schedule(core, owner, record, "sending", start + state.delays["sending"], **extra)
    elif send_at is not None:
        lifecycle.schedule(core, owner, record, "queued", send_at, validity=validity, **extra)
    else:
        lifecycle.schedule(
            core, owner, record, "queued", now + state.delays["queued"], validity=validity, **extra
        )
    return record


def _fill(
    record: Record, to: str, from_: str, body: str, count: int, media: list[str], status: str, direction: str
) -> Record:
    sid = str(record.get("sid") or "")
    if media and sid.startswith("SM"):
        record["sid"] = "MM" + sid[2:]
    for name in ("schedule_type", "send_at", "validity_period"):
        record.pop(name, None)
    record.update(
        to=to,
        body=body,
        status=status,
        direction=direction,
        num_segments=str(count),
        num_media=str(len(media)),
        price=None,
        price_unit=data.PRICE_UNIT,
        error_code=None,
        error_message=None,
        date_sent=None,
    )
    record["from"] = from_
    return record


def _magic(from_: str, to: str) -> None:
    """Test credentials: the magic numbers of ref §2 (From first, then To)."""
    code = data.MAGIC_FROM.get(from_, data.MAGIC_FROM_OTHER) if from_ else data.MAGIC_FROM_OTHER
    if code is not None:
        raise _error(code, to=to, from_=from_)
    code = data.MAGIC_TO.get(to)
    if code is not None:
        raise _error(code, to=to, from_=from_)


def _service(core: Core, owner: str, sid: Any) -> Record | None:
    if not sid:
        return None
    found = services.service(core, owner, str(sid))
    if found is None:
        raise errors.MockError(400, 21705, f"{data.ERRORS[21705][1]}: {errors.short(sid)}")
    return found


def _schedule(record: Record, service: Record | None, now: float) -> float | None:
    """SendAt as epoch seconds for ``ScheduleType=fixed`` (a SendAt alone is ignored:
    unconfirmed), after Twilio's checks."""
    if not record.get("schedule_type"):
        return None
    text = record.get("send_at")
    if not text:
        raise _error(35111)
    if service is None:
        raise _error(35118)
    when = dates.parse(text)
    if when is None or not now + data.SCHEDULE_MIN < when <= now + data.SCHEDULE_MAX:
        raise _error(35115)
    return when


def _sender(
    core: Core, state: Messaging, owner: str, from_: str | None, service: Record | None, to: str
) -> str:
    if from_ is None:
        assert service is not None  # the description requires From or MessagingServiceSid
        return services.choose(core, owner, service, to)
    if not state.require_owned_sender or not from_.startswith("+"):
        return from_  # short codes, alphanumeric IDs and channel addresses: not checked
    number = senders.owned(core, owner, from_)
    if number is not None and (number.get("capabilities") or {}).get("sms", True):
        return from_
    if service is not None and services.in_pool(core, owner, str(service["sid"]), from_):
        return from_
    held = ", ".join(senders.owned_numbers(core, owner)) or "no phone number"
    hint = (
        f" On the mock, an account owns the numbers it created: "
        f'client.incoming_phone_numbers.create(phone_number="{from_}") makes it one of this '
        f"account's (which owns {held}); backend.messaging.require_owned_sender = False lifts the check."
    )
    raise errors.MockError(400, 21606, data.error_text(21606, from_=from_) + hint)


def media_records(
    core: Core, owner: str, sid: str, urls: list[str], types: list[str | None] | None = None
) -> list[tuple[str, str]]:
    """Store a message's Media records, one per URL; returns (media SID, content type) of each.
    The type is the one given, else the URL's extension's, else ``DEFAULT_MEDIA_TYPE``."""
    if not urls:
        return []
    now = core.clock.seconds()
    path = f"/2010-04-01/Accounts/{owner}/Messages/{sid}/Media"
    coll = core.store.open((owner, "api", "v2010", path), {"account_sid": owner, "message_sid": sid}, "sid")
    made = []
    for n, url in enumerate(urls):
        media_sid = core.minter.sid("ME")
        given = types[n] if types and n < len(types) else None
        kind = given or mimetypes.guess_type(urlsplit(url).path)[0] or data.DEFAULT_MEDIA_TYPE
        record = {"sid": media_sid, "parent_sid": sid, "content_type": kind, "source_url": url}
        coll.put(media_sid, {**record, "date_created": now, "date_updated": now})
        made.append((media_sid, kind))
    return made


def _updating(call: Call, record: Record, old: Record | None) -> Record | None:
    given = dict(call.form)
    if given.get("Body", "") != "":
        raise errors.invalid_param(
            "api", MESSAGES, "Body", given["Body"], "only an empty Body, which redacts it, can be set"
        )
    if old is None or record.get("status") == old.get("status"):
        return None
    if record.get("status") != "canceled" or old.get("status") != "scheduled":
        raise _error(30409)
    after = lifecycle.callback(call.backend, call.owner, record)
    if after is not None:
        call.after.append(after)
    return record


def _error(code: int, **values: Any) -> errors.MockError:
    status = data.ERRORS[code][0] or 400
    return errors.MockError(status, code, data.error_text(code, **values))
