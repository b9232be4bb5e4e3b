"""Validating incoming webhooks: ``RequestValidator`` (official dialect) and header-level checks.

Every comparison is constant time. A URL is accepted as given and also with the default port
removed or added (Twilio is inconsistent about ``:443``/``:80``). A URL carrying
``bodySHA256`` needs the raw body, whose hash is checked too.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from twilio_sdk.webhooks.signature import (
    ALGORITHMS,
    BODY_HASH_PARAM,
    HMAC_SHA1,
    SIGNATURE_HEADER,
    SIGNATURE_SETTINGS_HEADER,
    Params,
    body_sha256,
    compute_signature,
    parse_signature_settings,
)

__all__ = [
    "RequestValidator",
    "Verdict",
    "header_value",
    "port_variants",
    "validate_body",
    "validate_request",
]

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def port_variants(url: str) -> list[str]:
    """``url`` plus the same URL with its default port removed, or added when it has none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    default = _DEFAULT_PORTS.get(parts.scheme)
    netloc = parts.netloc
    start = url.find("//") + 2
    if default is None or not netloc or url[start : start + len(netloc)] != netloc:
        return [url]
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]") + 1
        host, port = hostport[:end], hostport[end:].removeprefix(":")
    else:
        host, _, port = hostport.partition(":")
    if port == "":
        other = f"{host}:{default}"
    elif port == default:
        other = host
    else:
        return [url]
    return [url, url[:start] + userinfo + at + other + url[start + len(netloc) :]]


def _body_hash_in(url: str) -> str | None:
    query = urlsplit(url).query
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == BODY_HASH_PARAM:
            return value
    return None


def validate_body(body: str | bytes, expected_sha256: str) -> bool:
    """Whether the raw ``body`` hashes (SHA-256, hex) to ``expected_sha256``."""
    return _equal(body_sha256(body), expected_sha256.lower())


class RequestValidator:
    """Validates ``X-Twilio-Signature`` values, as ``twilio.request_validator.RequestValidator``.

    ``params`` may be a dict (values may be lists), a multi-dict with ``getlist`` (Flask,
    Django, Starlette), a list of pairs, or the raw body as ``str``/``bytes``: a JSON body when
    the URL has ``bodySHA256``, a form-encoded body otherwise.
    """

    def __init__(self, token: str) -> None:
        self.token = token

    def compute_signature(self, uri: str, params: Params, algorithm: str | None = None) -> str:
        return compute_signature(self.token, uri, params, algorithm or HMAC_SHA1)

    def compute_hash(self, body: str | bytes) -> str:
        return body_sha256(body)

    def validate_body(self, body: str | bytes, expected_sha256: str) -> bool:
        return validate_body(body, expected_sha256)

    def validate(self, uri: str, params: Params, signature: str | None, algorithm: str | None = None) -> bool:
        """Whether ``signature`` is Twilio's for this request (``algorithm`` defaults to HMAC_SHA1)."""
        return self.check(uri, params, signature, algorithm).valid

    def check(self, uri: str, params: Params, signature: str | None, algorithm: str | None = None) -> Verdict:
        """Like :meth:`validate`, with the reason when invalid."""
        algorithm = algorithm or HMAC_SHA1
        if not signature:
            return Verdict(False, f"no {SIGNATURE_HEADER} value")
        if algorithm not in ALGORITHMS:
            return Verdict(False, f"unsupported signature algorithm {algorithm!r}")
        expected_hash = _body_hash_in(uri)
        if expected_hash is not None:
            if not isinstance(params, (str, bytes)):
                return Verdict(
                    False, f"the URL has {BODY_HASH_PARAM}: pass the raw request body, not parsed params"
                )
            if not validate_body(params, expected_hash):
                return Verdict(False, f"the body does not match {BODY_HASH_PARAM}")
            params = None
        matched = False
        for candidate in port_variants(uri):
            matched |= _equal(self.compute_signature(candidate, params, algorithm), signature)
        if not matched:
            return Verdict(False, f"signature does not match the URL {uri} and its parameters")
        return Verdict(True, "valid")


@dataclass(frozen=True)
class Verdict:
    """A validation result that is truthy when valid; ``reason`` says why not."""

    valid: bool
    reason: str

    def __bool__(self) -> bool:
        return self.valid


def header_value(headers: Mapping[str, Any] | Any, name: str) -> str | None:
    """A header from any mapping-like headers object, case-insensitively."""
    value = headers.get(name)
    if value is None:
        lower = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == lower), None)
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return None if value is None else str(value)


def validate_request(
    url: str,
    headers: Mapping[str, Any] | Any,
    params: Params = None,
    body: str | bytes | None = None,
    *,
    auth_token: str,
    shared_key_secret: str | Mapping[str, str] | None = None,
) -> Verdict:
    """Validate a whole request: signature headers, URL, form ``params`` or the raw ``body``.

    Without ``X-Twilio-Webhooks-Signature-Settings`` the key is ``auth_token`` (HMAC-SHA1).
    With it, the key is the SharedKey secret: ``shared_key_secret`` itself, or its entry for the
    header's key id when it is a mapping (several keys during a rotation).
    """
    signature = header_value(headers, SIGNATURE_HEADER)
    if not signature:
        return Verdict(False, f"missing {SIGNATURE_HEADER} header")
    key = auth_token
    algorithm = HMAC_SHA1
    settings = header_value(headers, SIGNATURE_SETTINGS_HEADER)
    if settings:
        key_id, algorithm = parse_signature_settings(settings)
        if algorithm not in ALGORITHMS:
            return Verdict(False, f"unsupported signature algorithm {algorithm!r}")
        secret = (
            shared_key_secret.get(key_id or "")
            if isinstance(shared_key_secret, Mapping)
            else shared_key_secret
        )
        if not secret:
            return Verdict(False, f"signed with SharedKey {key_id!r}, but no secret is configured for it")
        key = secret
    payload: Params = params
    if _body_hash_in(url) is not None:
        payload = b"" if body is None else body
    elif params is None and body:
        payload = body  # a raw form-encoded body
    return RequestValidator(key).check(url, payload, signature, algorithm)
