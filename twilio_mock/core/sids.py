"""Seeded SID minting: ``prefix`` + 32 lowercase hex characters.

A counter hashed with the seed (BLAKE2b) gives each value, so a snapshot only needs the
seed and the counter to continue the same sequence after a restore.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any


class SidMinter:
    """Deterministic under ``seed``; ``seed=None`` picks a random seed."""

    def __init__(self, seed: int | str | None = 0) -> None:
        self.seed = str(seed) if seed is not None else secrets.token_hex(16)
        self.counter = 0
        self._key = hashlib.sha256(self.seed.encode()).digest()

    def hex32(self) -> str:
        self.counter += 1
        return hashlib.blake2b(self.counter.to_bytes(8, "little"), digest_size=16, key=self._key).hexdigest()

    def sid(self, prefix: str) -> str:
        return prefix + self.hex32()

    def secret(self) -> str:
        """An auth token or API key secret: 32 hex characters."""
        return self.hex32()

    def state(self) -> dict[str, Any]:
        return {"seed": self.seed, "counter": self.counter}

    def load(self, state: dict[str, Any]) -> None:
        self.seed = str(state["seed"])
        self.counter = int(state["counter"])
        self._key = hashlib.sha256(self.seed.encode()).digest()


def looks_like_sid(value: str) -> bool:
    """Two capital letters then 32 hex characters."""
    if len(value) != 34 or not value[:2].isalpha() or not value[:2].isupper():
        return False
    try:
        int(value[2:], 16)
    except ValueError:
        return False
    return True
