"""How conversation messages travel by SMS: each message relayed from the proxy address to the
participants bound to SMS (real Message records on the message lifecycle), each copy's progress
kept as a delivery receipt and the message's ``delivery`` summary, and an inbound SMS from a bound
address to its proxy taken into its conversation (``Messaging.claims``). Choices marked
unconfirmed are in :mod:`.conversations_data`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import conversation_webhooks as hooks
from twilio_mock.behaviours import conversations_data as data
from twilio_mock.behaviours import messages
from twilio_mock.core import dates, errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After, Handler
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
Params = list[tuple[str, str]]


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


def state_of(core: Core) -> Conversations:
    found: Conversations = core.extensions["conversations"]
    return found


def coll_of(core: Core, account: str, path: str) -> Collection | None:
    return core.store.get((account, "conversations", "v1", path))


def conversation(core: Core, account: str, conv_path: str) -> Record:
    list_path, _, sid = conv_path.rpartition("/")
    coll = coll_of(core, account, list_path)
    return (coll.get(sid) if coll is not None else None) or {}


def when(value: Any) -> str:
    return dates.iso8601(int(value)) if isinstance(value, (int, float)) else str(value or "")


def common_params(account: str, conv_path: str, conv: Record, source: str) -> Params:
    return [
        ("AccountSid", account),
        ("ChatServiceSid", hooks.service_of(conv_path, conv)),
        ("ConversationSid", conv_path.rsplit("/", 1)[1]),
        ("MessagingServiceSid", str(conv.get("messaging_service_sid") or "")),
        ("Source", source),
        ("RetryCount", "0"),
    ]


def message_params(record: Record, with_ids: bool = True) -> Params:
    out: Params = []
    if with_ids:
        out += [("MessageSid", str(record.get("sid"))), ("Index", str(record.get("index")))]
    out += [
        ("Author", str(record.get("author") or "")),
        ("Body", str(record.get("body") or "")),
        ("ParticipantSid", str(record.get("participant_sid") or "")),
        ("Attributes", str(record.get("attributes") or "{}")),
        ("DateCreated", when(record.get("date_created"))),
    ]
    return out


def edit(record: Record, edits: dict[str, Any]) -> None:
    """What a pre-event webhook's JSON answer changes in a new message (unconfirmed)."""
    for name in ("body", "author", "attributes"):
        if isinstance(edits.get(name), str):
            record[name] = edits[name]


def give_back(coll: Collection | None, record: Record) -> None:
    """A rejected message's index is free again (nothing was stored)."""
    index = record.get("index")
    if coll is not None and isinstance(index, int) and coll.counters.get("index") == index + 1:
        coll.counters["index"] = index


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
                conv = conversation(core, account, conv_path)
                if conv and conv.get("state", "active") != "closed":
                    return conv_path, record
    return None


def relay(core: Core, account: str, conv_path: str, record: Record, sender: Record | None) -> None:
    """Send ``record`` as SMS to every bound participant but its author; sets ``delivery``."""
    coll = coll_of(core, account, conv_path + "/Participants")
    targets = [
        p
        for p in (coll.records() if coll is not None else ())
        if (p.get("messaging_binding") or {}).get("address")
        and (sender is None or p.get("sid") != sender.get("sid"))
    ]
    if not targets:
        return
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
    coll = coll_of(core, account, path)
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


def watching(original: Handler) -> Handler:
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
        msgs = coll_of(core, account, link["conv"] + "/Messages")
        record = msgs.get(link["message"]) if msgs is not None else None
        if msgs is None or record is None:  # deleted since
            return after
        total = int((record.get("delivery") or {}).get("total") or 1)
        path = f"{link['conv']}/Messages/{link['message']}/Receipts"
        msgs.put(link["message"], {**record, "delivery": _summary(core, account, path, total)})
        conv = conversation(core, account, link["conv"])
        params = common_params(account, link["conv"], conv, data.SOURCE_API) + [
            ("MessageSid", link["message"]),
            ("MessageIndex", str(record.get("index"))),
            ("DeliveryReceiptSid", str(receipt["sid"])),
            ("ChannelMessageSid", link["channel"]),
            ("ParticipantSid", link["participant"]),
            ("Status", status),
            ("ErrorCode", str(sms.get("error_code") or "")),
            ("DateCreated", when(receipt.get("date_created"))),
        ]
        return after + hooks.post(core, account, link["conv"], conv, "onDeliveryUpdated", params)

    return step


def participant_params(record: Record) -> Params:
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
        ("DateCreated", when(record.get("date_created"))),
    ]
    return out


def _autocreate(core: Core, account: str, sms: Record) -> tuple[str, Record, list[After]] | None:
    """A conversation for an SMS from an unbound address to a number with an enabled address
    configuration (``Configuration/Addresses``, ``auto_creation``): made in its service (or the
    default one), the sender bound through the number, and a scoped webhook for a ``webhook``
    type (unconfirmed: the conversation's friendly name is left empty)."""
    coll = coll_of(core, account, "/v1/Configuration/Addresses")
    to, sender = str(sms.get("to")), str(sms.get("from"))
    channel = to.split(":", 1)[0] if ":" in to else data.BINDING_SMS
    config = next(
        (
            c
            for c in (coll.records() if coll is not None else ())
            if c.get("address") == to.split(":", 1)[-1]
            and c.get("type") == channel
            and (c.get("auto_creation") or {}).get("enabled")
        ),
        None,
    )
    if config is None:
        return None
    from twilio_mock.behaviours.fields import account_default
    from twilio_mock.core.defaults import CONVERSATIONS_DEFAULTS

    auto = config["auto_creation"]
    now = core.clock.seconds()
    defaults = {
        name: account_default(core, account, *rule[1:]) for name, rule in CONVERSATIONS_DEFAULTS.items()
    }
    service = str(auto.get("conversation_service_sid") or "")
    list_path = f"/v1/Services/{service}/Conversations" if service else "/v1/Conversations"
    conv_sid = core.minter.sid("CH")
    conv: Record = {"sid": conv_sid, **defaults, "date_created": now, "date_updated": now}
    if service:
        conv["chat_service_sid"] = service
    parent = {"account_sid": account, **({"chat_service_sid": service} if service else {})}
    core.store.open((account, "conversations", "v1", list_path), parent, "sid").put(conv_sid, conv)
    conv_path = f"{list_path}/{conv_sid}"
    child = {**parent, "conversation_sid": conv_sid}
    binding = {"type": channel, "address": sender, "proxy_address": to}
    participant: Record = {"sid": core.minter.sid("MB"), "messaging_binding": binding}
    participant.update(date_created=now, date_updated=now)
    core.store.open((account, "conversations", "v1", conv_path + "/Participants"), child, "sid").put(
        str(participant["sid"]), participant
    )
    if auto.get("type") in ("webhook", "studio") and (auto.get("webhook_url") or auto.get("studio_flow_sid")):
        hook: Record = {"sid": core.minter.sid("WH"), "target": auto["type"], "date_created": now}
        hook["configuration"] = {
            "url": auto.get("webhook_url"),
            "method": str(auto.get("webhook_method") or "POST"),
            "filters": list(auto.get("webhook_filters") or []),
            "flow_sid": auto.get("studio_flow_sid"),
        }
        core.store.open((account, "conversations", "v1", conv_path + "/Webhooks"), child, "sid").put(
            str(hook["sid"]), hook
        )
    common = common_params(account, conv_path, conv, data.SOURCE_SMS)
    added_conv = [("State", "active"), ("DateCreated", when(now)), ("MessagingBinding.Address", sender)]
    added_conv.append(("MessagingBinding.ProxyAddress", to))
    told = hooks.post(core, account, conv_path, conv, "onConversationAdded", common + added_conv)
    added = common + [("ParticipantSid", str(participant["sid"])), *participant_params(participant)]
    told += hooks.post(core, account, conv_path, conv, "onParticipantAdded", added)
    return conv_path, participant, told


def claim(core: Core, account: str, sms: Record) -> tuple[str, list[After]] | None:
    """An inbound SMS from a bound address to its proxy (or to a number that makes
    conversations, :func:`_autocreate`): a message of that conversation (its SID, or ``""`` when
    a pre-event webhook rejected it) and the webhooks to deliver."""
    found = bound(core, account, str(sms.get("from")), str(sms.get("to")))
    told: list[After] = []
    if found is None:
        made = _autocreate(core, account, sms)
        if made is None:
            return None
        found, told = (made[0], made[1]), made[2]
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
    conv = conversation(core, account, conv_path)
    common = common_params(account, conv_path, conv, data.SOURCE_SMS)
    try:
        edits = hooks.pre(
            core, account, conv_path, conv, "onMessageAdd", common + message_params(record, False)
        )
    except errors.MockError:
        give_back(coll, record)
        return "", told
    edits.pop("author", None)  # an SMS's author is its sender
    edit(record, edits)
    relay(core, account, conv_path, record, participant)
    coll.put(str(record["sid"]), record)
    after = hooks.post(core, account, conv_path, conv, "onMessageAdded", common + message_params(record))
    return str(record["sid"]), told + after
