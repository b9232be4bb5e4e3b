"""When and how long to wait before sending a request again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES_IDEMPOTENT = frozenset({502, 503, 504})


class RetryPolicy:
    """Full-jitter exponential backoff: retry ``n`` waits ``random() * min(max_delay,
    base * 2**n)`` seconds (the official node formula), or ``Retry-After`` when the
    response carries one (capped at ``max_retry_after``)."""

    def __init__(
        self,
        max_retries: int = 3,
        base_delay: float = 0.1,
        max_delay: float = 3.0,
        max_retry_after: float = 30.0,
        random: Callable[[], float] | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after
        self.random: Callable[[], float] = random or _random

    def delay(self, attempt: int, headers: Any = None) -> float:
        after = _retry_after(headers)
        if after is not None:
            return min(after, self.max_retry_after)
        return float(self.random() * min(self.max_delay, self.base_delay * 2**attempt))

    def should_retry_status(self, method: str, status: int) -> bool:
        if status == 429:
            return True
        return method.upper() in IDEMPOTENT and status in RETRY_STATUSES_IDEMPOTENT

    def should_retry_error(self, method: str, sent: bool) -> bool:
        """Connection errors: idempotent methods, or anything that was never sent."""
        return method.upper() in IDEMPOTENT or not sent


def _random() -> float:
    import random

    return random.random()


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    value = None
    for key in ("Retry-After", "retry-after"):
        try:
            value = headers.get(key)
        except AttributeError:
            return None
        if value:
            break
    if not value:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        import datetime as dt
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
        return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
    except (TypeError, ValueError):
        return None
