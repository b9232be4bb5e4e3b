"""How a request is authenticated when a credential provider is used: a cached bearer token."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import jwt as pyjwt

__all__ = ["AuthStrategy", "NoAuthStrategy", "TokenAuthStrategy", "TokenManager"]

#: Seconds before ``exp`` at which a cached token is already treated as expired.
DEFAULT_REFRESH_MARGIN = 30.0


class TokenManager(Protocol):
    """Anything that can fetch a fresh access token."""

    def fetch_access_token(self) -> str: ...


class AuthStrategy:
    """What the client puts in the ``Authorization`` header."""

    auth_type = "none"

    def get_auth_string(self) -> str:
        return ""

    def requires_authentication(self) -> bool:
        return False


class NoAuthStrategy(AuthStrategy):
    """No ``Authorization`` header (the token endpoint itself takes the secret in the form)."""


def token_expiry(token: str | None) -> float | None:
    """The ``exp`` of a JWT, read without verifying the signature; ``None`` if there is none."""
    if not token:
        return None
    try:
        exp = pyjwt.decode(token, options={"verify_signature": False}).get("exp")
    except pyjwt.PyJWTError:
        return None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return float(exp)


class TokenAuthStrategy(AuthStrategy):
    """``Bearer <token>``, fetched from ``token_manager`` on first use and again when the
    cached token is missing, not a JWT, has no ``exp``, or expires within ``refresh_margin``
    seconds of ``clock()``. Safe to share between threads: one thread refetches, the others wait.
    """

    auth_type = "token"

    def __init__(
        self,
        token_manager: TokenManager,
        *,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token_manager = token_manager
        self.refresh_margin = refresh_margin
        self.clock = clock
        self.token: str | None = None
        self._lock = threading.Lock()

    def requires_authentication(self) -> bool:
        return True

    def get_auth_string(self) -> str:
        return f"Bearer {self.fetch_token()}"

    def is_fresh(self, token: str | None) -> bool:
        exp = token_expiry(token)
        return exp is not None and exp - self.refresh_margin > self.clock()

    def fetch_token(self) -> str:
        """The cached token, refetched first if it is no longer fresh."""
        token = self.token
        if token is not None and self.is_fresh(token):
            return token
        with self._lock:
            # Another thread may have refreshed while this one waited.
            if self.token is None or not self.is_fresh(self.token):
                self.token = self.token_manager.fetch_access_token()
            return self.token

    def invalidate(self) -> None:
        """Forget the cached token (e.g. after a 401), so the next request fetches one."""
        with self._lock:
            self.token = None
