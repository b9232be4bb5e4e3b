"""``backend.messaging``: the messaging behaviours' state and settings, and what tests drive them
with (inbound SMS, delivery rules).

State (the ``messaging`` part of snapshots; ``reset()`` forgets it): delivery rules, opt-outs,
each sender's queue (when it is next free) and sticky senders. Settings (kept across resets, not
in snapshots): ``require_owned_sender``, ``delays``, ``throughput``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import messaging_data as data
from twilio_mock.behaviours.rules import RuleBook
from twilio_mock.behaviours.status_log import StatusLog

if TYPE_CHECKING:
    from twilio_mock.behaviours.inbound import InboundResult
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After

# Another product taking an inbound message instead of the number's webhook (a Conversation):
# claim(core, account, stored message) -> (what it became, deliveries to make after the lock),
# or None to leave it. Runs under the lock.
Claim = Callable[["Core", str, dict[str, Any]], "tuple[str, list[After]] | None"]

# A From phone number must be the account's own (21606), as on Twilio; the README's switches.
REQUIRE_OWNED_SENDER = True
RULE_STATUSES = ("undelivered", "failed", "delivered")


class Messaging:
    """Messaging state and settings of one backend.

    ``require_owned_sender``: a ``From`` phone number must be one of the account's
    IncomingPhoneNumbers (or a sender of the Messaging Service used), else 21606.
    ``delays``: seconds between the steps of the lifecycle (``messaging_data.DELAYS``).
    ``throughput``: segments per second by sender kind (``messaging_data.THROUGHPUT``).
    """

    def __init__(self, core: Core) -> None:
        self.core = core
        self.require_owned_sender = REQUIRE_OWNED_SENDER
        self.delays: dict[str, float] = dict(data.DELAYS)
        self.throughput: dict[str, float] = dict(data.THROUGHPUT)
        self._book = RuleBook(core._lock, _rule)
        self._opt_outs: set[tuple[str, str, str]] = set()
        self._free_at: dict[str, float] = {}  # "account sender" -> when its queue is next free
        self._sticky: dict[str, str] = {}  # "account service recipient" -> sender
        self.claims: list[Claim] = []  # installed by behaviours, not state
        self.history = StatusLog()  # each message's statuses, for the inbox (not state)

    # Delivery rules ------------------------------------------------------------------
    def fail(
        self,
        to: str | None = None,
        *,
        from_: str | None = None,
        status: str = "undelivered",
        error_code: int | None = 30006,
        error_message: str | None = None,
    ) -> dict[str, Any]:
        """Make messages to ``to`` (any recipient when ``None``; from ``from_`` only, if given) end
        ``status`` (``undelivered`` or ``failed``, with ``error_code``; ``delivered`` undoes a
        broader rule). The newest matching rule wins. Returns the rule."""
        return self.add_rule(
            {
                "to": to,
                "from": from_,
                "status": status,
                "error_code": error_code,
                "error_message": error_message,
            }
        )

    def add_rule(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        """Add a rule given as a mapping (``to``, ``from``, ``status``, ``error_code``,
        ``error_message``), as the control plane does; ``ValueError`` when it is not one."""
        return self._book.add(rule)

    @property
    def rules(self) -> list[dict[str, Any]]:
        """The delivery rules, oldest first (copies)."""
        return self._book.copies()

    def clear(self) -> None:
        """Forget every delivery rule."""
        self._book.clear()

    def rule_for(self, to: str, from_: str) -> dict[str, Any] | None:
        """The newest rule matching a message from ``from_`` to ``to``."""
        rule: dict[str, Any]
        for rule in reversed(self._book.items):
            if rule["to"] in (None, to) and rule["from"] in (None, from_):
                return rule
        return None

    # Opt-outs -------------------------------------------------------------------------
    @property
    def opt_outs(self) -> list[dict[str, str]]:
        """Recipients who replied STOP: ``account``, ``sender`` (a number or a Messaging Service
        SID: the scope of the block) and ``recipient``."""
        return [{"account": a, "sender": s, "recipient": r} for a, s, r in sorted(self._opt_outs)]

    def blocked(self, account: str, scopes: Iterable[str], recipient: str) -> bool:
        return any((account, scope, recipient) in self._opt_outs for scope in scopes)

    def opt_out(self, account: str, scope: str, recipient: str, out: bool = True) -> None:
        if out:
            self._opt_outs.add((account, scope, recipient))
        else:
            self._opt_outs.discard((account, scope, recipient))

    # Sender queues ------------------------------------------------------------------
    def slot(
        self, account: str, sender: str, kind: str, segments: int, now: float, validity: float
    ) -> float | None:
        """When a message of ``segments`` can start sending from ``sender`` (its queue taken), or
        ``None`` when the wait would pass ``validity`` seconds (nothing is taken then)."""
        key = f"{account} {sender}"
        start = max(now, self._free_at.get(key, now))
        if start - now > validity:
            return None
        rate = max(self.throughput.get(kind, 1.0), 1e-9)
        self._free_at[key] = start + segments / rate
        return start

    def sticky(self, account: str, service: str, recipient: str) -> str | None:
        return self._sticky.get(f"{account} {service} {recipient}")

    def stick(self, account: str, service: str, recipient: str, sender: str) -> None:
        self._sticky[f"{account} {service} {recipient}"] = sender

    # Inbound ------------------------------------------------------------------------
    def inbound_sms(
        self,
        from_: str,
        to: str,
        body: str = "",
        media_urls: Iterable[str] = (),
        *,
        media_types: Iterable[str | None] | None = None,
    ) -> InboundResult:
        """An SMS (MMS with ``media_urls``) from ``from_`` to ``to``, one of an account's numbers:
        stored, handed to the number's webhook (or its Messaging Service's), and the TwiML it
        answers carried out. ``LookupError`` when no account owns ``to``."""
        from twilio_mock.behaviours.inbound import receive

        return receive(self.core, from_, to, body, list(media_urls), list(media_types or ()))

    # State part "messaging" ------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        now = self.core.clock.now()
        return {
            "rules": self.rules,
            "opt_outs": [list(item) for item in sorted(self._opt_outs)],
            "free_at": {k: v for k, v in self._free_at.items() if v > now},
            "sticky": dict(self._sticky),
        }

    def load(self, state: dict[str, Any]) -> None:
        opt_outs = {(str(a), str(s), str(r)) for a, s, r in state.get("opt_outs") or []}
        free_at = {str(k): float(v) for k, v in (state.get("free_at") or {}).items()}
        sticky = {str(k): str(v) for k, v in (state.get("sticky") or {}).items()}
        self._book.load(state.get("rules") or [])
        self._opt_outs, self._free_at, self._sticky = opt_outs, free_at, sticky

    def reset(self) -> None:
        self._book.clear()
        self._opt_outs, self._free_at, self._sticky = set(), {}, {}
        self.history.clear()

    def __repr__(self) -> str:
        return f"<Messaging rules={len(self._book.items)} opt_outs={len(self._opt_outs)}>"


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    from twilio_mock.behaviours.senders import normalize

    if not isinstance(rule, Mapping):
        raise ValueError("a rule is an object with to, from, status, error_code, error_message")
    unknown = set(rule) - {"to", "from", "from_", "status", "error_code", "error_message"}
    if unknown:
        raise ValueError(f"unknown rule field(s): {', '.join(sorted(unknown))}")
    status = rule.get("status", "undelivered")
    if status not in RULE_STATUSES:
        raise ValueError(f"status must be one of {', '.join(RULE_STATUSES)}, not {status!r}")
    code = rule.get("error_code", 30006 if status != "delivered" else None)
    if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
        raise ValueError("error_code must be an integer")
    message = rule.get("error_message")
    if message is None and code is not None:
        message = data.ERRORS.get(code, (0, "Unknown error", ""))[1]
    out: dict[str, Any] = {"status": status, "error_code": None if status == "delivered" else code}
    for name in ("to", "from"):
        value = rule.get(name, rule.get("from_") if name == "from" else None)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a phone number")
        try:
            out[name] = normalize(value, "To" if name == "to" else "From") if value else None
        except Exception as exc:  # a MockError: not a possible number
            raise ValueError(f"{name}: {exc}") from None
    out["error_message"] = None if status == "delivered" else message
    return {k: out[k] for k in ("to", "from", "status", "error_code", "error_message")}
