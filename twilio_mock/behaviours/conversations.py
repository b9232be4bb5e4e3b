"""Conversations v1: participants bound to SMS, messages relayed to them through the messaging
behaviour, inbound SMS landing in the conversation, delivery receipts and webhooks
(:mod:`.conversation_webhooks`). Top-level and service-scoped paths behave alike. What is
unconfirmed is in :mod:`.conversations_data`.

Participants: ``MessagingBinding.Address`` (E.164, or ``whatsapp:``) needs a
``MessagingBinding.ProxyAddress`` of the same channel (50412, 50414), not equal to it (50409),
that is one of the account's numbers (50408); the pair may be in one open conversation of the
account only (50416). A chat participant's ``Identity`` is unique in its conversation (50433).

Messages: ``index`` counts 0, 1, 2... per conversation and is never reused (the fields
behaviour's counter); ``author`` defaults to ``system``; ``participant_sid`` is the author's.
A message goes out as an SMS from the proxy address to every other participant bound to SMS
(a real Message record running the message lifecycle); each SMS's progress is a delivery
receipt (``Receipts``, ``DY``) and the message's ``delivery`` summary. An inbound SMS from a
bound address to its proxy address becomes a message of that conversation (``author`` the
address), relayed to the other bound participants, instead of going to the number's SmsUrl.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import conversation_webhooks as hooks
from twilio_mock.behaviours import conversations_data as data
from twilio_mock.behaviours import message_lifecycle, messages, senders
from twilio_mock.core import dates, errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.scheduler import After, Handler
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
Params = list[tuple[str, str]]
SCOPES = ("", "Services/{ChatServiceSid}/")
CONV = "Conversations"
PARTICIPANTS = "Conversations/{ConversationSid}/Participants"
MESSAGES = "Conversations/{ConversationSid}/Messages"
WEBHOOKS = "Conversations/{ConversationSid}/Webhooks"
CONFIGS = ("Configuration/Webhooks", "Services/{ChatServiceSid}/Configuration/Webhooks")


class Conversations:
    """The ``conversations`` state part: which SMS carries which conversation message to whom
    (``channels``), so the message lifecycle's steps become delivery receipts.
    ``rest_needs_header``: REST actions fire webhooks only with ``X-Twilio-Webhook-Enabled:
    true`` (``conversations_data.REST_NEEDS_HEADER``; a setting, not state)."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.rest_needs_header = data.REST_NEEDS_HEADER
        self.channels: dict[str, dict[str, str]] = {}

    def state(self) -> dict[str, Any]:
        return {"channels": {k: dict(v) for k, v in self.channels.items()}}

    def load(self, state: dict[str, Any]) -> None:
        found = state.get("channels") or {}
        self.channels = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in found.items()}

    def reset(self) -> None:
        self.channels = {}


def install(core: Core) -> None:
    state = Conversations(core)
    core.parts["conversations"] = state
    core.extensions["conversations"] = state
    for scope in SCOPES:
        core.on("create", "conversations", scope + CONV, _conversation_added)
        core.on("delete", "conversations", scope + CONV, _conversation_removed)
        core.on("create", "conversations", scope + PARTICIPANTS, _participant_adding)
        core.on("delete", "conversations", scope + PARTICIPANTS, _participant_removed)
        core.on("create", "conversations", scope + MESSAGES, _message_adding)
        core.on("update", "conversations", scope + MESSAGES, _message_updating)
        core.on("delete", "conversations", scope + MESSAGES, _message_removed)
        core.on("create", "conversations", scope + WEBHOOKS, _scoped_webhook)
        core.on("update", "conversations", scope + WEBHOOKS, _scoped_webhook)
        errors.PARAM_CODES.setdefault(
            ("conversations", scope + WEBHOOKS, "Target"),
            {"invalid": (50364, data.ERRORS[50364][1] + ": {value}")},
        )
    for template in CONFIGS:
        core.on("update", "conversations", template, _configuring)
    original = core.scheduler.handlers[message_lifecycle.KIND]
    core.scheduler.handler(message_lifecycle.KIND, _watching(original))
    messages.messaging_of(core).claims.append(_claim)


def state_of(core: Core) -> Conversations:
    found: Conversations = core.extensions["conversations"]
    return found


# Where things are ------------------------------------------------------------------------
def _conv_path(call: Call) -> str:
    """``/v1/[Services/IS…/]Conversations/CH…`` of a child request."""
    return call.route.collection.rsplit("/", 1)[0]


def _coll(core: Core, account: str, path: str) -> Collection | None:
    return core.store.get((account, "conversations", "v1", path))


def _conversation(core: Core, account: str, conv_path: str) -> Record:
    list_path, _, sid = conv_path.rpartition("/")
    coll = _coll(core, account, list_path)
    return (coll.get(sid) if coll is not None else None) or {}


def _enabled(call: Call) -> bool:
    if not state_of(call.backend).rest_needs_header:
        return True
    return str(call.header("X-Twilio-Webhook-Enabled") or "").lower() == "true"


def _when(value: Any) -> str:
    return dates.iso8601(int(value)) if isinstance(value, (int, float)) else str(value or "")


def _common(account: str, conv_path: str, conv: Record, source: str) -> Params:
    return [
        ("AccountSid", account),
        ("ChatServiceSid", hooks.service_of(conv_path, conv)),
        ("ConversationSid", conv_path.rsplit("/", 1)[1]),
        ("MessagingServiceSid", str(conv.get("messaging_service_sid") or "")),
        ("Source", source),
        ("RetryCount", "0"),
    ]


# Conversations -----------------------------------------------------------------------------
def _conversation_params(call: Call, record: Record) -> tuple[str, Record, Params]:
    conv_path = f"{call.route.collection}/{record.get('sid')}"
    params = _common(call.owner, conv_path, record, data.SOURCE_API) + [
        ("FriendlyName", str(record.get("friendly_name") or "")),
        ("UniqueName", str(record.get("unique_name") or "")),
        ("Attributes", str(record.get("attributes") or "{}")),
        ("State", str(record.get("state") or "active")),
        ("DateCreated", _when(record.get("date_created"))),
    ]
    return conv_path, record, params


def _conversation_added(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test or not _enabled(call):
        return None
    conv_path, conv, params = _conversation_params(call, record)
    hooks.pre(call.backend, call.owner, conv_path, conv, "onConversationAdd", params)
    call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onConversationAdded", params)
    return None


def _conversation_removed(call: Call, record: Record, old: Record | None) -> Record | None:
    conv_path, conv, params = _conversation_params(call, record)
    store = call.backend.store
    prefix = conv_path + "/"
    if _enabled(call):  # before the scoped webhooks go with the conversation
        call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onConversationRemoved", params)
    for key in [k for k in store.collections if k[0] == call.owner and k[3].startswith(prefix)]:
        del store.collections[key]
    return None


# Participants ------------------------------------------------------------------------------
def _error(code: int, detail: str = "") -> errors.MockError:
    status, message = data.ERRORS[code]
    return errors.MockError(status, code, f"{message}{': ' + detail if detail else ''}")


def _channel(address: str) -> str:
    return address.split(":", 1)[0] if ":" in address else data.BINDING_SMS


def bound(core: Core, account: str, address: str, proxy: str) -> tuple[str, Record] | None:
    """The participant (its conversation's path, its record) bound to ``address`` through
    ``proxy`` in an open conversation of ``account``."""
    for key, coll in list(core.store.collections.items()):
        if key[0] != account or key[1] != "conversations" or not key[3].endswith("/Participants"):
            continue
        conv_path = key[3].rsplit("/", 1)[0]
        for record in coll.records():
            binding = record.get("messaging_binding") or {}
            if binding.get("address") == address and binding.get("proxy_address") == proxy:
                conv = _conversation(core, account, conv_path)
                if conv and conv.get("state", "active") != "closed":
                    return conv_path, record
    return None


def _participant_adding(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test:
        return None
    core, account = call.backend, call.owner
    binding = dict(record.get("messaging_binding") or {})
    address = str(binding.get("address") or "")
    conv_path = _conv_path(call)
    if address:
        proxy = str(binding.get("proxy_address") or "")
        if not proxy:
            raise _error(50412)
        address, proxy = _checked(core, account, address, proxy)
        if bound(core, account, address, proxy) is not None:
            raise _error(50416, f"{address} through {proxy}")
        binding.update(type=_channel(address), address=address, proxy_address=proxy)
        record["messaging_binding"] = binding
    elif record.get("identity"):
        coll = call.collection()
        if coll is not None and any(r.get("identity") == record["identity"] for r in coll.records()):
            raise _error(50433, str(record["identity"]))
    if _enabled(call):
        conv = _conversation(core, account, conv_path)
        params = _common(account, conv_path, conv, data.SOURCE_API) + _participant_params(record)
        hooks.pre(core, account, conv_path, conv, "onParticipantAdd", params)
        params.insert(3, ("ParticipantSid", str(record.get("sid"))))
        call.after += hooks.post(core, account, conv_path, conv, "onParticipantAdded", params)
    return record


def _checked(core: Core, account: str, address: str, proxy: str) -> tuple[str, str]:
    """Both addresses normalized, of one channel, different, the proxy the account's own."""
    channel = _channel(address)
    if _channel(proxy) != channel:
        raise _error(50414)
    prefix = "" if channel == data.BINDING_SMS else channel + ":"
    phone = senders.e164(address.removeprefix(prefix))  # E.164 phone numbers only (unconfirmed)
    if phone is None:
        raise _error(50407, errors.short(address))
    number = senders.e164(proxy.removeprefix(prefix))
    if number is None:
        raise _error(50408, errors.short(proxy))
    address, proxy = prefix + phone, prefix + number
    if address == proxy:
        raise _error(50409)
    if senders.owned(core, account, number) is None:
        raise _error(
            50408,
            f"{number} is not one of this account's numbers "
            f'(client.incoming_phone_numbers.create(phone_number="{number}") makes it one on the mock)',
        )
    return address, proxy


def _participant_params(record: Record) -> Params:
    binding = record.get("messaging_binding") or {}
    out: Params = []
    if record.get("identity"):
        out.append(("Identity", str(record["identity"])))
    if binding:
        out += [
            ("MessagingBinding.Type", str(binding.get("type") or "")),
            ("MessagingBinding.Address", str(binding.get("address") or "")),
            ("MessagingBinding.ProxyAddress", str(binding.get("proxy_address") or "")),
        ]
    out += [
        ("RoleSid", str(record.get("role_sid") or "")),
        ("Attributes", str(record.get("attributes") or "{}")),
        ("DateCreated", _when(record.get("date_created"))),
    ]
    return out


def _participant_removed(call: Call, record: Record, old: Record | None) -> Record | None:
    if _enabled(call):
        conv_path = _conv_path(call)
        conv = _conversation(call.backend, call.owner, conv_path)
        params = _common(call.owner, conv_path, conv, data.SOURCE_API)
        params += [("ParticipantSid", str(record.get("sid"))), *_participant_params(record)]
        call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onParticipantRemoved", params)
    return None


# Messages ----------------------------------------------------------------------------------
def _message_params(record: Record, with_ids: bool = True) -> Params:
    out: Params = []
    if with_ids:
        out += [("MessageSid", str(record.get("sid"))), ("Index", str(record.get("index")))]
    out += [
        ("Author", str(record.get("author") or "")),
        ("Body", str(record.get("body") or "")),
        ("ParticipantSid", str(record.get("participant_sid") or "")),
        ("Attributes", str(record.get("attributes") or "{}")),
        ("DateCreated", _when(record.get("date_created"))),
    ]
    return out


def _message_adding(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test:
        return None
    core, account, conv_path = call.backend, call.owner, _conv_path(call)
    record["author"] = str(record.get("author") or data.DEFAULT_AUTHOR)
    conv = _conversation(core, account, conv_path)
    enabled = _enabled(call)
    common = _common(account, conv_path, conv, data.SOURCE_API)
    if enabled:
        try:
            params = common + _message_params(record, False)
            _edit(record, hooks.pre(core, account, conv_path, conv, "onMessageAdd", params))
        except errors.MockError:
            _give_back(call.collection(), record)
            raise
    sender = _by_author(core, account, conv_path, record["author"])
    if sender is not None:
        record["participant_sid"] = sender.get("sid")
    call.after += _relay(core, account, conv_path, record, sender)
    if enabled:
        params = common + _message_params(record)
        call.after += hooks.post(core, account, conv_path, conv, "onMessageAdded", params)
    return record


def _edit(record: Record, edits: dict[str, Any]) -> None:
    """What a pre-event webhook's JSON answer changes in a new message (unconfirmed)."""
    for name in ("body", "author", "attributes"):
        if isinstance(edits.get(name), str):
            record[name] = edits[name]


def _give_back(coll: Collection | None, record: Record) -> None:
    """A rejected message's index is free again (nothing was stored)."""
    index = record.get("index")
    if coll is not None and isinstance(index, int) and coll.counters.get("index") == index + 1:
        coll.counters["index"] = index


def _by_author(core: Core, account: str, conv_path: str, author: str) -> Record | None:
    coll = _coll(core, account, conv_path + "/Participants")
    for participant in coll.records() if coll is not None else ():
        binding = participant.get("messaging_binding") or {}
        if participant.get("identity") == author or binding.get("address") == author:
            return participant
    return None


def _relay(core: Core, account: str, conv_path: str, record: Record, sender: Record | None) -> list[After]:
    """Send ``record`` as SMS to every bound participant but its author; sets ``delivery``."""
    coll = _coll(core, account, conv_path + "/Participants")
    targets = [
        p
        for p in (coll.records() if coll is not None else ())
        if (p.get("messaging_binding") or {}).get("address")
        and (sender is None or p.get("sid") != sender.get("sid"))
    ]
    if not targets:
        return []
    state = state_of(core)
    receipts = f"{conv_path}/Messages/{record['sid']}/Receipts"
    for participant in targets:
        binding = participant["messaging_binding"]
        link = {"account": account, "conv": conv_path, "message": str(record["sid"])}
        link["participant"] = str(participant.get("sid"))
        try:
            sms = messages.send(
                core,
                account,
                to=str(binding["address"]),
                from_=str(binding["proxy_address"]),
                body=str(record.get("body") or ""),
                direction="outbound-api",
            )
        except errors.MockError as exc:  # the conversation message stands; this copy failed
            _receipt(core, link, "", "failed", exc.code)
            continue
        link["channel"] = str(sms["sid"])
        state.channels[str(sms["sid"])] = link
    record["delivery"] = _summary(core, account, receipts, len(targets))
    return []


def _receipt(core: Core, link: dict[str, str], channel: str, status: str, code: int | None) -> Record:
    account, conv_path, sid = link["account"], link["conv"], link["message"]
    path = f"{conv_path}/Messages/{sid}/Receipts"
    parent = {"account_sid": account, "conversation_sid": conv_path.rsplit("/", 1)[1], "message_sid": sid}
    if conv_path.startswith("/v1/Services/"):
        parent["chat_service_sid"] = conv_path.split("/")[3]
    coll = core.store.open((account, "conversations", "v1", path), parent, "sid")
    now = core.clock.seconds()
    old = coll.get(link["receipt"]) if link.get("receipt") else None
    receipt = dict(old) if old else {"sid": core.minter.sid("DY"), "date_created": now}
    receipt.update(
        channel_message_sid=channel or None,
        participant_sid=link["participant"],
        status=status,
        error_code=code,
        date_updated=now,
    )
    link["receipt"] = str(receipt["sid"])
    coll.put(str(receipt["sid"]), receipt)
    return receipt


def _summary(core: Core, account: str, path: str, total: int) -> dict[str, Any]:
    """``delivery``: of ``total`` copies, how many reached each status ("none", "some",
    "all"); a delivered copy was also sent (unconfirmed)."""
    coll = _coll(core, account, path)
    held = [str(r.get("status")) for r in coll.records()] if coll is not None else []
    reached = {
        "sent": ("sent", "delivered", "read", "undelivered"),
        "delivered": ("delivered", "read"),
        "read": ("read",),
        "undelivered": ("undelivered",),
        "failed": ("failed",),
    }
    out: dict[str, Any] = {"total": total}
    for name in data.RECEIPT_STATUSES:
        count = sum(1 for s in held if s in reached[name])
        out[name] = "none" if count == 0 else ("all" if count >= total else "some")
    return out


def _watching(original: Handler) -> Handler:
    """The message lifecycle's step, then the receipt of a conversation message's SMS."""

    def step(core: Core, event: dict[str, Any]) -> list[After] | None:
        after = original(core, event) or []
        link = state_of(core).channels.get(str(event.get("sid")))
        if link is None:
            return after
        account = link["account"]
        coll = core.store.get(messages.messages_key(account))
        sms = coll.get(link["channel"]) if coll is not None else None
        status = data.RECEIPT_OF_MESSAGE.get(str((sms or {}).get("status")))
        if sms is None or status is None:
            return after
        receipt = _receipt(core, link, link["channel"], status, sms.get("error_code"))
        msgs = _coll(core, account, link["conv"] + "/Messages")
        record = msgs.get(link["message"]) if msgs is not None else None
        if msgs is None or record is None:  # deleted since
            return after
        total = int((record.get("delivery") or {}).get("total") or 1)
        path = f"{link['conv']}/Messages/{link['message']}/Receipts"
        msgs.put(link["message"], {**record, "delivery": _summary(core, account, path, total)})
        conv = _conversation(core, account, link["conv"])
        params = _common(account, link["conv"], conv, data.SOURCE_API) + [
            ("MessageSid", link["message"]),
            ("MessageIndex", str(record.get("index"))),
            ("DeliveryReceiptSid", str(receipt["sid"])),
            ("ChannelMessageSid", link["channel"]),
            ("ParticipantSid", link["participant"]),
            ("Status", status),
            ("ErrorCode", str(sms.get("error_code") or "")),
            ("DateCreated", _when(receipt.get("date_created"))),
        ]
        return after + hooks.post(core, account, link["conv"], conv, "onDeliveryUpdated", params)

    return step


def _message_updating(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is None or not _enabled(call):
        return None
    conv_path = _conv_path(call)
    conv = _conversation(call.backend, call.owner, conv_path)
    params = _common(call.owner, conv_path, conv, data.SOURCE_API) + _message_params(record)
    hooks.pre(call.backend, call.owner, conv_path, conv, "onMessageUpdate", params)
    call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onMessageUpdated", params)
    return None


def _message_removed(call: Call, record: Record, old: Record | None) -> Record | None:
    if _enabled(call):
        conv_path = _conv_path(call)
        conv = _conversation(call.backend, call.owner, conv_path)
        params = _common(call.owner, conv_path, conv, data.SOURCE_API) + _message_params(record)
        call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onMessageRemoved", params)
    return None


# Inbound SMS -------------------------------------------------------------------------------
def _claim(core: Core, account: str, sms: Record) -> tuple[str, list[After]] | None:
    """An inbound SMS from a bound address to its proxy: a message of that conversation (its
    SID, or ``""`` when a pre-event webhook rejected it) and the webhooks to deliver."""
    found = bound(core, account, str(sms.get("from")), str(sms.get("to")))
    if found is None:
        return None
    conv_path, participant = found
    conv_sid = conv_path.rsplit("/", 1)[1]
    parent = {"account_sid": account, "conversation_sid": conv_sid}
    if conv_path.startswith("/v1/Services/"):
        parent["chat_service_sid"] = conv_path.split("/")[3]
    coll = core.store.open((account, "conversations", "v1", conv_path + "/Messages"), parent, "sid")
    now = core.clock.seconds()
    record: Record = {
        "sid": core.minter.sid("IM"),
        "index": coll.next_count("index"),
        "author": str(participant["messaging_binding"]["address"]),
        "body": str(sms.get("body") or ""),
        "participant_sid": str(participant.get("sid")),
        "date_created": now,
        "date_updated": now,
    }
    conv = _conversation(core, account, conv_path)
    common = _common(account, conv_path, conv, data.SOURCE_SMS)
    try:
        edits = hooks.pre(
            core, account, conv_path, conv, "onMessageAdd", common + _message_params(record, False)
        )
    except errors.MockError:
        _give_back(coll, record)
        return "", []
    edits.pop("author", None)  # an SMS's author is its sender
    _edit(record, edits)
    after = _relay(core, account, conv_path, record, participant)
    coll.put(str(record["sid"]), record)
    after += hooks.post(core, account, conv_path, conv, "onMessageAdded", common + _message_params(record))
    return str(record["sid"]), after


# Webhook configuration ---------------------------------------------------------------------
def _scoped_webhook(call: Call, record: Record, old: Record | None) -> Record | None:
    conf = record.get("configuration") or {}
    if record.get("target") == "webhook":
        hooks.check_filters(conf.get("filters"), data.POST_EVENTS)
    return None


def _configuring(call: Call, record: Record, old: Record | None) -> Record | None:
    hooks.check_filters(record.get("filters"), data.PRE_EVENTS + data.POST_EVENTS)
    return None
