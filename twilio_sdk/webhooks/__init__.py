"""Webhook signatures: validating Twilio's requests and signing them as Twilio does.

``RequestValidator`` speaks the official package's dialect; ``validate_request`` checks a whole
request from its headers; ``sign_webhook`` is the signing half (used by the mock). Framework
helpers live in ``twilio_sdk.webhooks.flask``, ``.django`` and ``.starlette`` (FastAPI too).
"""

from __future__ import annotations

from twilio_sdk.webhooks.guard import WebhookGuard
from twilio_sdk.webhooks.public_url import asgi_url, public_url, wsgi_url
from twilio_sdk.webhooks.signature import (
    BODY_HASH_PARAM,
    HMAC_SHA1,
    HMAC_SHA256,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    SignedWebhook,
    add_body_hash,
    body_sha256,
    compute_signature,
    parse_signature_settings,
    sign_webhook,
    signature_settings,
    signing_payload,
)
from twilio_sdk.webhooks.validator import (
    RequestValidator,
    Verdict,
    port_variants,
    validate_body,
    validate_request,
)

__all__ = [
    "BODY_HASH_PARAM",
    "HMAC_SHA1",
    "HMAC_SHA256",
    "SIGNATURE_HEADER",
    "SIGNATURE_SETTINGS_HEADER",
    "RequestValidator",
    "SignedWebhook",
    "Verdict",
    "WebhookGuard",
    "add_body_hash",
    "asgi_url",
    "body_sha256",
    "compute_signature",
    "parse_signature_settings",
    "port_variants",
    "public_url",
    "sign_webhook",
    "signature_settings",
    "signing_payload",
    "validate_body",
    "validate_request",
    "wsgi_url",
]
