"""Conversations v1: participants bound to SMS, messages relayed to them through the messaging
behaviour, inbound SMS landing in the conversation, delivery receipts (:mod:`.conversation_sms`)
and webhooks (:mod:`.conversation_webhooks`). Top-level and service-scoped paths behave alike.
What is unconfirmed is in :mod:`.conversations_data`.

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

from twilio_mock.behaviours import conversation_sms as sms
from twilio_mock.behaviours import conversation_webhooks as hooks
from twilio_mock.behaviours import conversations_data as data
from twilio_mock.behaviours import message_lifecycle, messages, senders
from twilio_mock.core import errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

Record = dict[str, Any]
Params = list[tuple[str, str]]
SCOPES = ("", "Services/{ChatServiceSid}/")
CONV = "Conversations"
PARTICIPANTS = "Conversations/{ConversationSid}/Participants"
MESSAGES = "Conversations/{ConversationSid}/Messages"
WEBHOOKS = "Conversations/{ConversationSid}/Webhooks"
CONFIGS = ("Configuration/Webhooks", "Services/{ChatServiceSid}/Configuration/Webhooks")


def install(core: Core) -> None:
    state = sms.Conversations(core)
    core.parts["conversations"] = state
    core.extensions["conversations"] = state
    for scope in SCOPES:
        core.on("create", "conversations", scope + CONV, _conversation_added)
        core.on("update", "conversations", scope + CONV, _conversation_updated)
        core.on("delete", "conversations", scope + CONV, _conversation_removed)
        core.on("create", "conversations", scope + PARTICIPANTS, _participant_adding)
        core.on("update", "conversations", scope + PARTICIPANTS, _participant_updated)
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
    core.scheduler.handler(message_lifecycle.KIND, sms.watching(original))
    messages.messaging_of(core).claims.append(sms.claim)


# Where things are ------------------------------------------------------------------------
def _conv_path(call: Call) -> str:
    """``/v1/[Services/IS…/]Conversations/CH…`` of a child request."""
    return call.route.collection.rsplit("/", 1)[0]


def _enabled(call: Call) -> bool:
    if not sms.state_of(call.backend).rest_needs_header:
        return True
    return str(call.header("X-Twilio-Webhook-Enabled") or "").lower() == "true"


# Conversations -----------------------------------------------------------------------------
def _conversation_params(call: Call, record: Record) -> tuple[str, Record, Params]:
    conv_path = f"{call.route.collection}/{record.get('sid')}"
    params = sms.common_params(call.owner, conv_path, record, data.SOURCE_API) + [
        ("FriendlyName", str(record.get("friendly_name") or "")),
        ("UniqueName", str(record.get("unique_name") or "")),
        ("Attributes", str(record.get("attributes") or "{}")),
        ("State", str(record.get("state") or "active")),
        ("DateCreated", sms.when(record.get("date_created"))),
    ]
    return conv_path, record, params


def _conversation_added(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test or not _enabled(call):
        return None
    conv_path, conv, params = _conversation_params(call, record)
    hooks.pre(call.backend, call.owner, conv_path, conv, "onConversationAdd", params)
    call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onConversationAdded", params)
    return None


def _conversation_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    """``onConversationUpdate``/``Updated``, and ``onConversationStateUpdated`` (with
    ``StateFrom``, ``StateTo``: unconfirmed) when the state changed."""
    if old is None or not _enabled(call):
        return None
    conv_path, conv, params = _conversation_params(call, record)
    hooks.pre(call.backend, call.owner, conv_path, conv, "onConversationUpdate", params)
    call.after += hooks.post(call.backend, call.owner, conv_path, conv, "onConversationUpdated", params)
    before, after = str(old.get("state") or "active"), str(record.get("state") or "active")
    if before != after:
        moved = params + [("StateFrom", before), ("StateTo", after), ("Reason", "API")]
        call.after += hooks.post(
            call.backend, call.owner, conv_path, conv, "onConversationStateUpdated", moved
        )
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
        if sms.bound(core, account, address, proxy) is not None:
            raise _error(50416, f"{address} through {proxy}")
        binding.update(type=_channel(address), address=address, proxy_address=proxy)
        record["messaging_binding"] = binding
    elif record.get("identity"):
        coll = call.collection()
        if coll is not None and any(r.get("identity") == record["identity"] for r in coll.records()):
            raise _error(50433, str(record["identity"]))
    if _enabled(call):
        conv = sms.conversation(core, account, conv_path)
        params = sms.common_params(account, conv_path, conv, data.SOURCE_API) + sms.participant_params(record)
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


def _fire(call: Call, extra: list[tuple[str, str]], pre: str | None, post: str) -> None:
    """The REST action's webhooks on its conversation: the ``pre`` event (which may refuse it)
    and the ``post`` event, with the conversation's fields and ``extra``."""
    conv_path = _conv_path(call)
    conv = sms.conversation(call.backend, call.owner, conv_path)
    params = sms.common_params(call.owner, conv_path, conv, data.SOURCE_API) + extra
    if pre is not None:
        hooks.pre(call.backend, call.owner, conv_path, conv, pre, params)
    call.after += hooks.post(call.backend, call.owner, conv_path, conv, post, params)


def _participant_fields(record: Record) -> list[tuple[str, str]]:
    return [("ParticipantSid", str(record.get("sid"))), *sms.participant_params(record)]


def _participant_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None and _enabled(call):
        _fire(call, _participant_fields(record), "onParticipantUpdate", "onParticipantUpdated")
    return None


def _participant_removed(call: Call, record: Record, old: Record | None) -> Record | None:
    if _enabled(call):
        _fire(call, _participant_fields(record), None, "onParticipantRemoved")
    return None


# Messages ----------------------------------------------------------------------------------


def _message_adding(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test:
        return None
    core, account, conv_path = call.backend, call.owner, _conv_path(call)
    record["author"] = str(record.get("author") or data.DEFAULT_AUTHOR)
    conv = sms.conversation(core, account, conv_path)
    enabled = _enabled(call)
    common = sms.common_params(account, conv_path, conv, data.SOURCE_API)
    if enabled:
        try:
            params = common + sms.message_params(record, False)
            sms.edit(record, hooks.pre(core, account, conv_path, conv, "onMessageAdd", params))
        except errors.MockError:
            sms.give_back(call.collection(), record)
            raise
    sender = _by_author(core, account, conv_path, record["author"])
    if sender is not None:
        record["participant_sid"] = sender.get("sid")
    sms.relay(core, account, conv_path, record, sender)
    if enabled:
        params = common + sms.message_params(record)
        call.after += hooks.post(core, account, conv_path, conv, "onMessageAdded", params)
    return record


def _by_author(core: Core, account: str, conv_path: str, author: str) -> Record | None:
    coll = sms.coll_of(core, account, conv_path + "/Participants")
    for participant in coll.records() if coll is not None else ():
        binding = participant.get("messaging_binding") or {}
        if participant.get("identity") == author or binding.get("address") == author:
            return participant
    return None


def _message_updating(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None and _enabled(call):
        _fire(call, sms.message_params(record), "onMessageUpdate", "onMessageUpdated")
    return None


def _message_removed(call: Call, record: Record, old: Record | None) -> Record | None:
    if _enabled(call):
        _fire(call, sms.message_params(record), None, "onMessageRemoved")
    return None


# Webhook configuration ---------------------------------------------------------------------
def _scoped_webhook(call: Call, record: Record, old: Record | None) -> Record | None:
    conf = record.get("configuration") or {}
    if record.get("target") == "webhook":
        hooks.check_filters(conf.get("filters"), data.POST_EVENTS)
    return None


def _configuring(call: Call, record: Record, old: Record | None) -> Record | None:
    hooks.check_filters(record.get("filters"), data.PRE_EVENTS + data.POST_EVENTS)
    return None
