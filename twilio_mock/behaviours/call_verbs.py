"""What each voice TwiML verb does (reference/twilio-facts.md §17.3-17.8), for
:mod:`.call_engine`: a handler records its transcript step and answers ``None`` (go on),
``("wait", None)`` (a scheduler event continues it), ``("fetch", (url, method, params))`` (control
leaves the document) or ``("end", status)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import call_dial, call_recording, call_rooms, calls
from twilio_mock.behaviours import call_engine as engine
from twilio_mock.behaviours import voice_data as data
from twilio_mock.behaviours.call_input import take_input

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After
    from twilio_sdk.twiml import Element

Outcome = tuple[str, Any] | None
Run = dict[str, Any]
WAIT: Outcome = ("wait", None)
UNSUPPORTED = ("Connect", "Echo", "Sms", "Pay", "Prompt", "Start", "Stop", "Refer")


def run(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    handler = _HANDLERS.get(verb.name)
    if handler is None:
        engine.step(core, sid, {"verb": verb.name, "supported": False, "attributes": dict(verb.attrs)})
        return None
    return handler(core, sid, state, verb)


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def _say(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    engine.step(
        core,
        sid,
        {
            "verb": "Say",
            "text": _text(verb),
            "voice": str(verb.get("voice") or data.SAY_VOICE),
            "language": str(verb.get("language") or data.SAY_LANGUAGE),
            "loop": _int(verb.get("loop"), 1),
        },
    )
    return None


def _text(verb: Element) -> str:
    """A ``<Say>``'s words, SSML tags' text included."""
    parts = [verb.text]
    for child in verb.children:
        parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _play(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    item: dict[str, Any] = {"verb": "Play", "url": verb.text.strip(), "loop": _int(verb.get("loop"), 1)}
    if verb.get("digits"):
        item["digits"] = str(verb.get("digits"))
    engine.step(core, sid, item)
    return None


def _pause(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    length = max(_int(verb.get("length"), 1), 0)
    engine.step(core, sid, {"verb": "Pause", "length": length})
    if length == 0:
        return None
    state["wait"] = {"kind": "pause"}
    engine.resume(core, sid, core.clock.now() + length, "resume")
    return WAIT


# <Gather> ---------------------------------------------------------------------------------
def _gather(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    delay = 0
    for child in verb.children:  # nested Say/Play/Pause: the timeout starts after them
        if child.name == "Pause":
            length = max(_int(child.get("length"), 1), 0)
            delay += length
            engine.step(core, sid, {"verb": "Pause", "length": length, "in": "Gather"})
        elif child.name in ("Say", "Play"):
            _HANDLERS[child.name](core, sid, state, child)
            engine._voice(core).transcripts[sid][-1]["in"] = "Gather"
    spec = _gather_spec(state, verb)
    state["wait"] = {"kind": "gather", "spec": spec}
    found = take_input(core, sid, state)
    if found is not None:
        return _gathered(core, sid, state, spec, found)
    engine.resume(core, sid, core.clock.now() + delay + spec["timeout"], "gather-timeout")
    return WAIT


def _gather_spec(state: Run, verb: Element) -> dict[str, Any]:
    return {
        "action": engine.action_url(state, verb.get("action")),
        "method": str(verb.get("method") or data.GATHER["method"]).upper(),
        "timeout": max(_int(verb.get("timeout"), int(data.GATHER["timeout"])), 1),
        "finishOnKey": str(verb.get("finishOnKey", data.GATHER["finishOnKey"])),
        "numDigits": _int(verb.get("numDigits"), 0),
        "input": str(verb.get("input") or data.GATHER["input"]).split(),
        "actionOnEmptyResult": str(verb.get("actionOnEmptyResult") or "false").lower() == "true",
    }


def gather_input(core: Core, sid: str, state: Run) -> list[After]:
    """Input arrived while the call waits in a ``<Gather>``."""
    wait = state.get("wait") or {}
    found = take_input(core, sid, state)
    if found is None or wait.get("kind") != "gather":
        return []
    state["gen"] = int(state["gen"]) + 1  # the pending timeout no longer applies
    return engine.proceed(core, sid, _gathered(core, sid, state, wait["spec"], found))


def _gathered(
    core: Core, sid: str, state: Run, spec: dict[str, Any], found: dict[str, Any] | None
) -> Outcome:
    extra: list[tuple[str, str]] = []
    item: dict[str, Any] = {"verb": "Gather", "input": " ".join(spec["input"]), "action": spec["action"]}
    if found is not None and "digits" in found and "dtmf" in spec["input"]:
        digits = str(found["digits"])
        key = spec["finishOnKey"]
        if key and key in digits:
            digits = digits[: digits.index(key)]
        if spec["numDigits"]:
            digits = digits[: spec["numDigits"]]
        item["digits"] = digits
        if digits:
            extra = [("Digits", digits)]
    elif found is not None and "speech" in found and "speech" in spec["input"]:
        item["speech"] = str(found["speech"])
        extra = [
            ("SpeechResult", str(found["speech"])),
            ("Confidence", f"{float(found.get('confidence', 0.9)):.2f}"),
        ]
    elif found is not None:
        item["ignored"] = dict(found)  # input of a kind this Gather does not listen for
    item["result"] = "input" if extra else "timeout"
    engine.step(core, sid, item)
    state["wait"] = None
    if extra or spec["actionOnEmptyResult"]:
        return ("fetch", (spec["action"], spec["method"], extra))
    return None  # no input: the next verb runs (ref §17.5)


def timed(core: Core, sid: str, state: Run, what: str, event: dict[str, Any]) -> list[After] | None:
    """A wait of this run ended (``call.twiml`` events other than ``resume``)."""
    wait = state.get("wait") or {}
    if what == "gather-timeout" and wait.get("kind") == "gather":
        return engine.proceed(core, sid, _gathered(core, sid, state, wait["spec"], None))
    if what in ("dial-answer", "dial-end") and wait.get("kind") == "dial":
        return call_dial.timed(core, sid, state, what, event)
    if what == "record-end" and wait.get("kind") == "record":
        return call_recording.recorded(core, sid, state, wait, event)
    if what == "bridge-end":
        return call_rooms.bridge_end(core, sid, state, event)
    return None


# Leaving the document ---------------------------------------------------------------------
def _redirect(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    target = engine.action_url(state, verb.text.strip())
    method = str(verb.get("method") or "POST").upper()
    engine.step(core, sid, {"verb": "Redirect", "url": target, "method": method})
    return ("fetch", (target, method, []))


def _hangup(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    engine.step(core, sid, {"verb": "Hangup"})
    return ("end", "completed")


def _reject(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    reason = str(verb.get("reason") or "rejected")
    engine.step(core, sid, {"verb": "Reject", "reason": reason})
    record = calls.find(core, str(state["account"]), sid) or {}
    if record.get("status") == "ringing":  # never answered: busy or no-answer (mapping unconfirmed)
        return ("end", "busy" if reason == "busy" else "no-answer")
    return ("end", "completed")


def _enqueue(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    return call_rooms.enqueue(core, sid, state, verb)


def _leave(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    return call_rooms.leave(core, sid, state)


_HANDLERS = {
    "Say": _say,
    "Play": _play,
    "Pause": _pause,
    "Gather": _gather,
    "Dial": call_dial.dial,
    "Record": call_recording.record,
    "Redirect": _redirect,
    "Hangup": _hangup,
    "Reject": _reject,
    "Enqueue": _enqueue,
    "Leave": _leave,
}
