"""``TwilioProvider``: a faker provider of Twilio-shaped fake data, seeded with faker's own
``seed_instance``::

    fake = Faker()
    fake.add_provider(TwilioProvider)
    fake.seed_instance(1)
    fake.sid("SM"), fake.e164("GB", type="mobile"), fake.caller_name()

The mock invents every server-side value with it (SIDs, secrets, verification codes, webhook
idempotency tokens, caller names, the numbers it offers for sale): see
:mod:`twilio_mock.core.minter`.
"""

from __future__ import annotations

from faker.providers import BaseProvider

from twilio_mock.core.sids import check_prefix

_ADJECTIVES = [
    "Main",
    "Support",
    "Sales",
    "Night",
    "Backup",
    "Priority",
    "Regional",
    "Test",
    "Alerts",
    "Billing",
]
_NOUNS = ["Line", "Service", "Desk", "Team", "Queue", "Number", "App", "Campaign", "Hotline", "Pool"]
_FIRST = ["ALICE", "BOB", "CARMEN", "DEV", "EMMA", "FATIMA", "GUO", "HANS", "IVY", "JOSE", "KEIKO", "LIAM"]
_LAST = ["SMITH", "GARCIA", "NGUYEN", "MULLER", "ROSSI", "KOWALSKI", "OKAFOR", "TANAKA", "SILVA", "BROWN"]
_WORDS = [
    "your",
    "code",
    "is",
    "ready",
    "see",
    "you",
    "at",
    "the",
    "meeting",
    "tomorrow",
    "thanks",
    "for",
    "the",
    "order",
    "it",
    "ships",
    "today",
    "reply",
    "stop",
    "to",
    "opt",
    "out",
    "call",
    "us",
    "back",
    "when",
    "you",
    "can",
    "the",
    "delivery",
    "window",
    "is",
    "between",
    "noon",
    "and",
    "six",
]


class TwilioProvider(BaseProvider):
    """SIDs, E.164 numbers by country and type, friendly names, message bodies, caller names."""

    def sid(self, prefix: str = "SM") -> str:
        """``prefix`` and 32 lowercase hex characters."""
        return check_prefix(prefix) + self.secret()

    def secret(self) -> str:
        """32 lowercase hex characters: an auth token, an API key secret, an idempotency token."""
        return f"{self.generator.random.getrandbits(128):032x}"

    def code(self, length: int = 6) -> str:
        """A one-time code of ``length`` digits (leading zeros kept)."""
        return f"{self.generator.random.randrange(10**length):0{length}d}"

    def e164(self, country: str = "US", type: str | None = None) -> str:
        """An E.164 number of ``country`` and ``type`` (``"mobile"``, ``"toll_free"``...) that
        ``phonenumbers`` accepts."""
        from twilio_mock.core.e164 import build, example

        _head, nsn = example(country, type)
        digits = [self.random_int(0, 9) for _ in nsn]
        return build(country, type, digits, self.random_int(min(2, len(nsn)), len(nsn)))

    def friendly_name(self) -> str:
        return f"{self.random_element(_ADJECTIVES)} {self.random_element(_NOUNS)}"

    def message_body(self, max_words: int = 12, unicode: bool = False) -> str:
        """A short message; GSM-7 unless ``unicode`` (then it ends with an emoji: UCS-2)."""
        words = [self.random_element(_WORDS) for _ in range(self.random_int(2, max(2, max_words)))]
        text = " ".join(words).capitalize() + self.random_element([".", "!", "?"])
        body = text + (" " + self.random_element(["😀", "👍", "🎉"]) if unicode else "")
        return body

    def caller_name(self) -> str:
        """A caller ID name as CNAM gives it: ``LAST FIRST``, capitals, at most 15 characters."""
        return f"{self.random_element(_LAST)} {self.random_element(_FIRST)}"[:15]
