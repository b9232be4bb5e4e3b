"""Shared fixtures."""

from __future__ import annotations

import pytest

ACCOUNT_SID = "AC" + "a" * 32
AUTH_TOKEN = "secret-token-1234567890"


@pytest.fixture
def recorder():
    from tests.sdk.recording import Recorder

    return Recorder()


@pytest.fixture
def client(recorder):
    from twilio_sdk import Client

    return Client(ACCOUNT_SID, AUTH_TOKEN, http_client=recorder, environment={})
