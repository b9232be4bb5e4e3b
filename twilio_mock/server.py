"""The third way in: a WSGI app (werkzeug) over one :class:`Backend`, for any language.

URL scheme: ``http://host:port/<product>/<path>`` where ``product`` is the first label of the
Twilio host (``api``, ``verify``, ``flex-api``...), so ``https://api.twilio.com/2010-04-01/...``
becomes ``http://127.0.0.1:4010/api/2010-04-01/...``. A request whose ``Host`` header is a
Twilio host is served as that host. Absolute URLs in responses point back at this server.

A control plane lives under ``/__mock__/``: ``GET health``, ``POST reset``, ``GET snapshot``,
``POST restore`` (JSON body), ``GET clock``, ``POST clock/advance`` (``seconds``), ``GET journal``
(``?method=&path=`` filters), ``GET credentials``.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_input_stream

from twilio_mock.wire import MockRequest, MockResponse

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from twilio_mock.backend import Backend

__all__ = ["CONTROL_PREFIX", "MockServerApp", "journal_entries", "make_app"]

CONTROL_PREFIX = "/__mock__"
MAX_BODY = 16 * 1024 * 1024
_PRODUCT = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TWILIO_HOST = re.compile(r"^([a-z0-9][a-z0-9-]*)(?:\.[a-z0-9][a-z0-9-]*){0,2}\.twilio\.com$")
_SNAPSHOT_KEYS = {"format", "clock", "sids", "auth", "collections"}
_log = logging.getLogger("twilio_mock.server")


class _Request(Request):
    max_content_length = MAX_BODY
    max_form_memory_size = MAX_BODY


def _twilio_error(status: int, code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    payload = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return Response(json.dumps(payload), status, headers, content_type="application/json")


def _json(payload: Any, status: int = 200) -> Response:
    return Response(json.dumps(payload, separators=(",", ":")), status, content_type="application/json")


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    """Request headers from the WSGI environ, named as clients send them."""
    out = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            out[key[5:].replace("_", "-").title()] = str(value)
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            out[key.replace("_", "-").title()] = str(value)
    return out


def _raw_path(environ: WSGIEnvironment) -> str:
    """The request path as the client sent it (percent-encoding kept)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if isinstance(raw, str) and raw:
        path = urlsplit(raw).path if "://" in raw[:12] else raw.split("?", 1)[0]
        if path.startswith("/"):
            return path
    info = environ.get("PATH_INFO") or "/"
    # WSGI hands PATH_INFO over as latin-1 decoded bytes; re-encode what the client sent.
    return quote(str(info).encode("latin-1", "replace"), safe="/:@!$&'()*+,;=~%")


class MockServerApp:
    """The WSGI callable. Never answers 500 for a hostile request: every failure in request
    handling is a 4xx in Twilio's error shape; a 500 (code 20500) means a bug in the core."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._routes: dict[str, dict[str, Callable[[Request], Response]]] = {
            "/": {"GET": self._endpoints},
            "/health": {"GET": self._health},
            "/reset": {"POST": self._reset},
            "/snapshot": {"GET": self._snapshot},
            "/restore": {"POST": self._restore},
            "/clock": {"GET": self._clock},
            "/clock/advance": {"POST": self._advance},
            "/journal": {"GET": self._journal},
            "/credentials": {"GET": self._credentials},
        }

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            answer = self.dispatch(environ)
        except HTTPException as exc:  # e.g. 413 body too large, raised while reading
            code = exc.code or 400
            answer = _twilio_error(code, 20000 + code if code < 500 else 20500, exc.name)
        except Exception:
            _log.exception("twilio-mock: unhandled error")
            answer = _twilio_error(500, 20500, "Internal Server Error")
        if isinstance(answer, Response):
            return answer(environ, start_response)
        # The hot path: write the core's answer straight out, no response object.
        body = answer.body
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        reason = HTTP_STATUS_CODES.get(answer.status, "Unknown")
        start_response(f"{answer.status} {reason}", headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    # Dispatch ---------------------------------------------------------------------
    def dispatch(self, environ: WSGIEnvironment) -> Response | MockResponse:
        """Route one request: the control plane, or the core as the Twilio host it names."""
        path = _raw_path(environ)
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self._control(_Request(environ), path[len(CONTROL_PREFIX) :] or "/")
        method = str(environ.get("REQUEST_METHOD") or "GET").upper()
        host_header = str(environ.get("HTTP_HOST") or "")
        twilio_host = _TWILIO_HOST.match(host_header.rsplit(":", 1)[0].lower()) if host_header else None
        if twilio_host:
            url, origin = f"https://{twilio_host[1]}.twilio.com{path}", None
        else:
            host = (
                host_header or f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
            )
            origin = f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
            product, _, rest = path[1:].partition("/")
            if not _PRODUCT.match(product):
                if path == "/" and method in ("GET", "HEAD"):
                    return self._index(origin)
                return _twilio_error(404, 20404, f"The requested resource {path} was not found")
            url = f"https://{product}.twilio.com/{rest}"
        query = environ.get("QUERY_STRING")
        if query:
            url += "?" + str(query)
        # What the client actually requested (signed as-is by PKCV clients).
        received = None if origin is None else f"{origin}{path}" + (f"?{query}" if query else "")
        try:
            body = get_input_stream(environ, safe_fallback=True, max_content_length=MAX_BODY).read()
        except OSError as exc:  # a broken chunked body
            return _twilio_error(400, 20001, f"Unreadable request body: {exc}")
        return self.backend.handle(MockRequest(method, url, _headers(environ), body, origin, received))

    def _index(self, origin: str) -> Response:
        return _json(
            {
                "service": "twilio-mock",
                "usage": f"{origin}/<product>/<path>, e.g. {origin}/api/2010-04-01/Accounts.json",
                "control": f"{origin}{CONTROL_PREFIX}/",
            }
        )

    # Control plane ----------------------------------------------------------------
    def _control(self, request: Request, sub: str) -> Response:
        handlers = self._routes.get(sub.rstrip("/") or "/")
        if handlers is None:
            names = ", ".join(sorted(self._routes))
            return _twilio_error(404, 20404, f"Unknown control endpoint {sub!r}; known: {names}")
        method = request.method.upper()
        handler = handlers.get("GET" if method == "HEAD" else method)
        if handler is None:
            allow = ", ".join(handlers)
            return _twilio_error(405, 20004, f"Method {method} not allowed here", {"Allow": allow})
        return handler(request)

    def _endpoints(self, request: Request) -> Response:
        return _json({path: sorted(methods) for path, methods in self._routes.items() if path != "/"})

    def _health(self, request: Request) -> Response:
        return _json({"status": "ok", "account_sid": self.backend.account_sid})

    def _credentials(self, request: Request) -> Response:
        backend = self.backend
        return _json(
            {
                "account_sid": backend.account_sid,
                "auth_token": backend.auth_token,
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
            state = json.loads(request.get_data(cache=False) or b"null")
        except (ValueError, UnicodeDecodeError) as exc:
            return _twilio_error(400, 20001, f"Body is not JSON: {exc}")
        if not isinstance(state, dict) or not _SNAPSHOT_KEYS & set(state):
            keys = ", ".join(sorted(_SNAPSHOT_KEYS))
            return _twilio_error(400, 20001, f"Body must be a snapshot: a JSON object with some of {keys}")
        try:
            self.backend.restore(state)  # all or nothing
        except ValueError as exc:
            return _twilio_error(400, 20001, f"Not a valid snapshot: {exc!r}")
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
                    value = json.loads(data).get("seconds")
                except (ValueError, UnicodeDecodeError, AttributeError):
                    value = None
            else:
                value = dict(parse_qsl(data.decode("utf-8", "replace"))).get("seconds")
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            return _twilio_error(
                400, 20001, "Give 'seconds' (a number) as JSON, form field or query parameter"
            )
        if not math.isfinite(seconds) or seconds < 0:
            return _twilio_error(400, 20001, "'seconds' must be a finite number >= 0")
        now = self.backend.clock.advance(seconds)
        return _json({"now": now})

    def _journal(self, request: Request) -> Response:
        method = (request.args.get("method") or "").upper() or None
        path = request.args.get("path") or None
        numbers: dict[str, int | None] = {}
        for name in ("status", "limit"):
            text = request.args.get(name) or None
            try:
                numbers[name] = None if text is None else int(text, 10)
            except ValueError:
                return _twilio_error(400, 20001, f"{name!r} must be an integer")
        entries = journal_entries(self.backend, method, path, numbers["status"])
        limit = numbers["limit"]
        if limit is not None:
            entries = entries[-limit:] if limit > 0 else []
        return _json({"entries": entries})


def journal_entries(
    backend: Backend, method: str | None = None, path: str | None = None, status: int | None = None
) -> list[dict[str, Any]]:
    """The backend's journal as JSON-ready dicts, oldest first, filtered like ``Journal.find``."""
    rows = []
    for entry in backend.journal.find(method=method, path_contains=path, status=status):
        try:
            response = entry.response()
        except ValueError:
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
            }
        )
    return rows


def make_app(backend: Backend | None = None, **backend_options: Any) -> MockServerApp:
    """A WSGI app over ``backend`` (or a new ``Backend(**backend_options)``)."""
    if backend is None:
        from twilio_mock.backend import Backend

        backend = Backend(**backend_options)
    return MockServerApp(backend)
