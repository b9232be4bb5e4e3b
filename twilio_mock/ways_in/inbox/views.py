"""What each view of the inbox shows, read from one backend as plain dicts for the templates.

Every view reads one page: records are taken newest first and only as many as the page holds
(the journal and the webhook log are bounded deques read from their newest end). Reads happen
under the backend's lock, so a threaded server writing meanwhile cannot tear a page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import messaging_data, segments, voice_data
from twilio_mock.ways_in.inbox.threads import Thread, ThreadIndex

if TYPE_CHECKING:
    from twilio_mock.backend import Backend
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
PAGE = 20


def when(seconds: Any) -> str:
    """An epoch second on the virtual clock, as UTC text."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return ""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(value))


def safe_url(url: Any) -> str | None:
    """``url`` when a page may link to it (http or https), else ``None``."""
    text = str(url or "")
    return text if text.lower().startswith(("http://", "https://")) else None


def _collection(backend: Backend, account: str, name: str) -> Collection | None:
    return backend.store.get((account, "api", "v2010", f"/2010-04-01/Accounts/{account}/{name}"))


def newest(coll: Collection | None, offset: int, size: int) -> list[Record]:
    """A page of a collection, newest first: one lookup per record shown."""
    if coll is None:
        return []
    order = coll.order
    out = []
    for i in range(len(order) - 1 - offset, max(len(order) - 1 - offset - size, -1), -1):
        out.append(coll.at(order[i]))
    return out


# Accounts and numbers --------------------------------------------------------------------
def accounts(backend: Backend) -> list[dict[str, str]]:
    """The main account first, then its subaccounts."""
    main = backend.account_sid
    rows = []
    for record in backend.accounts.collection.records():
        sid = str(record.get("sid"))
        rows.append({"sid": sid, "name": str(record.get("friendly_name") or sid), "main": str(sid == main)})
    rows.sort(key=lambda r: (r["sid"] != main, r["sid"]))
    return rows


def numbers(backend: Backend, account: str) -> list[str]:
    coll = _collection(backend, account, "IncomingPhoneNumbers")
    return [str(r.get("phone_number")) for r in coll.records()] if coll is not None else []


# Messages --------------------------------------------------------------------------------
def message(backend: Backend, account: str, record: Record) -> dict[str, Any]:
    """One message as the page shows it."""
    body = str(record.get("body") or "")
    sid = str(record.get("sid") or "")
    code = record.get("error_code")
    meaning = messaging_data.ERRORS.get(int(str(code)), (0, "", ""))[1] if _is_int(code) else ""
    steps = backend.messaging.history.of(sid)
    if not steps:  # restored, or never moved: what the record's dates say
        steps = [(str(record.get("status") or ""), float(record.get("date_created") or 0))]
    forced = sorted({c for c in body if c not in segments.GSM_ALL})
    return {
        "sid": sid,
        "direction": str(record.get("direction") or "outbound-api"),
        "inbound": record.get("direction") == "inbound",
        "from": str(record.get("from") or ""),
        "to": str(record.get("to") or ""),
        "body": body,
        "status": str(record.get("status") or ""),
        "history": [{"status": s, "time": when(t)} for s, t in steps],
        "segments": segments.count(body),
        "encoding": segments.encoding(body),
        "forced": [f"{c} (U+{ord(c):04X})" for c in forced[:12]],
        "price": record.get("price"),
        "price_unit": str(record.get("price_unit") or "USD"),
        "error_code": code,
        "error_meaning": meaning,
        "service": str(record.get("messaging_service_sid") or ""),
        "created": when(record.get("date_created")),
        "media": _media(backend, account, sid, record),
    }


def _is_int(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def _media(backend: Backend, account: str, sid: str, record: Record) -> list[dict[str, Any]]:
    urls = [str(u) for u in record.get("media_url") or []]
    if not urls and str(record.get("num_media") or "0") != "0":
        coll = _collection(backend, account, f"Messages/{sid}/Media")
        urls = [str(r.get("source_url") or "") for r in coll.records()] if coll is not None else []
    return [{"url": url, "href": safe_url(url)} for url in urls]


class Inboxes:
    """The thread indexes of every account's messages, kept between renders."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[int, str], ThreadIndex] = {}

    def index(self, backend: Backend, account: str) -> ThreadIndex:
        key = (id(backend), account)
        found = self._indexes.get(key)
        if found is None:
            if len(self._indexes) > 64:  # backends swapped many times: forget the old ones
                self._indexes.clear()
            found = self._indexes[key] = ThreadIndex()
        found.refresh(_collection(backend, account, "Messages"))
        return found


def threads(
    backend: Backend, inboxes: Inboxes, account: str, page: int, chosen: str | None
) -> dict[str, Any]:
    """A page of threads (each with its latest message) and the chosen thread's messages."""
    with backend._lock:
        index = inboxes.index(backend, account)
        rows = []
        picked: Thread | None = None
        for thread in index.newest(page * PAGE, PAGE):
            latest = index.latest(thread)
            rows.append(
                {
                    "ident": thread.ident,
                    "ours": thread.ours,
                    "theirs": thread.theirs,
                    "service": thread.service,
                    "count": len(thread.positions),
                    "latest": message(backend, account, latest) if latest is not None else None,
                }
            )
        if chosen:
            picked = index.threads.get(chosen)
        if picked is None and rows and not chosen:
            picked = index.threads.get(str(rows[0]["ident"]))
        shown = [message(backend, account, r) for r in index.records(picked, 0, 50)] if picked else []
        return {
            "threads": rows,
            "total": len(index),
            "page": page,
            "more": (page + 1) * PAGE < len(index),
            "thread": picked.ident if picked else None,
            "messages": shown,
        }


# Calls -----------------------------------------------------------------------------------
def calls(backend: Backend, account: str, page: int) -> dict[str, Any]:
    with backend._lock:
        coll = _collection(backend, account, "Calls")
        total = len(coll) if coll is not None else 0
        rows = [call(backend, r) for r in newest(coll, page * PAGE, PAGE)]
    return {"calls": rows, "total": total, "page": page, "more": (page + 1) * PAGE < total}


def call(backend: Backend, record: Record) -> dict[str, Any]:
    sid = str(record.get("sid") or "")
    steps = backend.voice.history.of(sid) or [
        (str(record.get("status") or ""), float(record.get("date_created") or 0))
    ]
    transcript = [_step(s) for s in backend.voice.transcripts.get(sid, [])]
    status = str(record.get("status") or "")
    return {
        "sid": sid,
        "from": str(record.get("from") or ""),
        "to": str(record.get("to") or ""),
        "direction": str(record.get("direction") or ""),
        "status": status,
        "live": status in ("queued", "ringing", "in-progress"),
        "parent": str(record.get("parent_call_sid") or ""),
        "duration": record.get("duration"),
        "history": [{"status": s, "time": when(t)} for s, t in steps],
        "transcript": transcript,
        "waiting": ((backend.voice.runs.get(sid) or {}).get("wait") or {}).get("kind") == "gather",
    }


_SHOWN = (
    "text",
    "in",
    "input",
    "digits",
    "speech",
    "result",
    "action",
    "to",
    "status",
    "call_sid",
    "duration",
    "recording_sid",
    "url",
    "code",
    "message",
    "conference",
    "queue",
    "by",
)


def _step(step: Record) -> dict[str, Any]:
    """One transcript step: its verb (or event) and the fields worth reading."""
    head = str(step.get("verb") or step.get("event") or "?")
    fields = []
    for name in _SHOWN:
        if name in step and step[name] not in (None, "", []):
            value = step[name]
            fields.append((name, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))
    if step.get("code") is not None and _is_int(step["code"]):
        meaning = voice_data.ERROR_TEXTS.get(int(step["code"]), "")
        if meaning and "message" not in step:
            fields.append(("meaning", str(meaning)))
    return {
        "kind": "verb" if "verb" in step else "event",
        "name": head,
        "time": when(step.get("time")),
        "fields": fields,
    }


# Webhooks, requests, Verify ----------------------------------------------------------------
def _from_newest(
    items: Any, lock: Any, keep: Callable[[Any], bool], offset: int, size: int
) -> tuple[list[Any], bool]:
    """A page of a deque, newest first, of the items ``keep`` accepts; and whether there are more."""
    out: list[Any] = []
    skipped = 0
    with lock:
        snapshot = items.copy() if len(items) <= size else None
        source: Iterable[Any] = reversed(snapshot) if snapshot is not None else _reversed(items)
        for item in source:
            if not keep(item):
                continue
            if skipped < offset:
                skipped += 1
                continue
            if len(out) == size:
                return out, True
            out.append(item)
    return out, False


def _reversed(items: Any) -> Iterator[Any]:
    for i in range(len(items) - 1, -1, -1):
        yield items[i]


def webhooks(backend: Backend, account: str, page: int, failed: bool = False) -> dict[str, Any]:
    hooks = backend.webhooks

    def keep(d: Any) -> bool:
        return bool(d.account_sid == account and (not failed or not d.ok or d.signature_valid is False))

    found, more = _from_newest(hooks._log, hooks._lock, keep, page * PAGE, PAGE)
    rows = [
        {
            "seq": d.seq,
            "time": when(d.time),
            "event": d.event,
            "method": d.method,
            "url": d.url,
            "params": list(d.params),
            "signature": d.headers.get("X-Twilio-Signature", ""),
            "signature_valid": d.signature_valid,
            "status": d.status,
            "ok": d.ok,
            "body": d.body,
            "latency_ms": round(d.latency_ms, 1),
            "error": d.error,
            "error_code": d.extra.get("error_code"),
        }
        for d in found
    ]
    return {"deliveries": rows, "page": page, "more": more, "failed": failed}


def requests(
    backend: Backend, account: str, page: int, method: str | None, path: str | None, status: int | None
) -> dict[str, Any]:
    journal = backend.journal

    def keep(e: Any) -> bool:
        return (
            (e.account_sid == account or (e.account_sid is None and account == backend.account_sid))
            and (method is None or e.method == method)
            and (path is None or path in e.path)
            and (status is None or e.status == status)
        )

    found, more = _from_newest(journal._entries, journal._lock, keep, page * PAGE, PAGE)
    rows = [
        {
            "seq": e.seq,
            "time": when(e.time),
            "method": e.method,
            "path": e.path,
            "query": list(e.query),
            "form": list(e.form)[:40],
            "status": e.status,
            "account": e.account_sid or "",
            "error": bool(e.error),
            "response": e.body[:2000].decode("utf-8", "replace"),
        }
        for e in found
    ]
    return {
        "entries": rows,
        "page": page,
        "more": more,
        "method": method or "",
        "path": path or "",
        "status": "" if status is None else str(status),
    }


def verify(backend: Backend, account: str) -> dict[str, Any]:
    pending = [dict(p) for p in backend.verify.pending() if p.get("account_sid") == account]
    for row in pending:
        row["expires"] = when(row.get("expires"))
    return {"verifications": pending[::-1]}


# Search ----------------------------------------------------------------------------------
LIMIT = 50


def search(backend: Backend, account: str, query: str) -> dict[str, Any]:
    """Messages, calls and webhooks whose number, body, SID, status or error code holds
    ``query`` (case-insensitive), newest first, at most ``LIMIT`` of each."""
    needle = query.strip().lower()
    if not needle:
        return {"q": query, "messages": [], "calls": [], "deliveries": []}

    def hit(record: Record, names: tuple[str, ...]) -> bool:
        return any(needle in str(record.get(n) if record.get(n) is not None else "").lower() for n in names)

    with backend._lock:
        found = _scan(
            _collection(backend, account, "Messages"),
            lambda r: hit(r, ("sid", "to", "from", "body", "status", "error_code", "messaging_service_sid")),
        )
        messages = [message(backend, account, r) for r in found]
        found = _scan(
            _collection(backend, account, "Calls"), lambda r: hit(r, ("sid", "to", "from", "status"))
        )
        calls_found = [call(backend, r) for r in found]

    def hook(d: Any) -> bool:
        text = " ".join([d.url, d.event, str(d.status), *(v for _k, v in d.params)]).lower()
        return bool(d.account_sid == account and needle in text)

    hooks = backend.webhooks
    deliveries, _more = _from_newest(hooks._log, hooks._lock, hook, 0, LIMIT)
    rows = [
        {"seq": d.seq, "time": when(d.time), "event": d.event, "url": d.url, "status": d.status, "ok": d.ok}
        for d in deliveries
    ]
    return {"q": query, "messages": messages, "calls": calls_found, "deliveries": rows}


def _scan(coll: Collection | None, test: Callable[[Record], bool]) -> list[Record]:
    if coll is None:
        return []
    out = []
    order = coll.order
    for i in range(len(order) - 1, -1, -1):
        record = coll.at(order[i])
        if test(record):
            out.append(record)
            if len(out) >= LIMIT:
                break
    return out
