"""Benchmark (b) of ``benchmarks/mock_bench.py``: the mock server's creates/s over loopback.

The server runs in its own process (``python -m twilio_mock serve``), and so does its peer,
Prism on Twilio's own description (:mod:`benchmarks.prism_server`), in the same run. Both are
driven by the same clients (:mod:`benchmarks.loopback`), each keeping one connection alive:
``requests.Session`` (what users run) and the lighter ``http.client`` (so the server, not the
client, is the bottleneck); plus each server's CPU per create (Linux ``/proc``) and what
``requests`` alone reaches against a server doing nothing. Without node or Prism the rows that
need it say ``skipped: <why>``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
TO, FROM = "+15558675310", "+15017122661"
WARMUP = 500  # creates before the clock starts, for both servers: node's JIT needs a few hundred


# A do-nothing HTTP/1.1 keep-alive responder, run in its own process: what the client alone can do.
_CANNED_SERVER = r"""
import socket, sys, threading
body = b'{"sid":"SM00000000000000000000000000000000"}'
reply = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
def serve(conn):
    buf = b""
    with conn:
        while True:
            while b"\r\n\r\n" not in buf:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buf += chunk
            head, _, buf = buf.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            while len(buf) < length:
                buf += conn.recv(65536)
            buf = buf[length:]
            conn.sendall(reply)
listener = socket.create_server(("127.0.0.1", 0))
print(listener.getsockname()[1], flush=True)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
"""


def client_ceiling(creates: int) -> float:
    """Creates/s a ``requests.Session`` reaches against a server that does no work at all."""
    proc = subprocess.Popen([sys.executable, "-c", _CANNED_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = f"http://127.0.0.1:{int(proc.stdout.readline())}/api/2010-04-01/Accounts/AC1/Messages.json"
        with requests.Session() as session:
            session.auth = ("AC1", "token")
            for _ in range(100):
                session.post(url, data={"To": TO, "From": FROM, "Body": "benchmark"})
            started = time.perf_counter()
            for _ in range(creates):
                session.post(url, data={"To": TO, "From": FROM, "Body": "benchmark"})
            return creates / (time.perf_counter() - started)
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _session_worker(url: str, auth: tuple[str, str], count: int, go: Any, out: Any) -> None:
    """One client process: a ``requests.Session`` posting ``count`` creates once ``go`` is set."""
    form = {"To": TO, "From": FROM, "Body": "benchmark"}
    with requests.Session() as session:
        session.auth = auth
        for _ in range(50):
            session.post(url, data=form)
        go.wait()
        started = time.perf_counter()
        for _ in range(count):
            if session.post(url, data=form).status_code != 201:
                raise RuntimeError("create failed")
        out.put((started, time.perf_counter()))


def _sessions_in_processes(url: str, auth: tuple[str, str], creates: int, processes: int) -> float:
    """Creates/s with ``processes`` client processes, each with its own keep-alive session."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    per = creates // processes
    workers = [ctx.Process(target=_session_worker, args=(url, auth, per, go, out)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(2.0)  # let every worker import and warm up before the clock starts
    go.set()
    spans = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return float(per * processes / (max(end for _, end in spans) - min(start for start, _ in spans)))


def _prism_runs(creates: int, sid: str, token: str, spec: Path | None = None) -> dict[str, Any]:
    """Prism on Twilio's description, driven like the mock: ``{"requests.Session": {...},
    "http.client": {...}, "started_in_s": ...}``, or ``{"skipped": why}``."""
    from benchmarks import prism_server
    from benchmarks.loopback import drive

    try:
        prism = prism_server.start(spec or prism_server.SPEC)
    except prism_server.Unavailable as exc:
        return {"skipped": str(exc)}
    with prism:
        url = f"{prism.url}/2010-04-01/Accounts/{sid}/Messages.json"
        runs = drive(url, sid, token, creates, prism.pid, warmup=WARMUP)
    return {**runs, "started_in_s": round(prism.started_in, 1)}


def _skipped_or(prism: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with ``ok`` ``None`` and the reason as its budget when Prism was not measured."""
    if "skipped" in prism:
        row.update(budget=f"skipped: {prism['skipped']}", ok=None)
    return row


def bench_server(creates: int, prism_spec: Path | None = None) -> list[dict[str, Any]]:
    """Prism and the mock server (each in its own process, same run, same clients): creates/s
    over one keep-alive ``requests.Session`` and one keep-alive ``http.client`` connection, the
    server's CPU per create; ``requests`` against a do-nothing server; two ``requests`` client
    processes at once against the mock (one ``requests`` client cannot keep a server busy).
    ``prism_spec``: the file Prism mocks (default: Twilio's api v2010 file in ``../shared``)."""
    from benchmarks.loopback import drive
    from benchmarks.server_load import start

    server = start()
    sid, token = server.sid, server.token
    url = server.messages + ".json"
    try:
        mock = drive(url, sid, token, creates, server.proc.pid, warmup=WARMUP)
        two = _sessions_in_processes(url, (sid, token), creates, 2)
    finally:
        server.stop()
    prism = _prism_runs(creates, sid, token, prism_spec)
    ceiling = client_ceiling(creates)
    ours_s, ours_h = mock["requests.Session"], mock["http.client"]
    rows: list[dict[str, Any]] = []
    if "skipped" in prism:
        rows.append(
            {"key": "prism", "what": "Prism on Twilio's api v2010 description", "value": f"skipped: {prism['skipped']}",
             "unit": "", "budget": "peer", "ok": None}
        )  # fmt: skip
    else:
        for label, run in (
            ("requests.Session", prism["requests.Session"]),
            ("http.client", prism["http.client"]),
        ):
            rows.append(
                {"key": f"prism_creates_per_s_{label.split('.')[0]}",
                 "what": f"Prism Message creates/s, loopback, one keep-alive {label}, {creates} creates",
                 "value": run["per_s"], "unit": "creates/s", "budget": "peer (same run)", "ok": True,
                 "prism_cpu_us_per_create": run.get("cpu_us"), "prism_started_in_s": prism["started_in_s"]}
            )  # fmt: skip
    peer_s = prism.get("requests.Session", {}).get("per_s")
    peer_h = prism.get("http.client", {}).get("per_s")
    peer_cpu = prism.get("http.client", {}).get("cpu_us")
    rows.append(
        {"key": "server_creates_per_s_requests",
         "what": f"server Message creates/s, loopback, one keep-alive requests.Session, {creates} creates",
         "value": ours_s["per_s"], "unit": "creates/s",
         "client_ceiling_per_s": ceiling, "ratio_vs_do_nothing": round(ours_s["per_s"] / ceiling, 2),
         "ratio_vs_prism": round(ours_s["per_s"] / peer_s, 1) if peer_s else None,
         "server_cpu_us_per_create": ours_s.get("cpu_us"),
         "budget": f"reported: {ours_s['per_s'] / ceiling:.2f}x of a do-nothing server ({ceiling:.0f}/s)",
         "ok": True}
    )  # fmt: skip
    rows.append(
        _skipped_or(prism, {
            "key": "server_creates_per_s_http",
            "what": f"server Message creates/s, loopback, one keep-alive http.client, {creates} creates",
            "value": ours_h["per_s"], "unit": "creates/s",
            "peer_prism": peer_h, "ratio_vs_prism": round(ours_h["per_s"] / peer_h, 2) if peer_h else None,
            "budget": f">= {10 * peer_h:.0f} (10x Prism)" if peer_h else ">= 10x Prism",
            "ok": bool(peer_h and ours_h["per_s"] >= 10 * peer_h)})
    )  # fmt: skip
    ours_cpu = ours_h.get("cpu_us")
    rows.append(
        _skipped_or(prism, {
            "key": "server_cpu_us_per_create",
            "what": "server CPU per create (its process, /proc), one keep-alive http.client",
            "value": ours_cpu, "unit": "us", "peer_prism": peer_cpu,
            "ratio_vs_prism": round(ours_cpu / peer_cpu, 3) if ours_cpu and peer_cpu else None,
            "budget": f"<= {0.1 * peer_cpu:.0f} (0.1x Prism)" if peer_cpu else "<= 0.1x Prism",
            "ok": bool(ours_cpu and peer_cpu and ours_cpu <= 0.1 * peer_cpu)})
    )  # fmt: skip
    rows.append(
        {"key": "server_creates_per_s_2_processes",
         "what": f"server Message creates/s, loopback, 2 client processes x keep-alive requests.Session, {creates} creates",
         "value": round(two, 1), "unit": "creates/s",
         "ratio_vs_prism": round(two / peer_s, 1) if peer_s else None,
         "budget": "reported", "ok": True}
    )  # fmt: skip
    return rows
