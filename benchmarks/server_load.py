"""The mock server under load, from outside: a server process, client threads that write and
read, a ledger of what each client was told, and a check of a (restarted) server against it.
Used by ``durability_bench.py`` (crash rounds, throughput, soak) and its tests."""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
TO, FROM = "+15558675310", "+15017122661"  # FROM is the number every mock account owns
BODY = re.compile(r"^t\d+-\d+$")


@dataclass
class Server:
    proc: subprocess.Popen[str]
    url: str
    sid: str
    token: str

    @property
    def messages(self) -> str:
        return f"{self.url}/api/2010-04-01/Accounts/{self.sid}/Messages"

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=60)


def start(state: Path | None = None, seed: int = 1) -> Server:
    """``python -m twilio_mock serve`` on a free loopback port; its banner read."""
    cmd = [sys.executable, "-m", "twilio_mock", "serve", "--port", "0", "--quiet", "--seed", str(seed)]
    if state is not None:
        cmd += ["--state", str(state)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert proc.stdout is not None
    found: dict[str, str] = {}
    lines = []
    for line in proc.stdout:
        lines.append(line)
        for key, pattern in (
            ("url", r"TWILIO_API_BASE=(\S+)"),
            ("sid", r"SID=(AC\w{32})"),
            ("token", r"TOKEN=(\S+)"),
        ):
            if key not in found and (match := re.search(pattern, line)):
                found[key] = match[1]
        if "Ctrl-C" in line:
            break
    if set(found) != {"url", "sid", "token"}:
        proc.kill()
        raise RuntimeError("the server did not start: " + "".join(lines))
    threading.Thread(target=lambda: [None for _ in proc.stdout or ()], daemon=True).start()
    return Server(proc, found["url"], found["sid"], found["token"])


@dataclass
class Ledger:
    """What the clients were told: the last acknowledged answer per SID, acknowledged deletes,
    the writes whose answer never came, latencies per kind, and every status seen."""

    acked: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    in_flight: dict[str, str] = field(default_factory=dict)  # sid -> "update" | "delete"
    latency: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def took(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def fives(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _writer(server: Server, ledger: Ledger, n: int, writes: int, stop: threading.Event, mixed: bool) -> None:
    with requests.Session() as session:
        session.auth = (server.sid, server.token)
        mine: list[str] = []
        for i in range(writes):
            if stop.is_set():
                return
            kind, sid = "create", None
            if mixed and i % 20 == 19 and mine:
                kind, sid = "delete", mine.pop(0)
            elif mixed and i % 10 == 9 and mine:
                kind, sid = "update", mine[-1]
            started = time.perf_counter()
            try:
                if kind == "create":
                    form = {"To": TO, "From": FROM, "Body": f"t{n}-{i}"}
                    answer = session.post(server.messages + ".json", data=form, timeout=30)
                else:
                    with ledger.lock:
                        ledger.in_flight[str(sid)] = kind
                    url = f"{server.messages}/{sid}.json"
                    if kind == "update":
                        answer = session.post(url, data={"Body": ""}, timeout=30)
                    else:
                        answer = session.delete(url, timeout=30)
            except requests.RequestException:  # killed: this write's outcome is unknown
                with ledger.lock:
                    ledger.errors += 1
                return
            ledger.took(kind, time.perf_counter() - started, answer.status_code)
            with ledger.lock:
                if sid is not None:
                    ledger.in_flight.pop(sid, None)
                if kind == "create" and answer.status_code == 201:
                    made = answer.json()
                    ledger.acked[made["sid"]] = made
                    mine.append(made["sid"])
                elif kind == "update" and answer.status_code == 200:
                    ledger.acked[str(sid)] = answer.json()
                elif kind == "delete" and answer.status_code == 204:
                    ledger.acked.pop(str(sid), None)
                    ledger.deleted.add(str(sid))


def _reader(server: Server, ledger: Ledger, stop: threading.Event, rng: random.Random) -> None:
    with requests.Session() as session:
        session.auth = (server.sid, server.token)
        while not stop.is_set():
            with ledger.lock:
                known = list(ledger.acked)
            kind = "list" if not known or rng.random() < 0.5 else "fetch"
            url = (
                server.messages + ".json?PageSize=50"
                if kind == "list"
                else f"{server.messages}/{rng.choice(known)}.json"
            )
            started = time.perf_counter()
            try:
                answer = session.get(url, timeout=30)
            except requests.RequestException:
                return
            ledger.took(kind, time.perf_counter() - started, answer.status_code)


def drive(
    server: Server,
    ledger: Ledger,
    threads: int,
    writes: int,
    *,
    readers: int = 0,
    mixed: bool = False,
    kill_after: int | None = None,
    deadline: float = 120.0,
    seed: int = 1,
) -> float:
    """Run the writers (with an update every 10th write and a delete every 20th when
    ``mixed``) and the readers until done, the deadline, or ``kill_after`` acknowledged
    creates (then SIGKILL the server); the seconds the writers took."""
    stop = threading.Event()
    done = threading.Event()
    workers = [
        threading.Thread(target=_writer, args=(server, ledger, n, writes, stop, mixed))
        for n in range(threads)
    ]
    others = [
        threading.Thread(target=_reader, args=(server, ledger, done, random.Random(seed + k)))
        for k in range(readers)
    ]
    started = time.perf_counter()
    for thread in workers + others:
        thread.start()
    limit = started + deadline
    while any(t.is_alive() for t in workers) and time.perf_counter() < limit:
        if kill_after is not None and len(ledger.latency.get("create", ())) >= kill_after:
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait(timeout=30)
            break
        time.sleep(0.002)
    stop.set()
    for thread in workers:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    done.set()
    for thread in others:
        thread.join(timeout=60)
    return elapsed


def verify(server: Server, ledger: Ledger) -> dict[str, int]:
    """Compare the restarted server with the ledger; counts of what is wrong (all 0 when right)."""
    lost = changed = resurrected = broken = 0
    with requests.Session() as session:
        session.auth = (server.sid, server.token)
        for sid, answered in ledger.acked.items():
            found = session.get(f"{server.messages}/{sid}.json", timeout=30)
            pending = ledger.in_flight.get(sid)
            if found.status_code == 404:
                lost += pending != "delete"
            elif found.json() != answered:
                got = found.json()
                redacted = pending == "update" and got.get("body") == ""
                same = {k: v for k, v in got.items() if k not in ("body", "date_updated")} == {
                    k: v for k, v in answered.items() if k not in ("body", "date_updated")
                }
                changed += not (redacted and same)
        for sid in ledger.deleted:
            resurrected += session.get(f"{server.messages}/{sid}.json", timeout=30).status_code != 404
        url: str | None = server.messages + ".json?PageSize=1000"
        stored = 0
        while url:
            page = session.get(url, timeout=60).json()
            for message in page["messages"]:
                stored += 1
                whole = all(message.get(k) for k in ("sid", "to", "from", "status", "date_created"))
                body = message.get("body")
                broken += not (whole and (body == "" or BODY.match(str(body))))
            url = server.url + "/api" + page["next_page_uri"] if page.get("next_page_uri") else None
    return {"lost": lost, "changed": changed, "resurrected": resurrected, "broken": broken, "stored": stored}
