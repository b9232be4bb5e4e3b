"""Webhook requests as Twilio sends them: status callbacks, inbound messages and inbound calls,
signed with an auth token (``X-Twilio-Signature``), or tampered with after signing."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from twilio_mock.behaviours.segments import count
from twilio_mock.strategies.bodies import message_bodies
from twilio_mock.strategies.identifiers import sids
from twilio_mock.strategies.phones import phone_numbers
from twilio_sdk.webhooks.signature import compute_signature

MESSAGE_STATUSES = ["queued", "sending", "sent", "delivered", "undelivered", "failed", "read"]
CALL_STATUSES = [
    "queued",
    "initiated",
    "ringing",
    "in-progress",
    "completed",
    "busy",
    "no-answer",
    "failed",
    "canceled",
]
TAMPERINGS = [
    "value_changed",
    "param_added",
    "param_removed",
    "url_changed",
    "signature_changed",
    "other_token",
]
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


@dataclass(frozen=True)
class Webhook:
    """One webhook request: POSTed form ``params`` to ``url``, with ``signature`` as its
    ``X-Twilio-Signature``. ``tampered``: how it was changed after signing (``None``: it is
    exactly what was signed)."""

    url: str
    params: dict[str, str]
    signature: str
    tampered: str | None = None
    token: str = field(default="", repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Twilio-Signature": self.signature, "Content-Type": "application/x-www-form-urlencoded"}

    @property
    def body(self) -> bytes:
        return urlencode(self.params).encode()


def _urls(path: str) -> st.SearchStrategy[str]:
    query = st.lists(st.tuples(_WORD, _WORD), max_size=2).map(
        lambda pairs: ("?" + "&".join(f"{k}={quote(v)}" for k, v in pairs)) if pairs else ""
    )
    return st.builds(lambda q: f"https://app.test{path}{q}", query)


@st.composite
def _signed(
    draw: st.DrawFn,
    token: str,
    url: str | None,
    path: str,
    params: st.SearchStrategy[dict[str, str]],
    tampered: bool,
) -> Webhook:
    target = url if url is not None else draw(_urls(path))
    values = draw(params)
    signature = compute_signature(token, target, values)
    if not tampered:
        return Webhook(target, values, signature, None, token)
    how = draw(st.sampled_from(TAMPERINGS))
    changed = dict(values)
    if how == "value_changed":
        name = draw(st.sampled_from(sorted(changed)))
        changed[name] = changed[name] + draw(_WORD)
    elif how == "param_added":
        changed["X" + draw(_WORD)] = draw(_WORD)
    elif how == "param_removed":
        del changed[draw(st.sampled_from(sorted(changed)))]
    elif how == "url_changed":
        head, mark, query = target.partition("?")
        target = head + "/" + draw(_WORD) + mark + query
    elif how == "signature_changed":
        other = compute_signature(token + "x", target, values)
        return Webhook(target, values, other, how, token)
    else:
        return Webhook(target, values, compute_signature(draw(_WORD) + token, target, values), how, token)
    return Webhook(target, changed, signature, how, token)


def _places(prefix: str) -> dict[str, str]:
    return {f"{prefix}City": "", f"{prefix}State": "", f"{prefix}Zip": "", f"{prefix}Country": "US"}


@st.composite
def _message_status(draw: st.DrawFn) -> dict[str, str]:
    sid, status = draw(sids("SM")), draw(st.sampled_from(MESSAGE_STATUSES))
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": draw(sids("AC")),
        "From": draw(phone_numbers()),
        "To": draw(phone_numbers()),
        "MessageStatus": status,
        "SmsStatus": status,
        "ApiVersion": "2010-04-01",
    }
    if draw(st.booleans()):
        params["MessagingServiceSid"] = draw(sids("MG"))
    if status in ("failed", "undelivered"):
        params["ErrorCode"] = draw(st.sampled_from(["30003", "30005", "30006", "30007", "30008"]))
    return params


@st.composite
def _call_status(draw: st.DrawFn, status: str | None = None) -> dict[str, str]:
    to, from_ = draw(phone_numbers()), draw(phone_numbers())
    status = status or draw(st.sampled_from(CALL_STATUSES))
    params = {
        "CallSid": draw(sids("CA")),
        "AccountSid": draw(sids("AC")),
        "From": from_,
        "To": to,
        "Caller": from_,
        "Called": to,
        "CallStatus": status,
        "Direction": "inbound" if status == "ringing" else draw(st.sampled_from(["outbound-api", "inbound"])),
        "ApiVersion": "2010-04-01",
        **_places("From"),
        **_places("To"),
    }
    if status == "completed":
        params["CallDuration"] = str(draw(st.integers(0, 3600)))
    return params


def status_callbacks(
    token: str, url: str | None = None, kind: str | None = None, tampered: bool = False
) -> st.SearchStrategy[Webhook]:
    """Status callbacks of messages (``kind="message"``), calls (``"call"``) or either, to
    ``url`` (default: a generated ``https://app.test/status…``)."""
    chosen = {"message": _message_status(), "call": _call_status()}
    if kind is not None and kind not in chosen:
        raise ValueError(f"kind is 'message', 'call' or None, not {kind!r}")
    params = chosen[kind] if kind else st.one_of(*chosen.values())
    return _signed(token, url, "/status", params, tampered)


@st.composite
def _inbound_message(draw: st.DrawFn) -> dict[str, str]:
    sid, body = draw(sids("SM")), draw(message_bodies())
    return {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "AccountSid": draw(sids("AC")),
        "From": draw(phone_numbers()),
        "To": draw(phone_numbers()),
        "Body": body,
        "NumMedia": "0",
        "NumSegments": str(count(body)),
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        **_places("From"),
        **_places("To"),
    }


def inbound_messages(
    token: str, url: str | None = None, tampered: bool = False
) -> st.SearchStrategy[Webhook]:
    """An SMS arriving at one of the account's numbers, as its ``SmsUrl`` gets it."""
    return _signed(token, url, "/sms", _inbound_message(), tampered)


def inbound_calls(token: str, url: str | None = None, tampered: bool = False) -> st.SearchStrategy[Webhook]:
    """A call ringing one of the account's numbers, as its ``VoiceUrl`` gets it."""
    return _signed(token, url, "/voice", _call_status("ringing"), tampered)
