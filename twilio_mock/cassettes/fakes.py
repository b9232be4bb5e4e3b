"""Stable fake phone numbers and message bodies (faker), for ``scrub_numbers``/``scrub_bodies``.

A fake depends only on the seed and the real value (faker is re-seeded with both for each new
value), never on the order values are met, so the same real number is the same fake in every
request, response and session, and a cassette recorded in pieces stays consistent.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["E164", "Fakes"]

# An E.164 number, its ``+`` as sent or percent-encoded (``%2B`` in a rendered URL).
E164 = re.compile(r"(?<![\w+%])(\+|%2[Bb])([1-9]\d{6,14})(?!\d)")


class Fakes:
    """Real value -> fake, and back for the values met in this session."""

    def __init__(self, seed: int | str) -> None:
        from faker import Faker  # imported only when a cassette scrubs numbers or bodies

        self.seed = seed
        self._faker: Any = Faker("en_US")
        self.numbers: dict[str, str] = {}  # real digits -> fake digits
        self.bodies: dict[str, str] = {}
        self.known_numbers: set[str] = set()  # digits that are fakes already (from the file)
        self.known_bodies: set[str] = set()
        self._real_numbers: dict[str, str] = {}
        self._real_bodies: dict[str, str] = {}

    def number(self, digits: str) -> str:
        """The fake for a number's digits (country code first), same length, same first digit."""
        if digits in self.known_numbers or digits in self._real_numbers:
            return digits  # already a fake: keep it
        fake = self.numbers.get(digits)
        if fake is None:
            attempt = 0
            while True:
                self._faker.seed_instance(f"{self.seed}:number:{digits}:{attempt}")
                fake = digits[0] + self._faker.numerify("#" * (len(digits) - 1))
                if fake != digits and fake not in self._real_numbers and fake not in self.numbers:
                    break
                attempt += 1
            self.numbers[digits] = fake
            self._real_numbers[fake] = digits
        return fake

    def body(self, text: str) -> str:
        if not text or text in self.known_bodies or text in self._real_bodies:
            return text
        fake = self.bodies.get(text)
        if fake is None:
            self._faker.seed_instance(f"{self.seed}:body:{text}")
            fake = str(self._faker.sentence(nb_words=6))
            self.bodies[text] = fake
            self._real_bodies[fake] = text
        return fake

    def real_number(self, digits: str) -> str:
        return self._real_numbers.get(digits, digits)

    def real_body(self, text: str) -> str:
        return self._real_bodies.get(text, text)

    def scrub_numbers(self, text: str) -> str:
        return E164.sub(lambda m: m[1] + self.number(m[2]), text)

    def unscrub_numbers(self, text: str) -> str:
        return E164.sub(lambda m: m[1] + self.real_number(m[2]), text)

    def learn(self, text: str, body: bool) -> None:
        """Note the fakes a cassette file holds, so they are not faked again on replay."""
        if body:
            self.known_bodies.add(text)
        for match in E164.finditer(text):
            self.known_numbers.add(match[2])
