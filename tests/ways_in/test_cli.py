"""``twilio-mock`` as a user runs it: ``--version``, ``--help``, start-up failures, the banner."""

from __future__ import annotations

import socket
from importlib.metadata import version

from tests.ways_in.process import run


def test_version_prints_the_package_version() -> None:
    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"twilio-mock {version('twilio-toolkit')}"


def test_serve_help_describes_the_command() -> None:
    done = run("serve", "--help")
    assert done.returncode == 0, done.stderr
    assert "Serve a fake Twilio over HTTP" in done.stdout
    assert "--state" in done.stdout and "/__mock__/" in done.stdout


def test_port_in_use_suggests_port_zero() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run("serve", "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "--port 0" in done.stderr
    assert "Traceback" not in done.stderr
