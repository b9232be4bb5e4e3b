"""The clients every loopback row uses, and the server's CPU from ``/proc``.

One server under test is driven the same way whoever it is (the mock on any front, Prism, a
do-nothing responder): ``count`` Message creates (``POST .../Messages.json`` with To, From, Body
and Basic auth) over one keep-alive ``requests.Session``, then over one keep-alive
``http.client`` connection, timing each and reading the server's process tree CPU around it.
"""

from __future__ import annotations

import base64
import gc
import http.client
import os
import time
from pathlib import Path
from typing import Any

import requests

TO, FROM = "+15558675310", "+15017122661"
FORM = {"To": TO, "From": FROM, "Body": "benchmark"}
ENCODED = "To=%2B15558675310&From=%2B15017122661&Body=benchmark"


def tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants (Linux
    ``/proc``; children that exited and were reaped count through ``cutime``/``cstime``), else ``None``."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    total = sum(int(f) for f in fields[11:15]) / tick
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for child in children:
        total += tree_cpu(int(child)) or 0.0
    return total


def _auth(sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()


def with_requests(url: str, sid: str, token: str, count: int) -> None:
    """``count`` creates over one keep-alive ``requests.Session``; each must answer 201."""
    with requests.Session() as session:
        session.auth = (sid, token)
        for _ in range(count):
            answer = session.post(url, data=FORM)
            if answer.status_code != 201:
                raise RuntimeError(f"create failed: {answer.status_code} {answer.text[:200]}")


def with_http_client(url: str, sid: str, token: str, count: int) -> None:
    """``count`` creates over one keep-alive ``http.client`` connection; each must answer 201."""
    rest = url.split("://", 1)[1]
    hostport, path = rest.split("/", 1)
    host, port = hostport.rsplit(":", 1)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": _auth(sid, token)}
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for _ in range(count):
            conn.request("POST", "/" + path, ENCODED, headers)
            answer = conn.getresponse()
            data = answer.read()
            if answer.status != 201:
                raise RuntimeError(f"create failed: {answer.status} {data[:200]!r}")
    finally:
        conn.close()


CLIENTS = {"requests.Session": with_requests, "http.client": with_http_client}


def drive(url: str, sid: str, token: str, count: int, pid: int | None, warmup: int = 100) -> dict[str, Any]:
    """Creates/s and the server's CPU µs per create for each client in :data:`CLIENTS`:
    ``{"requests.Session": {"per_s": ..., "cpu_us": ...}, "http.client": {...}}``."""
    with_requests(url, sid, token, warmup)
    out: dict[str, Any] = {}
    for label, run in CLIENTS.items():
        gc.collect()
        before = tree_cpu(pid) if pid else None
        started = time.perf_counter()
        run(url, sid, token, count)
        elapsed = time.perf_counter() - started
        after = tree_cpu(pid) if pid else None
        row: dict[str, Any] = {"per_s": round(count / elapsed, 1)}
        if before is not None and after is not None:
            row["cpu_us"] = round((after - before) / count * 1e6, 1)
        out[label] = row
    return out
