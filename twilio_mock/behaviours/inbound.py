"""Inbound SMS/MMS (ref §10 "Inbound message webhook", §18): a message to one of an account's
numbers is stored (``direction`` inbound, status ``received``), its opt-out keyword handled, and it
is posted to the number's ``sms_url`` with ``sms_method`` (or to its Messaging Service's
``inbound_request_url`` when the service does not defer to the number), signed with the
account's auth token. The TwiML the app answers is carried out: each ``<Message>`` sends a reply
(from the number, to the sender, unless ``from``/``to`` say otherwise; ``action`` is its status
callback), ``<Redirect>`` fetches the next document (relative URLs, ``method``, at most
``REDIRECT_LIMIT`` times), ``<Response/>`` does nothing. When the app fails (no 2xx, or TwiML that
does not parse) its ``SmsFallbackUrl`` (the service's ``fallback_url``) is tried. A behaviour
that claims the message (``Messaging.claims``: an SMS from a Conversations participant to its
proxy number) takes it instead of the number's webhook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from twilio_mock.behaviours import messages, segments, senders
from twilio_mock.behaviours import messaging_data as data
from twilio_mock.behaviours import messaging_services as services
from twilio_mock.core import errors, render
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.webhooks.delivery import Delivery
    from twilio_sdk.twiml import Element

Record = dict[str, Any]
API_BASE = "https://api.twilio.com"


@dataclass
class InboundResult:
    """What an inbound message led to: the stored ``message`` (as the API renders it), the
    ``deliveries`` made to the app, the SIDs of the messages sent in reply (``replies``: TwiML
    and keyword auto-replies), and what went wrong on the way (``errors``)."""

    sid: str
    message: dict[str, Any]
    deliveries: list[Delivery] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What took the message instead of the number's webhook (a Conversation message's SID;
    # "" when a pre-event webhook rejected it), else None.
    claimed: str | None = None


def receive(
    core: Core, from_: str, to: str, body: str, media: list[str], types: list[str | None]
) -> InboundResult:
    sender = senders.normalize(from_, "From") if from_ else ""
    number = senders.normalize(to, "To")
    if not sender:
        raise ValueError("an inbound message needs a From")
    with core._lock:
        account, owned = senders.owner(core, number)
        record, params = _store(core, account, sender, number, body, media, types)
        result = InboundResult(str(record["sid"]), _render(account, record))
        keyword = _keyword(core, account, record, result)
        if keyword is not None:
            params.append(("OptOutType", data.OPT_OUT_TYPES[keyword]))
        claim = _claimed(core, account, record)
        target = _webhook(core, account, owned, record) if claim is None else None
        token = str((accounts_of(core).get(account) or {}).get("auth_token") or "")
    if claim is not None:
        result.claimed = claim[0]
        for thunk in claim[1]:
            thunk()
    if target is not None:
        _converse(core, account, record, params, token, target, result)
    return result


def _claimed(core: Core, account: str, record: Record) -> tuple[str, list[Any]] | None:
    """The first behaviour that takes the message (``Messaging.claims``), if any."""
    for claim in messages.messaging_of(core).claims:
        taken = claim(core, account, record)
        if taken is not None:
            return taken
    return None


def _store(
    core: Core, account: str, sender: str, number: str, body: str, media: list[str], types: list[str | None]
) -> tuple[Record, list[tuple[str, str]]]:
    now = core.clock.seconds()
    prefix = "MM" if media else "SM"
    sid = core.minter.sid(prefix)
    service = services.service_of(core, account, number)
    count = segments.count(body)
    record: Record = {
        "sid": sid,
        "to": number,
        "from": sender,
        "body": body,
        "status": "received",
        "direction": "inbound",
        "num_segments": str(count),
        "num_media": str(len(media)),
        "messaging_service_sid": service,
        "price": None,
        "price_unit": data.PRICE_UNIT,
        "date_created": now,
        "date_updated": now,
        "date_sent": now,
    }
    key = messages.messages_key(account)
    core.store.open(key, {"account_sid": account}, "sid").put(sid, record)
    params = [
        ("MessageSid", sid),
        ("SmsMessageSid", sid),
        ("SmsSid", sid),
        ("AccountSid", account),
        *((("MessagingServiceSid", service),) if service else ()),
        ("From", sender),
        ("To", number),
        ("Body", body),
        ("NumMedia", str(len(media))),
        ("NumSegments", str(count)),
        ("SmsStatus", "received"),
        ("ApiVersion", "2010-04-01"),
    ]
    for side, address in (("From", sender), ("To", number)):  # only the country is known (unconfirmed)
        where = senders.country(address) if address.startswith("+") else ""
        params += [(f"{side}City", ""), (f"{side}State", ""), (f"{side}Zip", ""), (f"{side}Country", where)]
    base = f"{API_BASE}/2010-04-01/Accounts/{account}/Messages/{sid}/Media"
    for n, (media_sid, kind) in enumerate(messages.media_records(core, account, sid, media, list(types))):
        params += [(f"MediaUrl{n}", f"{base}/{media_sid}"), (f"MediaContentType{n}", kind)]
    if service and services.setting(services.service(core, account, service) or {}, "sticky_sender"):
        messages.messaging_of(core).stick(account, service, sender, number)
    return record, params


def _render(account: str, record: Record) -> dict[str, Any]:
    rend = render.renderer("api", "v2010", messages.MESSAGES)
    path = f"/2010-04-01/Accounts/{account}/Messages/{record['sid']}"
    return rend.render(record, {"account_sid": account}, path, API_BASE)


def _keyword(core: Core, account: str, record: Record, result: InboundResult) -> str | None:
    """Opt-out, opt-in and help keywords (ref §18.1): the block is kept, the reply sent."""
    word = str(record.get("body") or "").strip().upper()
    kind = next(
        (
            k
            for k, words in (("opt_out", data.OPT_OUT), ("opt_in", data.OPT_IN), ("help", data.HELP))
            if word in words
        ),
        None,
    )
    number, sender = str(record["to"]), str(record["from"])
    service = record.get("messaging_service_sid")
    if kind is None or (senders.kind(number) == "short_code" and not service):
        return None  # standalone short codes handle no keywords (ref §18.1)
    state = messages.messaging_of(core)
    scope = str(service or number)
    if kind != "help":
        state.opt_out(account, scope, sender, out=kind == "opt_out")
    try:
        reply = messages.send(
            core,
            account,
            to=sender,
            from_=number,
            body=data.DEFAULT_REPLIES[kind],
            free=True,
            check_opt_out=False,
        )
        result.replies.append(str(reply["sid"]))
    except errors.MockError as exc:
        result.errors.append(f"auto-reply: {exc.code} {exc.message}")
    return kind


def _webhook(core: Core, account: str, owned: Record, record: Record) -> tuple[str, str, str, str] | None:
    """(url, method, fallback url, fallback method) the inbound message goes to, if any."""
    number = (
        str(owned.get("sms_url") or ""),
        str(owned.get("sms_method") or "POST"),
        str(owned.get("sms_fallback_url") or ""),
        str(owned.get("sms_fallback_method") or "POST"),
    )
    sid = record.get("messaging_service_sid")
    service = services.service(core, account, str(sid)) if sid else None
    if service is not None and not services.setting(service, "use_inbound_webhook_on_number"):
        url = str(services.setting(service, "inbound_request_url") or "")
        if url:  # a service without an inbound URL leaves it to the number (unconfirmed)
            number = (
                url,
                str(services.setting(service, "inbound_method") or "POST"),
                str(services.setting(service, "fallback_url") or ""),
                str(services.setting(service, "fallback_method") or "POST"),
            )
    return number if number[0] else None


def _converse(
    core: Core,
    account: str,
    record: Record,
    params: list[tuple[str, str]],
    token: str,
    target: tuple[str, str, str, str],
    result: InboundResult,
) -> None:
    """Post to the app, then carry out its TwiML (following redirects); the fallback on failure."""
    hooks = webhooks_of(core)
    url, method, fallback, fallback_method = target
    for attempt in range(data.REDIRECT_LIMIT + 1):
        delivery = hooks.deliver(
            url, params, token, account_sid=account, method=method, event="message.inbound"
        )
        result.deliveries.append(delivery)
        document, code = _document(delivery)
        if document is None and fallback and attempt == 0:
            delivery.extra["error_code"] = code
            extra = [("ErrorCode", str(code)), ("ErrorUrl", delivery.url)]  # unconfirmed for SMS
            delivery = hooks.deliver(
                fallback,
                params + extra,
                token,
                account_sid=account,
                method=fallback_method,
                event="message.inbound",
            )
            result.deliveries.append(delivery)
            document, code = _document(delivery)
        if document is None:
            delivery.extra["error_code"] = code
            result.errors.append(f"{code}: {delivery}")
            return
        redirect = _execute(core, account, record, document, delivery.url, result)
        if redirect is None:
            return
        url, method = redirect
    result.errors.append(f"{data.TWIML_ERRORS['redirects']}: more than {data.REDIRECT_LIMIT} redirects")


def _document(delivery: Delivery) -> tuple[Element | None, int]:
    """The app's TwiML, or ``None`` and the error code Twilio logs."""
    from twilio_sdk.twiml import TwiMLError, parse

    if not delivery.ok:  # a timeout is 11205 (delivery's error_code), anything else 11200
        return None, int(delivery.extra.get("error_code") or data.TWIML_ERRORS["fetch"])
    if not delivery.body.strip():
        return parse("<Response/>", "messaging"), 0  # an empty answer: no reply
    try:
        return parse(delivery.body, "messaging"), 0
    except TwiMLError:
        return None, data.TWIML_ERRORS["parse"]


def _execute(
    core: Core, account: str, record: Record, document: Element, url: str, result: InboundResult
) -> tuple[str, str] | None:
    """Send each ``<Message>``; a ``<Redirect>`` ends the document: its (url, method)."""
    for verb in document.children:
        if verb.name == "Redirect":
            return urljoin(url, verb.text.strip()) or url, str(verb.get("method") or "POST").upper()
        if verb.name != "Message":
            continue
        body = verb.text + "".join(child.text for child in verb.children if child.name == "Body")
        media = [
            child.text.strip() for child in verb.children if child.name == "Media" and child.text.strip()
        ]
        from_ = str(verb.get("from") or record["to"])
        to = _address(str(verb.get("to") or record["from"]), from_)
        action = verb.get("action")
        try:
            with core._lock:
                reply = messages.send(
                    core,
                    account,
                    to=to,
                    from_=from_,
                    body=body.strip(),
                    media=media,
                    status_callback=urljoin(url, str(action)) if action else None,
                )
        except errors.MockError as exc:
            result.errors.append(f"<Message to={to!r}>: {exc.code} {exc.message}")
            continue
        result.replies.append(str(reply["sid"]))
    return None


def _address(to: str, from_: str) -> str:
    """A ``to`` without ``+`` takes ``from``'s country calling code (ref §18.2)."""
    if to.startswith("+") or not to.isdigit() or len(to) <= 8 or not from_.startswith("+"):
        return to
    import phonenumbers

    try:
        code = phonenumbers.parse(from_, None).country_code
    except phonenumbers.NumberParseException:
        return to
    return f"+{code}{to}"
