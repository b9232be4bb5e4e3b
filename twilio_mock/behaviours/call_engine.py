"""The TwiML engine of a call (reference/twilio-facts.md §17): fetch the document, run its verbs
top to bottom into the call's transcript, leave it where Twilio does.

A call's running state (``backend.voice.runs[sid]``: the document's text, its URL, the next verb,
what it waits for) is plain data, and every wait is a scheduler event (``call.twiml``), so
snapshots keep a call mid-document. Each document is one webhook delivery
(``Webhooks.deliver``, signed), made after the backend's lock is released; an answer that comes
back after the call moved on (hung up, redirected) is dropped. ``Say`` and ``Play`` take no
virtual time; ``Pause``, ``Gather`` timeouts, ``Dial`` legs and ``Record`` do. A document that
cannot be fetched or parsed is a debugger alert (monitor v1 Alerts) with Twilio's code; the
fallback URL is tried, else the caller hears the application error and the call ends.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from twilio_mock.behaviours import calls
from twilio_mock.behaviours import voice_data as data
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.behaviours.voice import Voice
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After
    from twilio_mock.webhooks.delivery import Delivery
    from twilio_sdk.twiml import Element

Record = dict[str, Any]
KIND = "call.twiml"
API_BASE = "https://api.twilio.com"
# What a verb's handler tells the run loop: go on (None), or one of these.
WAIT, END = "wait", "end"
WAITING: tuple[str, Any] = (WAIT, None)  # a verb waits for a scheduler event


def install(core: Core) -> None:
    core.scheduler.handler(KIND, _event)


def _voice(core: Core) -> Voice:
    return calls.voice_of(core)


def step(core: Core, sid: str, item: dict[str, Any]) -> None:
    """Append ``item`` to the call's transcript (with the virtual time)."""
    _voice(core).transcripts.setdefault(sid, []).append({**item, "time": int(core.clock.now())})


# Starting, stopping, redirecting ---------------------------------------------------------
def begin(core: Core, account: str, record: Record) -> list[After]:
    """The call is answered (or, inbound, rings): run its inline TwiML or fetch its URL."""
    sid = str(record["sid"])
    run = {"account": account, "doc": None, "url": "", "pos": 0, "gen": 1, "fetches": 0, "wait": None}
    _voice(core).runs[sid] = run
    if record.get("twiml") and not record.get("url"):
        return _load(core, sid, str(record["twiml"]), "")
    if not record.get("url"):
        step(core, sid, {"event": "error", "code": 11200, "message": "no Url to fetch TwiML from"})
        return calls.finish(core, account, record, "completed")
    return [_fetcher(core, sid, 1, str(record["url"]), str(record.get("method") or "POST"), [])]


def redirect(core: Core, account: str, record: Record) -> list[After]:
    """A live call's ``Url``/``Twiml`` was updated: what it was doing stops, the new TwiML runs."""
    sid = str(record["sid"])
    run = _voice(core).runs.get(sid)
    afters = _leave(core, account, sid, run) if run else []
    gen = (run["gen"] if run else 0) + 1
    new = {"account": account, "doc": None, "url": "", "pos": 0, "gen": gen, "fetches": 0, "wait": None}
    _voice(core).runs[sid] = new
    step(core, sid, {"event": "redirected", "url": record.get("url"), "twiml": record.get("twiml")})
    if record.get("twiml") and not record.get("url"):
        return afters + _load(core, sid, str(record["twiml"]), "")
    return afters + [_fetcher(core, sid, gen, str(record["url"]), str(record.get("method") or "POST"), [])]


def stop(core: Core, account: str, record: Record, by: str = "twiml") -> list[After]:
    """The call ended (``record`` as ended): its run, legs and rooms let go."""
    sid = str(record["sid"])
    run = _voice(core).runs.pop(sid, None)
    afters = _leave(core, account, sid, run, record) if run else []
    if run is not None or sid in _voice(core).transcripts:
        step(core, sid, {"event": "ended", "status": record.get("status"), "by": by})
    return afters


def _leave(
    core: Core, account: str, sid: str, run: dict[str, Any], ended: Record | None = None
) -> list[After]:
    """What the run was doing stops (``ended``: the call hung up, as that record)."""
    from twilio_mock.behaviours import call_recording, call_rooms  # they run on this module

    wait = run.get("wait") or {}
    run["wait"] = None
    run["gen"] = int(run["gen"]) + 1
    afters: list[After] = []
    if run.get("queue"):  # in a queue, its waitUrl document running or not
        call_rooms.leave_queue(core, account, str(run.pop("queue")["queue"]), sid)
    if wait.get("kind") == "dial":
        for child in wait.get("children") or []:
            found = calls.find(core, account, child)
            if found is not None and found.get("status") in ("queued", "ringing", "in-progress"):
                final = "completed" if found.get("status") == "in-progress" else "canceled"
                afters += calls.finish(core, account, found, final)
        partner = wait.get("partner")
        if partner:
            afters += _partner_gone(core, account, str(partner))
    elif wait.get("kind") == "conference":
        afters += call_rooms.leave_conference(core, account, str(wait["conference"]), sid)
    elif wait.get("kind") == "bridged":
        afters += call_rooms.member_left(core, account, sid, wait)
    elif wait.get("kind") == "record" and ended is not None:
        afters += call_recording.hung_up_recording(core, account, sid, run, wait, ended)
    return afters


# Fetching ---------------------------------------------------------------------------------
def _fetcher(
    core: Core,
    sid: str,
    gen: int,
    url: str,
    method: str,
    extra: list[tuple[str, str]],
    fallback: bool = False,
) -> After:
    """One TwiML request, made after the lock: one delivery, then the document runs."""

    def go() -> None:
        with core._lock:
            run = _voice(core).runs.get(sid)
            account = str(run["account"]) if run else ""
            record = calls.find(core, account, sid) if run else None
            if run is None or record is None or run["gen"] != gen:
                return
            run["fetches"] = int(run["fetches"]) + 1
            owner = accounts_of(core).get(account) or {}
            token = str(owner.get("auth_token") or "")
            params = calls.call_params(record) + extra
            if run["fetches"] > data.FETCH_LIMIT:
                step(core, sid, {"event": "error", "code": 11215, "message": "too many TwiML fetches"})
                stopped = calls.finish(core, account, record, "completed")
            else:
                stopped = None
        if stopped is not None:
            _run(stopped)
            return
        delivery = webhooks_of(core).deliver(
            url, params, token, account_sid=account, method=method, event="call.twiml"
        )
        with core._lock:
            afters = _arrived(core, sid, gen, delivery, url, method, fallback)
        _run(afters)

    return go


def _run(afters: list[After]) -> None:
    for thunk in afters:
        thunk()


def _arrived(
    core: Core, sid: str, gen: int, delivery: Delivery, url: str, method: str, fallback: bool
) -> list[After]:
    run = _voice(core).runs.get(sid)
    if run is None or run["gen"] != gen:
        return []
    account = str(run["account"])
    record = calls.find(core, account, sid)
    if record is None:
        return []
    step(core, sid, {"event": "fetch", "url": url, "method": method, "status": delivery.status})
    code = _problem(delivery)
    if code is None:
        return _load(core, sid, delivery.body, url)
    return _failed(core, account, sid, record, code, url, method, delivery.body, fallback)


def _problem(delivery: Delivery) -> int | None:
    """The code Twilio logs for this answer, or ``None`` when it is TwiML that parses."""
    if not delivery.ok:  # a timeout is 11205 (delivery's error_code), anything else 11200
        return int(delivery.extra.get("error_code") or data.TWIML_ERRORS["fetch"])
    if len(delivery.body.encode()) > data.MAX_BODY:
        return data.TWIML_ERRORS["too_large"]
    return _parse_code(delivery.body)


def _parse_code(text: str) -> int | None:
    from twilio_sdk.twiml import TwiMLError

    try:
        _parsed(text)
    except TwiMLError as exc:
        message = str(exc)
        if "unknown element" in message or "inside" in message:
            return data.TWIML_ERRORS["schema"]  # the parser refuses the whole document (12200)
        if "root" in message or "Response" in message:
            return data.TWIML_ERRORS["root"]
        return data.TWIML_ERRORS["parse"]
    return None


@lru_cache(maxsize=256)
def _parsed(text: str) -> Element:
    from twilio_sdk.twiml import parse

    if not text.strip():
        return parse("<Response/>", "voice")
    return parse(text, "voice")


def _failed(
    core: Core,
    account: str,
    sid: str,
    record: Record,
    code: int,
    url: str,
    method: str,
    body: str,
    fallback: bool,
) -> list[After]:
    alert(core, account, sid, code, url, method, body)
    step(core, sid, {"event": "error", "code": code, "message": data.ERROR_TEXTS.get(code, ""), "url": url})
    target = record.get("fallback_url")
    if target and not fallback:
        run = _voice(core).runs[sid]
        extra = [("ErrorCode", str(code)), ("ErrorUrl", url)]
        return [
            _fetcher(
                core, sid, run["gen"], str(target), str(record.get("fallback_method") or "POST"), extra, True
            )
        ]
    step(
        core,
        sid,
        {"verb": "Say", "text": data.APPLICATION_ERROR, "voice": "woman", "language": "en-US", "loop": 1},
    )
    return _end(core, account, record, "completed")


def alert(core: Core, account: str, sid: str, code: int, url: str, method: str, body: str) -> None:
    """A debugger alert (monitor v1 Alerts) for ``code`` on call ``sid``."""
    now = core.clock.seconds()
    alert_sid = core.minter.sid("NO")
    record = {
        "sid": alert_sid,
        "account_sid": account,
        "error_code": str(code),
        "log_level": "warning" if code == data.TWIML_ERRORS["schema"] else "error",
        "alert_text": f"{data.ERROR_TEXTS.get(code, 'Error')}: {url}",
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "request_method": method,
        "request_url": url,
        "resource_sid": sid,
        "response_body": body[:4096],
        "api_version": "2010-04-01",
        "date_created": now,
        "date_generated": now,
        "date_updated": now,
    }
    core.store.open((account, "monitor", "v1", "/v1/Alerts"), {"account_sid": account}, "sid").put(
        alert_sid, record
    )


def _load(core: Core, sid: str, text: str, url: str) -> list[After]:
    run = _voice(core).runs[sid]
    code = _parse_code(text)
    account = str(run["account"])
    record = calls.find(core, account, sid)
    if record is None:
        return []
    if code is not None:  # inline TwiML that does not parse
        return _failed(core, account, sid, record, code, url or "(inline Twiml)", "POST", text, True)
    run.update(doc=text, url=url, pos=0, wait=None)
    return _continue(core, sid)


# Running ---------------------------------------------------------------------------------
def _continue(core: Core, sid: str) -> list[After]:
    """Run verbs from the run's position until one waits, leaves the document or ends the call."""
    from twilio_mock.behaviours import call_verbs

    run = _voice(core).runs.get(sid)
    if run is None or run.get("doc") is None:
        return []
    account = str(run["account"])
    afters: list[After] = []
    while int(run["pos"]) < len(verbs := _parsed(str(run["doc"])).children):  # <Leave> swaps it
        record = calls.find(core, account, sid)
        if record is None or record.get("status") not in ("ringing", "in-progress"):
            return afters
        verb = verbs[int(run["pos"])]
        run["pos"] = int(run["pos"]) + 1
        if record.get("status") == "ringing" and verb.name != "Reject":
            afters += answer_inbound(core, account, record)
        outcome = call_verbs.run(core, sid, run, verb)
        voice = _voice(core)
        if voice.later:
            afters += voice.later
            voice.later = []
        if outcome is None:
            continue
        kind, value = outcome
        if kind == WAIT:
            return afters
        if kind == "fetch":
            target, method, extra = value
            return afters + [_fetcher(core, sid, int(run["gen"]), target, method, extra)]
        record = calls.find(core, account, sid) or record
        return afters + _end(core, account, record, str(value))
    record = calls.find(core, account, sid)
    if record is None:
        return afters
    if run.get("queue"):  # the end of a waitUrl document: the call stays in its queue
        from twilio_mock.behaviours import call_rooms

        return afters + call_rooms.wait_document_ended(core, sid, run)
    step(core, sid, {"event": "document-end"})
    return afters + _end(core, account, record, "completed")


def _end(core: Core, account: str, record: Record, status: str) -> list[After]:
    if record.get("status") not in ("ringing", "in-progress", "queued"):
        return []
    return calls.finish(core, account, record, status)


def answer_inbound(core: Core, account: str, record: Record) -> list[After]:
    """An inbound call is answered by its first verb (other than ``<Reject>``)."""
    now = int(core.clock.now())
    changed = {**record, "status": "in-progress", "start_time": now, "date_updated": now}
    calls.put(core, account, changed)
    thunk = calls.callback(core, account, changed, "answered")
    return [thunk] if thunk is not None else []


def resume(core: Core, sid: str, at: float, what: str, **extra: Any) -> None:
    """Continue the call's run at ``at`` (a ``call.twiml`` event of this run's generation)."""
    run = _voice(core).runs[sid]
    core.scheduler.at(at, KIND, {"sid": sid, "gen": run["gen"], "what": what, **extra})


def _event(core: Core, event: dict[str, Any]) -> list[After] | None:
    from twilio_mock.behaviours import call_verbs

    sid = str(event["sid"])
    run = _voice(core).runs.get(sid)
    if run is None or run["gen"] != event.get("gen"):
        return None
    what = str(event.get("what"))
    if what == "resume":
        run["wait"] = None
        return _continue(core, sid)
    return call_verbs.timed(core, sid, run, what, event)


def proceed(core: Core, sid: str, outcome: tuple[str, Any] | None) -> list[After]:
    """After a wait: what the verb that waited decided (go on, fetch, end)."""
    run = _voice(core).runs.get(sid)
    if run is None:
        return []
    run["wait"] = None
    if outcome is None:
        return _continue(core, sid)
    kind, value = outcome
    if kind == "fetch":
        target, method, extra = value
        return [_fetcher(core, sid, int(run["gen"]), target, method, extra)]
    if kind == WAIT:
        return []
    account = str(run["account"])
    record = calls.find(core, account, sid)
    return _end(core, account, record, str(value)) if record else []


def action_url(run: dict[str, Any], action: Any) -> str:
    """An action URL, relative to the current document's (the document's own when absent)."""
    base = str(run.get("url") or "")
    return urljoin(base, str(action)) if action else base


def _partner_gone(core: Core, account: str, partner: str) -> list[After]:
    """The other side of a bridge (a dialed queue member) hangs up with this call."""
    found = calls.find(core, account, partner)
    if found is None or found.get("status") != "in-progress":
        return []
    return calls.finish(core, account, found, "completed")


def input_arrived(core: Core, key: str) -> list[After]:
    """Caller input for ``key`` (a call SID or a number) was queued: a waiting Gather takes it."""
    from twilio_mock.behaviours import call_verbs

    voice = _voice(core)
    for sid, run in list(voice.runs.items()):
        wait = run.get("wait") or {}
        if wait.get("kind") != "gather":
            continue
        record = calls.find(core, str(run["account"]), sid)
        if record is None:
            continue
        if key == sid or key in (record.get("to"), record.get("from")):
            return call_verbs.gather_input(core, sid, run)
    return []
