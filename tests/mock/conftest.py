"""Fixtures for the mock core tests."""

from __future__ import annotations

import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend, MockTransport
from twilio_sdk import Client


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=0)


@pytest.fixture
def transport(backend: Backend) -> MockTransport:
    return MockTransport(backend)


@pytest.fixture
def client(backend: Backend, transport: MockTransport) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=transport, environment={})


@pytest.fixture
def raw(backend: Backend) -> Raw:
    return Raw(backend)
