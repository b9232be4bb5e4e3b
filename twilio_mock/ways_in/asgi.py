"""The mock as an ASGI app, for users who mount it in an ASGI server (uvicorn, hypercorn...).

Each request is read on the event loop (its body bounded to 16 MiB: 413 past that) and answered
by the same code as the WSGI app (:class:`~twilio_mock.ways_in.server.MockServerApp`) in a thread
pool, so a webhook the backend delivers to an app that calls the mock back never blocks the loop.
A scripted fault's ``delay`` is an ``asyncio.sleep``; ``timeout`` holds the answer back until the
client gives up or ``delay`` (else 30 s) passes. ASGI gives an app no way to reset a connection,
so ``reset`` (and a timeout held to its end) answers the core's stand-in, Twilio's 503 / 20503 JSON
naming the fault, and closes the connection. ``twilio-mock serve`` and ``serve_in_thread`` run the
WSGI app on werkzeug, which resets for real (benchmarks/README.md says why werkzeug).
"""

from __future__ import annotations

import asyncio
import io
import logging
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from twilio_mock.core.wire import MockResponse
from twilio_mock.ways_in.control import twilio_error
from twilio_mock.ways_in.server import MAX_BODY, MockServerApp, make_app
from twilio_mock.ways_in.serving import MAX_HOLD, TIMEOUT_HOLD

if TYPE_CHECKING:
    from twilio_mock.backend import Backend

__all__ = ["Answer", "MockASGIApp", "make_asgi_app"]

_log = logging.getLogger("twilio_mock.ways_in.server")
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Answer:
    """What the app answers one request: status, header pairs, body, and a scripted fault."""

    __slots__ = ("body", "delay", "fault", "headers", "status")

    def __init__(
        self,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        fault: str | None = None,
        delay: float = 0.0,
    ) -> None:
        self.status, self.headers, self.body, self.fault, self.delay = status, headers, body, fault, delay


def environ_of(scope: Scope, body: bytes) -> dict[str, Any]:
    """A WSGI environ for an ASGI HTTP scope and its whole body."""
    server = scope.get("server") or ("127.0.0.1", 80)
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(scope.get("path", "/"), safe="/:@!$&'()*+,;=~%")
    query = scope.get("query_string", b"").decode("latin-1")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.get("path", "/").encode("utf-8").decode("latin-1"),
        "RAW_URI": path + (f"?{query}" if query else ""),
        "QUERY_STRING": query,
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = str(client[0]), str(client[1])
    for name, value in scope.get("headers", ()):
        key = name.decode("latin-1").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = text
        elif key != "CONTENT_LENGTH":
            key = "HTTP_" + key
            environ[key] = f"{environ[key]},{text}" if key in environ else text
    return environ


def answer(app: MockServerApp, environ: dict[str, Any]) -> Answer:
    """Run one request through ``app`` (blocking: call it from a worker thread)."""
    try:
        result: Response | MockResponse = app.dispatch(environ)
    except HTTPException as exc:
        code = exc.code or 400
        result = twilio_error(code, 20000 + code if code < 500 else 20500, exc.name)
    except Exception:
        _log.exception("twilio-mock: unhandled error")
        result = twilio_error(500, 20500, "Internal Server Error")
    head = environ["REQUEST_METHOD"] == "HEAD"
    if isinstance(result, Response):
        body = b"" if head else result.get_data()
        return Answer(result.status_code, list(result.headers.items()), body)
    headers = [(k, v) for k, v in result.headers.items() if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(result.body))))
    return Answer(result.status, headers, b"" if head else result.body, result.fault, result.delay)


class MockASGIApp:
    """The ASGI callable over a :class:`MockServerApp` (``app.backend`` is the backend)."""

    def __init__(self, app: MockServerApp, workers: int = 32) -> None:
        self.app = app
        self.backend = app.backend
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="twilio-mock-asgi")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = await _read_body(receive)
        if body is None:
            reply = twilio_error(413, 20413, "Request Entity Too Large")
            result = Answer(413, [("Content-Type", "application/json")], reply.get_data())
        else:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(self._pool, answer, self.app, environ_of(scope, body))
        await self.respond(scope, send, result)

    async def respond(self, scope: Scope, send: Send, result: Answer) -> None:
        """Send ``result``, acting out its scripted fault first."""
        if result.fault == "timeout":
            await asyncio.sleep(min(result.delay or TIMEOUT_HOLD, MAX_HOLD))
        elif result.delay > 0:
            await asyncio.sleep(min(result.delay, MAX_HOLD))
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in result.headers]
        if result.fault is not None:  # the stand-in answer, then the connection closes
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": result.status, "headers": headers})
        await send({"type": "http.response.body", "body": result.body})

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or ``None`` past :data:`MAX_BODY`."""
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionResetError("client went away")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def make_asgi_app(backend: Backend | None = None, **backend_options: Any) -> MockASGIApp:
    """An ASGI app over ``backend`` (or a new ``Backend(**backend_options)``)."""
    return MockASGIApp(make_app(backend, **backend_options))
