"""The voice benchmark harness still measures what it says, at sizes too small to time."""

from __future__ import annotations

from benchmarks import voice_bench as bench


def test_the_call_row_runs_ten_verbs_end_to_end() -> None:
    row = bench.bench_calls(2, 1)
    assert row["value"] > 0 and row["verbs_per_s"] > row["value"]


def test_one_delivery_per_fetch_is_checked() -> None:
    row = bench.bench_round_trips(3)
    assert row["ok"] and row["fetches"] == row["deliveries"] == 9
