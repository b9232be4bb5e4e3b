"""Benchmark (b) of ``benchmarks/mock_bench.py``: the mock server's creates/s over loopback.

The server runs in its own process (``python -m twilio_mock serve``); the client keeps one
connection alive. Two clients: ``requests.Session`` (what users run) and the lighter
``http.client`` (so the server, not the client, is the bottleneck); plus the server's CPU per
create (Linux ``/proc``) and what ``requests`` alone reaches against a server doing nothing.
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PRISM_CREATES_PER_S = 136.0  # issue 3: Prism on Twilio's spec, measured by this project
TO, FROM = "+15558675310", "+15017122661"


def _start_server() -> tuple[subprocess.Popen[str], str, str, str]:
    cmd = [sys.executable, "-m", "twilio_mock", "serve", "--port", "0", "--quiet", "--seed", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert proc.stdout is not None
    found: dict[str, str] = {}
    for line in proc.stdout:
        for key in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_BASE"):
            hit = re.search(rf"{key}=(\S+)", line)
            if hit:
                found[key] = hit[1]
        if len(found) == 3:
            break
    if len(found) != 3:
        proc.kill()
        raise RuntimeError("twilio-mock serve did not print its banner")
    threading.Thread(
        target=lambda: [None for _ in proc.stdout or []], daemon=True
    ).start()  # keep the pipe drained
    return proc, found["TWILIO_API_BASE"], found["TWILIO_ACCOUNT_SID"], found["TWILIO_AUTH_TOKEN"]


def _server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux ``/proc``), else ``None``."""
    import os

    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def bench_server(creates: int) -> list[dict[str, Any]]:
    """Creates/s over one keep-alive connection with ``requests.Session`` (what users run) and with
    the lighter ``http.client``, then with two ``requests`` client processes at once (on a small
    machine one ``requests`` client cannot keep the server busy)."""
    import base64
    import http.client

    proc, base, sid, token = _start_server()
    path = f"/api/2010-04-01/Accounts/{sid}/Messages.json"
    form = {"To": TO, "From": FROM, "Body": "benchmark"}
    encoded = "To=%2B15558675310&From=%2B15017122661&Body=benchmark"
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode(),
    }

    def with_requests(n: int) -> None:
        with requests.Session() as session:
            session.auth = (sid, token)
            for _ in range(n):
                if session.post(base + path, data=form).status_code != 201:
                    raise RuntimeError("create failed")

    def with_http_client(n: int) -> None:
        host, port = base.rsplit("/", 1)[1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            for _ in range(n):
                conn.request("POST", path, encoded, headers)
                answer = conn.getresponse()
                answer.read()
                if answer.status != 201:
                    raise RuntimeError("create failed")
        finally:
            conn.close()

    results = []
    budget = 10 * PRISM_CREATES_PER_S
    try:
        with_requests(100)  # warm-up: imports, first touch of the description
        for label, run in (("requests.Session", with_requests), ("http.client", with_http_client)):
            gc.collect()
            cpu_before = _server_cpu(proc.pid)
            started = time.perf_counter()
            run(creates)
            elapsed = time.perf_counter() - started
            cpu_after = _server_cpu(proc.pid)
            rate = creates / elapsed
            row: dict[str, Any] = {
                "key": f"server_creates_per_s_{label.split('.')[0]}",
                "what": f"server Message creates/s, loopback, one keep-alive {label}, {creates} creates",
                "value": round(rate, 1),
                "unit": "creates/s",
                "peer_prism": PRISM_CREATES_PER_S,
                "ratio_vs_prism": round(rate / PRISM_CREATES_PER_S, 1),
                "budget": f">= {budget:.0f} (10x Prism)",
                "ok": rate >= budget,
            }
            if cpu_before is not None and cpu_after is not None:
                row["server_cpu_us_per_create"] = round((cpu_after - cpu_before) / creates * 1e6, 1)
            if label == "requests.Session":
                ceiling = client_ceiling(creates)
                row["client_ceiling_per_s"] = round(ceiling, 1)
                row["what"] += f" (client alone, do-nothing server: {ceiling:.0f}/s)"
            results.append(row)
        rate = _sessions_in_processes(base + path, (sid, token), creates, 2)
        results.append(
            {
                "key": "server_creates_per_s_2_processes",
                "what": f"server Message creates/s, loopback, 2 client processes x keep-alive requests.Session, "
                f"{creates} creates",
                "value": round(rate, 1),
                "unit": "creates/s",
                "peer_prism": PRISM_CREATES_PER_S,
                "ratio_vs_prism": round(rate / PRISM_CREATES_PER_S, 1),
                "budget": f">= {budget:.0f} (10x Prism)",
                "ok": rate >= budget,
            }
        )
        cpu = [r["server_cpu_us_per_create"] for r in results if r.get("server_cpu_us_per_create")]
        if cpu:
            capacity = 1e6 / min(cpu)
            results.append(
                {
                    "key": "server_capacity_per_core",
                    "what": "server capacity: 1 / (server CPU per create), one core",
                    "value": round(capacity, 1),
                    "unit": "creates/s",
                    "ratio_vs_prism": round(capacity / PRISM_CREATES_PER_S, 1),
                    "budget": f">= {budget:.0f} (10x Prism)",
                    "ok": capacity >= budget,
                }
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return results
