"""The response value a transport returns (the official interface)."""

from __future__ import annotations

from typing import Any

__all__ = ["Response", "body_text"]


class Response:
    """An HTTP response: ``status_code``, ``text`` and ``headers``. A body given as ``None``
    (a 204) reads as ``""``."""

    def __init__(self, status_code: int, text: str | None, headers: Any = None) -> None:
        self.status_code = status_code
        self.content = text if text is not None else ""
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


def body_text(response: Any) -> str:
    """The body of any official-interface response as text: custom transports (and the
    official package's ``Response``) may hand back ``None`` for an empty body."""
    text = response.text
    if isinstance(text, str):
        return text
    if text is None:
        return ""
    if isinstance(text, (bytes, bytearray)):
        return bytes(text).decode("utf-8", "replace")
    return str(text)
