"""The inbox's HTTP side: the views under ``/__inbox__/`` (and ``/`` for a browser), their
static files and the event stream, behind the control plane's guard.

Pages are rendered on the server with Jinja2 (autoescaping every value: a message body of
``<script>`` is text) and a strict Content-Security-Policy (scripts only from this server, no
inline script). The page's actions post to the control plane (``/__mock__/``) itself, the
same endpoints tests use. Bad query parameters are Twilio-shaped 400s, as on the control plane.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from twilio_mock.ways_in.control import INBOX_PREFIX, refusal, twilio_error
from twilio_mock.ways_in.inbox import views
from twilio_mock.ways_in.inbox.stream import STREAM, Stream, Streams

if TYPE_CHECKING:
    from jinja2 import Environment

    from twilio_mock.backend import Backend


HERE = Path(__file__).parent
STATIC = {"inbox.js": "text/javascript; charset=utf-8", "inbox.css": "text/css; charset=utf-8"}
VIEWS = ("threads", "calls", "webhooks", "verify", "requests", "search")
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: http: https:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SAFE_HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
_templates: Environment | None = None


def templates() -> Environment:
    """The Jinja2 environment (imported on first use: importing the mock does not load it)."""
    global _templates
    if _templates is None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        _templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
    return _templates


class BadInput(ValueError):
    pass


class Inbox:
    """The inbox over ``app.backend`` (read per request: a restore may swap it)."""

    def __init__(self, app: Any, max_streams: int | None = None) -> None:
        self.app = app
        self.inboxes = views.Inboxes()
        self.streams = Streams(max_streams) if max_streams is not None else Streams()

    @property
    def backend(self) -> Backend:
        backend: Backend = self.app.backend
        return backend

    def __call__(self, request: Request, sub: str) -> Response:
        refused = refusal(request.environ, self.app.hosts)
        if refused is not None:
            return refused
        if request.method not in ("GET", "HEAD"):
            return twilio_error(
                405, 20004, f"Method {request.method} not allowed here", {"Allow": "GET, HEAD"}
            )
        name = sub.strip("/") or "threads"
        if name.startswith("static/") and name[7:] in STATIC:
            body = (HERE / "static" / name[7:]).read_bytes()
            return Response(
                body, 200, {**SAFE_HEADERS, "Cache-Control": "no-cache"}, content_type=STATIC[name[7:]]
            )
        if name == "events":
            return self._events(request)
        if name not in VIEWS:
            known = ", ".join(f"{INBOX_PREFIX}/{v}" for v in VIEWS)
            return twilio_error(404, 20404, f"Unknown inbox page {sub[:100]!r}; known: {known}")
        try:
            context = self._context(request, name)
        except BadInput as exc:
            return twilio_error(400, 20001, str(exc))
        template = "fragment.html" if request.args.get("fragment") == "1" else "page.html"
        html = templates().get_template(template).render(**context)
        return Response(html, 200, SAFE_HEADERS, content_type="text/html; charset=utf-8")

    def _context(self, request: Request, name: str) -> dict[str, Any]:
        backend = self.backend
        args = request.args
        accounts = views.accounts(backend)
        account = args.get("account") or backend.account_sid
        if account not in {a["sid"] for a in accounts}:
            raise BadInput(f"No account {account[:64]!r} on this mock")
        page = _number(args.get("page"), "page", 0) or 0
        context: dict[str, Any] = {
            "view": name,
            "views": VIEWS[:-1],
            "account": account,
            "accounts": accounts,
            "numbers": views.numbers(backend, account),
            "main_number": backend.phone_number,
            "now": views.when(backend.clock.now()),
            "frozen": bool(getattr(backend.clock, "frozen", False)),
            "prefix": INBOX_PREFIX,
            "q": args.get("q") or "",
        }
        if name == "threads":
            data = views.threads(backend, self.inboxes, account, page, args.get("thread") or None)
        elif name == "calls":
            data = views.calls(backend, account, page)
        elif name == "webhooks":
            data = views.webhooks(backend, account, page, failed=args.get("failed") == "1")
        elif name == "verify":
            data = views.verify(backend, account)
        elif name == "requests":
            method = (args.get("method") or "").upper() or None
            status = _number(args.get("status"), "status", 0)
            data = views.requests(backend, account, page, method, args.get("path") or None, status)
        else:
            data = views.search(backend, account, args.get("q") or "")
        context.update(data)
        return context

    def _events(self, request: Request) -> Response:
        if not self.streams.take():
            return twilio_error(
                503,
                20503,
                f"Too many live inbox pages: {self.streams.limit} are open already; close one and reload",
                {"Retry-After": "5"},
            )
        request.environ[STREAM] = True
        stream = Stream(self.streams, self.fingerprint)
        headers = {**SAFE_HEADERS, "X-Accel-Buffering": "no"}
        return Response(stream, 200, headers, content_type="text/event-stream", direct_passthrough=True)

    def fingerprint(self) -> tuple[Any, ...]:
        """Counters that move whenever anything the inbox shows may have changed."""
        backend = self.backend
        clock = backend.clock
        return (
            id(backend),
            backend.journal._seq,
            len(backend.journal),
            backend.webhooks._seq,
            len(backend.webhooks),
            backend.scheduler._order,
            len(backend.scheduler),
            backend.minter.counter,
            clock.now() if getattr(clock, "frozen", False) else None,
            getattr(self.app.control, "changes", 0),
        )


def _number(text: str | None, name: str, low: int) -> int | None:
    if text is None or text == "":
        return None
    try:
        value = int(text, 10)
    except ValueError:
        raise BadInput(f"{name!r} must be an integer") from None
    if value < low or value > 10**9:
        raise BadInput(f"{name!r} must be between {low} and 1000000000")
    return value
