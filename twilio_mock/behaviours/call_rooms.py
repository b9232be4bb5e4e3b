"""Where calls meet, and what they leave behind (reference/twilio-facts.md §17.6-17.8):
conferences (``<Dial><Conference>``: Conferences and their Participants), queues (``<Enqueue>``
with its ``waitUrl`` document and ``<Leave>``, and ``<Dial><Queue>``: Queues and their Members)
and recordings (``<Record>``: Recordings under
the account and the call, with the ``recordingStatusCallback``). Resources appear while calls are
in them; a conference ends (``completed``) when its last participant leaves, or when one with
``endConferenceOnExit`` does (the others' ``<Dial>`` ends, ref §17.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import call_engine as engine
from twilio_mock.behaviours import voice_data as data
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.store import Collection
    from twilio_sdk.twiml import Element

Record = dict[str, Any]
Run = dict[str, Any]
BASE = "/2010-04-01/Accounts/{a}"


def _coll(
    core: Core, account: str, tail: str, parent: Record | None = None, id_field: str = "sid"
) -> Collection:
    path = BASE.format(a=account) + tail
    return core.store.open(
        (account, "api", "v2010", path), {"account_sid": account, **(parent or {})}, id_field
    )


def _true(value: Any, default: bool) -> bool:
    return default if value is None else str(value).lower() == "true"


# Conferences ------------------------------------------------------------------------------
def join_conference(
    core: Core, sid: str, state: Run, name: str, noun: Element, spec: dict[str, Any]
) -> tuple[str, Any] | None:
    account = str(state["account"])
    now = int(core.clock.now())
    rooms = _coll(core, account, "/Conferences")
    room = next(
        (r for r in rooms.records() if r.get("friendly_name") == name and r.get("status") != "completed"),
        None,
    )
    if room is None:
        cf = core.minter.sid("CF")
        room = {
            "sid": cf,
            "friendly_name": name,
            "status": "init",
            "region": "us1",
            "date_created": now,
            "date_updated": now,
        }
        rooms.put(cf, room)
    cf = str(room["sid"])
    start = _true(noun.get("startConferenceOnEnter"), True)
    end = _true(noun.get("endConferenceOnExit"), False)
    people = _coll(core, account, f"/Conferences/{cf}/Participants", {"conference_sid": cf}, "call_sid")
    people.put(
        sid,
        {
            "call_sid": sid,
            "conference_sid": cf,
            "muted": _true(noun.get("muted"), False),
            "hold": False,
            "coaching": False,
            "start_conference_on_enter": start,
            "end_conference_on_exit": end,
            "status": "connected",
            "label": None,
            "date_created": now,
            "date_updated": now,
        },
    )
    members = list(people.records())
    if (
        room.get("status") == "init"
        and len(members) >= 2
        and any(m.get("start_conference_on_enter") for m in members)
    ):
        rooms.put(cf, {**room, "status": "in-progress", "date_updated": now})
    engine.step(core, sid, {"verb": "Dial", "conference": name, "conference_sid": cf})
    state["wait"] = {"kind": "conference", "conference": cf, "spec": spec}
    return engine.WAITING


def leave_conference(core: Core, account: str, cf: str, sid: str) -> list[After]:
    """``sid`` leaves conference ``cf``; the conference may end with it."""
    people = _coll(core, account, f"/Conferences/{cf}/Participants", {"conference_sid": cf}, "call_sid")
    gone = people.remove(sid)
    rooms = _coll(core, account, "/Conferences")
    room = rooms.get(cf)
    if room is None:
        return []
    now = int(core.clock.now())
    if gone is not None and gone.get("end_conference_on_exit") and len(people):
        return end_conference(core, account, cf, "participant-with-end-conference-on-exit-left", sid)
    if not len(people):
        rooms.put(
            cf,
            {
                **room,
                "status": "completed",
                "date_updated": now,
                "reason_conference_ended": "last-participant-left",
                "call_sid_ending_conference": sid,
            },
        )
    return []


def end_conference(core: Core, account: str, cf: str, reason: str, by: str | None) -> list[After]:
    """Conference ``cf`` ends: each participant's ``<Dial>`` ends and its call goes on."""
    from twilio_mock.behaviours import call_dial

    people = _coll(core, account, f"/Conferences/{cf}/Participants", {"conference_sid": cf}, "call_sid")
    rooms = _coll(core, account, "/Conferences")
    room = rooms.get(cf) or {"sid": cf}
    now = int(core.clock.now())
    rooms.put(
        cf,
        {
            **room,
            "status": "completed",
            "date_updated": now,
            "reason_conference_ended": reason,
            "call_sid_ending_conference": by,
        },
    )
    afters: list[After] = []
    for member in list(people.records()):
        call_sid = str(member["call_sid"])
        people.remove(call_sid)
        run = engine._voice(core).runs.get(call_sid)
        wait = (run or {}).get("wait") or {}
        if run is None or wait.get("kind") != "conference":
            continue
        engine.step(core, call_sid, {"event": "conference-ended", "conference_sid": cf, "reason": reason})
        outcome = call_dial.dial_done(core, call_sid, run, wait["spec"], "completed", None, 0)
        afters += engine.proceed(core, call_sid, outcome)
    return afters


def _conference_updated(call: Any, record: Record, old: Record | None) -> Record | None:
    if old is None or record.get("status") != "completed" or old.get("status") == "completed":
        return None
    call.after += end_conference(call.backend, call.owner, str(old["sid"]), "conference-ended-via-api", None)
    return {**record, **(_coll(call.backend, call.owner, "/Conferences").get(str(old["sid"])) or {})}


def _participant_removed(call: Any, record: Record, old: Record | None) -> Record | None:
    """A participant kicked through the API: its ``<Dial>`` ends and its call goes on."""
    from twilio_mock.behaviours import call_dial

    core, account = call.backend, call.owner
    sid, cf = str(record.get("call_sid") or ""), str(record.get("conference_sid") or "")
    run = engine._voice(core).runs.get(sid)
    wait = (run or {}).get("wait") or {}
    if run is not None and wait.get("kind") == "conference" and wait.get("conference") == cf:
        engine.step(core, sid, {"event": "conference-left", "conference_sid": cf, "reason": "kicked"})
        run["gen"] = int(run["gen"]) + 1
        outcome = call_dial.dial_done(core, sid, run, wait["spec"], "completed", None, 0)
        call.after += engine.proceed(core, sid, outcome)
    people = _coll(core, account, f"/Conferences/{cf}/Participants", {"conference_sid": cf}, "call_sid")
    rooms = _coll(core, account, "/Conferences")
    room = rooms.get(cf)
    others = [p for p in people.records() if p.get("call_sid") != sid]
    if room is not None and room.get("status") != "completed" and not others:
        now = int(core.clock.now())
        ended = {
            "status": "completed",
            "date_updated": now,
            "reason_conference_ended": "last-participant-kicked",
        }
        rooms.put(cf, {**room, **ended, "call_sid_ending_conference": sid})
    return None


def install(core: Core) -> None:
    core.on("update", "api", "Accounts/{AccountSid}/Conferences", _conference_updated)
    participants = "Accounts/{AccountSid}/Conferences/{ConferenceSid}/Participants"
    core.on("delete", "api", participants, _participant_removed)


# Queues ------------------------------------------------------------------------------------
def _queue(core: Core, account: str, name: str, create: bool) -> Record | None:
    queues = _coll(core, account, "/Queues")
    found = next((q for q in queues.records() if q.get("friendly_name") == name), None)
    if found is None and create:
        now = int(core.clock.now())
        qu = core.minter.sid("QU")
        found = {
            "sid": qu,
            "friendly_name": name,
            "current_size": 0,
            "max_size": data.QUEUE_MAX,
            "average_wait_time": 0,
            "date_created": now,
            "date_updated": now,
        }
        queues.put(qu, found)
    return found


def _members(core: Core, account: str, qu: str) -> Collection:
    return _coll(core, account, f"/Queues/{qu}/Members", {"queue_sid": qu}, "call_sid")


def _resize(core: Core, account: str, qu: str) -> None:
    queues = _coll(core, account, "/Queues")
    queue = queues.get(qu)
    if queue is not None:
        members = sorted(_members(core, account, qu).records(), key=lambda m: int(m.get("position") or 0))
        for n, member in enumerate(members, 1):
            if member.get("position") != n:
                _members(core, account, qu).put(str(member["call_sid"]), {**member, "position": n})
        queues.put(qu, {**queue, "current_size": len(members), "date_updated": int(core.clock.now())})


def enqueue(core: Core, sid: str, state: Run, verb: Element) -> tuple[str, Any] | None:
    account = str(state["account"])
    name = verb.text.strip()
    spec = {
        "action": engine.action_url(state, verb.get("action")) if verb.get("action") else "",
        "method": str(verb.get("method") or "POST").upper(),
    }
    queue = _queue(core, account, name, create=True)
    assert queue is not None
    qu = str(queue["sid"])
    members = _members(core, account, qu)
    if len(members) >= int(queue.get("max_size") or data.QUEUE_MAX):
        engine.step(core, sid, {"verb": "Enqueue", "queue": name, "queue_sid": qu, "result": "queue-full"})
        return _enqueue_done(spec, "queue-full", None, None)
    now = int(core.clock.now())
    members.put(
        sid,
        {
            "call_sid": sid,
            "queue_sid": qu,
            "position": len(members) + 1,
            "wait_time": 0,
            "date_enqueued": now,
        },
    )
    _resize(core, account, qu)
    engine.step(core, sid, {"verb": "Enqueue", "queue": name, "queue_sid": qu})
    wait_url = engine.action_url(state, verb.get("waitUrl")) if verb.get("waitUrl") else ""
    state["queue"] = {
        "queue": qu,
        "spec": spec,
        "entered": now,
        "main": {"doc": state["doc"], "url": state["url"], "pos": state["pos"]},
        "wait_url": wait_url,
        "wait_method": str(verb.get("waitUrlMethod") or "POST").upper(),
        "pass_started": now,
    }
    state["wait"] = {"kind": "queue", "queue": qu}
    if wait_url:
        return ("fetch", (wait_url, state["queue"]["wait_method"], _wait_params(core, account, qu, sid, now)))
    return engine.WAITING


def _wait_params(core: Core, account: str, qu: str, sid: str, entered: float) -> list[tuple[str, str]]:
    """What a waitUrl request adds (names from compatible vendors' mirrors: unconfirmed)."""
    member = _members(core, account, qu).get(sid) or {}
    queue = _coll(core, account, "/Queues").get(qu) or {}
    return [
        ("QueueSid", qu),
        ("QueuePosition", str(member.get("position") or 1)),
        ("QueueTime", str(int(core.clock.now() - entered))),
        ("AvgQueueTime", str(queue.get("average_wait_time") or 0)),
        ("CurrentQueueSize", str(queue.get("current_size") or 1)),
    ]


def wait_document_ended(core: Core, sid: str, state: Run) -> list[After]:
    """A waitUrl document ran out: Twilio requests it again; here only when that pass took
    virtual time (else the caller waits in silence, so the clock cannot spin)."""
    queued = state["queue"]
    now = core.clock.now()
    state["wait"] = {"kind": "queue", "queue": queued["queue"]}
    if not queued.get("wait_url") or now <= float(queued.get("pass_started") or now):
        return []
    queued["pass_started"] = now
    params = _wait_params(core, str(state["account"]), str(queued["queue"]), sid, float(queued["entered"]))
    return engine.proceed(core, sid, ("fetch", (queued["wait_url"], queued["wait_method"], params)))


def leave(core: Core, sid: str, state: Run) -> tuple[str, Any] | None:
    """``<Leave>`` in a waitUrl document: out of the queue, back to the document after the
    ``<Enqueue>`` (its action with ``QueueResult=leave``: that value unconfirmed)."""
    queued = state.pop("queue", None)
    if not queued:
        engine.step(core, sid, {"verb": "Leave", "queued": False})
        return None
    account = str(state["account"])
    leave_queue(core, account, str(queued["queue"]), sid)
    state.update(queued["main"])
    state["wait"] = None
    waited = int(core.clock.now() - float(queued["entered"]))
    engine.step(core, sid, {"verb": "Leave", "queued": True, "queue_sid": queued["queue"], "waited": waited})
    return _enqueue_done(queued["spec"], "leave", str(queued["queue"]), waited)


def _enqueue_done(
    spec: dict[str, Any], result: str, qu: str | None, waited: int | None
) -> tuple[str, Any] | None:
    if not spec.get("action"):
        return None  # the next verb runs (ref §17.8)
    extra = [("QueueResult", result)]
    if qu is not None:
        extra += [("QueueSid", qu), ("QueueTime", str(waited or 0))]
    return ("fetch", (spec["action"], spec["method"], extra))


def leave_queue(core: Core, account: str, qu: str, sid: str) -> None:
    _members(core, account, qu).remove(sid)
    _resize(core, account, qu)


def dial_queue(core: Core, sid: str, state: Run, name: str, spec: dict[str, Any]) -> tuple[str, Any] | None:
    """Bridge the caller with the member at the front of queue ``name``."""
    from twilio_mock.behaviours import call_dial

    account = str(state["account"])
    queue = _queue(core, account, name, create=False)
    members = (
        sorted(
            _members(core, account, str(queue["sid"])).records(), key=lambda m: int(m.get("position") or 0)
        )
        if queue
        else []
    )
    if not members:  # an empty queue: the Dial ends unanswered (unconfirmed)
        engine.step(core, sid, {"verb": "Dial", "queue": name, "status": "no-answer"})
        return call_dial.dial_done(core, sid, state, spec, "no-answer", None, 0)
    assert queue is not None
    qu = str(queue["sid"])
    front = str(members[0]["call_sid"])
    leave_queue(core, account, qu, front)
    member_run = engine._voice(core).runs.get(front)
    now = core.clock.now()
    if member_run is not None:
        old = member_run.pop("queue", None) or {}
        if old.get("main"):  # out of its waitUrl document, back to its own
            member_run.update(old["main"])
        member_run["gen"] = int(member_run["gen"]) + 1  # the wait document's events are void
        member_run["wait"] = {
            "kind": "bridged",
            "queue": qu,
            "spec": old.get("spec") or {},
            "entered": old.get("entered", now),
            "partner": sid,
        }
    state["wait"] = {
        "kind": "dial",
        "spec": spec,
        "children": [],
        "winner": front,
        "to": [name],
        "partner": front,
        "queue": qu,
        "bridged_at": now,
    }
    engine.step(
        core, sid, {"verb": "Dial", "queue": name, "queue_sid": qu, "call_sid": front, "status": "bridged"}
    )
    engine.resume(core, sid, now + engine._voice(core).delays["talk"], "bridge-end")
    return engine.WAITING


def bridge_end(core: Core, sid: str, state: Run, event: dict[str, Any]) -> list[After]:
    """The bridge of a ``<Dial><Queue>`` ends: both calls go on with their documents."""
    from twilio_mock.behaviours import call_dial

    wait = state.get("wait") or {}
    member = str(wait.get("partner") or "")
    duration = int(core.clock.now() - float(wait.get("bridged_at") or core.clock.now()))
    afters: list[After] = []
    member_run = engine._voice(core).runs.get(member)
    member_wait = (member_run or {}).get("wait") or {}
    if member_run is not None and member_wait.get("kind") == "bridged":
        waited = int(float(wait.get("bridged_at") or 0) - float(member_wait.get("entered") or 0))
        engine.step(core, member, {"verb": "Enqueue", "result": "bridged", "queue_sid": member_wait["queue"]})
        outcome = _enqueue_done(member_wait["spec"], "bridged", str(member_wait["queue"]), waited)
        afters += engine.proceed(core, member, outcome)
    engine.step(
        core,
        sid,
        {
            "verb": "Dial",
            "to": wait.get("to"),
            "status": "completed",
            "call_sid": member,
            "duration": duration,
        },
    )
    return afters + engine.proceed(
        core, sid, call_dial.dial_done(core, sid, state, wait["spec"], "completed", member, duration)
    )


# Recordings --------------------------------------------------------------------------------
def recording(
    core: Core, account: str, sid: str, duration: int, started: float, spec: dict[str, Any]
) -> tuple[str, list[After]]:
    """A ``<Record>``'s (or a recorded ``<Dial>``'s) Recording, stored under the account and the
    call; its status callback."""
    now = int(core.clock.now())
    re_sid = core.minter.sid("RE")
    record = {
        "sid": re_sid,
        "call_sid": sid,
        "conference_sid": None,
        "status": "completed",
        "duration": str(duration),
        "channels": 1,
        "source": str(spec.get("source") or "RecordVerb"),
        "track": "both",
        "start_time": int(started),
        "price": None,
        "price_unit": data.PRICE_UNIT,
        "error_code": None,
        "api_version": "2010-04-01",
        "date_created": int(started),
        "date_updated": now,
    }
    _coll(core, account, "/Recordings").put(re_sid, record)
    _coll(core, account, f"/Calls/{sid}/Recordings", {"call_sid": sid}).put(re_sid, record)
    target = spec.get("callback")
    owner = accounts_of(core).get(account)
    if not target or owner is None:
        return re_sid, []
    url = f"{engine.API_BASE}{BASE.format(a=account)}/Recordings/{re_sid}"
    params = [
        ("AccountSid", account),
        ("CallSid", sid),
        ("RecordingSid", re_sid),
        ("RecordingUrl", url),
        ("RecordingStatus", "completed"),
        ("RecordingDuration", str(duration)),
        ("RecordingChannels", "1"),
        ("RecordingSource", str(spec.get("source") or "RecordVerb")),
    ]
    token, hooks, method = (
        str(owner["auth_token"]),
        webhooks_of(core),
        str(spec.get("callbackMethod") or "POST"),
    )
    full = engine.action_url(engine._voice(core).runs.get(sid) or {}, target)

    def deliver() -> None:
        hooks.deliver(full, params, token, account_sid=account, method=method, event="call.recording")

    return re_sid, [deliver]


def member_left(core: Core, account: str, sid: str, wait: dict[str, Any]) -> list[After]:
    """A bridged queue member hung up: the dialer's ``<Dial>`` ends."""
    partner = str(wait.get("partner") or "")
    run = engine._voice(core).runs.get(partner)
    if run is None or (run.get("wait") or {}).get("kind") != "dial":
        return []
    run["gen"] = int(run["gen"]) + 1
    return bridge_end(core, partner, run, {})
