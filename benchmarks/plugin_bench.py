"""Benchmarks of the pytest plugin against the budgets in DESIGN.md §5 and issue 8.

Usage: ``python benchmarks/plugin_bench.py [--quick] [--json PATH]``. Prints a table, writes
``benchmarks/plugin_results.json``; exit status 1 if a budget was missed.

(a) ``twilio_mock`` fixture setup + teardown per test: 1,000 trivial tests run by pytest in a
    fresh process, once taking the fixture and once not, alternating, several rounds; the
    difference of the medians divided by the number of tests (budget ≤ 1 ms);
(b) replaying a 100-request cassette against answering the same 100 requests from the mock,
    same process, alternating (budget ≤ 2x the mock's cost).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
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

SETTINGS = {
    "full": {"tests": 1000, "rounds": 5, "requests": 100, "repeats": 7},
    "quick": {"tests": 300, "rounds": 3, "requests": 100, "repeats": 3},
}
TRIVIAL = "import pytest\n\n@pytest.mark.parametrize('n', range({n}))\ndef test_trivial({args}n):\n    assert n >= 0\n"


def _suite(folder: Path, tests: int, fixture: bool) -> Path:
    path = folder / ("with_fixture" if fixture else "without")
    path.mkdir()
    (path / "test_trivial.py").write_text(TRIVIAL.format(n=tests, args="twilio_mock, " if fixture else ""))
    return path


def _env(bytecode: bool) -> dict[str, str]:
    """The child's environment: Python's default bytecode caching, or none (``bytecode=False``,
    as where ``PYTHONDONTWRITEBYTECODE`` is set: every run compiles, and pytest rewrites, the
    plugin's packages from source)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if not bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _run(suite: Path, *extra: str, bytecode: bool = True) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, str(suite)],
        cwd=suite,
        env=_env(bytecode),
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-2000:] + done.stderr[-2000:])
    return elapsed


def bench_fixture(tests: int, rounds: int) -> list[dict[str, Any]]:
    """Rows (a), and the plugin's own cost per test when no test uses it (reported)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain, fixture = _suite(folder, tests, False), _suite(folder, tests, True)
        runs: dict[str, tuple[Path, tuple[str, ...], bool]] = {
            "no plugin": (plain, ("-p", "no:twilio_mock"), True),
            "without": (plain, (), True),
            "with": (fixture, (), True),
            "without, no bytecode cache": (plain, (), False),
            "with, no bytecode cache": (fixture, (), False),
        }
        for suite, extra, bytecode in runs.values():
            _run(suite, *extra, bytecode=bytecode)  # warm-up: bytecode caches, imports
        samples: dict[str, list[float]] = {name: [] for name in runs}
        for i in range(rounds):
            for name in list(runs)[:: 1 if i % 2 else -1]:
                suite, extra, bytecode = runs[name]
                samples[name].append(_run(suite, *extra, bytecode=bytecode))
    med = {name: statistics.median(values) for name, values in samples.items()}
    per_test_ms = (med["with"] - med["without"]) / tests * 1000
    uncached_ms = (med["with, no bytecode cache"] - med["without, no bytecode cache"]) / tests * 1000
    plugin_s = med["without"] - med["no plugin"]
    return [
        {
            "key": "fixture_overhead",
            "what": f"twilio_mock fixture setup + teardown per test ({tests:,} trivial tests, with vs without)",
            "with_s": round(med["with"], 3),
            "without_s": round(med["without"], 3),
            "value": round(per_test_ms, 3),
            "unit": "ms/test",
            "budget": "<= 1",
            "ok": per_test_ms <= 1,
        },
        {
            "key": "fixture_overhead_no_bytecode_cache",
            "what": f"the same with PYTHONDONTWRITEBYTECODE=1 (each run compiles the mock's modules: {tests:,} tests)",
            "value": round(uncached_ms, 3),
            "unit": "ms/test",
            "budget": "(reported)",
            "ok": True,
        },
        {
            "key": "plugin_overhead",
            "what": f"the plugin loaded, no test using it (guard, hooks): a run of {tests:,} tests vs -p no:twilio_mock",
            "no_plugin_s": round(med["no plugin"], 3),
            "value": round(plugin_s, 3),
            "unit": "s/run",
            "budget": "(reported)",
            "ok": True,
        },
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer tests and rounds")
    parser.add_argument("--json", type=Path, default=HERE / "plugin_results.json")
    args = parser.parse_args(argv)
    s = SETTINGS["quick" if args.quick else "full"]
    started = time.perf_counter()
    rows = bench_fixture(s["tests"], s["rounds"])
    from benchmarks.cassette_bench import bench_replay

    rows.append(bench_replay(s["requests"], s["repeats"]))
    return finish(rows, quick=args.quick, started=started, path=args.json)


if __name__ == "__main__":
    sys.exit(main())
