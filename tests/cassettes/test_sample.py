"""The committed sample cassette ``fixtures/cassettes/sample.yaml`` replays with no network, and
is exactly what the engine records (how it was recorded: :mod:`tests.cassettes.sample`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.cassettes.conftest import network_off, other_client
from tests.cassettes.sample import BODY, SAMPLE, record, scenario
from twilio_mock.cassettes import use_cassette

STAMP = re.compile(r"recorded_at: .*")


def test_the_sample_replays_with_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = network_off(monkeypatch)
    before = SAMPLE.read_bytes()
    client = other_client()
    with use_cassette(SAMPLE) as cassette:
        seen = scenario(client)
    assert attempts == [] and SAMPLE.read_bytes() == before
    assert len(cassette.played) == 4 and cassette.recorded == []
    assert seen["status"] == "queued" and seen["body"] == BODY and seen["listed"] == [seen["message"]]
    assert seen["service"].startswith("VA") and seen["service_name"] == "Sample sign-in"


def test_the_sample_is_what_the_engine_records(tmp_path: Path) -> None:
    fresh = tmp_path / "sample.yaml"
    record(fresh)
    assert STAMP.sub("", fresh.read_text()) == STAMP.sub("", SAMPLE.read_text()), (
        "fixtures/cassettes/sample.yaml is stale: python -m tests.cassettes.sample"
    )
