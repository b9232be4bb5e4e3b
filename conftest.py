"""Suite-wide: every webhook the mock delivers while a test runs (in ``tests/`` and
``examples/``) has its signature checked with the official ``twilio`` package's
``RequestValidator``, both against the token it was signed with and, where the account is
known, in agreement with the delivery's own ``signature_valid``. A mismatch fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _every_webhook_checked_by_the_official_validator(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from twilio.request_validator import RequestValidator

    from twilio_mock.webhooks.delivery import Webhooks

    deliver = Webhooks.deliver
    wrong: list[str] = []

    def checked(self: Webhooks, url: str, params: Any, auth_token: str, **options: Any) -> Any:
        delivery = deliver(self, url, params, auth_token, **options)
        signature = delivery.headers.get("X-Twilio-Signature", "")
        form = dict(delivery.params) if delivery.method == "POST" else {}
        if not RequestValidator(auth_token).validate(delivery.url, form, signature):
            wrong.append(f"{delivery}: not signed with the token it was given")
        account_token = self._token_of(delivery.account_sid) if self._token_of else None
        if account_token is not None:
            official = RequestValidator(account_token).validate(delivery.url, form, signature)
            if official != delivery.signature_valid:
                wrong.append(f"{delivery}: signature_valid={delivery.signature_valid}, official={official}")
        return delivery

    monkeypatch.setattr(Webhooks, "deliver", checked)
    yield
    assert not wrong, "\n".join(wrong)
