"""Every code block in the README runs as written.

The blocks run against a real ``twilio-mock serve`` on a free loopback port, with the three
variables its banner tells the reader to export (``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``,
``TWILIO_API_BASE``), from the repository root:

- ``python`` blocks run as scripts in a fresh interpreter; a block defining ``test_`` functions
  runs under pytest (and must collect at least one test);
- ``console`` blocks run each ``$`` command with bash; the output lines the README shows below a
  command must appear in its output, in order (SIDs, tokens, ports and ``...`` match anything).
  ``twilio-mock serve`` is the server already running (its banner is compared), a command ending
  in ``&`` runs in the background until the block ends;
- ``js`` blocks run with node, the official twilio package from ``examples/node``.

The few blocks that install packages or rewrite the repository are checked by the tests named in
``ELSEWHERE``, and each of those must still be in the README.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.readme.blocks import ROOT, Block, Command, blocks, commands
from tests.ways_in.process import BIN, Served, serve

# First line of a block -> the test that checks it instead.
ELSEWHERE = {
    "# 1. Install and start the offline Twilio (mock server) on http://127.0.0.1:4010": (
        "tests/readme/test_setup_commands.py: the test command is the one CI runs, and the first "
        "command installs the mock extra into a new venv and serves"
    ),
    "python tools/compact_spec.py            # writes twilio_sdk/_spec/ from ../shared/twilio-oai": (
        "tests/tools/test_compact_spec.py, and CI's own `compact_spec.py --check`"
    ),
}
LANGS = {"python", "console", "bash", "js"}
BLOCKS = blocks()
RUN = [b for b in BLOCKS if b.first.strip() not in ELSEWHERE]
SID = r"[A-Z]{2}[0-9a-f]{32}"


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    with serve("--quiet") as served:
        yield served


def _env(server: Served) -> dict[str, str]:
    env = dict(server.env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["NODE_PATH"] = str(ROOT / "examples" / "node" / "node_modules")
    env.pop("PYTHONPATH", None)
    return env


def test_every_block_is_run_or_checked_elsewhere() -> None:
    assert {b.lang for b in BLOCKS} <= LANGS, [(b.id, b.lang) for b in BLOCKS if b.lang not in LANGS]
    firsts = {b.first.strip() for b in BLOCKS}
    assert set(ELSEWHERE) <= firsts, sorted(set(ELSEWHERE) - firsts)  # no stale exception
    fences = sum(1 for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("```"))
    assert 2 * len(BLOCKS) == fences  # every fenced block was found, none swallowed by another


@pytest.mark.parametrize("block", [b for b in RUN if b.lang == "python"], ids=lambda b: b.id)
def test_python_block(block: Block, server: Served, tmp_path: Path) -> None:
    script = tmp_path / ("test_readme_block.py" if "def test_" in block.text else "readme_block.py")
    script.write_text(block.text)
    if "def test_" in block.text:
        argv = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            str(script),
        ]
    else:
        argv = [sys.executable, str(script)]
    done = subprocess.run(argv, cwd=ROOT, env=_env(server), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"README line {block.line}:\n{block.text}\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("block", [b for b in RUN if b.lang in ("console", "bash")], ids=lambda b: b.id)
def test_console_block(block: Block, server: Served) -> None:
    env = _env(server)
    background: list[subprocess.Popen[str]] = []
    steps = commands(block) if block.lang == "console" else [Command(line) for line in _bash_lines(block)]
    assert steps, f"README line {block.line}: a console block without commands"
    before = set(os.listdir(ROOT))
    try:
        for step in steps:
            _run(step, block, server, env, background)
    finally:
        for proc in background:
            proc.terminate()
            proc.wait(timeout=10)
        for made in set(os.listdir(ROOT)) - before:  # files an example wrote (a key file): not the repo's
            (ROOT / made).unlink()


def test_js_block(server: Served) -> None:
    js = [b for b in RUN if b.lang == "js"]
    assert js, "the README has no Node.js recipe"
    if shutil.which("node") is None:
        if os.environ.get("TWILIO_TOOLKIT_REQUIRE_NODE") == "1":
            pytest.fail("node is required (TWILIO_TOOLKIT_REQUIRE_NODE=1) but not installed")
        pytest.skip("node is not installed: the README's Node.js block was not run")
    if not (ROOT / "examples" / "node" / "node_modules" / "twilio").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT / "examples" / "node", check=True, timeout=300
        )
    for block in js:
        done = subprocess.run(
            ["node", "-e", block.text], cwd=ROOT, env=_env(server), capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, f"README line {block.line}:\n{done.stdout}\n{done.stderr}"


def _bash_lines(block: Block) -> list[str]:
    return [ln for ln in block.text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def _run(
    step: Command, block: Block, server: Served, env: dict[str, str], background: list[subprocess.Popen[str]]
) -> None:
    where = f"README line {block.line}: $ {step.text}"
    if re.match(r"^(pip install [^&]+&&\s*)?twilio-mock serve\b", step.text):
        output = server.output  # the server the blocks run against stands for it
    elif (bg := re.fullmatch(r"(.*[^&])&\s*(?:#.*)?", step.text.strip())) is not None:  # `cmd &  # note`
        proc = subprocess.Popen(["bash", "-c", bg[1]], cwd=ROOT, env=env, text=True)
        background.append(proc)
        _wait_for_port(step.text, proc)
        return
    else:
        done = subprocess.run(
            ["bash", "-c", step.text], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{where}\n{done.stdout}\n{done.stderr}"
        output = done.stdout + done.stderr
    _expect(step.expected, output, where)


def _wait_for_port(command: str, proc: subprocess.Popen[str]) -> None:
    port = re.search(r"--port (\d+)", command)
    if port is None:
        time.sleep(1)
        return
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"`{command}` exited with {proc.returncode}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", int(port[1]))) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"`{command}` did not listen on port {port[1]}")


def _pattern(line: str) -> re.Pattern[str]:
    text = re.escape(line.strip())
    text = text.replace(re.escape("..."), ".*?")
    text = re.sub(r"[A-Z]{2}[0-9a-f]{32}", SID, text)
    text = re.sub(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])", "[0-9a-f]{32}", text)
    text = text.replace(re.escape("127.0.0.1:4010"), r"127\.0\.0\.1:\d+")
    return re.compile(text)


def _expect(expected: list[str], output: str, where: str) -> None:
    lines = [ln.strip() for ln in output.splitlines()]
    at = 0
    for want in expected:
        if want.strip() in ("", "..."):
            continue
        pattern = _pattern(want)
        found = next((i for i in range(at, len(lines)) if pattern.fullmatch(lines[i])), None)
        assert found is not None, f"{where}\nthe README shows {want.strip()!r}; the output was:\n{output}"
        at = found + 1
