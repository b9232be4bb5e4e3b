"""What the fake saw, for tests to assert on: the messages sent, the calls made, the requests
received, and assertions that print all of it when they fail.

Mixed into the handles tests get (``twilio_mock.mock()``, the pytest fixtures). Records come
back as ``twilio_sdk`` instances, so attributes read as in the SDK (``to``, ``from_``,
``body``, ``status``, dates as ``datetime``); reading them sends no request and adds nothing
to the journal. Filters are attribute names: ``to="+1…"`` compares, ``body_contains="code"``
looks for a substring.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from twilio_mock.backend import Backend
    from twilio_mock.behaviours.inbound import InboundResult
    from twilio_mock.behaviours.messaging import Messaging
    from twilio_mock.behaviours.voice import Voice
    from twilio_mock.core.faults import Faults, Limits
    from twilio_mock.core.journal import Entry
    from twilio_mock.webhooks.delivery import Delivery, Webhooks
    from twilio_sdk._instance import Instance

MESSAGES = ("api", "v2010", "Accounts/{AccountSid}/Messages")
CALLS = ("api", "v2010", "Accounts/{AccountSid}/Calls")
VERIFICATIONS = ("verify", "v2", "Services/{ServiceSid}/Verifications")


class Inspection:
    """Queries and assertions over ``self.backend``."""

    backend: Backend
    _inspector: Any = None

    # Queries -------------------------------------------------------------------------
    def messages(self, **where: Any) -> list[Instance]:
        """Messages sent and received (every account's, oldest first), filtered by ``where``
        (``direction="inbound"``: the ones received)."""
        return _matching(self._records(MESSAGES), where, MESSAGES)

    def calls(self, **where: Any) -> list[Instance]:
        """Calls made (every account's, oldest first), filtered by ``where``."""
        return _matching(self._records(CALLS), where, CALLS)

    def requests(
        self,
        method: str | None = None,
        path_contains: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> list[Entry]:
        """Requests the fake received, oldest first (``params`` by wire name: ``To="+1…"``)."""
        found = self.backend.journal.find(method=method, path_contains=path_contains, status=status)
        return [e for e in found if all(str(v) in e.values(k) for k, v in params.items())]

    @property
    def webhooks(self) -> Webhooks:
        """Webhooks the fake delivered, oldest first, each with ``signature_valid`` (checked with
        ``twilio_sdk.webhooks.RequestValidator`` and the account's auth token). Call it to
        filter (``twilio.webhooks(MessageStatus="delivered")``); ``twilio.webhooks.route(base,
        app)`` delivers webhooks under ``base`` into a WSGI or ASGI app, in process."""
        found: Webhooks = self.backend.extensions["webhooks"]
        return found

    def advance(self, seconds: float) -> float:
        """Move the fake's clock forward, running what falls due (status changes, callbacks)."""
        return float(self.backend.advance(seconds))

    @property
    def faults(self) -> Faults:
        """The fake's scripted faults: ``faults.add(status=429, after=2, times=1)``,
        ``faults.clear()`` (:mod:`twilio_mock.core.faults`)."""
        return self.backend.faults

    @property
    def limits(self) -> Limits:
        """The fake's REST concurrency limit: ``limits.concurrency(2)``."""
        return self.backend.limits

    # Driving the behaviours ------------------------------------------------------------
    @property
    def phone_number(self) -> str:
        """The main account's own number (``+15017122661``), to send from."""
        return str(self.backend.phone_number)

    @property
    def messaging(self) -> Messaging:
        """Messaging settings and state: ``require_owned_sender``, ``delays``, ``throughput``,
        delivery ``rules``, ``opt_outs``."""
        return self.backend.messaging

    def inbound_sms(
        self, from_: str, to: str | None = None, body: str = "", media_urls: Iterable[str] = ()
    ) -> InboundResult:
        """An SMS (MMS with ``media_urls``) from ``from_`` to ``to`` (by default the account's
        :attr:`phone_number`): stored, posted to the number's ``SmsUrl`` and the TwiML the app
        answers carried out. Returns what it led to (``message``, ``deliveries``,
        ``replies``, ``errors``)."""
        return self.backend.messaging.inbound_sms(from_, to or self.phone_number, body, media_urls)

    def fail(
        self,
        to: str | None = None,
        *,
        from_: str | None = None,
        status: str = "undelivered",
        error_code: int | None = 30006,
        error_message: str | None = None,
    ) -> dict[str, Any]:
        """Make messages to ``to`` (anyone when ``None``) end ``status`` with ``error_code``
        instead of ``delivered``; the newest matching rule wins. Returns the rule."""
        return self.backend.messaging.fail(
            to, from_=from_, status=status, error_code=error_code, error_message=error_message
        )

    # Voice ----------------------------------------------------------------------------
    @property
    def voice(self) -> Voice:
        """Voice settings and state: answer rules (``answer``, ``busy``, ``no_answer``,
        ``machine``, ``fail``), ``delays``, ``require_owned_caller_id``."""
        return self.backend.voice

    def transcript(self, call_sid: str | None = None) -> list[dict[str, Any]]:
        """What happened on a call (by default the newest), step by step: the TwiML verbs it
        ran (``verb``), the documents it fetched and how it ended (``event``)."""
        return self.backend.voice.transcript(call_sid or self._newest_call())

    def press(self, digits: str, call: str | None = None) -> None:
        """The caller presses ``digits`` on ``call`` (a CA SID or a party's number; by default
        the newest call): the live ``<Gather>`` takes them, else the next one."""
        self.backend.voice.press(call or self._newest_call(), digits)

    def say(self, speech: str, call: str | None = None, confidence: float = 0.9) -> None:
        """The caller says ``speech`` to the live or next ``<Gather input="speech">``."""
        self.backend.voice.say(call or self._newest_call(), speech, confidence)

    def inbound_call(self, from_: str, to: str | None = None) -> Instance:
        """A call from ``from_`` to ``to`` (by default :attr:`phone_number`): it rings the
        number's ``VoiceUrl`` and runs the app's TwiML. Returns the call."""
        sid = self.backend.voice.inbound_call(from_, to or self.phone_number)
        return next(c for c in self.calls() if c.sid == sid)

    def assert_said(self, text: str, call: str | None = None) -> dict[str, Any]:
        """The call (by default the newest) said ``text`` (a ``<Say>`` containing it); returns
        the step. The failure prints the transcript."""
        sid = call or self._newest_call()
        steps = self.transcript(sid)
        found = [s for s in steps if s.get("verb") == "Say" and text in str(s.get("text"))]
        if not found:
            raise AssertionError(f"call {sid} did not say {text!r}\n{_transcript_text(sid, steps)}")
        return found[0]

    def assert_not_said(self, text: str, call: str | None = None) -> None:
        sid = call or self._newest_call()
        steps = self.transcript(sid)
        if any(s.get("verb") == "Say" and text in str(s.get("text")) for s in steps):
            raise AssertionError(f"call {sid} said {text!r}\n{_transcript_text(sid, steps)}")

    def assert_verb(self, verb: str, call: str | None = None, **where: Any) -> dict[str, Any]:
        """The call ran ``verb`` (``"Dial"``, ``"Record"``...) with the step fields ``where``;
        returns the first such step. The failure prints the transcript."""
        sid = call or self._newest_call()
        steps = self.transcript(sid)
        for item in steps:
            if item.get("verb") == verb and all(item.get(k) == v for k, v in where.items()):
                return item
        wanted = ", ".join(f"{k}={v!r}" for k, v in where.items())
        raise AssertionError(
            f"call {sid} ran no <{verb}> with {wanted or 'anything'}\n{_transcript_text(sid, steps)}"
        )

    def _newest_call(self) -> str:
        made = [c for c in self.calls() if not c.parent_call_sid]  # oldest first; not dialed legs
        if not made:
            raise AssertionError(f"no call was made\n{self.report()}")
        return str(made[-1].sid)

    # Verify ----------------------------------------------------------------------------
    def verifications(self, **where: Any) -> list[Instance]:
        """Verify verifications (every service's, oldest first), filtered by ``where``
        (``to="+1…"``, ``status="approved"``)."""
        return _matching(self._records(VERIFICATIONS), where, VERIFICATIONS)

    def verification_code(self, to: str) -> str:
        """The code Twilio sent to ``to`` for its newest pending verification (what the user
        would read off their phone or inbox); ``AssertionError`` listing what is pending when
        none is."""
        try:
            return self.backend.verify.code(to)
        except LookupError as exc:
            raise AssertionError(f"{exc}\n{self.report()}") from None

    # Assertions ----------------------------------------------------------------------
    def assert_delivered(self, count: int | None = None, **where: Any) -> list[Delivery]:
        """At least one webhook (exactly ``count``) matching ``where`` was delivered, validly
        signed; returns them."""
        found = self.webhooks(**where)
        if (count is None and not found) or (count is not None and len(found) != count):
            raise AssertionError(self._failure("a webhook", count, where, found))
        unsigned = [d for d in found if not d.signature_valid]
        if unsigned:
            raise AssertionError(
                f"webhooks with a bad signature: {[str(d) for d in unsigned]}\n{self.report()}"
            )
        return found

    def assert_not_delivered(self, **where: Any) -> None:
        found = self.webhooks(**where)
        if found:
            raise AssertionError(self._failure("no webhook", 0, where, found))

    def assert_sent(self, count: int | None = None, **where: Any) -> list[Instance]:
        """At least one message (exactly ``count``) matching ``where`` was sent; returns them.
        Received (inbound) messages count only when ``direction`` is given."""
        found = self._sent(where)
        if (count is None and not found) or (count is not None and len(found) != count):
            raise AssertionError(self._failure("a message", count, where, found))
        return found

    def assert_not_sent(self, **where: Any) -> None:
        found = self._sent(where)
        if found:
            raise AssertionError(self._failure("no message", 0, where, found))

    def _sent(self, where: dict[str, Any]) -> list[Instance]:
        found = self.messages(**where)
        return found if "direction" in where else [m for m in found if m.direction != "inbound"]

    def assert_called(self, count: int | None = None, **where: Any) -> list[Instance]:
        """At least one call (exactly ``count``) matching ``where`` was made; returns them."""
        found = self.calls(**where)
        if (count is None and not found) or (count is not None and len(found) != count):
            raise AssertionError(self._failure("a call", count, where, found))
        return found

    def assert_not_called(self, **where: Any) -> None:
        found = self.calls(**where)
        if found:
            raise AssertionError(self._failure("no call", 0, where, found))

    def report(self, limit: int = 50) -> str:
        """Everything sent, requested and delivered, one line each (what a failed assertion
        prints)."""
        sent, made, entries = self.messages(), self.calls(), list(self.backend.journal)
        hooks = list(self.backend.extensions.get("webhooks", ()))
        pending = self.verifications(status="pending")
        lines: list[str] = []
        for title, rows in (
            (f"messages sent and received ({len(sent)}):", [_line(m) for m in sent[-limit:]]),
            (f"calls made ({len(made)}):", [_line(c) for c in made[-limit:]]),
            (f"requests received ({len(entries)}):", [f"  {_request(e)}" for e in entries[-limit:]]),
            (f"webhooks delivered ({len(hooks)}):", [f"  {d}" for d in hooks[-limit:]]),
            (
                f"verifications pending ({len(pending)}):",
                [f"  {v.sid}  {v.channel} -> {v.to}  pending" for v in pending[-limit:]],
            ),
        ):
            lines += [title, *(rows or ["  (none)"])]
        return "\n".join(lines)

    def _failure(self, what: str, count: int | None, where: dict[str, Any], found: list[Any]) -> str:
        wanted = ", ".join(f"{k}={v!r}" for k, v in where.items()) or "anything"
        times = "" if count is None or what.startswith("no ") else f" {count} time(s)"
        head = f"expected {what}{times} with {wanted}; {len(found)} matched"
        return f"{head}\n{self.report()}"

    # Records -------------------------------------------------------------------------
    def _records(self, which: tuple[str, str, str]) -> list[Instance]:
        from twilio_mock.core import render
        from twilio_mock.core.router import encode_segment
        from twilio_sdk._instance import instance_class

        domain, version, template = which
        client = self._client()
        node = getattr(client, domain)
        api_version = getattr(node, version)
        vspec = api_version.spec
        res = vspec.resource(template)
        pattern = re.compile(
            "^"
            + re.escape(vspec.prefix)
            + "/"
            + re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(template))
            + "$"
        )
        rend = render.renderer(domain, version, template)
        make = instance_class(res)
        base = vspec.base_url
        out = []
        with self.backend._lock:  # a consistent view while a threaded server writes
            collections = [
                (path, coll)
                for (_account, dom, ver, path), coll in self.backend.store.collections.items()
                if dom == domain and ver == version and pattern.match(path)
            ]
            for path, coll in collections:
                url_path = "/".join(encode_segment(s) for s in path.split("/"))
                for record in coll.records():
                    ident = encode_segment(coll.ident(record))
                    data = rend.render(record, coll.parent, f"{url_path}/{ident}", base, coll.id_field)
                    rel = f"{url_path[len(vspec.prefix) :]}/{ident}"
                    out.append(make(api_version, res, data, rel))
        return out

    def _client(self) -> Any:
        if self._inspector is None:
            from twilio_mock.ways_in.transport import MockTransport
            from twilio_sdk import Client

            backend = self.backend
            self._inspector = Client(
                backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
            )
        return self._inspector


def _matching(records: list[Instance], where: dict[str, Any], which: tuple[str, str, str]) -> list[Instance]:
    if not where:
        return records
    tests: list[Callable[[Instance], bool]] = []
    names = set()
    for key, wanted in where.items():
        name, contains = (key[: -len("_contains")], True) if key.endswith("_contains") else (key, False)
        names.add(name)
        tests.append(_test(name, wanted, contains))
    _check_names(names, which)
    return [r for r in records if all(t(r) for t in tests)]


def _test(name: str, wanted: Any, contains: bool) -> Callable[[Instance], bool]:
    def test(record: Instance) -> bool:
        value = getattr(record, name)
        return str(wanted) in str(value or "") if contains else bool(value == wanted)

    return test


def _check_names(names: set[str], which: tuple[str, str, str]) -> None:
    from twilio_sdk import spec
    from twilio_sdk.naming import attr_name

    domain, version, template = which
    known = {attr_name(f) for f in spec.version_spec(domain, version).resource(template).fields}
    for name in names - known:
        near = difflib.get_close_matches(name, sorted(known), n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise TypeError(f"unknown field {name!r} to filter on{hint}")


def _line(record: Instance) -> str:
    data = record.to_dict()
    body = data.get("body")
    shown = f" {body!r}" if body is not None else ""
    return f"  {data.get('sid')}  {data.get('from')} -> {data.get('to')}  {data.get('status')}{shown}"


def _transcript_text(sid: str, steps: list[dict[str, Any]]) -> str:
    lines = [f"transcript of {sid} ({len(steps)} steps):"]
    for item in steps:
        head = f"<{item['verb']}>" if "verb" in item else f"[{item.get('event')}]"
        rest = ", ".join(f"{k}={v!r}" for k, v in item.items() if k not in ("verb", "event", "time"))
        lines.append(f"  {head} {rest}")
    return "\n".join(lines if steps else [*lines, "  (none)"])


def _request(entry: Entry) -> str:
    sent = ", ".join(f"{k}={v!r}" for k, v in entry.form[:8])
    return f"#{entry.seq} {entry.method} {entry.path} -> {entry.status}" + (f"  ({sent})" if sent else "")
