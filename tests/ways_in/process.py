"""Running ``twilio-mock serve`` in a subprocess: start it on a free port, read its banner, stop it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TWILIO_MOCK = str(BIN / "twilio-mock")


class Served:
    def __init__(self, proc: subprocess.Popen[str], url: str, sid: str, token: str, lines: list[str]) -> None:
        self.proc, self.url, self.sid, self.token, self.lines = proc, url, sid, token, lines

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
        env.update(TWILIO_ACCOUNT_SID=self.sid, TWILIO_AUTH_TOKEN=self.token, TWILIO_API_BASE=self.url)
        return env

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=20)
        return code, self.output


def _pump(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        lines.append(line)


@contextmanager
def serve(
    *args: str,
    command: tuple[str, ...] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Served]:
    """Start the server on a free loopback port (``--port 0``) and read its banner."""
    cmd = [*(command or (TWILIO_MOCK,)), "serve", "--host", "127.0.0.1", "--port", "0", *args]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd or ROOT, env=env
    )
    assert proc.stdout is not None
    lines: list[str] = []
    banner: dict[str, Any] = {}
    for line in proc.stdout:
        lines.append(line)
        for key, pattern in (
            ("url", r"TWILIO_API_BASE=(\S+)"),
            ("sid", r"TWILIO_ACCOUNT_SID=(AC[0-9a-f]{32})"),
            ("token", r"TWILIO_AUTH_TOKEN=(\S+)"),
        ):
            found = re.search(pattern, line)
            if found:
                banner[key] = found[1]
        if "Ctrl-C" in line or len(lines) > 40:
            break
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    try:
        assert set(banner) == {"url", "sid", "token"}, "".join(lines)
        yield Served(proc, banner["url"], banner["sid"], banner["token"], lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def run(*argv: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """``twilio-mock ARGV...`` to completion, output captured."""
    return subprocess.run([TWILIO_MOCK, *argv], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
