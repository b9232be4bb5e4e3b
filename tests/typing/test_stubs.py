"""The generated typing layer (``twilio_sdk/_types``, ``tools/typing_stubs.py``): current with
the description, never imported at run time, true to the runtime objects, and strict where it
matters to a user: in mypy and pyright, ``tests/typing/usage.py`` is clean and every marked line
of ``tests/typing/mistakes.py`` (a misspelled method, keyword or attribute, a missing required
argument, a wrong enum value or type) is an error, and no other line is."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.typing import usage
from twilio_mock import AsyncMockTransport, Backend, MockTransport
from twilio_sdk import Client

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MISTAKES = HERE / "mistakes.py"
MARK = re.compile(r"#\s*error: (\w+)")


def _marked() -> dict[int, str]:
    lines = MISTAKES.read_text().splitlines()
    return {n: m.group(1) for n, line in enumerate(lines, 1) if (m := MARK.search(line))}


def test_the_stubs_match_the_description() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "typing_stubs.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_stubs_are_never_imported_at_run_time() -> None:
    code = (
        "import sys; from twilio_sdk import Client; c = Client('AC' + '1' * 32, 't', environment={}); "
        "c.messages; c.verify.v2.services; print(sorted(m for m in sys.modules if '_types' in m))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_typed_paths_run_against_the_mock_with_the_types_they_declare() -> None:
    backend = Backend(seed=5)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    sids = usage.messages(client)
    assert sids and all(isinstance(s, str) for s in sids)
    assert usage.calls(client) == 1
    assert usage.verify(client) == "pending"
    usage.attributes(client)
    aclient = Client(
        backend.account_sid, backend.auth_token, http_client=AsyncMockTransport(backend), environment={}
    )
    found = asyncio.run(usage.asynchronous(aclient))
    assert len(found) == 3 and all(s.startswith("SM") for s in found)


def test_mypy_is_clean_on_usage_and_flags_every_mistake() -> None:
    from mypy import api

    out, _err, _status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),  # strict, as CI runs it
            "--no-error-summary",
            "--show-column-numbers",
            str(HERE / "usage.py"),
            str(MISTAKES),
        ]
    )
    errors: dict[int, list[str]] = {}
    for line in out.splitlines():
        m = re.match(r"(.+?):(\d+):\d+: error: (.*)", line)
        assert m is not None or ": note:" in line, line
        if m is not None:
            assert Path(m.group(1)).name == "mistakes.py", line  # usage.py: clean
            errors.setdefault(int(m.group(2)), []).append(m.group(3))
    marked = _marked()
    assert set(errors) == set(marked), (errors, marked)
    for number, word in marked.items():
        assert any(word in text for text in errors[number]), (number, word, errors[number])


def test_pyright_is_clean_on_usage_and_flags_every_mistake() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", str(HERE / "usage.py"), str(MISTAKES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    report = json.loads(done.stdout)
    errors: dict[int, list[str]] = {}
    for item in report["generalDiagnostics"]:
        if item["severity"] != "error":
            continue
        assert Path(item["file"]).name == "mistakes.py", item  # usage.py: clean
        errors.setdefault(item["range"]["start"]["line"] + 1, []).append(item["message"])
    marked = _marked()
    assert set(errors) == set(marked), (errors, marked)
