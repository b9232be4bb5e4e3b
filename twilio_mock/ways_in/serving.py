"""Serving the mock over real HTTP: werkzeug's threaded server with a keep-alive handler.

werkzeug's own request handler closes every connection after one response, so each request
pays for a new TCP connection and a new thread. :class:`KeepAliveHandler` keeps HTTP/1.1
connections open: it bounds ``wsgi.input`` to ``Content-Length`` so the app can never read
into the next request, drains what the app left unread, and writes each response with a
single ``send``. Whatever ``http.server`` refuses (a bad request line, too many headers) is
answered in Twilio's JSON error shape too.

:class:`MockHTTPServer` can stop cleanly: :meth:`~MockHTTPServer.drain` refuses new requests,
waits for those in flight and closes the keep-alive connections, so that a state saved
afterwards holds every write that was acknowledged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import select
import socket
import struct
import threading
import time
from typing import Any

from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
from werkzeug.wsgi import LimitedStream

from twilio_mock.ways_in.inspection import Inspection

__all__ = ["KeepAliveHandler", "MockHTTPServer", "ServerThread", "make_http_server", "serve_in_thread"]

IDLE_TIMEOUT = 60.0  # seconds an idle keep-alive connection (and its thread) is kept
MAX_DRAIN = 16 * 1024 * 1024  # unread request bodies up to this size are drained, larger ones close
MAX_HEADER_BYTES = 64 * 1024  # all header lines together; http.server only bounds each line
TIMEOUT_HOLD = 30.0  # seconds a scripted timeout holds the connection when it gives no latency
MAX_HOLD = 300.0  # the longest a scripted timeout or latency keeps a connection (and its thread)
FRONT = "twilio_mock.front"  # environ key: this server acts out the app's faults and delays
STREAM = "twilio_mock.stream"  # environ key the app sets: write the body chunk by chunk (events)
_log = logging.getLogger("twilio_mock.ways_in.server")


def error_bytes(status: int, message: str) -> bytes:
    """Twilio's error body for an HTTP-level failure (code ``20000 + status``)."""
    code = 20000 + status
    payload = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return json.dumps(payload, separators=(",", ":")).encode()


class KeepAliveHandler(WSGIRequestHandler):
    """A ``WSGIRequestHandler`` that keeps HTTP/1.1 connections alive. Quiet: no access log."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True  # responses go out in one write; don't hold them back

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log_error(self, *args: Any) -> None:
        pass

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self._headers_too_big():
            self.send_error(431, "Request header fields too large")
            return False
        return True

    def handle_expect_100(self) -> bool:
        if self._headers_too_big():  # refuse before inviting the client to send its body
            self.send_error(431, "Request header fields too large")
            return False
        return bool(super().handle_expect_100())

    def _headers_too_big(self) -> bool:
        return sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADER_BYTES

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer what ``http.server`` refuses (414, 431, 400, 505...) in Twilio's JSON shape."""
        reason = self.responses.get(code, ("Error", ""))[0]
        text = message or reason
        if len(text) > 200:  # the message may quote a 64 kB request line
            text = text[:197] + "..."
        self.close_connection = True
        self._write(
            f"{code} {reason}", [("Content-Type", "application/json")], error_bytes(code, text), False
        )

    def run_wsgi(self) -> None:
        server = self.server if isinstance(self.server, MockHTTPServer) else None
        accepted = server.begin() if server is not None else True
        try:
            if accepted:
                self._answer(server)
            else:  # stopping: this request is not served, so it cannot be lost
                self.close_connection = True
                body = error_bytes(503, "The mock server is shutting down")
                self._write("503 Service Unavailable", [("Content-Type", "application/json")], body, False)
        finally:
            if server is not None:
                server.end()

    def _answer(self, server: MockHTTPServer | None) -> None:
        environ = self.environ = self.make_environ()
        environ[FRONT] = True
        chunked = bool(environ.get("wsgi.input_terminated"))
        length = _content_length(environ.get("CONTENT_LENGTH"))
        if not chunked:
            environ["wsgi.input"] = LimitedStream(self.rfile, length)  # type: ignore[arg-type]
        reply: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            reply[:] = [status, headers]
            return _no_write

        try:
            result = self.server.app(environ, start_response)
            if environ.get(STREAM) and reply:
                self._stream(reply[0], reply[1], result, server)
                return
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except (TimeoutError, ConnectionError):
            raise
        except Exception:
            _log.exception("twilio-mock: unhandled error in the WSGI app")
            reply[:] = ["500 Internal Server Error", [("Content-Type", "application/json")]]
            body = error_bytes(500, "Internal Server Error")
        status, headers = reply if reply else ("500 Internal Server Error", [])
        fault, delay = environ.get("twilio_mock.fault"), float(environ.get("twilio_mock.delay") or 0.0)
        if fault == "timeout":  # no answer: hold until the client gives up (or the hold ends)
            self._hold(min(delay or TIMEOUT_HOLD, MAX_HOLD), server)
            self.close_connection = True
            return
        if delay > 0:  # latency: a real wait, in this handler's thread, holding no lock
            self._hold(min(delay, MAX_HOLD), server, watch=False)
        if fault == "reset":
            self._reset(server)
            return

        keep = self._wants_keep_alive() and not chunked
        if server is not None and not server.acknowledging():
            # The state was saved while this request ran: what it changed may be missing there.
            status, keep = "503 Service Unavailable", False
            headers = [("Content-Type", "application/json")]
            body = error_bytes(503, "The mock server stopped before this request was saved")
        if keep:
            stream = environ["wsgi.input"]
            if length > MAX_DRAIN or (server is not None and server.closing):
                keep = False
            elif isinstance(stream, LimitedStream) and not stream.is_exhausted:
                try:
                    stream.exhaust()
                except (ClientDisconnected, OSError):  # the body was cut short: answer, then close
                    keep = False
        self.close_connection = not keep
        self._write(status, headers, body, keep)

    def _stream(
        self, status: str, headers: list[tuple[str, str]], result: Any, server: MockHTTPServer | None
    ) -> None:
        """Write a streamed body (Server-Sent Events) as its chunks come, until it ends, the
        client goes or the server stops; the connection then closes. The app yields empty chunks
        while it has nothing to say, so a stop is noticed within one of its polls."""
        self.close_connection = True
        lines = [f"{self.protocol_version} {status}"]
        lines += [f"{k}: {v}" for k, v in headers if k.lower() not in ("connection", "content-length")]
        lines += [f"Server: {self.version_string()}", f"Date: {self.date_time_string()}", "Connection: close"]
        try:
            self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace"))
            if self.command == "HEAD":
                return
            for chunk in result:
                if server is not None and server.closing:
                    return
                if chunk:
                    self.wfile.write(chunk)
                elif self._client_gone():
                    return
        except OSError:  # the client went away mid-write
            return
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    def _client_gone(self) -> bool:
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def _hold(self, seconds: float, server: MockHTTPServer | None, watch: bool = True) -> None:
        """Wait ``seconds`` (in short slices, so a stopping server is not held up); ``watch``:
        stop early when the client closes the connection."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0 and not (server is not None and server.closing):
            if not watch:
                time.sleep(min(left, 0.05))
                continue
            readable, _, _ = select.select([self.connection], [], [], min(left, 0.05))
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return  # the client closed: its timeout fired
                except OSError:
                    return
                time.sleep(min(left, 0.05))  # it sent more (pipelined): keep not answering

    def _reset(self, server: MockHTTPServer | None) -> None:
        """Drop the connection with a TCP reset (``SO_LINGER`` 0, no ``shutdown``): the client
        reads ``ECONNRESET``."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            if server is not None:
                server.abort(self.connection)

    def _write(self, status: str, headers: list[tuple[str, str]], body: bytes, keep: bool) -> None:
        lines = [f"{self.protocol_version} {status}"]
        for name, value in headers:
            if name.lower() not in ("connection", "content-length", "transfer-encoding", "keep-alive"):
                lines.append(f"{name}: {value}")
        lines.append(f"Server: {self.version_string()}")
        lines.append(f"Date: {self.date_time_string()}")
        lines.append(f"Content-Length: {len(body)}")
        lines.append("Connection: keep-alive" if keep else "Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        code = status.split(" ", 1)[0]
        no_body = self.command == "HEAD" or code in ("204", "304") or code.startswith("1")
        self.wfile.write(head if no_body else head + body)

    def _wants_keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in (self.headers.get("Connection") or "").split(",")}
        if self.request_version == "HTTP/1.1":
            return "close" not in tokens
        return "keep-alive" in tokens


def _no_write(data: bytes) -> None:
    raise RuntimeError("twilio-mock apps return their body; write() is not supported")


def _content_length(value: Any) -> int:
    try:
        length = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return max(length, 0)


class _BindError(Exception):
    """Carries a bind/listen ``OSError`` past werkzeug, which would print it and exit(1)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class MockHTTPServer(ThreadedWSGIServer):
    """werkzeug's threaded server that raises ``OSError`` when it cannot listen, tracks its
    connections and requests in flight, and can :meth:`drain` them before the state is saved."""

    def __init__(self, host: str, port: int, app: Any, handler: type[WSGIRequestHandler]) -> None:
        self._cond = threading.Condition()
        self._active = 0  # requests between begin() and end()
        self.closing = False  # no new request is served
        self._sealed = False  # no answer may acknowledge a write any more
        self._connections: set[socket.socket] = set()
        self._aborted: set[socket.socket] = set()
        try:
            super().__init__(host, port, app, handler=handler)
        except _BindError as exc:
            raise exc.error from None

    def server_bind(self) -> None:
        try:
            super().server_bind()
        except OSError as exc:
            raise _BindError(exc) from exc

    def server_activate(self) -> None:
        try:
            super().server_activate()
        except OSError as exc:
            raise _BindError(exc) from exc

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._cond:
            if not self.closing:
                self._connections.add(request)
        if self.closing:
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._cond:
            self._connections.discard(request)
            aborted = request in self._aborted
            self._aborted.discard(request)
        if aborted:  # a scripted reset: close at once, no FIN first, so the peer gets a RST
            self.close_request(request)
            return
        super().shutdown_request(request)

    def abort(self, request: Any) -> None:
        """Close ``request`` (a connection) with a reset when its handler is done."""
        with self._cond:
            self._aborted.add(request)

    def begin(self) -> bool:
        """A request starts; ``False`` when the server is stopping (refuse it)."""
        with self._cond:
            self._active += 1
            return not self.closing

    def acknowledging(self) -> bool:
        """Whether an answer may still go out as it is (the state has not been saved yet)."""
        with self._cond:
            return not self._sealed

    def end(self) -> None:
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def drain(self, timeout: float = 10.0) -> bool:
        """Refuse new requests, wait up to ``timeout`` for those in flight, then close every
        connection. ``False`` when some were still running: they will answer 503, not 2xx."""
        with self._cond:
            self.closing = True
            finished = self._cond.wait_for(lambda: self._active == 0, timeout)
            self._sealed = True
            connections = list(self._connections)
        for sock in connections:  # wakes the threads waiting for a next request on them
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        return finished


def make_http_server(
    app: Any, host: str = "127.0.0.1", port: int = 0, handler: type[WSGIRequestHandler] | None = None
) -> MockHTTPServer:
    """The threaded server for ``app`` with :class:`KeepAliveHandler` (port 0: any free port).
    Raises ``OSError`` when it cannot listen (port in use, bad address)."""
    return MockHTTPServer(host, port, app, handler or KeepAliveHandler)


class Ticker:
    """Runs a real-time backend's due events as time passes (a frozen clock only moves when
    advanced, and then runs them itself)."""

    def __init__(self, backend: Any, every: float = 0.2) -> None:
        self.backend = backend
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(every,), name="twilio-mock-ticker", daemon=True
        )
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            if not self.backend.clock.frozen and len(self.backend.scheduler):
                with contextlib.suppress(Exception):  # a failing event must not stop the clock
                    self.backend.run_due()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class ServerThread(Inspection):
    """The server running in a daemon thread: ``url``, ``host``, ``port``, ``stop()``; the
    backend behind it with its credentials and the ``TWILIO_*`` variables that point a client at
    it (``env``), and the queries and assertions of :class:`~twilio_mock.ways_in.inspection.Inspection`."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.server = make_http_server(app, host, port)
        self.host, self.port = host, self.server.server_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, args=(0.05,), name="twilio-mock", daemon=True
        )
        self._thread.start()
        self._ticker = Ticker(self.backend)

    @property
    def backend(self) -> Any:  # type: ignore[override]
        return self.app.backend

    @property
    def account_sid(self) -> str:
        return str(self.backend.account_sid)

    @property
    def auth_token(self) -> str:
        return str(self.backend.auth_token)

    @property
    def env(self) -> dict[str, str]:
        """``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN`` and ``TWILIO_API_BASE`` for this server."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "TWILIO_API_BASE": self.url,
        }

    def stop(self) -> None:
        """Stop accepting, let requests in flight finish, close every connection."""
        self._ticker.stop()
        self.server.shutdown()
        self.server.server_close()
        self.server.drain(timeout=5)
        self._thread.join(timeout=5)

    def __enter__(self) -> ServerThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_in_thread(backend: Any = None, host: str = "127.0.0.1", port: int = 0) -> ServerThread:
    """Start the mock server for ``backend`` (a new one if ``None``) in a background thread."""
    from twilio_mock.ways_in.server import make_app

    return ServerThread(make_app(backend), host, port)
