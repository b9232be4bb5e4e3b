"""The README's fenced code blocks, and the commands and expected output of its console blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
_FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Block:
    lang: str
    line: int  # where the block's first line of code is
    text: str
    heading: str

    @property
    def id(self) -> str:
        return f"L{self.line}-{self.lang}"

    @property
    def first(self) -> str:
        return next((ln for ln in self.text.splitlines() if ln.strip()), "")


@dataclass
class Command:
    text: str  # the command as bash runs it (continuation lines joined)
    expected: list[str] = field(default_factory=list)  # output lines shown after it


def blocks(path: Path = README) -> list[Block]:
    out: list[Block] = []
    heading = ""
    current: list[str] | None = None
    lang = ""
    start = 0
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        fence = _FENCE.match(raw)
        if current is None:
            if raw.startswith("#"):
                heading = raw.lstrip("#").strip()
            elif fence:
                current, lang, start = [], fence[1], number + 1
        elif raw.startswith("```"):
            out.append(Block(lang, start, "\n".join(current) + "\n", heading))
            current = None
        else:
            current.append(raw)
    return out


def commands(block: Block) -> list[Command]:
    """A console block's ``$ `` commands, each with the output lines shown below it."""
    out: list[Command] = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            text = line[2:]
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1] + " " + lines[i].strip()
            out.append(Command(text))
        elif out and line.strip():
            out[-1].expected.append(line)
        i += 1
    return out
