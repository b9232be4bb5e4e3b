"""The README's two set-up commands are true: the second is exactly what CI runs, and the first
installs what the mock server needs (the ``mock`` extra alone, into a new virtual environment)
and serves a working fake Twilio."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import requests

from tests.readme.blocks import ROOT, blocks

SERVE = 'pip install -e ".[mock]" && twilio-mock serve'
TEST = 'pip install -e ".[dev]" && pytest'


def _top() -> list[str]:
    first = blocks()[0]
    return [ln for ln in first.text.splitlines() if ln.strip() and not ln.startswith("#")]


def test_the_readme_opens_with_exactly_two_set_up_commands() -> None:
    assert _top() == [SERVE, TEST]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    defined = re.search(r"install_and_test\(\) \{ (.+); \}", ci)
    assert defined is not None and defined[1].replace(" -q", "") == TEST
    assert ci.rstrip().endswith("install_and_test")


def test_the_mock_extra_alone_installs_a_working_server(tmp_path: Path) -> None:
    """The first command, in a new venv; the port is the only change (``--port 0``: 4010 may be
    taken on the machine running the tests)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e", ".[mock]"]
    installed = subprocess.run(pip, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    proc = subprocess.Popen(
        [str(venv / "bin" / "twilio-mock"), "serve", "--port", "0", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        banner = ""
        for line in proc.stdout:
            banner += line
            if "Ctrl-C" in line:
                break
        url = re.search(r"TWILIO_API_BASE=(\S+)", banner)
        sid = re.search(r"TWILIO_ACCOUNT_SID=(\S+)", banner)
        token = re.search(r"TWILIO_AUTH_TOKEN=(\S+)", banner)
        assert url and sid and token, banner
        created = requests.post(
            f"{url[1]}/api/2010-04-01/Accounts/{sid[1]}/Messages.json",
            data={"To": "+15558675310", "From": "+15017122661", "Body": "fresh venv"},
            auth=(sid[1], token[1]),
            timeout=10,
        )
        assert created.status_code == 201, created.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
