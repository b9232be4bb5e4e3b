"""Fixtures for the Verify tests: a backend, clients of both SDKs bound to it (``twilio_sdk``
in-process, the official ``twilio`` package through the interceptor) and a Verify service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.behaviours.messaging.conftest import code_of
from twilio_mock import Backend

__all__ = ["CUSTOMER", "EMAIL", "code_of"]

CUSTOMER = "+15558675310"
EMAIL = "ada@example.com"


@pytest.fixture
def backend() -> Iterator[Backend]:
    backend = Backend(seed=5)
    yield backend
    assert not list(backend.webhooks), [str(d) for d in backend.webhooks]  # Verify calls no webhook


@pytest.fixture
def service(client: Any) -> Any:
    """``client.verify.v2.services(sid)`` of a new service named "Acme"."""
    made = client.verify.v2.services.create(friendly_name="Acme")
    return client.verify.v2.services(made.sid)
