"""What happens to an outbound message after it is created, on the virtual clock (ref §10, §19).

``accepted`` (a Messaging Service) or ``scheduled`` (``SendAt``) → ``queued`` → ``sending`` (once
the sender's queue frees up: ``Messaging.slot``) → ``sent`` (``date_sent``, ``price``) →
``delivered``; a delivery rule (``backend.messaging.fail``) ends it ``undelivered`` (after
``sent``) or ``failed`` (instead of ``sent``, never priced) with its 30xxx code. A Messaging
Service message whose sender's queue is longer than its validity period fails with 30001 when it
would be queued. Each step is one scheduler event (plain data, so snapshots keep it) that
schedules the next; an event whose message has moved on (cancelled, deleted) does nothing.

Every change after the first status posts the message's ``StatusCallback`` (else its service's),
signed with the account's auth token, once the lock is released.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import messaging_data as data
from twilio_mock.behaviours import segments, senders
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.behaviours.messaging import Messaging
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After

Record = dict[str, Any]
KIND = "message.status"
_CARRIED = ("free",)  # event data handed from one step to the next


def install(core: Core) -> None:
    core.scheduler.handler(KIND, _step)


def schedule(core: Core, owner: str, record: Record, status: str, at: float, **extra: Any) -> None:
    """Move ``record`` from its current status to ``status`` at epoch second ``at``."""
    event = {"account": owner, "sid": str(record["sid"]), "from": record["status"], "to": status}
    core.scheduler.at(at, KIND, {**event, **extra})


def _step(core: Core, event: dict[str, Any]) -> list[After] | None:
    account, sid = str(event["account"]), str(event["sid"])
    coll = core.store.get((account, "api", "v2010", f"/2010-04-01/Accounts/{account}/Messages"))
    record = coll.get(sid) if coll is not None else None
    if coll is None or record is None or record.get("status") != event.get("from"):
        return None
    state: Messaging = core.extensions["messaging"]
    now = core.clock.now()
    target = str(event["to"])
    changed = {**record, "status": target, "date_updated": int(now)}
    carried = {k: event[k] for k in _CARRIED if k in event}
    follow: tuple[str, float, dict[str, Any]] | None = None
    if target == "queued":
        count = segments.count(str(record.get("body") or ""))
        changed["num_segments"] = str(count)
        sender = str(record.get("from") or "")
        validity = float(event.get("validity") or data.VALIDITY_PERIOD)
        start = state.slot(account, sender, senders.kind(sender), count, now, validity)
        if start is None:  # the queue is longer than the message may wait (ref §13)
            changed.update(status="failed", error_code=30001, error_message=data.ERRORS[30001][1])
        else:
            follow = ("sending", start + state.delays["sending"], carried)
    elif target == "sending":
        rule = state.rule_for(str(record.get("to")), str(record.get("from")))
        outcome: dict[str, Any] = {"outcome": "delivered"}
        if rule is not None and rule["status"] != "delivered":
            outcome = {
                "outcome": rule["status"],
                "code": rule["error_code"],
                "message": rule["error_message"],
            }
        step = "failed" if outcome["outcome"] == "failed" else "sent"
        follow = (step, now + state.delays["sent"], {**carried, **outcome})
    elif target == "sent":
        changed["date_sent"] = int(now)
        changed["price"] = _price(changed, free=bool(event.get("free")))
        final: dict[str, Any] = {k: event[k] for k in ("code", "message") if k in event}
        follow = (str(event.get("outcome") or "delivered"), now + state.delays["delivered"], final)
    if target in ("failed", "undelivered"):
        changed["error_code"] = event.get("code")
        changed["error_message"] = event.get("message")
    coll.put(sid, changed)
    state.history.note(sid, str(changed["status"]), now, (event.get("from"), record.get("date_created")))
    if follow is not None:
        schedule(core, account, changed, follow[0], follow[1], **follow[2])
    thunk = callback(core, account, changed)
    return [thunk] if thunk is not None else None


def _price(record: Record, free: bool) -> str:
    """What the message cost, negative (a charge): per segment (SMS) or per message (MMS)."""
    if free:
        return data.FREE_PRICE
    to = str(record.get("to") or "")
    where = senders.country(to.rpartition(":")[2]) if "+" in to else ""
    mms = str(record.get("num_media") or "0") != "0"
    table = data.MMS_PRICES if mms else data.SMS_PRICES
    each = Decimal(table.get(where, table["*"]))
    units = 1 if mms else int(str(record.get("num_segments") or "1"))
    return f"{-each * units:.5f}"


def callback(core: Core, account: str, record: Record) -> After | None:
    """The status callback for ``record``'s current status, to run after the lock (or ``None``)."""
    url = record.get("status_callback")
    owner = accounts_of(core).get(account)
    if not url or owner is None:
        return None
    sid, status = str(record["sid"]), str(record.get("status"))
    params = [
        ("MessageSid", sid),
        ("SmsSid", sid),
        ("AccountSid", account),
        ("From", str(record.get("from") or "")),
        ("To", str(record.get("to") or "")),
        ("MessageStatus", status),
        ("SmsStatus", status),
        ("ApiVersion", "2010-04-01"),
    ]
    if record.get("messaging_service_sid"):
        params.append(("MessagingServiceSid", str(record["messaging_service_sid"])))
    if record.get("error_code") is not None and status in ("failed", "undelivered"):
        params += [
            ("ErrorCode", str(record["error_code"])),
            ("ErrorMessage", str(record.get("error_message") or "")),
        ]
    if status == "delivered":
        done = time.gmtime(int(record.get("date_updated") or core.clock.now()))
        params.append(("RawDlrDoneDate", time.strftime("%y%m%d%H%M", done)))
    token, target, hooks = str(owner["auth_token"]), str(url), webhooks_of(core)

    def deliver() -> None:
        hooks.deliver(target, params, token, account_sid=account, event="message.status")

    return deliver
