"""Run every benchmark of ``twilio_sdk`` against the official ``twilio`` package.

Usage: ``python benchmarks/run.py [--quick] [--only KEY ...] [--json PATH] [--markdown] [--strict]``.
Prints a table (measurement, ours, official, ratio, budget, pass/fail) and writes JSON.
Exit status: 2 if a sanity check failed, 1 if ``--strict`` and a budget was missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    # Run as a script: import this directory as the ``benchmarks`` package.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(HERE.parent))

from benchmarks import calls, footprint, startup  # noqa: E402
from benchmarks.report import Result, SanityError, markdown, table, write_json  # noqa: E402

SETTINGS = {
    "full": {
        "startup_runs": 11,
        "domain_runs": 11,
        "create_responses_calls": 2000,
        "create_responses_repeats": 7,
        "create_stub_calls": 20000,
        "create_stub_repeats": 7,
        "list_lists": 20,
        "list_repeats": 7,
    },
    "quick": {
        "startup_runs": 5,
        "domain_runs": 5,
        "create_responses_calls": 300,
        "create_responses_repeats": 3,
        "create_stub_calls": 2000,
        "create_stub_repeats": 3,
        "list_lists": 3,
        "list_repeats": 3,
    },
}
KEYS = ("startup", "domains", "size", "create_responses", "create_stub", "list")


def plan(s: dict[str, int]) -> dict[str, Callable[[], list[Result]]]:
    return {
        "startup": lambda: [startup.measure_startup(s["startup_runs"])],
        "domains": lambda: list(startup.measure_domains(s["domain_runs"])),
        "size": lambda: [footprint.measure_size()],
        "create_responses": lambda: [
            calls.measure_create_responses(s["create_responses_calls"], s["create_responses_repeats"])
        ],
        "create_stub": lambda: [calls.measure_create_stub(s["create_stub_calls"], s["create_stub_repeats"])],
        "list": lambda: calls.measure_list_stub(s["list_lists"], s["list_repeats"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer runs and repeats (a smoke test, < 60 s)")
    parser.add_argument("--only", nargs="+", choices=KEYS, help="run only these groups")
    parser.add_argument("--json", type=Path, default=HERE / "results.json", help="where to write the results")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args(argv)

    mode = "quick" if args.quick else "full"
    settings = SETTINGS[mode]
    started = time.perf_counter()
    results: list[Result] = []
    steps = plan(settings)
    try:
        for key in args.only or KEYS:
            t0 = time.perf_counter()
            print(f"[{mode}] {key} ...", end=" ", flush=True, file=sys.stderr)
            results.extend(steps[key]())
            print(f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    except SanityError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(table(results))
    if args.markdown:
        print("\n" + markdown(results))
    missed = [r.key for r in results if not r.passed]
    print(f"\n{mode} mode, {elapsed:.1f} s; budgets missed: {', '.join(missed) or 'none'}")
    write_json(args.json, results, mode, elapsed, settings)
    print(f"results written to {args.json}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
