"""Installed size: the package directory without ``__pycache__`` (sum of file sizes)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from benchmarks.report import Result, check

MAX_BYTES = 2_400_000  # the design's absolute cap, 2.4 MB (decimal)


def package_dir(name: str) -> Path:
    """Where ``name`` is installed, found without importing it."""
    spec = importlib.util.find_spec(name)
    check(spec is not None and bool(spec.submodule_search_locations), f"package {name!r} not found")
    assert spec is not None and spec.submodule_search_locations is not None
    return Path(next(iter(spec.submodule_search_locations)))


def tree_size(root: Path) -> tuple[int, int]:
    """Total bytes and file count under ``root``, skipping ``__pycache__`` directories."""
    total = files = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            total += (Path(folder) / name).stat().st_size
            files += 1
    return total, files


def measure_size() -> Result:
    """4. ``twilio_sdk`` (source + ``_spec``) vs the official ``twilio`` package."""
    ours_dir, official_dir = package_dir("twilio_sdk"), package_dir("twilio")
    ours, ours_files = tree_size(ours_dir)
    official, official_files = tree_size(official_dir)
    spec_bytes, spec_files = tree_size(ours_dir / "_spec")
    check(spec_files > 0, f"no API description under {ours_dir / '_spec'}")
    check(official_files > 100, f"the official package at {official_dir} looks incomplete")
    mb = 1_000_000
    return Result(
        "size",
        "installed size (package dir, no __pycache__)",
        ours / mb,
        official / mb,
        "MB",
        "lower",
        0.1,
        abs_limit=MAX_BYTES / mb,
        notes={
            "ours_bytes": ours,
            "ours_files": ours_files,
            "ours_spec_bytes": spec_bytes,
            "ours_spec_files": spec_files,
            "official_bytes": official,
            "official_files": official_files,
            "ours_dir": str(ours_dir),
            "official_dir": str(official_dir),
        },
    )
