"""The hypothesis profiles: one place registers them, an environment variable picks one, the
suite's conftest loads it, and CI runs with ``ci``."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from twilio_mock import hypothesis_profiles
from twilio_mock.hypothesis_profiles import ENV, load, max_examples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore() -> Iterator[None]:
    """Put back the session's profile after a test that loads another."""
    before = settings._current_profile  # type: ignore[attr-defined]
    yield
    settings.load_profile(before)


def test_the_suite_runs_under_the_profile_the_environment_names() -> None:
    assert settings._current_profile == (os.environ.get(ENV) or "dev")  # type: ignore[attr-defined]


def test_ci_is_derandomized_bounded_and_prints_blobs(restore: None) -> None:
    assert load("ci") == "ci"
    current = settings.default
    assert current.derandomize and current.print_blob and current.deadline is None
    assert current.database is None and current.max_examples == 100
    assert max_examples(2) == 200 and max_examples(0.001) == 1


def test_deep_has_many_more_examples_than_dev(restore: None) -> None:
    load("dev")
    dev = settings.default.max_examples
    load("deep")
    assert settings.default.max_examples >= 10 * dev and not settings.default.derandomize


def test_the_environment_variable_picks_the_profile(restore: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "deep")
    assert load() == "deep" and settings.default.max_examples == 2000
    monkeypatch.delenv(ENV)
    assert load() == "dev"


def test_an_unknown_profile_is_refused(restore: None) -> None:
    with pytest.raises(ValueError, match="unknown hypothesis profile 'fast'.*ci, dev, deep"):
        load("fast")


def test_hypothesis_own_option_selects_a_registered_profile(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("from twilio_mock.hypothesis_profiles import register\nregister()\n")
    pytester.makepyfile(
        "from hypothesis import settings\n"
        "def test_profile():\n"
        "    assert settings.default.derandomize and settings.default.max_examples == 100\n"
    )
    pytester.runpytest("--hypothesis-profile", "ci", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_ci_selects_the_ci_profile() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    tests_at = script.index("install_and_test\n", script.index('echo "== tests"'))
    assert f"export {ENV}=ci\n" in script[script.index('echo "== tests"') : tests_at]


def test_the_module_says_what_to_install_without_hypothesis(tmp_path: Path) -> None:
    (tmp_path / "hypothesis.py").write_text("raise ImportError('no hypothesis here')\n")
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import twilio_mock.hypothesis_profiles"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and "pip install hypothesis" in done.stderr
    assert hypothesis_profiles.DEFAULT == "dev"
