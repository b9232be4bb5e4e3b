"""The messaging benchmark harness still measures what it says, at sizes too small to time."""

from __future__ import annotations

from benchmarks import messaging_bench as bench
from benchmarks.report import rows_table


def test_advance_measures_events_that_fire_over_senders_the_account_bought() -> None:
    row = bench.measure_advance(300, steps=2, senders=30)
    assert row["pending"] == 300
    assert row["scheduled"] >= 30  # every sender's first message is scheduled to start
    assert row["events_per_step"] >= 30


def test_delivery_and_callback_rows_count_signed_deliveries_into_the_app() -> None:
    delivery = bench.bench_delivery(20, 1)
    assert delivery["value"] > 0 and delivery["bare_per_s"] > 0
    callbacks = bench.bench_callbacks(10)
    assert callbacks["callbacks"] == 30  # sending, sent, delivered: three callbacks per message


def test_the_interceptor_row_checks_its_callbacks_went_out() -> None:
    row = bench.bench_interceptor(10, 1)
    assert row["budget"] == "<= 1.5" and row["ok"] == (row["value"] <= 1.5)
    assert rows_table([row]).splitlines()[2].startswith("messages.create via mock()")
