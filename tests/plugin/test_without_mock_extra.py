"""The plugin loads in every pytest run where twilio-toolkit is installed, the ``mock`` extra or
not: without it the run is untouched (no error, no warning, no guard) and the fixtures say what
to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_without_the_mock_extra_the_plugin_is_inert(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "-e", str(ROOT), "pytest"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    missing = subprocess.run([python, "-c", "import responses"], capture_output=True, text=True)
    assert missing.returncode != 0  # the environment really lacks the mock extra
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "test_plain.py").write_text("def test_plain():\n    assert True\n")
    (suite / "test_fixture.py").write_text("def test_uses_it(twilio_mock):\n    pass\n")
    plain = subprocess.run(
        [python, "-m", "pytest", "-W", "error", "-p", "no:cacheprovider", "test_plain.py"],
        cwd=suite,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "warning" not in plain.stdout.lower()
    listed = subprocess.run(
        [python, "-m", "pytest", "--trace-config", "-p", "no:cacheprovider", "--co", "-q"],
        cwd=suite,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "pytest_plugin.plugin" in listed.stdout  # loaded, through the pytest11 entry point
    used = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "test_fixture.py"],
        cwd=suite,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert used.returncode == 1
    assert "need the mock extra: pip install 'twilio-toolkit[mock]'" in used.stdout
