"""The plugin's settings: command-line options and ini keys with the same names, and marks
combined from the broadest scope (module) to the narrowest (function), as pytest-recording's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

RECORD_MODES = ("none", "once", "new_episodes", "all", "rewrite")
# name -> (help, default, kind): "--twilio-<name>" on the command line, "twilio_<name>" in ini.
OPTIONS: dict[str, tuple[str, Any, str]] = {
    "mock-seed": ("seed of each test's fake Twilio (SIDs, tokens, clock)", "0", "string"),
    "mock-state": ("a snapshot file every test's fake Twilio starts from", None, "string"),
    "record-mode": (
        f"cassette record mode: {'|'.join(RECORD_MODES)} (default none: replay only)",
        "none",
        "string",
    ),
    "cassette-dir": ("where cassettes live (default: 'cassettes' beside each test module)", None, "string"),
    "record-url": (
        "record cassettes against this twilio-mock serve URL instead of the real Twilio",
        None,
        "string",
    ),
    "block-network": ("refuse every host but loopback during the run", False, "bool"),
    "real": ("let the run reach the real Twilio (no guard)", False, "bool"),
}


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("twilio_mock", "fake Twilio (twilio-toolkit)")
    for name, (help_text, default, kind) in OPTIONS.items():
        flag, key = f"--twilio-{name}", "twilio_" + name.replace("-", "_")
        if kind == "bool":
            group.addoption(flag, action="store_true", default=None, help=help_text)
            parser.addini(key, help_text, type="bool", default=default)
        else:
            choices = RECORD_MODES if name == "record-mode" else None
            group.addoption(flag, default=None, choices=choices, help=f"{help_text} (ini: {key})")
            parser.addini(key, help_text, default=default)


def option(config: pytest.Config, name: str) -> Any:
    """The command line's value, else the ini file's, else the default."""
    given = config.getoption("twilio_" + name.replace("-", "_"))
    if given is not None:
        return given
    return config.getini("twilio_" + name.replace("-", "_"))


def marked(node: pytest.Item, name: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The positional arguments of the closest ``name`` mark, and the keyword arguments of all of
    them, the narrowest winning."""
    marks = list(node.iter_markers(name))
    merged: dict[str, Any] = {}
    for mark in reversed(marks):
        merged.update(mark.kwargs)
    return (marks[0].args if marks else ()), merged


def find_file(config: pytest.Config, node: pytest.Item, name: str) -> Path:
    """A file named in a mark or option: as given if absolute, else beside the test module, else
    under the rootdir."""
    path = Path(name)
    if path.is_absolute():
        return path
    beside = node.path.parent / path
    return beside if beside.exists() else config.rootpath / path
