"""Rules a test adds while a backend runs (messaging's delivery rules, voice's answer rules,
Verify's limits): each checked when added, kept oldest first, the newest match winning."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

Rule = dict[str, Any]


class RuleBook:
    """``check`` turns a mapping into a rule or raises ``ValueError``; ``items`` is the list
    itself (read it under the core's lock)."""

    def __init__(self, lock: threading.RLock, check: Callable[[Mapping[str, Any]], Rule]) -> None:
        self._lock = lock
        self._check = check
        self.items: list[Rule] = []

    def add(self, rule: Mapping[str, Any]) -> Rule:
        """Check ``rule`` and keep it; returns a copy."""
        checked = self._check(rule)
        with self._lock:
            self.items.append(checked)
        return dict(checked)

    def copies(self) -> list[Rule]:
        """The rules, oldest first (copies)."""
        return [dict(r) for r in self.items]

    def clear(self) -> None:
        with self._lock:
            self.items = []

    def load(self, rules: Iterable[Mapping[str, Any]]) -> None:
        """Replace the rules with ``rules`` (a snapshot's), each checked again."""
        self.items = [self._check(r) for r in rules]
