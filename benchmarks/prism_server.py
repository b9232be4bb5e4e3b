"""Prism (``@stoplight/prism-cli``), the peer of the mock server's throughput rows, started here.

``npm ci`` in ``benchmarks/prism/`` installs the pinned version. Prism mocks Twilio's own api
v2010 description, read at run time from ``../shared/twilio-oai/twilio_api_v2010.json`` beside
the project (never copied into it), static examples, no request validation errors, no log.
:func:`start` raises :class:`Unavailable` with the reason when node, the package or the file is
missing, or when Prism does not answer within :data:`START_TIMEOUT` seconds.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRISM_DIR = HERE / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
SPEC = HERE.parent.parent / "shared" / "twilio-oai" / "twilio_api_v2010.json"
# Prism's load time grows with the description (mock-anchors.md §3: Twilio's spec took an hour in
# dynamic mode in one report); in static mode it answers in seconds here. Bounded all the same.
START_TIMEOUT = 120.0


class Unavailable(RuntimeError):
    """Prism cannot be measured on this machine; the message says why."""


class Prism:
    """A running Prism: ``url`` (no trailing slash), ``pid`` (the node process), ``stop()``."""

    def __init__(self, proc: subprocess.Popen[bytes], port: int, started_in: float) -> None:
        self.proc, self.port, self.started_in = proc, port, started_in
        self.url = f"http://127.0.0.1:{port}"
        self.pid = proc.pid

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # node and anything it forked
        self.proc.wait(timeout=10)

    def __enter__(self) -> Prism:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def unavailable_reason(spec: Path = SPEC) -> str | None:
    """Why Prism cannot run here, or ``None``."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not PRISM_BIN.exists():
        return f"@stoplight/prism-cli is not installed (run: cd {PRISM_DIR} && npm ci)"
    if not spec.is_file():
        return f"the OpenAPI file {spec} is missing"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int, path: str) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return sock.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def start(
    spec: Path = SPEC, timeout: float = START_TIMEOUT, probe: str = "/2010-04-01/Accounts.json"
) -> Prism:
    """Start ``prism mock`` on ``spec`` on a free loopback port and wait until it answers HTTP."""
    reason = unavailable_reason(spec)
    if reason:
        raise Unavailable(reason)
    port = _free_port()
    cmd = [str(PRISM_BIN), "mock", str(spec), "-h", "127.0.0.1", "-p", str(port)]
    # One process: -m (forking the server from the CLI, the default under NODE_ENV=production)
    # fails on start with this version on node 20 ("reading 'isPrimary'"); with the log silent
    # there is no log processing for it to take off the server anyway.
    cmd += ["--errors=false", "--dynamic=false", "--multiprocess=false", "--verboseLevel", "silent"]
    env = {k: v for k, v in os.environ.items() if k != "NODE_ENV"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # what Prism says when it fails to start
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=errors, cwd=PRISM_DIR, env=env, start_new_session=True
        )
        prism = Prism(proc, port, 0.0)
        while not _answers(port, probe):
            if proc.poll() is not None:
                errors.seek(0)
                tail = errors.read().decode(errors="replace").strip().splitlines()
                why = f": {tail[-1][:200]}" if tail else ""
                raise Unavailable(f"prism exited with status {proc.returncode} before answering{why}")
            if time.perf_counter() - started > timeout:
                prism.stop()
                raise Unavailable(f"prism did not answer within {timeout:g} s")
            time.sleep(0.1)
    prism.started_in = time.perf_counter() - started
    return prism
