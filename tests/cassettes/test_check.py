"""``twilio-mock cassettes check DIR``: recorded answers against the API description."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.cassettes.sample import SAMPLE
from tests.ways_in.process import run


def _drift(folder: Path) -> Path:
    """The sample with a message create's answer drifted: a field more, one less, one retyped,
    a list record retyped and a request no operation answers."""
    document = yaml.safe_load(SAMPLE.read_text())
    created = document["interactions"][0]["response"]["json"]
    created["tags"] = ["new"]
    del created["status"]
    created["num_segments"] = 1
    document["interactions"][2]["response"]["json"]["messages"][0]["error_code"] = "30001"
    document["interactions"].append(
        {
            "request": {
                "method": "GET",
                "url": "https://api.twilio.com/2010-04-01/Nowhere.json",
                "headers": {},
            },
            "response": {"status": 200, "headers": {}, "json": {"x": 1}},
        }
    )
    path = folder / "nested" / "drifted.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_a_clean_folder_passes() -> None:
    done = run("cassettes", "check", str(SAMPLE.parent))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 interactions in 1 cassette checked: 0 drifted" in done.stdout


def test_drift_is_reported_per_interaction(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "clean.yaml")
    drifted = _drift(tmp_path)
    done = run("cassettes", "check", str(tmp_path))
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert f"{drifted} #1 POST https://api.twilio.com/2010-04-01/Accounts/" in out
    assert "(api v2010 Accounts/{AccountSid}/Messages create)" in out
    assert "  unknown field: tags" in out and "  missing field: status" in out
    assert "  wrong type: num_segments is integer; the description says string" in out
    assert f"{drifted} #3 GET" in out
    assert "  wrong type: messages[0].error_code is string; the description says integer" in out
    assert f"{drifted} #5 GET https://api.twilio.com/2010-04-01/Nowhere.json" in out
    assert "no operation of the description answers it" in out
    assert "clean.yaml" not in out.replace("checked", "")
    assert "9 interactions in 2 cassettes checked: 3 drifted" in out


def test_unreadable_input_is_exit_status_2(tmp_path: Path) -> None:
    assert run("cassettes", "check", str(tmp_path / "missing")).returncode == 2
    shutil.copy(SAMPLE, tmp_path / "fine.yaml")
    (tmp_path / "broken.yaml").write_text("format: [unclosed\n")
    done = run("cassettes", "check", str(tmp_path))
    assert done.returncode == 2
    assert "broken.yaml: not YAML" in done.stderr and "1 cassette unreadable" in done.stdout
