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
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


from benchmarks.report import finish  # noqa: E402
from benchmarks.server_load import Ledger, drive, start, verify  # noqa: E402

SETTINGS = {
    "full": {"threads": 8, "writes": 1000, "rounds": 3, "readers": 2, "deadline": 120.0},
    "quick": {"threads": 4, "writes": 150, "rounds": 2, "readers": 2, "deadline": 60.0},
}


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
