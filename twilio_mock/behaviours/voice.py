"""``backend.voice``: the voice behaviours' state and settings, and what tests drive calls with
(per-number answer rules, caller input for ``<Gather>``, inbound calls, transcripts).

State (the ``voice`` part of snapshots; ``reset()`` forgets it): rules, queued caller input,
each call's transcript and the running state of its TwiML. Settings (kept across resets):
``require_owned_caller_id``, ``delays``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import voice_data as data
from twilio_mock.behaviours.rules import RuleBook
from twilio_mock.behaviours.status_log import StatusLog

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

OUTCOMES = ("answer", "busy", "no-answer", "failed")
ANSWERED_BY = (
    "human",
    "machine_start",
    "machine_end_beep",
    "machine_end_silence",
    "machine_end_other",
    "fax",
    "unknown",
)


class Voice:
    """Voice state and settings of one backend.

    ``require_owned_caller_id``: a phone ``From`` must be one of the account's
    IncomingPhoneNumbers or OutgoingCallerIds, else 21210. ``delays``: virtual seconds of the
    lifecycle (``voice_data.DELAYS``).
    """

    def __init__(self, core: Core) -> None:
        self.core = core
        self.require_owned_caller_id = True
        self.delays: dict[str, float] = dict(data.DELAYS)
        self._book = RuleBook(core._lock, _rule)
        self.inputs: dict[str, list[dict[str, Any]]] = {}  # call SID or number -> caller input
        self.transcripts: dict[str, list[dict[str, Any]]] = {}
        self.runs: dict[str, dict[str, Any]] = {}  # call SID -> its TwiML's running state
        self.later: list[Callable[[], None]] = []  # deliveries a verb queued, for after the lock
        self.history = StatusLog()  # each call's statuses, for the inbox (not state)

    # Rules ---------------------------------------------------------------------------
    def answer(
        self, to: str, after: float | None = None, *, answered_by: str = "human", talk: float | None = None
    ) -> dict[str, Any]:
        """Calls to ``to`` ring ``after`` seconds (default ``delays["answer"]``) and are answered
        (by ``answered_by`` for AMD); a dialed ``to`` stays on ``talk`` seconds."""
        return self.add_rule(
            {"to": to, "outcome": "answer", "after": after, "answered_by": answered_by, "talk": talk}
        )

    def busy(self, to: str) -> dict[str, Any]:
        return self.add_rule({"to": to, "outcome": "busy"})

    def no_answer(self, to: str) -> dict[str, Any]:
        return self.add_rule({"to": to, "outcome": "no-answer"})

    def fail(self, to: str) -> dict[str, Any]:
        """Calls to ``to`` fail (the carrier could not connect them)."""
        return self.add_rule({"to": to, "outcome": "failed"})

    def machine(
        self, to: str, after: float | None = None, answered_by: str = "machine_start"
    ) -> dict[str, Any]:
        """Calls to ``to`` are answered by a machine (``answered_by`` with ``MachineDetection``)."""
        return self.answer(to, after, answered_by=answered_by)

    def add_rule(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        """A rule as a mapping (``to``, ``outcome``, ``after``, ``answered_by``, ``talk``), as the
        control plane and the fixture marker give it; ``ValueError`` when it is not one."""
        return self._book.add(rule)

    @property
    def rules(self) -> list[dict[str, Any]]:
        return self._book.copies()

    def clear(self) -> None:
        """Forget every rule."""
        self._book.clear()

    def rule_for(self, to: str) -> dict[str, Any]:
        """The newest rule for ``to``, else the default: answered after ``delays["answer"]``."""
        rule: dict[str, Any]
        for rule in reversed(self._book.items):
            if rule["to"] in (None, to):
                return rule
        return {"to": None, "outcome": "answer", "after": None, "answered_by": "human", "talk": None}

    # Caller input --------------------------------------------------------------------
    def press(self, call: str, digits: str) -> None:
        """The caller presses ``digits`` on call ``call`` (a CA SID; or a phone number: its next
        call), answering the live ``<Gather>`` or kept for the next one."""
        self._input(call, {"digits": str(digits)})

    def say(self, call: str, speech: str, confidence: float = 0.9) -> None:
        """The caller says ``speech`` (``SpeechResult``) to the live or next ``<Gather>``."""
        self._input(call, {"speech": str(speech), "confidence": float(confidence)})

    def _input(self, call: str, item: dict[str, Any]) -> None:
        from twilio_mock.behaviours import call_engine

        with self.core._lock:
            key = call if call.startswith("CA") else _number(call)
            self.inputs.setdefault(key, []).append(item)
            after = call_engine.input_arrived(self.core, key)
        for thunk in after:
            thunk()

    # Inspection -----------------------------------------------------------------------
    def transcript(self, call_sid: str) -> list[dict[str, Any]]:
        """What happened on the call, step by step (copies): the TwiML verbs it ran, the
        documents it fetched, how it ended."""
        with self.core._lock:
            return [dict(step) for step in self.transcripts.get(call_sid, [])]

    def verify_caller_id(
        self, number: str, account_sid: str | None = None, friendly_name: str | None = None
    ) -> str:
        """Make ``number`` a verified caller ID (OutgoingCallerIds) of the account; its PN SID."""
        from twilio_mock.behaviours import caller_ids

        return caller_ids.add(self.core, account_sid, _number(number), friendly_name)

    def inbound_call(self, from_: str, to: str) -> str:
        """A call from ``from_`` to ``to`` (one of an account's numbers): it rings the number's
        ``VoiceUrl`` and runs the TwiML the app answers. Returns the call SID; ``LookupError``
        when no account owns ``to``."""
        from twilio_mock.behaviours import call_inbound

        return call_inbound.inbound(self.core, from_, to)

    # State part "voice" -----------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "rules": self.rules,
            "inputs": {k: [dict(i) for i in v] for k, v in self.inputs.items() if v},
            "transcripts": {k: [dict(s) for s in v] for k, v in self.transcripts.items()},
            "runs": {k: dict(v) for k, v in self.runs.items()},
        }

    def load(self, state: dict[str, Any]) -> None:
        self._book.load(state.get("rules") or [])
        self.inputs = {str(k): [dict(i) for i in v] for k, v in (state.get("inputs") or {}).items()}
        self.transcripts = {str(k): [dict(s) for s in v] for k, v in (state.get("transcripts") or {}).items()}
        self.runs = {str(k): dict(v) for k, v in (state.get("runs") or {}).items()}

    def reset(self) -> None:
        self._book.clear()
        self.inputs, self.transcripts, self.runs, self.later = {}, {}, {}, []
        self.history.clear()

    def __repr__(self) -> str:
        return f"<Voice rules={len(self._book.items)} calls={len(self.transcripts)}>"


def _number(value: str) -> str:
    from twilio_mock.behaviours.senders import normalize

    return normalize(value, "To") if value.startswith("+") else value


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(rule, Mapping):
        raise ValueError("a rule is an object with to, outcome, after, answered_by, talk")
    unknown = set(rule) - {"to", "outcome", "after", "answered_by", "talk"}
    if unknown:
        raise ValueError(f"unknown rule field(s): {', '.join(sorted(unknown))}")
    to = rule.get("to")
    if to is not None and not isinstance(to, str):
        raise ValueError("to must be a phone number or address")
    try:
        address = _number(to) if to else None
    except Exception as exc:  # a MockError: not a possible number
        raise ValueError(f"to: {exc}") from None
    outcome = rule.get("outcome", "answer")
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    out: dict[str, Any] = {"to": address, "outcome": outcome}
    for name in ("after", "talk"):
        value = rule.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
        ):
            raise ValueError(f"{name} must be a number of seconds >= 0")
        out[name] = None if value is None else float(value)
    by = rule.get("answered_by", "human")
    if by not in ANSWERED_BY:
        raise ValueError(f"answered_by must be one of {', '.join(ANSWERED_BY)}")
    out["answered_by"] = by
    return out
