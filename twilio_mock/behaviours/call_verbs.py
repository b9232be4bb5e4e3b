"""What each voice TwiML verb does (reference/twilio-facts.md §17.3-17.8), for
:mod:`.call_engine`: a handler records its transcript step and answers ``None`` (go on),
``("wait", None)`` (a scheduler event continues it), ``("fetch", (url, method, params))`` (control
leaves the document) or ``("end", status)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import call_engine as engine
from twilio_mock.behaviours import call_rooms, calls, senders
from twilio_mock.behaviours import voice_data as data

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
    found = _take_input(core, sid, state)
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


def _take_input(core: Core, sid: str, state: Run) -> dict[str, Any] | None:
    voice = engine._voice(core)
    record = calls.find(core, str(state["account"]), sid) or {}
    for key in (sid, record.get("to"), record.get("from")):
        queue = voice.inputs.get(str(key)) if key else None
        if queue:
            item = queue.pop(0)
            if not queue:
                voice.inputs.pop(str(key), None)
            return item
    return None


def gather_input(core: Core, sid: str, state: Run) -> list[After]:
    """Input arrived while the call waits in a ``<Gather>``."""
    wait = state.get("wait") or {}
    found = _take_input(core, sid, state)
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


# <Dial> -----------------------------------------------------------------------------------
def _dial(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    account = str(state["account"])
    parent = calls.find(core, account, sid) or {}
    spec = {
        "action": engine.action_url(state, verb.get("action")) if verb.get("action") else "",
        "method": str(verb.get("method") or "POST").upper(),
        "timeout": max(_int(verb.get("timeout"), data.DIAL_TIMEOUT), 1),
        "timeLimit": max(_int(verb.get("timeLimit"), data.DIAL_TIME_LIMIT), 1),
        "callerId": str(verb.get("callerId") or parent.get("from") or ""),
    }
    nouns = [c for c in verb.children if c.name in ("Number", "Client", "Sip", "Conference", "Queue", "Sim")]
    if verb.text.strip() and not nouns:
        targets = [("Number", verb.text.strip())]
    else:
        targets = [(n.name, _noun_address(n)) for n in nouns]
    if not targets:
        engine.step(core, sid, {"verb": "Dial", "to": [], "status": "failed"})
        return _dial_done(core, sid, state, spec, "failed", None, 0)
    kind, address = targets[0]
    if kind == "Conference":
        noun = nouns[0]
        return call_rooms.join_conference(core, sid, state, address, noun, spec)
    if kind == "Queue":
        return call_rooms.dial_queue(core, sid, state, address, spec)
    return _ring(core, sid, state, spec, [a for k, a in targets if k in ("Number", "Client", "Sip", "Sim")])


def _noun_address(noun: Element) -> str:
    text = noun.text.strip()
    if noun.name == "Client":
        identity = noun.find("Identity")
        name = identity.text.strip() if identity is not None else text
        return f"client:{name}"
    if noun.name == "Number" and text.startswith("+"):
        try:
            return senders.normalize(text, "To")
        except Exception:  # noqa: BLE001 - an impossible number: the leg fails
            return text
    return text


def _ring(core: Core, sid: str, state: Run, spec: dict[str, Any], targets: list[str]) -> Outcome:
    """Ring every target at once; the first to answer is bridged, the rest hung up."""
    from twilio_mock.behaviours.number_pool import national_format

    account = str(state["account"])
    voice = engine._voice(core)
    now = core.clock.now()
    children, plans = [], []
    for to in targets:
        child = core.minter.sid("CA")
        caller = spec["callerId"]
        record = {
            "sid": child,
            "account_sid": account,
            "parent_call_sid": sid,
            "to": to,
            "from": caller,
            "to_formatted": _formatted(to, national_format),
            "from_formatted": _formatted(caller, national_format),
            "status": "ringing",
            "direction": "outbound-dial",
            "start_time": int(now),
            "end_time": None,
            "duration": None,
            "price": None,
            "price_unit": data.PRICE_UNIT,
            "date_created": int(now),
            "date_updated": int(now),
        }
        calls.put(core, account, record)
        children.append(child)
        rule = voice.rule_for(to)
        valid = not to.startswith("+") or senders.e164(to) is not None
        outcome = rule["outcome"] if valid else "failed"
        after = voice.delays["answer"] if rule["after"] is None else float(rule["after"])
        if outcome == "answer" and after >= spec["timeout"]:
            outcome, after = "no-answer", spec["timeout"]
        elif outcome == "busy":
            after = voice.delays["busy"]
        elif outcome == "failed":
            after = voice.delays["failed"]
        elif outcome == "no-answer":
            after = spec["timeout"]
        talk = voice.delays["talk"] if rule["talk"] is None else float(rule["talk"])
        plans.append((outcome, after, child, talk))
    answered = sorted((p for p in plans if p[0] == "answer"), key=lambda p: p[1])
    if answered:
        _outcome, after, winner, talk = answered[0]
        state["wait"] = {"kind": "dial", "spec": spec, "children": children, "winner": winner, "to": targets}
        engine.resume(core, sid, now + after, "dial-answer", talk=talk)
    else:
        first = plans[0]
        latest = max(p[1] for p in plans)
        state["wait"] = {"kind": "dial", "spec": spec, "children": children, "winner": None, "to": targets}
        engine.resume(core, sid, now + latest, "dial-end", status=first[0])
    return WAIT


def _formatted(address: str, national: Any) -> str:
    if address.startswith("+") and senders.e164(address):
        return str(national(address))
    return address


def timed(core: Core, sid: str, state: Run, what: str, event: dict[str, Any]) -> list[After] | None:
    """A wait of this run ended (``call.twiml`` events other than ``resume``)."""
    wait = state.get("wait") or {}
    account = str(state["account"])
    if what == "gather-timeout" and wait.get("kind") == "gather":
        return engine.proceed(core, sid, _gathered(core, sid, state, wait["spec"], None))
    if what == "dial-answer" and wait.get("kind") == "dial":
        afters: list[After] = []
        winner = str(wait["winner"])
        for child in wait["children"]:
            found = calls.find(core, account, child)
            if found is None:
                continue
            if child == winner:
                now = int(core.clock.now())
                calls.put(
                    core, account, {**found, "status": "in-progress", "start_time": now, "date_updated": now}
                )
            elif found.get("status") == "ringing":
                afters += calls.finish(core, account, found, "canceled")
        spec = wait["spec"]
        talk = min(float(event.get("talk") or 0), float(spec["timeLimit"]))
        wait["answered_at"] = core.clock.now()
        engine.resume(core, sid, core.clock.now() + talk, "dial-end", status="completed")
        return afters
    if what == "dial-end" and wait.get("kind") == "dial":
        status = str(event.get("status") or "completed")
        afters = []
        duration = 0
        for child in wait["children"]:
            found = calls.find(core, account, child)
            if found is None or found.get("status") not in ("ringing", "in-progress"):
                continue
            if child == wait.get("winner"):
                afters += calls.finish(core, account, found, "completed")
                duration = int((calls.find(core, account, child) or {}).get("duration") or 0)
            else:
                afters += calls.finish(core, account, found, status if status != "completed" else "canceled")
        chosen = wait.get("winner") or wait["children"][0]
        engine.step(
            core,
            sid,
            {"verb": "Dial", "to": wait["to"], "status": status, "call_sid": chosen, "duration": duration},
        )
        return afters + engine.proceed(
            core, sid, _dial_done(core, sid, state, wait["spec"], status, chosen, duration)
        )
    if what == "record-end" and wait.get("kind") == "record":
        return _recorded(core, sid, state, wait, event)
    if what == "bridge-end":
        return call_rooms.bridge_end(core, sid, state, event)
    return None


def _dial_done(
    core: Core, sid: str, state: Run, spec: dict[str, Any], status: str, child: str | None, duration: int
) -> Outcome:
    state["wait"] = None
    if not spec.get("action"):
        return None  # no action: the next verb (ref §17.6)
    extra = [("DialCallStatus", status)]
    if child:
        extra += [("DialCallSid", child), ("DialCallDuration", str(duration))]
    return ("fetch", (spec["action"], spec["method"], extra))


# <Record> ---------------------------------------------------------------------------------
def _record(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    voice = engine._voice(core)
    spec: dict[str, Any] = {
        "action": engine.action_url(state, verb.get("action")),
        "method": str(verb.get("method") or "POST").upper(),
        "timeout": max(_int(verb.get("timeout"), int(data.RECORD["timeout"])), 0),
        "maxLength": max(_int(verb.get("maxLength"), int(data.RECORD["maxLength"])), 1),
        "finishOnKey": str(verb.get("finishOnKey", data.RECORD["finishOnKey"])),
        "callback": str(verb.get("recordingStatusCallback") or ""),
        "callbackMethod": str(verb.get("recordingStatusCallbackMethod") or "POST").upper(),
        "playBeep": str(verb.get("playBeep") or "true").lower() != "false",
    }
    speaking = min(float(voice.delays["recording"]), float(spec["maxLength"]))
    found = _take_input(core, sid, state)
    key = ""
    if found is not None and found.get("digits"):
        key = next((d for d in str(found["digits"]) if d in spec["finishOnKey"]), "")
    ends = speaking if key else speaking + (spec["timeout"] if speaking < spec["maxLength"] else 0)
    state["wait"] = {"kind": "record", "spec": spec, "started": core.clock.now()}
    engine.resume(core, sid, core.clock.now() + ends, "record-end", duration=int(speaking), digits=key)
    return WAIT


def _recorded(core: Core, sid: str, state: Run, wait: dict[str, Any], event: dict[str, Any]) -> list[After]:
    account = str(state["account"])
    spec = wait["spec"]
    duration = int(event.get("duration") or 0)
    if duration <= 0:  # an empty recording: no action, the next verb (ref §17.7)
        engine.step(core, sid, {"verb": "Record", "recording_sid": None, "duration": 0})
        return engine.proceed(core, sid, None)
    recording, afters = call_rooms.recording(core, account, sid, duration, wait["started"], spec)
    digits = str(event.get("digits") or "")
    url = f"{engine.API_BASE}/2010-04-01/Accounts/{account}/Recordings/{recording}"
    engine.step(
        core, sid, {"verb": "Record", "recording_sid": recording, "duration": duration, "digits": digits}
    )
    extra = [("RecordingUrl", url), ("RecordingDuration", str(duration)), ("RecordingSid", recording)]
    if digits:
        extra.append(("Digits", digits))
    return afters + engine.proceed(core, sid, ("fetch", (spec["action"], spec["method"], extra)))


def hung_up_recording(
    core: Core, account: str, sid: str, state: Run, wait: dict[str, Any], ended: dict[str, Any]
) -> list[After]:
    """The caller hung up while recording: the Recording is kept and the action requested with
    ``Digits=hangup`` (ref §17.7); its answer is ignored, the call is over."""
    from twilio_mock.identity import accounts_of
    from twilio_mock.webhooks import webhooks_of

    spec = wait["spec"]
    elapsed = int(core.clock.now() - float(wait.get("started") or core.clock.now()))
    duration = min(elapsed, int(engine._voice(core).delays["recording"]), int(spec["maxLength"]))
    if duration <= 0:
        return []
    recording, afters = call_rooms.recording(core, account, sid, duration, wait["started"], spec)
    engine.step(
        core, sid, {"verb": "Record", "recording_sid": recording, "duration": duration, "digits": "hangup"}
    )
    url = f"{engine.API_BASE}/2010-04-01/Accounts/{account}/Recordings/{recording}"
    params = calls.call_params(ended) + [
        ("RecordingUrl", url),
        ("RecordingDuration", str(duration)),
        ("RecordingSid", recording),
        ("Digits", "hangup"),
    ]
    token = str((accounts_of(core).get(account) or {}).get("auth_token") or "")
    hooks, target, method = webhooks_of(core), str(spec["action"]), str(spec["method"])

    def deliver() -> None:
        hooks.deliver(target, params, token, account_sid=account, method=method, event="call.action")

    return [*afters, deliver]


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
    engine.step(core, sid, {"verb": "Leave", "queued": False})  # only a waitUrl document is in a queue
    return None


_HANDLERS = {
    "Say": _say,
    "Play": _play,
    "Pause": _pause,
    "Gather": _gather,
    "Dial": _dial,
    "Record": _record,
    "Redirect": _redirect,
    "Hangup": _hangup,
    "Reject": _reject,
    "Enqueue": _enqueue,
    "Leave": _leave,
}
