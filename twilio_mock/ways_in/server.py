"""The third way in: a WSGI app (werkzeug) over one :class:`Backend`, for any language.

URL scheme: ``http://host:port/<product>/<path>`` where ``product`` is the first label of the
Twilio host (``api``, ``verify``, ``flex-api``...), so ``https://api.twilio.com/2010-04-01/...``
becomes ``http://127.0.0.1:4010/api/2010-04-01/...``. A request whose ``Host`` header is a
Twilio host is served as that host. Absolute URLs in responses point back at this server.

A control plane lives under ``/__mock__/`` (:mod:`twilio_mock.ways_in.control`); it only answers
requests addressed to this server. So does the inbox page (:mod:`twilio_mock.ways_in.inbox`): at
``/`` for a browser, under ``/__inbox__/``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import get_input_stream

from twilio_mock.core.faults import HEADER, parse_header
from twilio_mock.core.wire import MockRequest, MockResponse
from twilio_mock.ways_in.control import (
    CONTROL_PREFIX,
    INBOX_PREFIX,
    ControlPlane,
    journal_entries,
    twilio_error,
)
from twilio_mock.ways_in.serving import FRONT, MAX_HOLD

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from twilio_mock.backend import Backend
    from twilio_mock.ways_in.inbox import Inbox

__all__ = ["CONTROL_PREFIX", "MockServerApp", "journal_entries", "make_app"]

MAX_BODY = 16 * 1024 * 1024
_PRODUCT = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TWILIO_HOST = re.compile(r"^([a-z0-9][a-z0-9-]*)(?:\.[a-z0-9][a-z0-9-]*){0,2}\.twilio\.com$")
_log = logging.getLogger("twilio_mock.ways_in.server")


class _Request(Request):
    max_content_length = MAX_BODY
    max_form_memory_size = MAX_BODY


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

    def __init__(self, backend: Backend, hosts: Iterable[str] = ()) -> None:
        self.backend = backend
        # Names besides loopback and the bound address that the control plane accepts as Host.
        self.hosts = tuple(hosts)
        self.control = ControlPlane(self)
        self._inbox: Inbox | None = None

    @property
    def inbox(self) -> Inbox:
        """The inbox page's views and event streams (made on first use)."""
        if self._inbox is None:
            from twilio_mock.ways_in.inbox import Inbox

            self._inbox = Inbox(self)
        return self._inbox

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            answer = self.dispatch(environ)
        except HTTPException as exc:  # e.g. 413 body too large, raised while reading
            code = exc.code or 400
            answer = twilio_error(code, 20000 + code if code < 500 else 20500, exc.name)
        except Exception:
            _log.exception("twilio-mock: unhandled error")
            answer = twilio_error(500, 20500, "Internal Server Error")
        if isinstance(answer, Response):
            return answer(environ, start_response)
        if answer.fault is not None or answer.delay:
            answer = _act(answer, environ)
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
            return self.control(_Request(environ), path[len(CONTROL_PREFIX) :] or "/")
        if path == INBOX_PREFIX or path.startswith(INBOX_PREFIX + "/"):
            return self.inbox(_Request(environ), path[len(INBOX_PREFIX) :] or "/")
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
                    if "text/html" in str(environ.get("HTTP_ACCEPT") or ""):  # a browser: the inbox
                        return self.inbox(_Request(environ), "/")
                    return self._index(origin)
                return twilio_error(404, 20404, f"The requested resource {path} was not found")
            url = f"https://{product}.twilio.com/{rest}"
        query = environ.get("QUERY_STRING")
        if query:
            url += "?" + str(query)
        # What the client actually requested (signed as-is by PKCV clients).
        received = None if origin is None else f"{origin}{path}" + (f"?{query}" if query else "")
        try:
            body = get_input_stream(environ, safe_fallback=True, max_content_length=MAX_BODY).read()
        except OSError as exc:  # a broken chunked body
            return twilio_error(400, 20001, f"Unreadable request body: {exc}")
        header = environ.get("HTTP_TWILIO_MOCK_FAULT")
        fault = None
        if header is not None:
            try:
                fault = parse_header(str(header))
            except ValueError as exc:
                return twilio_error(400, 20001, f"Bad {HEADER} header: {exc}")
        request = MockRequest(method, url, _headers(environ), body, origin, received, served=True)
        return self.backend.handle(request, fault)

    def _index(self, origin: str) -> Response:
        return _json(
            {
                "service": "twilio-mock",
                "usage": f"{origin}/<product>/<path>, e.g. {origin}/api/2010-04-01/Accounts.json",
                "control": f"{origin}{CONTROL_PREFIX}/",
                "inbox": f"{origin}/",
            }
        )


def _act(answer: MockResponse, environ: WSGIEnvironment) -> MockResponse:
    """Hand a scripted fault and delay to the server front (:mod:`~twilio_mock.ways_in.serving`)
    that acts them out; under another WSGI server the app waits itself, and a reset or timeout
    is answered with the core's stand-in 503 (no WSGI server lets an app reset a connection)."""
    if environ.get(FRONT):
        environ["twilio_mock.fault"], environ["twilio_mock.delay"] = answer.fault, answer.delay
    elif answer.delay:
        time.sleep(min(answer.delay, MAX_HOLD))
    return answer


def make_app(backend: Backend | None = None, **backend_options: Any) -> MockServerApp:
    """A WSGI app over ``backend`` (or a new ``Backend(**backend_options)``)."""
    if backend is None:
        from twilio_mock.backend import Backend

        backend = Backend(**backend_options)
    return MockServerApp(backend)
