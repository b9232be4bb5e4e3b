"""Shared fixtures."""

from __future__ import annotations

import pytest

from twilio_mock.hypothesis_profiles import load as load_hypothesis_profile

# The hypothesis profile named by $TWILIO_HYPOTHESIS_PROFILE (``dev`` when unset; .ci/run picks ``ci``).
load_hypothesis_profile()

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
