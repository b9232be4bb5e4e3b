"""``<Dial>`` to ``Number``, ``Client``, ``Sip`` (reference/twilio-facts.md §17.6): every target
rung at once as a child leg (its own CA SID, ``parent_call_sid``, ``outbound-dial``) by its
number's rule; the first to answer is bridged for its ``talk`` seconds (capped by ``timeLimit``),
the rest hung up; then the ``action`` gets ``DialCallStatus``/``DialCallSid``/``DialCallDuration``,
or the next verb runs. ``Conference`` and ``Queue`` go to :mod:`.call_rooms`."""

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
# ``record`` values that record the bridged call (the ``-dual`` ones: unconfirmed, ref §17.6).
RECORDING = (
    "record-from-answer",
    "record-from-ringing",
    "true",
    "record-from-answer-dual",
    "record-from-ringing-dual",
)


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def dial(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
    account = str(state["account"])
    parent = calls.find(core, account, sid) or {}
    spec = {
        "action": engine.action_url(state, verb.get("action")) if verb.get("action") else "",
        "method": str(verb.get("method") or "POST").upper(),
        "timeout": max(_int(verb.get("timeout"), data.DIAL_TIMEOUT), 1),
        "timeLimit": max(_int(verb.get("timeLimit"), data.DIAL_TIME_LIMIT), 1),
        "callerId": str(verb.get("callerId") or parent.get("from") or ""),
        "record": str(verb.get("record") or "do-not-record"),
        "callback": engine.action_url(state, verb.get("recordingStatusCallback"))
        if verb.get("recordingStatusCallback")
        else "",
        "callbackMethod": str(verb.get("recordingStatusCallbackMethod") or "POST").upper(),
        "source": "DialVerb",
    }
    nouns = [c for c in verb.children if c.name in ("Number", "Client", "Sip", "Conference", "Queue", "Sim")]
    if verb.text.strip() and not nouns:
        targets = [("Number", verb.text.strip())]
    else:
        targets = [(n.name, _noun_address(n)) for n in nouns]
    if not targets:
        engine.step(core, sid, {"verb": "Dial", "to": [], "status": "failed"})
        return dial_done(core, sid, state, spec, "failed", None, 0)
    kind, address = targets[0]
    if kind == "Conference":
        noun = nouns[0]
        return call_rooms.join_conference(core, sid, state, address, noun, spec)
    if kind == "Queue":
        return call_rooms.dial_queue(core, sid, state, address, spec)
    given: list[Element | None] = list(nouns) if nouns else [None]  # a bare number: no noun
    legs = [(a, _callbacks(state, n)) for (k, a), n in zip(targets, given, strict=True) if k in LEGS]
    return _ring(core, sid, state, spec, legs)


LEGS = ("Number", "Client", "Sip", "Sim")


def _callbacks(state: Run, noun: Element | None) -> dict[str, Any]:
    """A leg's own status callback (``<Number statusCallback>``; events default ``completed``
    for a Number, none for a Client: ref §17.6)."""
    if noun is None or not noun.get("statusCallback"):
        return {}
    default = "" if noun.name == "Client" else "completed"
    return {
        "status_callback": engine.action_url(state, noun.get("statusCallback")),
        "status_callback_method": str(noun.get("statusCallbackMethod") or "POST").upper(),
        "status_callback_event": str(noun.get("statusCallbackEvent") or default).split() or ["none"],
    }


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


def _ring(
    core: Core, sid: str, state: Run, spec: dict[str, Any], legs: list[tuple[str, dict[str, Any]]]
) -> Outcome:
    """Ring every target at once; the first to answer is bridged, the rest hung up."""
    from twilio_mock.behaviours.number_pool import national_format

    account = str(state["account"])
    voice = engine._voice(core)
    now = core.clock.now()
    children, plans = [], []
    targets = [to for to, _ in legs]
    afters: list[After] = []
    for to, hooks in legs:
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
        record.update(hooks)
        for event in ("initiated", "ringing"):
            thunk = calls.callback(core, account, record, event, save=False)
            afters += [thunk] if thunk is not None else []
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
        state["wait"] = {
            "kind": "dial",
            "spec": spec,
            "children": children,
            "winner": winner,
            "to": targets,
            "dialed_at": now,
        }
        engine.resume(core, sid, now + after, "dial-answer", talk=talk)
    else:
        first = plans[0]
        latest = max(p[1] for p in plans)
        state["wait"] = {"kind": "dial", "spec": spec, "children": children, "winner": None, "to": targets}
        engine.resume(core, sid, now + latest, "dial-end", status=first[0])
    engine._voice(core).later += afters  # the legs' callbacks, once the lock is released
    return engine.WAITING


def _formatted(address: str, national: Any) -> str:
    if address.startswith("+") and senders.e164(address):
        return str(national(address))
    return address


def timed(core: Core, sid: str, state: Run, what: str, event: dict[str, Any]) -> list[After]:
    """The dialed leg answered (``dial-answer``) or the ``<Dial>`` ended (``dial-end``)."""
    wait = state.get("wait") or {}
    account = str(state["account"])
    if what == "dial-answer" and wait.get("kind") == "dial":
        afters: list[After] = []
        winner = str(wait["winner"])
        for child in wait["children"]:
            found = calls.find(core, account, child)
            if found is None:
                continue
            if child == winner:
                now = int(core.clock.now())
                answered = {**found, "status": "in-progress", "start_time": now, "date_updated": now}
                calls.put(core, account, answered)
                thunk = calls.callback(core, account, answered, "answered")
                afters += [thunk] if thunk is not None else []
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
        item = {"verb": "Dial", "to": wait["to"], "status": status, "call_sid": chosen, "duration": duration}
        spec = wait["spec"]
        url = None
        if spec.get("record", "do-not-record") in RECORDING and status == "completed" and duration > 0:
            started = float(wait.get("answered_at") or core.clock.now())
            if spec["record"].startswith("record-from-ringing"):
                started = float(wait.get("dialed_at") or started)
            length = int(core.clock.now() - started)
            recording, made = call_rooms.recording(core, account, sid, length, started, spec)
            afters += made
            url = f"{engine.API_BASE}/2010-04-01/Accounts/{account}/Recordings/{recording}"
            item["recording_sid"] = recording
        engine.step(core, sid, item)
        return afters + engine.proceed(
            core, sid, dial_done(core, sid, state, spec, status, chosen, duration, url)
        )
    return []


def dial_done(
    core: Core,
    sid: str,
    state: Run,
    spec: dict[str, Any],
    status: str,
    child: str | None,
    duration: int,
    recording_url: str | None = None,
) -> Outcome:
    state["wait"] = None
    if not spec.get("action"):
        return None  # no action: the next verb (ref §17.6)
    extra = [("DialCallStatus", status)]
    if child:
        extra += [("DialCallSid", child), ("DialCallDuration", str(duration))]
    if recording_url:
        extra.append(("RecordingUrl", recording_url))
    return ("fetch", (spec["action"], spec["method"], extra))
