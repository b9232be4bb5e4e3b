"""Results: one row per measurement, judged against its budget, printed and saved as JSON."""

from __future__ import annotations

import json
import platform
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


class SanityError(AssertionError):
    """A benchmark did not do what it claims (no request sent, wrong record count, ...)."""


def check(condition: bool, message: str) -> None:
    """Fail loudly: a benchmark that measured the wrong thing must not print a number."""
    if not condition:
        raise SanityError(f"SANITY CHECK FAILED: {message}")


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass
class Result:
    """``ours`` and ``official`` in ``unit``; ``ratio`` is ours / official.

    ``better`` is ``"lower"`` for times, memory and sizes and ``"higher"`` for throughput;
    the budget is met when the ratio is on the right side of ``limit`` (and, if given,
    ``ours`` is within ``abs_limit``).
    """

    key: str
    name: str
    ours: float
    official: float
    unit: str
    better: str
    limit: float
    abs_limit: float | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.ours / self.official if self.official else float("inf")

    @property
    def passed(self) -> bool:
        ok = self.ratio <= self.limit if self.better == "lower" else self.ratio >= self.limit
        if self.abs_limit is not None:
            ok = ok and self.ours <= self.abs_limit
        return ok

    @property
    def budget(self) -> str:
        text = f"{'<=' if self.better == 'lower' else '>='} {self.limit:g}x"
        if self.abs_limit is not None:
            text += f" and <= {_fmt(self.abs_limit)} {self.unit}"
        return text

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.update(ratio=round(self.ratio, 4), budget=self.budget, passed=self.passed)
        return out


def _fmt(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.1f}"
    if value >= 10:
        return f"{value:.2f}"
    return f"{value:.3f}"


def table(results: list[Result]) -> str:
    """A plain-text table: measurement, ours, official, ratio, budget, pass/fail."""
    head = ("measurement", "ours", "official", "unit", "ratio", "budget", "result")
    rows = [
        (
            r.name,
            _fmt(r.ours),
            _fmt(r.official),
            r.unit,
            f"{r.ratio:.3f}x",
            r.budget,
            "PASS" if r.passed else "FAIL",
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    right = {1, 2, 4}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(head), rule, *(line(r) for r in rows)])


def markdown(results: list[Result]) -> str:
    """The same table in Markdown (for ``benchmarks/README.md``)."""
    lines = [
        "| measurement | ours | official | unit | ratio | budget | result |",
        "| --- | ---: | ---: | --- | ---: | --- | --- |",
    ]
    for r in results:
        verdict = "pass" if r.passed else "**FAIL**"
        cells = (r.name, _fmt(r.ours), _fmt(r.official), r.unit, f"{r.ratio:.3f}x", r.budget, verdict)
        lines.append("| " + " | ".join(cells).replace("<=", "≤").replace(">=", "≥") + " |")
    return "\n".join(lines)


def environment() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    versions: dict[str, str | None] = {}
    for dist in ("twilio", "twilio-toolkit", "requests", "responses"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "versions": versions,
    }


def write_json(
    path: Path, results: list[Result], mode: str, elapsed: float, settings: dict[str, Any]
) -> None:
    document = {
        "mode": mode,
        "elapsed_s": round(elapsed, 2),
        "settings": settings,
        "environment": environment(),
        "all_passed": all(r.passed for r in results),
        "results": [r.to_json() for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def rows_table(rows: list[dict[str, Any]]) -> str:
    """The standalone harnesses' table: one row per dict with what / value / unit / budget / ok
    (``ok`` ``None``: the row was skipped, its ``value`` says why)."""
    width = max([len("measurement")] + [len(str(row["what"])) for row in rows])
    head = f"{'measurement':<{width}} {'value':>10}  {'unit':<10} {'budget':<22} ok"
    lines = [head, "-" * len(head)]
    for row in rows:
        ok = "skipped" if row["ok"] is None else "yes" if row["ok"] else "NO"
        lines.append(f"{row['what']:<{width}} {row['value']:>10}  {row['unit']:<10} {row['budget']:<22} {ok}")
    return "\n".join(lines)


def finish(
    rows: list[dict[str, Any]], *, quick: bool, started: float, path: Path, detail_keys: tuple[str, ...] = ()
) -> int:
    """Print the table (and the detail fields ending in ``detail_keys``), write the JSON to
    ``path``; the exit status: 1 if a row missed its budget."""
    import sys
    import time

    print(rows_table(rows))
    if detail_keys:
        details = {k: v for row in rows for k, v in row.items() if k.endswith(detail_keys)}
        print("details:", json.dumps(details))
    payload = {
        "mode": "quick" if quick else "full",
        "python": sys.version.split()[0],
        "seconds": round(time.perf_counter() - started, 1),
        "results": rows,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {path} in {payload['seconds']} s")
    return 0 if all(row["ok"] is not False for row in rows) else 1  # None: skipped, said so
