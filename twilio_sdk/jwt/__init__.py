"""Tokens Twilio reads: access tokens, capability tokens, PKCV validation tokens (all via PyJWT).

The module layout follows the official package: ``jwt.access_token`` (and ``.grants``),
``jwt.client``, ``jwt.taskrouter.capabilities``, ``jwt.validation``.
"""

from __future__ import annotations

from twilio_sdk.jwt.access_token import (
    AccessToken,
    AccessTokenGrant,
    ChatGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from twilio_sdk.jwt.base import GENERATE, Jwt, JwtDecodeError, check_times, decode, peek
from twilio_sdk.jwt.client import ClientCapabilityToken
from twilio_sdk.jwt.taskrouter import TaskRouterCapabilityToken
from twilio_sdk.jwt.taskrouter.capabilities import (
    TaskQueueCapabilityToken,
    WorkerCapabilityToken,
    WorkspaceCapabilityToken,
)
from twilio_sdk.jwt.validation import (
    ClientValidationJwt,
    ValidationJwtError,
    ValidationRequest,
    canonical_request,
    generate_key_pair,
    request_hash,
    verify_validation_jwt,
)

__all__ = [
    "GENERATE",
    "AccessToken",
    "AccessTokenGrant",
    "ChatGrant",
    "ClientCapabilityToken",
    "ClientValidationJwt",
    "Jwt",
    "JwtDecodeError",
    "PlaybackGrant",
    "SyncGrant",
    "TaskQueueCapabilityToken",
    "TaskRouterCapabilityToken",
    "TaskRouterGrant",
    "ValidationJwtError",
    "ValidationRequest",
    "VideoGrant",
    "VoiceGrant",
    "WorkerCapabilityToken",
    "WorkspaceCapabilityToken",
    "canonical_request",
    "check_times",
    "decode",
    "generate_key_pair",
    "peek",
    "request_hash",
    "verify_validation_jwt",
]
