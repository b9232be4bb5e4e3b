"""The mock's one source of invented values: :class:`~twilio_mock.core.provider.TwilioProvider`
on a faker generator, seeded so that one seed reproduces a whole state.

Two kinds of draw:

- :meth:`Minter.draw` for values minted in sequence (SIDs, secrets, verification codes): the
  generator is reseeded from ``(seed, counter)`` for each, so a snapshot needs only the seed and
  the counter to continue the same sequence after a restore;
- :meth:`Minter.keyed` for values that belong to what they describe (a number's caller name, the
  numbers a search offers, a webhook attempt's idempotency token): seeded from the seed and a
  key, the same every time it is asked, and consuming nothing from the sequence.

faker loads on the first draw.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_KEYED: dict[str, Any] = {}  # one generator per locale, shared by every minter: reseeded per use
_KEYED_LOCK = threading.Lock()
_SEQUENCE: list[Any] = []  # the generator every minter's sequence draws from: reseeded per draw
_SEQUENCE_LOCK = threading.Lock()


def _generator(locale: str | None = None) -> Any:
    """A faker generator with the Twilio provider (and, with ``locale``, faker's own providers)."""
    from twilio_mock.core.provider import TwilioProvider

    if locale is None:
        from faker.generator import Generator

        fake: Any = Generator()
    else:
        from faker import Faker

        fake = Faker(locale)
    fake.add_provider(TwilioProvider)
    return fake


@contextmanager
def keyed(seed: str, key: str, locale: str = "en_US") -> Iterator[Any]:
    """The shared faker of ``locale`` (with the Twilio provider), seeded with ``seed|key``, held
    for the block."""
    with _KEYED_LOCK:
        fake = _KEYED.get(locale)
        if fake is None:
            fake = _KEYED[locale] = _generator(locale)
        fake.seed_instance(f"{seed}|{key}")
        yield fake


class Minter:
    """Deterministic under ``seed``; ``seed=None`` picks a random seed."""

    def __init__(self, seed: int | str | None = 0) -> None:
        self.seed = str(seed) if seed is not None else secrets.token_hex(16)
        self.counter = 0
        self._lock = threading.Lock()

    @contextmanager
    def draw(self) -> Iterator[Any]:
        """The generator, seeded for the next value of the sequence, held for the block (one
        generator serves every minter: each draw reseeds it, so none depends on another)."""
        with self._lock:
            self.counter += 1
            key = f"{self.seed}:{self.counter}"
        with _SEQUENCE_LOCK:
            if not _SEQUENCE:
                _SEQUENCE.append(_generator())
            fake = _SEQUENCE[0]
            fake.seed_instance(key)
            yield fake

    def keyed(self, key: str, locale: str = "en_US") -> Any:
        """A generator seeded with this minter's seed and ``key`` (see :func:`keyed`)."""
        return keyed(self.seed, key, locale)

    def sid(self, prefix: str) -> str:
        """``prefix`` (capital letters, or empty) and 32 hex characters."""
        with self.draw() as fake:
            return str(fake.sid(prefix)) if prefix else str(fake.secret())

    def secret(self) -> str:
        """An auth token or API key secret: 32 hex characters."""
        with self.draw() as fake:
            return str(fake.secret())

    def code(self, length: int) -> str:
        """A one-time code of ``length`` digits."""
        with self.draw() as fake:
            return str(fake.code(length))

    def state(self) -> dict[str, Any]:
        return {"seed": self.seed, "counter": self.counter}

    def load(self, state: dict[str, Any]) -> None:
        with self._lock:
            self.seed = str(state["seed"])
            self.counter = int(state["counter"])
