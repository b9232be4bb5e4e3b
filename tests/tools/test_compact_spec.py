"""tools/compact_spec.py refuses to run without a source instead of emptying ``_spec/``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "compact_spec.py"
SPEC = ROOT / "twilio_sdk" / "_spec"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("check", [False, True], ids=["write", "check"])
@pytest.mark.parametrize("source", ["empty", "missing", "unrelated"])
def test_no_openapi_source_fails_clearly_and_touches_nothing(
    tmp_path: Path, source: str, check: bool
) -> None:
    oai = tmp_path / "oai"
    if source != "missing":
        oai.mkdir()
    if source == "unrelated":
        (oai / "README.md").write_text("not a spec\n")
    out = tmp_path / "spec"
    shutil.copytree(SPEC, out)
    before = snapshot(out)
    assert len(before) == len(list(SPEC.glob("*.json")))
    args = [sys.executable, str(TOOL), "--oai", str(oai), "--out", str(out), *(["--check"] if check else [])]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0, done.stderr
    state = "does not exist" if source == "missing" else "holds no twilio_*.json files"
    assert f"{oai} {state}" in done.stderr and "Nothing was written" in done.stderr
    assert "differs" not in done.stderr
    assert snapshot(out) == before
