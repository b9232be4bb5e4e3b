"""The request value the client records as ``last_request``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Request:
    """One HTTP request as handed to the transport."""

    method: str
    url: str
    params: dict[str, Any] | None = None
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
