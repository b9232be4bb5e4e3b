"""Fixtures for the behaviour tests: ``sdk`` runs a test through our SDK (in-process
``MockTransport``) and through the official ``twilio`` package (``twilio_mock.mock()``), both
against the test's ``backend``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.behaviours.numbers.sdks import Sdk
from twilio_mock import Backend, mock


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=0)


@pytest.fixture(params=["ours", "official"])
def sdk(request: pytest.FixtureRequest, backend: Backend) -> Iterator[Sdk]:
    if request.param == "official":
        with mock(backend=backend):
            yield Sdk("official", backend)
    else:
        yield Sdk("ours", backend)
