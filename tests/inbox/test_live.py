"""Live updates over a real socket: Server-Sent Events when anything changes, a cap on open
streams, and a server that still stops at once with streams open."""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import signal
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from tests.inbox.helpers import CUSTOMER
from tests.ways_in.process import serve
from twilio_mock.backend import Backend
from twilio_mock.ways_in.serving import ServerThread, serve_in_thread


class Events:
    """A stream's events, read on a thread: ``next(timeout)`` is ``(event, data)`` or ``None``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
        self.connection.request("GET", parts.path, headers={"Accept": "text/event-stream"})
        self.socket = self.connection.sock
        self.response = self.connection.getresponse()
        self._queue: queue.Queue[tuple[str, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        event = data = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and event:
                    self._queue.put((event, data))
                    event = data = ""
        except (OSError, ValueError, http.client.HTTPException):  # closed under the reader
            pass
        self._queue.put(("closed", ""))

    def next(self, timeout: float = 3.0) -> tuple[str, str] | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        """Close as a browser tab does: the socket goes (the reader holds a file over it)."""
        with contextlib.suppress(OSError):
            self.socket.shutdown(socket.SHUT_RDWR)
        self.connection.close()


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with serve_in_thread(Backend(seed=1)) as running:
        yield running


def test_a_stream_says_hello_then_change_on_every_kind_of_change(server: ServerThread) -> None:
    events = Events(f"{server.url}/__inbox__/events")
    try:
        assert events.response.status == 200
        assert events.response.headers["Content-Type"].startswith("text/event-stream")
        assert events.next() == ("hello", "{}")
        assert events.next(timeout=0.6) is None  # nothing changed: nothing said
        form = {"From": CUSTOMER, "To": server.phone_number, "Body": "hi"}
        requests.post(f"{server.url}/__mock__/inbound/sms", data=form, timeout=5).raise_for_status()
        assert events.next() == ("change", json.dumps({"n": 1}))
        auth = (server.account_sid, server.auth_token)
        url = f"{server.url}/api/2010-04-01/Accounts/{server.account_sid}/Messages.json"
        requests.get(url, auth=auth, timeout=5).raise_for_status()  # a request: the journal moved
        assert events.next() == ("change", json.dumps({"n": 2}))
        server.backend.advance(5)  # the Python API, in this process
        assert events.next() == ("change", json.dumps({"n": 3}))
    finally:
        events.close()


def test_streams_are_capped_and_a_closed_one_frees_its_place(server: ServerThread) -> None:
    server.app.inbox.streams.limit = 2
    first, second = Events(f"{server.url}/__inbox__/events"), Events(f"{server.url}/__inbox__/events")
    try:
        assert first.next() == ("hello", "{}") and second.next() == ("hello", "{}")
        refused = requests.get(f"{server.url}/__inbox__/events", timeout=5)
        assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
        body = refused.json()
        assert body["code"] == 20503 and "Too many live inbox pages: 2 are open" in body["message"]
        first.close()
        deadline = time.monotonic() + 5
        while server.app.inbox.streams.open > 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.app.inbox.streams.open == 1  # the server saw the client go
        third = Events(f"{server.url}/__inbox__/events")
        assert third.next() == ("hello", "{}")
        third.close()
    finally:
        first.close()
        second.close()


def test_the_server_stops_at_once_with_streams_open() -> None:
    running = serve_in_thread(Backend(seed=1))
    streams = [Events(f"{running.url}/__inbox__/events") for _ in range(3)]
    for events in streams:
        assert events.next() == ("hello", "{}")
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 2.0
    for events in streams:
        assert events.next() == ("closed", "")


def test_twilio_mock_serve_stops_cleanly_with_a_stream_open() -> None:
    with serve("--quiet") as served:
        events = Events(f"{served.url}/__inbox__/events")
        assert events.next() == ("hello", "{}")
        started = time.monotonic()
        code, output = served.stop(signal.SIGTERM)
        assert code == 0 and "twilio-mock: stopped" in output, output
        assert time.monotonic() - started < 5.0
        assert "Inbox: " + served.url + "/ in a browser" in output
        assert events.next() == ("closed", "")
