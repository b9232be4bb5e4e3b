"""The request value the client records as ``last_request``."""

from __future__ import annotations

from typing import Any

__all__ = ["Request"]


class Request:
    """One HTTP request as handed to the transport."""

    __slots__ = ("method", "url", "params", "data", "headers", "auth")

    def __init__(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.params = params
        self.data = data
        self.headers: dict[str, str] = headers if headers is not None else {}
        self.auth = auth

    @property
    def full_url(self) -> str:
        """The URL with the query parameters appended, as it goes on the wire."""
        if not self.params:
            return self.url
        from urllib.parse import urlencode

        return f"{self.url}{'&' if '?' in self.url else '?'}{urlencode(self.params, doseq=True)}"

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.url}>"
