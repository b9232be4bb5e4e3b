"""Durable ``--state`` and the server under load (issue 11, parts 5 and 6).

Usage: ``python benchmarks/durability_bench.py [--quick] [--json PATH]``. Prints a table and writes
``benchmarks/durability_results.json``. Exit status 1 if a budget was missed.

(a) crash rounds: ``twilio-mock serve --state FILE`` (its own process) takes 8 client threads ×
    1,000 writes (creates, with an update every 10th and a delete every 20th); it is killed with
    SIGKILL at a random moment (seeded), restarted on the same file, and checked: every
    acknowledged create is there with the fields it was answered with (or those of an update
    still in flight), every acknowledged delete is gone, and every stored message is whole and
    one the clients sent. Budget: 0 acknowledged writes lost.
(b) creates/s with ``--state`` against the same server without it, same clients, same run:
    ≥ 0.5×.
(c) soak: 8 threads × 1,000 creates with 2 more threads listing and fetching meanwhile, against
    a server without ``--state``: 0 lost writes, 0 5xx; p50/p99 latency per kind (reported).
(d) the mechanism's cost on this machine (reported): an append + ``fdatasync`` of a 1.2 kB
    record, eight records sharing one ``fdatasync`` (group commit), and SQLite in WAL mode with
    ``synchronous=FULL`` committing one row and eight rows.
Bounded: every phase stops after its count of requests or its deadline, whichever comes first.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from benchmarks.report import finish  # noqa: E402

TO, FROM = "+15558675310", "+15017122661"  # FROM is the number every mock account owns
SETTINGS = {
    "full": {"threads": 8, "writes": 1000, "rounds": 3, "readers": 2, "deadline": 120.0},
    "quick": {"threads": 4, "writes": 150, "rounds": 2, "readers": 2, "deadline": 60.0},
}
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


def bench_crashes(threads: int, writes: int, rounds: int, seed: int = 11) -> dict[str, Any]:
    """(a): ``rounds`` SIGKILLs at seeded random moments on one state file."""
    rng = random.Random(seed)
    ledger = Ledger()
    wrong = {"lost": 0, "changed": 0, "resurrected": 0, "broken": 0}
    kills = []
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.json"
        for _ in range(rounds):
            server = start(state)
            before = len(ledger.latency.get("create", ()))
            kill_after = before + rng.randint(threads * writes // 10, threads * writes * 8 // 10)
            kills.append(kill_after - before)
            drive(server, ledger, threads, writes, mixed=True, kill_after=kill_after)
            if server.proc.poll() is None:
                raise RuntimeError("the writers finished before the kill")
            again = start(state)
            try:
                for key, value in verify(again, ledger).items():
                    if key in wrong:
                        wrong[key] += value
            finally:
                again.stop()
    missing = sum(wrong.values())
    return {
        "key": "durable_crashes",
        "what": f"acknowledged writes lost, {rounds} SIGKILLs",
        "value": missing,
        "unit": "writes",
        "budget": "== 0",
        "ok": missing == 0 and len(ledger.acked) > 0,
        "acked_creates": len(ledger.acked) + len(ledger.deleted),
        "acked_deletes": len(ledger.deleted),
        "kills_after_creates": kills,
        **{f"{k}_count": v for k, v in wrong.items()},
    }


def _throughput(state: Path | None, threads: int, writes: int) -> tuple[float, Ledger]:
    server = start(state)
    ledger = Ledger()
    try:
        elapsed = drive(server, ledger, threads, writes)
    finally:
        server.stop()
    creates = len(ledger.latency.get("create", ()))
    if creates != threads * writes or set(ledger.statuses) != {201}:
        raise RuntimeError(f"{creates} creates answered of {threads * writes}: {ledger.statuses}")
    return creates / elapsed, ledger


def bench_throughput(threads: int, writes: int, repeats: int = 2) -> dict[str, Any]:
    """(b): durable vs in-memory creates/s, alternating, medians."""
    durable, memory = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(repeats):
            memory.append(_throughput(None, threads, writes)[0])
            durable.append(_throughput(Path(tmp) / f"state{n}.json", threads, writes)[0])
    ratio = statistics.median(durable) / statistics.median(memory)
    return {
        "key": "durable_vs_memory",
        "what": "creates/s with --state vs without",
        "value": round(ratio, 3),
        "unit": "x",
        "budget": ">= 0.5",
        "ok": ratio >= 0.5,
        "durable_per_s": round(statistics.median(durable), 1),
        "memory_per_s": round(statistics.median(memory), 1),
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def bench_soak(
    threads: int, writes: int, readers: int, deadline: float, state: Path | None = None
) -> dict[str, Any]:
    """(c): writers plus readers; lost writes and 5xx must be 0; latency per kind."""
    server = start(state)
    ledger = Ledger()
    try:
        elapsed = drive(server, ledger, threads, writes, readers=readers, deadline=deadline)
        wrong = verify(server, ledger)
    finally:
        server.stop()
    bad = wrong["lost"] + wrong["changed"] + wrong["resurrected"] + ledger.fives + ledger.errors
    prefix = "" if state is None else "durable_"
    latency = {
        f"{prefix}{kind}_p{q}_ms": round(_pct(values, q / 100), 2)
        for kind, values in sorted(ledger.latency.items())
        for q in (50, 99)
    }
    return {
        "key": "soak" if state is None else "soak_durable",
        "what": "soak: lost writes + 5xx" + (" (--state)" if state is not None else ""),
        "value": bad,
        "unit": "requests",
        "budget": "== 0",
        "ok": bad == 0 and len(ledger.latency.get("create", ())) == threads * writes,
        f"{prefix}seconds_s": round(elapsed, 2),
        "requests": sum(ledger.statuses.values()),
        "statuses": {str(k): v for k, v in sorted(ledger.statuses.items())},
        **latency,
    }


def bench_mechanism(records: int = 300) -> list[dict[str, Any]]:
    """(d): what one durable commit costs here, for the log and for SQLite (reported)."""
    record = b"x" * 1200
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=ROOT) as tmp:  # the disk the state file would be on
        fd = os.open(Path(tmp) / "log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        sync = getattr(os, "fdatasync", os.fsync)
        for label, batch in (("log_1", 1), ("log_8", 8)):
            started = time.perf_counter()
            for _ in range(records):
                os.write(fd, record * batch)
                sync(fd)
            out[label] = (time.perf_counter() - started) / records * 1e6
        os.close(fd)
        db = sqlite3.connect(Path(tmp) / "db", isolation_level=None)
        db.execute("pragma journal_mode=wal")
        db.execute("pragma synchronous=full")
        db.execute("create table r (k text primary key, v blob)")
        for label, batch in (("sqlite_1", 1), ("sqlite_8", 8)):
            started = time.perf_counter()
            for i in range(records):
                db.execute("begin")
                for j in range(batch):
                    db.execute("insert or replace into r values (?, ?)", (f"{label}{i}.{j}", record))
                db.execute("commit")
            out[label] = (time.perf_counter() - started) / records * 1e6
        db.close()
    names = {
        "log_1": "log: append 1.2 kB + fdatasync",
        "log_8": "log: 8 records, one fdatasync",
        "sqlite_1": "SQLite WAL, sync=FULL: 1 row/commit",
        "sqlite_8": "SQLite WAL, sync=FULL: 8 rows/commit",
    }
    return [
        {
            "key": f"commit_{k}",
            "what": names[k],
            "value": round(v, 1),
            "unit": "us",
            "budget": "reported",
            "ok": True,
        }
        for k, v in out.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer threads and writes (about half a minute)")
    parser.add_argument("--json", type=Path, default=HERE / "durability_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = bench_mechanism()
    rows.append(bench_crashes(int(s["threads"]), int(s["writes"]), int(s["rounds"])))
    rows.append(bench_throughput(int(s["threads"]), int(s["writes"])))
    rows.append(bench_soak(int(s["threads"]), int(s["writes"]), int(s["readers"]), float(s["deadline"])))
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(
            bench_soak(
                int(s["threads"]),
                int(s["writes"]),
                int(s["readers"]),
                float(s["deadline"]),
                Path(tmp) / "s.json",
            )
        )
    return finish(
        rows, quick=args.quick, started=started, path=args.json, detail_keys=("_ms", "_s", "_per_s", "_count")
    )


if __name__ == "__main__":
    sys.exit(main())
