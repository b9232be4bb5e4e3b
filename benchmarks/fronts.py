"""Server fronts the mock could run on, each serving a do-nothing app or the mock, in a child process.

``python -m benchmarks.fronts FRONT APP`` prints the port it listens on, then serves until killed.
FRONT is one of :data:`FRONTS`; APP is ``nothing`` (a fixed 201 answer) or ``mock``
(``twilio_mock``'s app over ``Backend(seed=1)``). :func:`measure_fronts` drives each pair with the
clients of :mod:`benchmarks.loopback` and reports creates/s and the server's CPU per create.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Candidates measured for issue 11; only werkzeug and uvicorn are dependencies (the others: pip
# install granian waitress cheroot httptools uvloop to measure them; uninstalled ones are skipped).
FRONTS = ("werkzeug", "uvicorn", "granian", "waitress", "cheroot")
_BODY = b'{"sid":"SM00000000000000000000000000000000"}'
_HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))]


def nothing_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A WSGI app that reads the body and answers a fixed 201."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("201 Created", _HEADERS)
    return [_BODY]


async def nothing_asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The same for ASGI."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    headers = [(k.lower().encode(), v.encode()) for k, v in _HEADERS]
    await send({"type": "http.response.start", "status": 201, "headers": headers})
    await send({"type": "http.response.body", "body": _BODY})


def _mock_wsgi() -> Any:
    from twilio_mock.backend import Backend
    from twilio_mock.ways_in.server import make_app

    return make_app(Backend(seed=1))


def _mock_asgi() -> Any:
    from twilio_mock.backend import Backend
    from twilio_mock.ways_in.asgi import make_asgi_app

    return make_asgi_app(Backend(seed=1))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(front: str, which: str) -> None:
    """Serve ``which`` (``nothing`` or ``mock``) on ``front``; prints the port first."""
    if front == "werkzeug":
        from twilio_mock.ways_in.serving import make_http_server

        server = make_http_server(nothing_wsgi if which == "nothing" else _mock_wsgi())
        print(server.server_port, flush=True)
        server.serve_forever()
    port = _free_port()
    print(port, flush=True)
    if front == "uvicorn":
        import uvicorn

        app = nothing_asgi if which == "nothing" else _mock_asgi()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, loop="uvloop", http="httptools", log_level="error",
            access_log=False, lifespan="off",
        )  # fmt: skip
        uvicorn.Server(config).run()  # on the configured loop (uvloop)
    elif front == "waitress":
        import waitress

        waitress.serve(nothing_wsgi if which == "nothing" else _mock_wsgi(), host="127.0.0.1", port=port,
                       threads=8, _quiet=True)  # fmt: skip
    elif front == "cheroot":
        from cheroot import wsgi

        wsgi.Server(("127.0.0.1", port), nothing_wsgi if which == "nothing" else _mock_wsgi()).start()
    elif front == "granian":
        from granian.constants import Interfaces
        from granian.server import Server

        target = "benchmarks.fronts:nothing_wsgi" if which == "nothing" else "benchmarks.fronts:MOCK_WSGI"
        Server(target, address="127.0.0.1", port=port, interface=Interfaces.WSGI, workers=1,
               blocking_threads=8, log_enabled=False).serve()  # fmt: skip
    else:
        raise SystemExit(f"unknown front {front!r}")


def __getattr__(name: str) -> Any:  # granian imports the app by name in its worker
    if name == "MOCK_WSGI":
        return _mock_wsgi()
    raise AttributeError(name)


def start(front: str, which: str) -> tuple[subprocess.Popen[str], int]:
    """The child process serving ``which`` on ``front``, and its port (it answers once started)."""
    cmd = [sys.executable, "-m", "benchmarks.fronts", front, which]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, start_new_session=True
    )  # its own process group: granian's workers are stopped with it (stop())
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.strip().isdigit():
        proc.kill()
        raise RuntimeError(f"{front} did not start")
    return proc, int(line)


def stop(proc: subprocess.Popen[str]) -> None:
    """Kill a child from :func:`start` and every process of its group."""
    import os
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def measure_fronts(creates: int, fronts: tuple[str, ...] = FRONTS) -> list[dict[str, Any]]:
    """For each front and app: creates/s over ``requests.Session`` and ``http.client``, CPU µs/create."""
    from benchmarks.loopback import drive
    from twilio_mock.backend import Backend

    seeded = Backend(seed=1)
    sid, token = seeded.account_sid, seeded.auth_token
    rows = []
    for front in fronts:
        for which in ("nothing", "mock"):
            if importlib.util.find_spec(front) is None:
                rows.append({"front": front, "app": which, "skipped": f"{front} is not installed"})
                continue
            proc, port = start(front, which)
            try:
                prefix = "/api/2010-04-01" if which == "mock" else "/2010-04-01"
                url = f"http://127.0.0.1:{port}{prefix}/Accounts/{sid}/Messages.json"
                _wait(url)
                rows.append({"front": front, "app": which, **drive(url, sid, token, creates, proc.pid)})
            finally:
                stop(proc)
    return rows


def _wait(url: str, seconds: float = 30.0) -> None:
    import time

    import requests

    deadline = time.monotonic() + seconds
    while True:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main(argv: list[str]) -> None:
    """``measure [CREATES [ROUNDS]]``: every front, rounds alternating, the median of each figure."""
    import json
    import statistics

    creates = int(argv[0]) if argv else 1000
    rounds = int(argv[1]) if len(argv) > 1 else 3
    runs = [measure_fronts(creates) for _ in range(rounds)]
    print(
        "| front | app | http.client creates/s | CPU us/create | requests.Session creates/s | CPU us/create |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for i, first in enumerate(runs[0]):
        if "skipped" in first:
            print(f"| {first['front']} | {first['app']} | {first['skipped']} | | | |")
            continue
        cells = []
        for client in ("http.client", "requests.Session"):
            for key in ("per_s", "cpu_us"):
                cells.append(f"{statistics.median(r[i][client][key] for r in runs):.0f}")
        print(f"| {first['front']} | {first['app']} | " + " | ".join(cells) + " |")
    print(json.dumps(runs))


if __name__ == "__main__":
    if sys.argv[1] == "measure":
        main(sys.argv[2:])
    else:
        serve(sys.argv[1], sys.argv[2])
