"""The mock server's loopback rows measure what they say, at sizes too small to time, and never
need Prism: without it the rows judged against Prism say why they were skipped."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks import prism_server
from benchmarks.loopback import tree_cpu
from benchmarks.mock_loopback import bench_server
from benchmarks.report import finish, rows_table


def test_prism_missing_is_a_reason_not_a_number(tmp_path: Path) -> None:
    missing = tmp_path / "twilio_api_v2010.json"
    reason = prism_server.unavailable_reason(missing)
    assert reason is not None
    try:
        prism_server.start(missing)
    except prism_server.Unavailable as exc:
        assert str(exc) == reason
    else:  # pragma: no cover - the assertion below says what went wrong
        raise AssertionError("Prism started on a file that does not exist")


def test_rows_without_prism_are_skipped_with_the_reason(tmp_path: Path) -> None:
    rows = bench_server(20, prism_spec=tmp_path / "missing.json")
    by_key = {row["key"]: row for row in rows}
    assert by_key["prism"]["ok"] is None and by_key["prism"]["value"].startswith("skipped: ")
    for key in ("server_creates_per_s_http", "server_cpu_us_per_create"):
        assert by_key[key]["ok"] is None and by_key[key]["budget"].startswith("skipped: ")
        assert by_key[key]["peer_prism"] is None
    assert by_key["server_creates_per_s_http"]["value"] > 0  # the mock's own figure is still there
    session = by_key["server_creates_per_s_requests"]
    assert session["value"] > 0 and session["client_ceiling_per_s"] > 0
    assert session["ratio_vs_do_nothing"] == round(session["value"] / session["client_ceiling_per_s"], 2)
    assert "skipped" in rows_table(rows)
    status = finish(rows, quick=True, started=0.0, path=tmp_path / "out.json")
    assert status == 0  # a skipped row is no miss; a missed budget would make it 1
    assert finish([{**rows[0], "ok": False}], quick=True, started=0.0, path=tmp_path / "o.json") == 1


def test_server_cpu_counts_this_process() -> None:
    spent = tree_cpu(os.getpid())
    assert spent is not None and spent > 0
