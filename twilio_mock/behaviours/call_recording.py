"""``<Record>`` (reference/twilio-facts.md §17.7): the caller speaks for ``delays["recording"]``
virtual seconds (capped by ``maxLength``), ended by a key of ``finishOnKey`` given ahead (its
``Digits``) or by ``timeout`` seconds of silence (no ``Digits``: unconfirmed); then a Recording
(:func:`.call_rooms.recording`) and the ``action`` with ``RecordingUrl``/``RecordingDuration``.
An empty recording runs the next verb; a hang-up keeps what was recorded (``Digits=hangup``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import call_engine as engine
from twilio_mock.behaviours import call_rooms, calls
from twilio_mock.behaviours import voice_data as data
from twilio_mock.behaviours.call_input import take_input

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After
    from twilio_sdk.twiml import Element

Outcome = tuple[str, Any] | None
Run = dict[str, Any]


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def record(core: Core, sid: str, state: Run, verb: Element) -> Outcome:
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
    found = take_input(core, sid, state)
    key = ""
    if found is not None and found.get("digits"):
        key = next((d for d in str(found["digits"]) if d in spec["finishOnKey"]), "")
    ends = speaking if key else speaking + (spec["timeout"] if speaking < spec["maxLength"] else 0)
    state["wait"] = {"kind": "record", "spec": spec, "started": core.clock.now()}
    engine.resume(core, sid, core.clock.now() + ends, "record-end", duration=int(speaking), digits=key)
    return engine.WAITING


def recorded(core: Core, sid: str, state: Run, wait: dict[str, Any], event: dict[str, Any]) -> list[After]:
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
