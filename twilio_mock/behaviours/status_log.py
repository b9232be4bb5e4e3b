"""The statuses each message or call went through, with the virtual-clock time of each.

What the inbox page shows as a record's status history. It is a view, not state: a reset
forgets it and a snapshot does not keep it (a restored record shows what its dates say).
"""

from __future__ import annotations

from typing import Any

MAX_RECORDS = 100_000  # SIDs kept; the oldest are forgotten first


class StatusLog:
    """``note(sid, status, time)``; ``of(sid)``: ``[(status, time), ...]``, oldest first."""

    def __init__(self, max_records: int = MAX_RECORDS) -> None:
        self.max_records = max_records
        self._steps: dict[str, list[tuple[str, float]]] = {}

    def note(self, sid: str, status: str, time: float, before: tuple[Any, Any] | None = None) -> None:
        """``status`` reached at ``time``; ``before``: the ``(status, time)`` it left, noted
        first when nothing is known of ``sid`` yet (its creation)."""
        steps = self._steps.get(sid)
        if steps is None:
            if len(self._steps) >= self.max_records:
                del self._steps[next(iter(self._steps))]
            steps = self._steps[sid] = []
            if before is not None and before[0]:
                steps.append((str(before[0]), float(before[1] or time)))
        if not steps or steps[-1][0] != status:
            steps.append((status, float(time)))

    def of(self, sid: str) -> list[tuple[str, float]]:
        return list(self._steps.get(sid, ()))

    def clear(self) -> None:
        self._steps.clear()

    def __len__(self) -> int:
        return len(self._steps)
