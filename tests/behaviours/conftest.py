"""Fixtures every behaviour's tests share: clients of both SDKs bound to the folder's own
``backend`` fixture (``twilio_sdk`` in process, the official ``twilio`` package through the
interceptor), and ``client``, which runs a test once with each."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from twilio.rest import Client as OfficialClient

from twilio_mock import Backend, MockTransport, mock
from twilio_sdk import Client


@pytest.fixture
def sdk(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})


@pytest.fixture
def official(backend: Backend) -> Iterator[OfficialClient]:
    with mock(backend=backend):
        yield OfficialClient(backend.account_sid, backend.auth_token)


@pytest.fixture(params=["twilio_sdk", "twilio"])
def client(request: pytest.FixtureRequest) -> Any:
    """Each test using it runs with our SDK and with the official package."""
    return request.getfixturevalue("sdk" if request.param == "twilio_sdk" else "official")
