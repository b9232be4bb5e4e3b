"""An append-only log of framed records with group commit: what durable state writes.

Each record is a frame: payload length and CRC-32 (4 bytes each, big-endian), then the payload.
:meth:`ChangeLog.append` only queues a frame (cheap: it runs under the backend's lock, which
fixes the order); :meth:`ChangeLog.wait` returns once that frame is on disk. The first waiter
becomes the flusher: it writes every queued frame with one ``write`` and one ``fdatasync``, and
whoever queued meanwhile waits for the next flush, so the requests in flight share each fsync.

:func:`read_frames` reads a log back; a torn or corrupt frame (a kill mid-write, a bad sector)
ends it: that frame and everything after are dropped.
"""

from __future__ import annotations

import os
import struct
import threading
import zlib
from pathlib import Path

__all__ = ["HEADER", "ChangeLog", "fsync_dir", "read_frames"]

HEADER = struct.Struct(">II")  # payload length, CRC-32 of the payload
MAX_FRAME = 1 << 30  # a longer length field is damage, not a record


def fsync_dir(path: Path) -> None:
    """Make a file's creation, rename or removal in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def frame(payload: bytes) -> bytes:
    return HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def read_frames(path: Path) -> tuple[list[bytes], int, int]:
    """``(payloads, good bytes, file bytes)``: the intact frames from the start of the file;
    ``good < file`` when a torn or corrupt tail was dropped. A missing file is empty."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], 0, 0
    payloads: list[bytes] = []
    at, end = 0, len(data)
    while at + HEADER.size <= end:
        length, crc = HEADER.unpack_from(data, at)
        start = at + HEADER.size
        if length > MAX_FRAME or start + length > end:
            break
        payload = data[start : start + length]
        if zlib.crc32(payload) != crc:
            break
        payloads.append(payload)
        at = start + length
    return payloads, at, end


class ChangeLog:
    """The log file, open for appending; ``sync`` is ``os.fdatasync`` (``os.fsync`` where the
    platform has no ``fdatasync``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        existed = path.exists()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(path, flags, 0o644)
        if not existed:
            fsync_dir(path.parent)
        self.size = os.fstat(self._fd).st_size
        self._lock = threading.Lock()
        self._flushed = threading.Condition(self._lock)
        self._queue: list[bytes] = []
        self._queued = 0  # number of the last frame queued
        self._durable = 0  # number of the last frame on disk
        self._flushing = False
        self._failure: OSError | None = None
        self.flushes = 0  # fsyncs so far (a measure of how well commits are grouped)
        self._sync = getattr(os, "fdatasync", os.fsync)

    def append(self, payload: bytes) -> int:
        """Queue a record; its ticket for :meth:`wait`."""
        data = frame(payload)
        with self._lock:
            self._queue.append(data)
            self._queued += 1
            self.size += len(data)
            return self._queued

    def pending(self) -> int | None:
        """The ticket of the last record not yet on disk, if any (a read waits for the writes
        it may have seen)."""
        with self._lock:
            return self._queued if self._queued > self._durable else None

    def wait(self, ticket: int) -> None:
        """Return once record ``ticket`` (and every one before it) is on disk; ``OSError`` when
        the disk refused (then every later wait fails too: the log's end is unknown)."""
        with self._lock:
            while self._durable < ticket:
                if self._failure is not None:
                    raise OSError(f"the state log cannot be written: {self._failure}") from self._failure
                if self._flushing:
                    self._flushed.wait()
                    continue
                batch, upto = self._queue, self._queued
                self._queue, self._flushing = [], True
                self._lock.release()
                failure = None
                try:
                    self._write(b"".join(batch))
                except OSError as exc:
                    failure = exc
                finally:
                    self._lock.acquire()
                    self._flushing = False
                    self.flushes += 1
                    if failure is None:
                        self._durable = upto
                    else:
                        self._failure = failure
                    self._flushed.notify_all()

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self._sync(self._fd)

    def flush(self) -> None:
        """Everything queued, on disk."""
        with self._lock:
            last = self._queued
        self.wait(last)

    def truncate(self) -> None:
        """Empty the log (after compaction: everything in it is in the snapshot file). The
        caller holds the backend's lock, so nothing is queued meanwhile."""
        self.flush()
        with self._lock:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)
            self.size = 0

    def close(self) -> None:
        os.close(self._fd)
