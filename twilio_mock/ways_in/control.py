"""The server's control plane under ``/__mock__/``: health, credentials, reset, snapshot,
restore, clock, journal, messaging delivery rules, inbound SMS, the webhooks delivered, the
pending Verify codes, scripted faults and the concurrency limit.

It has no authentication (it is for the developer's own machine), so it refuses what a web
page open in the developer's browser could send: a ``Host`` that is not this server (DNS
rebinding) and a cross-origin request (``Origin`` of another site, ``Sec-Fetch-Site`` other
than ``same-origin``/``none``: CSRF). Both are 403 in Twilio's error shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request, Response

from twilio_mock.core.errors import MockError
from twilio_mock.core.snapshot import parse_snapshot

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

    from twilio_mock.backend import Backend
    from twilio_mock.webhooks.delivery import Delivery

__all__ = ["CONTROL_PREFIX", "INBOX_PREFIX", "ControlPlane", "journal_entries", "twilio_error"]

CONTROL_PREFIX = "/__mock__"
INBOX_PREFIX = "/__inbox__"  # the inbox page's views (twilio_mock.ways_in.inbox), same guard
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def twilio_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    payload = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return Response(json.dumps(payload), status, headers, content_type="application/json")


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, separators=(",", ":")), status, content_type="application/json")


def _bracketed(name: str) -> str:
    return f"[{name}]" if ":" in name and not name.startswith("[") else name


def served_hosts(environ: WSGIEnvironment, extra: Iterable[str] = ()) -> set[str]:
    """The ``Host`` values that address this server: loopback names, the bound address and
    ``extra`` names, with the served port (bare too on port 80).

    ``SERVER_NAME``/``SERVER_PORT`` come from the listening socket under werkzeug's server."""
    port = str(environ.get("SERVER_PORT") or "80")
    names = {*LOOPBACK_NAMES, *extra, str(environ.get("SERVER_NAME") or "")} - {""}
    names = {_bracketed(name.lower()) for name in names}
    hosts = {f"{name}:{port}" for name in names}
    return hosts | names if port == "80" else hosts


def refusal(environ: WSGIEnvironment, extra_hosts: Iterable[str] = ()) -> Response | None:
    """A 403 for a control-plane request that a foreign web page could have sent, else ``None``."""
    hosts = served_hosts(environ, extra_hosts)
    host = environ.get("HTTP_HOST")
    if host is not None and str(host).lower() not in hosts:  # no Host at all: not a browser
        return twilio_error(
            403, 20403, f"Host {str(host)[:100]!r} is not this server; the control plane refuses it"
        )
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None:
        own = {f"{scheme}://{name}" for name in hosts for scheme in ("http", "https")}
        if str(origin).lower() not in own:
            return twilio_error(
                403, 20403, f"Cross-origin request from {str(origin)[:100]!r} refused by the control plane"
            )
    site = str(environ.get("HTTP_SEC_FETCH_SITE") or "none").lower()
    if site not in ("same-origin", "none"):
        return twilio_error(403, 20403, f"A {site[:20]} request is refused by the control plane")
    return None


class _VoiceEndpoints:
    """The voice endpoints of the control plane (mixed into :class:`ControlPlane`)."""

    def _rule_book(
        self, label: str, key: str, owner: Callable[[], Any]
    ) -> dict[str, Callable[[Request], Response]]:
        """``GET`` / ``POST`` (a JSON object) / ``DELETE`` over a behaviour's rules: ``owner()`` has
        ``<key>`` (the list), ``add_<key[:-1]>(rule)`` (``ValueError`` when it is not one) and
        ``clear()``; messaging's delivery rules, voice's answer rules, Verify's limits."""
        one = key[:-1]

        def listed(request: Request) -> Response:
            return _json({key: getattr(owner(), key)})

        def added(request: Request) -> Response:
            try:
                rule = parse_snapshot(request.get_data(cache=False) or b"null")  # standard JSON, depth-safe
                made = getattr(owner(), f"add_{one}")(rule)
            except ValueError as exc:
                return twilio_error(400, 20001, f"Not a {label}: {exc}")
            return _json({one: made, key: getattr(owner(), key)}, 201)

        def cleared(request: Request) -> Response:
            owner().clear()
            return _json({key: []})

        return {"GET": listed, "POST": added, "DELETE": cleared}

    @property
    def backend(self) -> Backend:
        raise NotImplementedError

    def _inbound_call(self, request: Request) -> Response:
        """A call from ``From`` to ``To`` (one of an account's numbers), as form fields."""
        form = request.form
        sender, to = form.get("From") or "", form.get("To") or ""
        if not sender or not to:
            return twilio_error(400, 20001, "Give 'From' and 'To' as form fields")
        try:
            sid = self.backend.voice.inbound_call(sender, to)
        except (LookupError, MockError, ValueError) as exc:
            return _refused(exc)
        return _json({"sid": sid, "transcript": self.backend.voice.transcript(sid)}, 201)

    def _known_call(self, request: Request) -> str | Response:
        sid = str(request.environ.get("twilio_mock.call_sid") or "")
        from twilio_mock.behaviours.calls import owner_of_call

        with self.backend._lock:
            found = owner_of_call(self.backend, sid) if sid.startswith("CA") else None
        if found is None:
            return twilio_error(404, 20404, f"No call {sid[:64]!r}")
        return sid

    def _transcript(self, request: Request) -> Response:
        sid = self._known_call(request)
        if isinstance(sid, Response):
            return sid
        return _json({"sid": sid, "transcript": self.backend.voice.transcript(sid)})

    def _digits(self, request: Request) -> Response:
        """Caller input for the call's live or next ``<Gather>``: ``Digits`` or ``SpeechResult``
        (with ``Confidence``), as form fields or JSON."""
        sid = self._known_call(request)
        if isinstance(sid, Response):
            return sid
        form: dict[str, Any] = dict(request.form)
        if not form and request.get_data(cache=True).lstrip()[:1] == b"{":
            try:
                loaded = parse_snapshot(request.get_data(cache=False))
            except ValueError:
                loaded = {}
            form = dict(loaded) if isinstance(loaded, dict) else {}
        digits, speech = form.get("Digits"), form.get("SpeechResult")
        if bool(digits) == bool(speech):
            return twilio_error(400, 20001, "Give exactly one of 'Digits' or 'SpeechResult'")
        if digits:
            if not all(ch in "0123456789*#w" for ch in str(digits)):
                return twilio_error(400, 20001, "'Digits' may hold only 0-9, * and #")
            self.backend.voice.press(sid, str(digits))
        else:
            try:
                confidence = float(form.get("Confidence") or 0.9)
            except ValueError:
                return twilio_error(400, 20001, "'Confidence' must be a number")
            self.backend.voice.say(sid, str(speech), confidence)
        return _json({"sid": sid, "transcript": self.backend.voice.transcript(sid)})


class _FaultEndpoints:
    """``/__mock__/faults`` and ``/__mock__/limits`` (mixed into :class:`ControlPlane`)."""

    @property
    def backend(self) -> Backend:
        raise NotImplementedError

    def _faults(self, request: Request) -> Response:
        return _json({"faults": self.backend.faults.as_dicts()})

    def _add_fault(self, request: Request) -> Response:
        """A JSON object of ``Faults.add``'s fields; answers the fault with its ``id``."""
        try:
            spec = parse_snapshot(request.get_data(cache=False) or b"null")  # standard JSON, depth-safe
            fault = self.backend.faults.add_fault(spec)
        except ValueError as exc:
            return twilio_error(400, 20001, f"Not a fault: {exc}")
        return _json({"id": fault.id, "fault": fault.as_dict()}, 201)

    def _clear_faults(self, request: Request) -> Response:
        self.backend.faults.clear()
        return _json({"faults": []})

    def _fault(self, request: Request) -> Response:
        fault_id = str(request.environ.get("twilio_mock.fault_id") or "")
        fault = self.backend.faults.get(fault_id)
        if fault is None:
            return twilio_error(404, 20404, f"No fault {fault_id[:64]!r}")
        return _json(fault.as_dict())

    def _remove_fault(self, request: Request) -> Response:
        fault_id = str(request.environ.get("twilio_mock.fault_id") or "")
        try:
            fault = self.backend.faults.remove(fault_id)
        except KeyError:
            return twilio_error(404, 20404, f"No fault {fault_id[:64]!r}")
        return _json({"removed": fault.as_dict(), "faults": self.backend.faults.as_dicts()})

    def _limits(self, request: Request) -> Response:
        return _json({"limits": self.backend.limits.as_dicts()})

    def _set_limit(self, request: Request) -> Response:
        """``{"concurrency": N, "account_sid": "AC..." (optional), "retry_after": s (optional)}``;
        ``"concurrency": null`` lifts that account's limit."""
        try:
            spec = parse_snapshot(request.get_data(cache=False) or b"null")
            if not isinstance(spec, dict) or "concurrency" not in spec:
                raise ValueError("give a JSON object with 'concurrency' (and 'account_sid', 'retry_after')")
            unknown = sorted(set(spec) - {"concurrency", "account_sid", "retry_after"})
            if unknown:
                raise ValueError(f"unknown field(s) {unknown}")
            self.backend.limits.concurrency(
                spec["concurrency"], spec.get("account_sid"), spec.get("retry_after")
            )
        except ValueError as exc:
            return twilio_error(400, 20001, f"Not a limit: {exc}")
        return _json({"limits": self.backend.limits.as_dicts()}, 201)

    def _clear_limits(self, request: Request) -> Response:
        self.backend.limits.clear()
        return _json({"limits": []})


class ControlPlane(_VoiceEndpoints, _FaultEndpoints):
    """The ``/__mock__/`` endpoints over one backend (``app.backend`` may be swapped)."""

    def __init__(self, app: Any) -> None:
        self.app = app  # the MockServerApp: its backend is read per request
        self.changes = 0  # actions answered (what the inbox's live updates watch, beside the core)
        self.routes: dict[str, dict[str, Callable[[Request], Response]]] = {
            "/": {"GET": self._endpoints},
            "/health": {"GET": self._health},
            "/reset": {"POST": self._reset},
            "/snapshot": {"GET": self._snapshot},
            "/restore": {"POST": self._restore},
            "/clock": {"GET": self._clock},
            "/clock/advance": {"POST": self._advance},
            "/journal": {"GET": self._journal},
            "/credentials": {"GET": self._credentials},
            "/messaging/rules": self._rule_book("delivery rule", "rules", lambda: self.backend.messaging),
            "/inbound/sms": {"POST": self._inbound_sms},
            "/webhooks": {"GET": self._webhooks, "DELETE": self._clear_webhooks},
            "/voice/rules": self._rule_book("voice rule", "rules", lambda: self.backend.voice),
            "/inbound/call": {"POST": self._inbound_call},
            "/calls/{CallSid}/transcript": {"GET": self._transcript},
            "/calls/{CallSid}/digits": {"POST": self._digits},
            "/verify/codes": {"GET": self._verify_codes},
            "/verify/limits": self._rule_book("limit rule", "limits", lambda: self.backend.verify),
            "/faults": {"GET": self._faults, "POST": self._add_fault, "DELETE": self._clear_faults},
            "/faults/{FaultId}": {"GET": self._fault, "DELETE": self._remove_fault},
            "/limits": {"GET": self._limits, "POST": self._set_limit, "DELETE": self._clear_limits},
        }

    @property
    def backend(self) -> Backend:
        backend: Backend = self.app.backend
        return backend

    def __call__(self, request: Request, sub: str) -> Response:
        refused = refusal(request.environ, self.app.hosts)
        if refused is not None:
            return refused
        handlers = self.routes.get(sub.rstrip("/") or "/")
        parts = sub.strip("/").split("/")
        if handlers is None and len(parts) == 3 and parts[0] == "calls":  # /calls/{CallSid}/...
            handlers = self.routes.get(f"/calls/{{CallSid}}/{parts[2]}")
            request.environ["twilio_mock.call_sid"] = parts[1]
        if handlers is None and len(parts) == 2 and parts[0] == "faults":  # /faults/{FaultId}
            handlers = self.routes.get("/faults/{FaultId}")
            request.environ["twilio_mock.fault_id"] = parts[1]
        if handlers is None:
            names = ", ".join(sorted(self.routes))
            return twilio_error(404, 20404, f"Unknown control endpoint {sub!r}; known: {names}")
        method = request.method.upper()
        handler = handlers.get("GET" if method == "HEAD" else method)
        if handler is None:
            allow = ", ".join(handlers)
            return twilio_error(405, 20004, f"Method {method} not allowed here", {"Allow": allow})
        response = handler(request)
        if method not in ("GET", "HEAD"):
            self.backend.commit()  # durable state (--state): an action is answered once it is logged
            self.changes += 1
        return response

    def _endpoints(self, request: Request) -> Response:
        return _json({path: sorted(methods) for path, methods in self.routes.items() if path != "/"})

    def _health(self, request: Request) -> Response:
        return _json({"status": "ok", "account_sid": self.backend.account_sid})

    def _credentials(self, request: Request) -> Response:
        backend = self.backend
        return _json(
            {
                "account_sid": backend.account_sid,
                "auth_token": backend.auth_token,
                "phone_number": backend.phone_number,
                "test_account_sid": backend.test_account_sid,
                "test_auth_token": backend.test_auth_token,
            }
        )

    def _reset(self, request: Request) -> Response:
        self.backend.reset()
        return _json({"status": "reset"})

    def _snapshot(self, request: Request) -> Response:
        return _json(self.backend.snapshot())

    def _restore(self, request: Request) -> Response:
        try:
            self.backend.restore(parse_snapshot(request.get_data(cache=False) or b"null"))  # all or nothing
        except ValueError as exc:
            return twilio_error(400, 20001, f"Not a valid snapshot: {exc}")
        return _json({"status": "restored"})

    def _clock(self, request: Request) -> Response:
        clock = self.backend.clock
        return _json({"now": clock.now(), "frozen": bool(getattr(clock, "frozen", False))})

    def _advance(self, request: Request) -> Response:
        value: Any = request.args.get("seconds")
        if value is None:
            data = request.get_data(cache=False)
            if data.lstrip()[:1] == b"{":
                try:
                    value = parse_snapshot(data).get("seconds")  # standard JSON, depth-safe
                except (ValueError, AttributeError):
                    value = None
            else:
                value = dict(parse_qsl(data.decode("utf-8", "replace"))).get("seconds")
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            return twilio_error(
                400, 20001, "Give 'seconds' (a number) as JSON, form field or query parameter"
            )
        if not math.isfinite(seconds) or seconds < 0:
            return twilio_error(400, 20001, "'seconds' must be a finite number >= 0")
        try:
            now = self.backend.clock.advance(seconds)
        except ValueError as exc:
            return twilio_error(400, 20001, f"Cannot advance the clock by {seconds:g} s: {exc}")
        return _json({"now": now})

    def _inbound_sms(self, request: Request) -> Response:
        """An SMS from ``From`` to ``To`` (one of an account's numbers): form fields ``From``,
        ``To``, ``Body``, ``MediaUrl`` (repeated)."""
        form = request.form
        sender, to = form.get("From") or "", form.get("To") or ""
        if not sender or not to:
            return twilio_error(400, 20001, "Give 'From' and 'To' (and 'Body', 'MediaUrl') as form fields")
        try:
            result = self.backend.messaging.inbound_sms(
                sender,
                to,
                form.get("Body") or "",
                form.getlist("MediaUrl"),
                media_types=form.getlist("MediaContentType"),
            )
        except (LookupError, MockError, ValueError) as exc:
            return _refused(exc)
        deliveries = [
            {"url": d.url, "method": d.method, "status": d.status, "error": d.error, **d.extra}
            for d in result.deliveries
        ]
        payload: dict[str, Any] = {"sid": result.sid, "message": result.message, "deliveries": deliveries}
        payload["claimed"] = result.claimed  # the Conversation message it became, if any
        return _json({**payload, "replies": result.replies, "errors": result.errors})

    def _webhooks(self, request: Request) -> Response:
        """The deliveries, oldest first: ``?event=message.status&url=/status&status=200``,
        ``&limit=N`` for the last N."""
        numbers = _integers(request, "status", "limit")
        if isinstance(numbers, Response):
            return numbers
        found = self.backend.webhooks(
            event=request.args.get("event") or None,
            url_contains=request.args.get("url") or None,
            status=numbers["status"],
        )
        limit = numbers["limit"]
        if limit is not None:
            found = found[-limit:] if limit > 0 else []
        return _json({"deliveries": [delivery_json(d) for d in found]})

    def _clear_webhooks(self, request: Request) -> Response:
        self.backend.webhooks.clear()
        return _json({"deliveries": []})

    def _verify_codes(self, request: Request) -> Response:
        """The pending Verify verifications and their codes, oldest first (``?to=`` one
        recipient's: 404 when none is pending); ``code`` is the newest one's."""
        to = request.args.get("to") or None
        if to is not None and to.startswith(" "):  # an unencoded ``+`` in the query reads as a space
            to = "+" + to[1:]
        pending = self.backend.verify.pending(to)
        if to is not None and not pending:
            return twilio_error(404, 20404, f"No pending verification to {to[:100]!r}")
        return _json({"to": to, "code": pending[-1]["code"] if pending else None, "verifications": pending})

    def _journal(self, request: Request) -> Response:
        method = (request.args.get("method") or "").upper() or None
        path = request.args.get("path") or None
        numbers = _integers(request, "status", "limit")
        if isinstance(numbers, Response):
            return numbers
        journal = self.backend.journal
        entries = journal_entries(self.backend, method, path, numbers["status"])
        limit = numbers["limit"]
        if limit is not None:
            entries = entries[-limit:] if limit > 0 else []
        return _json({"entries": entries, "bytes": journal.bytes, "max_bytes": journal.max_bytes})


def _refused(exc: LookupError | MockError | ValueError) -> Response:
    """Twilio's error for a simulated inbound message or call that cannot happen: a number no
    account owns (404), what Twilio itself refuses, or bad input (400)."""
    if isinstance(exc, MockError):
        return twilio_error(exc.status, exc.code, exc.message)
    if isinstance(exc, LookupError):
        return twilio_error(404, 20404, str(exc))
    return twilio_error(400, 20001, str(exc))


def _integers(request: Request, *names: str) -> dict[str, int | None] | Response:
    """The query's integer arguments (``None`` when absent), or Twilio's 400 for one that is not."""
    numbers: dict[str, int | None] = {}
    for name in names:
        text = request.args.get(name) or None
        try:
            numbers[name] = None if text is None else int(text, 10)
        except ValueError:
            return twilio_error(400, 20001, f"{name!r} must be an integer")
    return numbers


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    """One webhook delivery as a JSON-ready dict."""
    return {
        "seq": delivery.seq,
        "time": delivery.time,
        "event": delivery.event,
        "account_sid": delivery.account_sid,
        "method": delivery.method,
        "url": delivery.url,
        "params": [list(pair) for pair in delivery.params],
        "headers": dict(delivery.headers),
        "status": delivery.status,
        "body": delivery.body,
        "latency_ms": delivery.latency_ms,
        "error": delivery.error,
        "signature_valid": delivery.signature_valid,
        "error_code": delivery.extra.get("error_code"),
        "fault": delivery.extra.get("fault"),
    }


def journal_entries(
    backend: Backend, method: str | None = None, path: str | None = None, status: int | None = None
) -> list[dict[str, Any]]:
    """The backend's journal as JSON-ready dicts, oldest first, filtered like ``Journal.find``.
    A truncated response is the text kept (``response_truncated``, ``response_size``)."""
    rows = []
    for entry in backend.journal.find(method=method, path_contains=path, status=status):
        try:
            response = entry.response()
        except ValueError:  # truncated, or not JSON
            response = entry.body.decode("utf-8", "replace")
        rows.append(
            {
                "seq": entry.seq,
                "time": entry.time,
                "method": entry.method,
                "url": entry.url,
                "path": entry.path,
                "query": [list(pair) for pair in entry.query],
                "form": [list(pair) for pair in entry.form],
                "status": entry.status,
                "account_sid": entry.account_sid,
                "error": entry.error,
                "response": response,
                "response_size": entry.body_size,
                "response_truncated": entry.body_truncated,
                "request_truncated": entry.request_truncated,
                "redacted": entry.redacted,
                "fault": entry.fault,
            }
        )
    return rows
