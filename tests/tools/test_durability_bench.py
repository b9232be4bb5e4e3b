"""The durability and soak harness still measures what it says, at sizes too small to time."""

from __future__ import annotations

from benchmarks import durability_bench as bench
from benchmarks import server_load as load


def test_crash_rounds_kill_the_server_and_find_every_acknowledged_write() -> None:
    # Seed 11 kills after 69 acknowledged creates: past 2 x 18, so one writer's first delete
    # (its 20th write, after 18 creates) was answered whatever the threads' pace.
    row = bench.bench_crashes(threads=2, writes=60, rounds=1)
    assert row["ok"] and row["value"] == 0
    assert row["acked_creates"] >= row["kills_after_creates"][0] // 2  # the kill came mid-load
    assert row["acked_deletes"] > 0


def test_verify_notices_a_lost_write() -> None:
    server = load.start()
    try:
        ledger = load.Ledger()
        load.drive(server, ledger, threads=1, writes=5)
        assert load.verify(server, ledger)["lost"] == 0
        ledger.acked["SM" + "0" * 32] = {"sid": "SM" + "0" * 32}  # acknowledged, never stored
        assert load.verify(server, ledger)["lost"] == 1
    finally:
        assert server.stop() == 0


def test_soak_reports_latency_per_kind_and_counts_errors() -> None:
    row = bench.bench_soak(threads=2, writes=30, readers=1, deadline=30)
    assert row["ok"] and row["statuses"].get("201") == 60
    assert row["create_p50_ms"] <= row["create_p99_ms"]
    assert "list_p50_ms" in row and row["list_p50_ms"] <= row["list_p99_ms"]


def test_mechanism_rows_time_a_commit() -> None:
    rows = bench.bench_mechanism(records=5)
    assert [r["key"] for r in rows] == ["commit_log_1", "commit_log_8", "commit_sqlite_1", "commit_sqlite_8"]
    assert all(r["value"] > 0 for r in rows)
