"""The response value a transport returns (the official interface)."""

from __future__ import annotations

from typing import Any


class Response:
    """An HTTP response: ``status_code``, ``text`` and ``headers``."""

    def __init__(self, status_code: int, text: str, headers: Any = None) -> None:
        self.status_code = status_code
        self.content = text
        self.headers: Any = headers if headers is not None else {}
        self.cached = False

    @property
    def text(self) -> str:
        return self.content

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def __repr__(self) -> str:
        return f"HTTP {self.status_code} {self.content[:200]}"
