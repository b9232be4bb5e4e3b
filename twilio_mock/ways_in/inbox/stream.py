"""Live updates: Server-Sent Events telling open inbox pages that something changed.

A stream holds a server thread for as long as the page is open, so their number is capped
(:data:`MAX_STREAMS`; one more is refused with a 503). Each stream wakes every
:data:`POLL` seconds, compares a fingerprint of the backend (counters that every request,
delivery, scheduled event, new SID, clock move and control-plane action advance: O(1)) and
sends ``change`` when it moved; the page then fetches the one page it shows. Between events
it yields empty chunks, so the server (``serving.KeepAliveHandler``) can end it at once when
the client leaves or the server stops.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from twilio_mock.ways_in.serving import STREAM

__all__ = ["MAX_STREAMS", "STREAM", "Stream", "Streams"]

MAX_STREAMS = 8
POLL = 0.2  # seconds between looks at the fingerprint
HEARTBEAT = 15.0  # seconds of silence before a comment line keeps proxies from closing


class Streams:
    """The open streams, at most ``limit`` at once."""

    def __init__(self, limit: int = MAX_STREAMS) -> None:
        self.limit = limit
        self._open = 0
        self._lock = threading.Lock()
        self.stopped = threading.Event()  # set: every stream ends (an app that is done)

    @property
    def open(self) -> int:
        return self._open

    def take(self) -> bool:
        with self._lock:
            if self._open >= self.limit:
                return False
            self._open += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self._open -= 1


class Stream:
    """One client's event stream (a WSGI body): ``hello`` first, then ``change`` events."""

    def __init__(self, streams: Streams, fingerprint: Callable[[], Any], poll: float = POLL) -> None:
        self.streams, self.fingerprint, self.poll = streams, fingerprint, poll
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            last = self.fingerprint()
            changes = 0
            quiet_since = time.monotonic()
            yield b"retry: 2000\nevent: hello\ndata: {}\n\n"
            while not self._closed and not self.streams.stopped.wait(self.poll):
                now = self.fingerprint()
                if now != last:
                    last, changes = now, changes + 1
                    quiet_since = time.monotonic()
                    yield f"event: change\ndata: {json.dumps({'n': changes})}\n\n".encode()
                elif time.monotonic() - quiet_since > HEARTBEAT:
                    quiet_since = time.monotonic()
                    yield b": keep-alive\n\n"
                else:
                    yield b""  # lets the server look at the connection and at its own stop
        finally:
            self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.streams.give_back()
