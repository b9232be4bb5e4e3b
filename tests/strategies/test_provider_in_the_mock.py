"""The mock invents its values with ``TwilioProvider``: the SIDs, tokens and codes it mints are
the provider's, drawn from faker seeded ``"<seed>:<n>"`` for the n-th value (the scheme
:mod:`twilio_mock.core.minter` documents), and the values keyed by what they describe (caller
names, numbers on sale, webhook idempotency tokens) are the same for the same seed."""

from __future__ import annotations

from typing import Any

import pytest
from faker import Faker

from twilio_mock import Backend, mock
from twilio_mock.strategies import TwilioProvider


def provider(seed: int | str, n: int) -> Any:
    """The provider as the mock's minter seeds it for its ``n``-th value."""
    fake = Faker()
    fake.add_provider(TwilioProvider)
    fake.seed_instance(f"{seed}:{n}")
    return fake


@pytest.mark.parametrize("seed", [0, 7, "text"])
def test_minted_values_are_the_providers(seed: int | str) -> None:
    backend = Backend(seed=seed)
    assert backend.account_sid == provider(seed, 1).sid("AC")
    assert backend.auth_token == provider(seed, 2).secret()
    assert backend.test_account_sid == provider(seed, 3).sid("AC")
    assert backend.test_auth_token == provider(seed, 4).secret()
    client = mock(backend=backend).client()
    before = backend.minter.counter
    message = client.messages.create(to="+15558675310", from_=backend.phone_number, body="hi")
    assert message.sid == provider(seed, before + 1).sid("SM")
    service = client.verify.v2.services.create(friendly_name="Sign-in", code_length=7)
    before = backend.minter.counter
    client.verify.v2.services(service.sid).verifications.create(to="+15558675310", channel="sms")
    drawn = {provider(seed, n).code(7) for n in range(before + 1, backend.minter.counter + 1)}
    assert mock(backend=backend).verification_code("+15558675310") in drawn


def _keyed_values(seed: int) -> list[Any]:
    backend = Backend(seed=seed)
    handle = mock(backend=backend)
    client = handle.client()
    numbers = [n.phone_number for n in client.available_phone_numbers("US").local.list(limit=5)]
    looked = client.lookups.v2.phone_numbers("+12125550123").fetch(
        fields="caller_name,line_type_intelligence"
    )
    seen: list[str] = []

    def app(environ: Any, start_response: Any) -> list[bytes]:
        seen.append(environ["HTTP_I_TWILIO_IDEMPOTENCY_TOKEN"])
        start_response("204 No Content", [])
        return []

    backend.webhooks.route("https://app.test", app)
    for n in range(3):
        backend.webhooks.deliver(f"https://app.test/status/{n}", {"n": str(n)}, backend.auth_token)
    return [numbers, looked.caller_name, looked.line_type_intelligence, seen]


def test_keyed_values_repeat_under_a_seed_and_differ_across_seeds() -> None:
    first, again, other = _keyed_values(3), _keyed_values(3), _keyed_values(4)
    assert first == again
    numbers, caller, _line, tokens = first
    assert len(numbers) == 5 and len(set(tokens)) == 3
    assert caller["caller_type"] in ("CONSUMER", "BUSINESS") and caller["caller_name"]
    if caller["caller_type"] == "CONSUMER":  # the provider's CNAM style: LAST FIRST, capitals
        assert caller["caller_name"].isupper() and len(caller["caller_name"]) <= 15
    assert other[0] != numbers and other[3] != tokens
