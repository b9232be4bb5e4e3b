"""Lazy by default, and imports flow one way (DESIGN.md §2, §6)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


def test_import_loads_no_description_and_no_requests() -> None:
    out = run(
        "import sys, twilio_sdk\n"
        "print('requests' in sys.modules, 'twilio_sdk.spec' in sys.modules, 'twilio_sdk._client' in sys.modules)"
    )
    assert out.split() == ["False", "False", "False"]


def test_client_and_navigation_do_not_import_requests_or_other_domains() -> None:
    out = run(
        "import sys\n"
        "from twilio_sdk import Client\n"
        "c = Client('AC' + 'a' * 32, 't', environment={})\n"
        "c.messages\n"
        "import twilio_sdk.spec as s\n"
        "print('requests' in sys.modules, sorted(k[0] for k in s._versions))"
    )
    assert out.strip() == "False ['api']"


def imports_of(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_imports_flow_one_way() -> None:
    assert not imports_of("twilio_sdk") & {"twilio_mock", "pytest_plugin", "twilio", "responses", "pytest"}
    if (ROOT / "twilio_mock").exists():
        assert "pytest_plugin" not in imports_of("twilio_mock")


def test_a_mock_backend_imports_no_http_client_and_no_jwt_until_it_needs_them() -> None:
    out = run(
        "import sys\n"
        "from twilio_mock.backend import Backend\n"
        "Backend(seed=1)\n"
        "print([m for m in ('jwt', 'requests', 'responses', 'aiohttp', 'werkzeug') if m in sys.modules])"
    )
    assert out.strip() == "[]"
