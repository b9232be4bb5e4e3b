"""Fresh-process measurements: startup wall clock, first touch of 10 domains, peak RSS.

Each run is a new interpreter; ours and the official package alternate run by run so that
they share the machine's noise. Children start in an empty directory with ``TWILIO_*``
variables removed, after one untimed warm-up run each (which also writes bytecode caches).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks.payloads import ACCOUNT_SID, AUTH_TOKEN
from benchmarks.report import Result, check, median

IMPORTS = {"ours": "from twilio_sdk import Client", "official": "from twilio.rest import Client"}
DOMAINS = (
    ("messaging", "v1", "services"),
    ("verify", "v2", "services"),
    ("conversations", "v1", "conversations"),
    ("video", "v1", "rooms"),
    ("lookups", "v2", "phone_numbers"),
    ("sync", "v1", "services"),
    ("taskrouter", "v1", "workspaces"),
    ("chat", "v2", "services"),
    ("studio", "v2", "flows"),
    ("serverless", "v1", "services"),
)
_SCRUB = {
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "PYTHONTRACEMALLOC",
    "PYTHONDEVMODE",
    "PYTHONMALLOC",
}


def startup_code(side: str) -> str:
    """``import`` + ``Client()`` + first ``client.messages``."""
    return f"{IMPORTS[side]}\nClient({ACCOUNT_SID!r}, {AUTH_TOKEN!r}).messages\n"


def domains_code(side: str) -> str:
    """Import and build the client, then time the first touch of 10 domains in-process."""
    touches = ",\n    ".join(f"client.{d}.{v}.{lst}" for d, v, lst in DOMAINS)
    return f"""\
import time
t0 = time.perf_counter()
{IMPORTS[side]}
t1 = time.perf_counter()
client = Client({ACCOUNT_SID!r}, {AUTH_TOKEN!r})
t2 = time.perf_counter()
import resource, sys
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
mods0 = len(sys.modules)
t3 = time.perf_counter()
lists = [
    {touches},
]
t4 = time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as f:
        hwm = int(next(line for line in f if line.startswith("VmHWM:")).split()[1])
except (OSError, StopIteration):
    hwm = None
import json
print(json.dumps({{
    "import_ms": (t1 - t0) * 1e3, "client_ms": (t2 - t1) * 1e3, "domains_ms": (t4 - t3) * 1e3,
    "rss_before_kib": rss0, "rss_after_kib": rss1, "vm_hwm_kib": hwm, "modules_added": len(sys.modules) - mods0,
    "types": [type(x).__name__ for x in lists],
}}))
"""


@contextmanager
def _sandbox() -> Iterator[tuple[str, dict[str, str]]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_") and k not in _SCRUB}
    with tempfile.TemporaryDirectory(prefix="twilio-bench-") as cwd:
        yield cwd, env


def _run(code: str, cwd: str, env: dict[str, str], clean_rss: bool = False) -> tuple[float, str]:
    argv = [sys.executable, "-c", code]
    if clean_rss:
        # Linux keeps ru_maxrss across exec, so a child exec'd straight from this (large)
        # process would report our RSS as its floor. A small shell forks the child instead
        # (the trailing command stops it from exec'ing in place).
        argv = ["/bin/sh", "-c", '"$0" -c "$1"; exit $?', sys.executable, code]
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    check(proc.returncode == 0, f"child process failed:\n{code}\n{proc.stderr}")
    return elapsed, proc.stdout


def _order(i: int) -> tuple[str, str]:
    return ("ours", "official") if i % 2 == 0 else ("official", "ours")


def measure_startup(runs: int) -> Result:
    """1. Wall clock of ``import`` + ``Client()`` + first ``client.messages``, fresh process."""
    wall: dict[str, list[float]] = {"ours": [], "official": [], "bare": []}
    with _sandbox() as (cwd, env):
        probe = "\nimport sys; print(type(_m).__name__, len(sys.modules))"
        for side in ("ours", "official"):
            code = startup_code(side).replace("Client(", "_m = Client(", 1) + probe
            _, out = _run(code, cwd, env)
            name = out.split()[0]
            check(name in ("ListResource", "MessageList"), f"{side}: client.messages is a {name}")
        _run("pass", cwd, env)
        for i in range(runs):
            for side in _order(i):
                wall[side].append(_run(startup_code(side), cwd, env)[0] * 1e3)
            wall["bare"].append(_run("pass", cwd, env)[0] * 1e3)
    bare = median(wall["bare"])
    ours, official = median(wall["ours"]), median(wall["official"])
    return Result(
        "startup",
        "import + Client() + first client.messages (fresh process, wall)",
        ours,
        official,
        "ms",
        "lower",
        0.25,
        samples=wall,
        notes={
            "runs": runs,
            "bare_interpreter_ms": round(bare, 2),
            "ratio_net_of_bare_interpreter": round((ours - bare) / (official - bare), 4),
        },
    )


def measure_domains(runs: int) -> tuple[Result, Result]:
    """2. First touch of 10 domains (in-process, after ``Client()``); 3. peak RSS after them."""
    data: dict[str, list[dict[str, Any]]] = {"ours": [], "official": []}
    with _sandbox() as (cwd, env):
        for side in ("ours", "official"):
            _run(domains_code(side), cwd, env)
        for i in range(runs):
            for side in _order(i):
                data[side].append(json.loads(_run(domains_code(side), cwd, env, clean_rss=True)[1]))
    for side, rows in data.items():
        for row in rows:
            bad = [t for t in row["types"] if not (t == "ListResource" or t.endswith("List"))]
            check(len(row["types"]) == len(DOMAINS) and not bad, f"{side}: domain touches returned {bad}")

    def med(side: str, key: str) -> float:
        return median([float(row[key]) for row in data[side]])

    def series(key: str, scale: float = 1.0) -> dict[str, list[float]]:
        return {side: [round(row[key] * scale, 3) for row in rows] for side, rows in data.items()}

    labels = [f"{d}.{v}.{lst}" for d, v, lst in DOMAINS]
    domains = Result(
        "domains",
        "first touch of 10 domains (in-process, fresh process)",
        med("ours", "domains_ms"),
        med("official", "domains_ms"),
        "ms",
        "lower",
        0.25,
        samples=series("domains_ms"),
        notes={
            "runs": runs,
            "touched": labels,
            "import_ms": {s: round(med(s, "import_ms"), 2) for s in data},
            "client_ms": {s: round(med(s, "client_ms"), 3) for s in data},
            "modules_added": {s: med(s, "modules_added") for s in data},
        },
    )
    rss = Result(
        "rss",
        "peak RSS after those 10 domains (ru_maxrss)",
        med("ours", "rss_after_kib") / 1024,
        med("official", "rss_after_kib") / 1024,
        "MiB",
        "lower",
        0.6,
        samples=series("rss_after_kib", 1 / 1024),
        notes={
            "runs": runs,
            "rss_before_domains_mib": {s: round(med(s, "rss_before_kib") / 1024, 2) for s in data},
            "vm_hwm_after_mib": {
                s: round(med(s, "vm_hwm_kib") / 1024, 2) if all(r["vm_hwm_kib"] for r in data[s]) else None
                for s in data
            },
        },
    )
    return domains, rss
