"""The official package's common import paths work with ``twilio`` replaced by ``twilio_sdk``."""

from __future__ import annotations

import importlib

import pytest

PATHS = [
    ("twilio.rest", ["Client"]),
    ("twilio.base.exceptions", ["TwilioRestException", "TwilioException", "TwilioServiceException"]),
    ("twilio.http", ["HttpClient", "AsyncHttpClient"]),
    ("twilio.http.http_client", ["TwilioHttpClient"]),
    ("twilio.http.async_http_client", ["AsyncTwilioHttpClient"]),
    ("twilio.http.response", ["Response"]),
    ("twilio.http.request", ["Request"]),
    ("twilio.http.validation_client", ["ValidationClient"]),
    ("twilio.request_validator", ["RequestValidator"]),
    ("twilio.twiml.voice_response", ["VoiceResponse", "Dial", "Gather", "Say", "Number"]),
    ("twilio.twiml.messaging_response", ["MessagingResponse", "Message", "Body", "Media"]),
    ("twilio.twiml.fax_response", ["FaxResponse", "Receive"]),
    ("twilio.jwt.access_token", ["AccessToken"]),
    (
        "twilio.jwt.access_token.grants",
        ["VoiceGrant", "VideoGrant", "ChatGrant", "SyncGrant", "TaskRouterGrant", "PlaybackGrant"],
    ),
    ("twilio.jwt.client", ["ClientCapabilityToken"]),
    (
        "twilio.jwt.taskrouter.capabilities",
        ["WorkerCapabilityToken", "TaskQueueCapabilityToken", "WorkspaceCapabilityToken"],
    ),
    ("twilio.jwt.validation", ["ClientValidationJwt"]),
    ("twilio.credential.client_credential_provider", ["ClientCredentialProvider"]),
    ("twilio.credential.orgs_credential_provider", ["OrgsCredentialProvider"]),
]


@pytest.mark.parametrize(("module", "names"), PATHS, ids=[p for p, _ in PATHS])
def test_import_path(module: str, names: list[str]) -> None:
    official = importlib.import_module(module)
    ours = importlib.import_module("twilio_sdk" + module[len("twilio") :])
    for name in names:
        assert hasattr(official, name), f"the official {module} has no {name}"
        assert getattr(ours, name) is not None, f"twilio_sdk{module[6:]}.{name}"
