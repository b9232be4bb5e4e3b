"""Signing webhooks exactly as Twilio does (``X-Twilio-Signature``).

The string signed is the full URL followed by each POST parameter as ``name + value``, names
sorted, repeated values sorted and de-duplicated. JSON bodies are not signed as parameters:
``bodySHA256=<hex sha256 of the body>`` is added to the URL query instead. The HMAC key is the
Auth Token (HMAC-SHA1), or a Webhooks SharedKey secret with the algorithm named in
``X-Twilio-Webhooks-Signature-Settings``. This is also what the mock signs its webhooks with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeAlias, runtime_checkable
from urllib.parse import parse_qsl

__all__ = [
    "ALGORITHMS",
    "BODY_HASH_PARAM",
    "HMAC_SHA1",
    "HMAC_SHA256",
    "SIGNATURE_HEADER",
    "SIGNATURE_SETTINGS_HEADER",
    "Params",
    "SignedWebhook",
    "add_body_hash",
    "body_sha256",
    "compute_signature",
    "param_values",
    "parse_signature_settings",
    "sign_webhook",
    "signature_settings",
    "signing_payload",
]

HMAC_SHA1 = "HMAC_SHA1"
HMAC_SHA256 = "HMAC_SHA256"
ALGORITHMS: dict[str, Callable[..., Any]] = {HMAC_SHA1: hashlib.sha1, HMAC_SHA256: hashlib.sha256}
SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
BODY_HASH_PARAM = "bodySHA256"


@runtime_checkable
class MultiValued(Protocol):
    """Werkzeug ``MultiDict``, Django ``QueryDict``, Starlette ``FormData``: ``keys()`` + ``getlist()``."""

    def keys(self) -> Iterable[str]: ...

    def getlist(self, key: str) -> list[Any]: ...


Params: TypeAlias = "Mapping[str, Any] | MultiValued | Iterable[tuple[str, Any]] | str | bytes | None"


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value if isinstance(value, str) else str(value)


def param_values(params: Params) -> dict[str, list[str]]:
    """Normalise form parameters to ``name -> values`` (lists and multi-dicts keep every value)."""
    result: dict[str, list[str]] = {}
    if params is None:
        return result
    if hasattr(params, "getlist"):  # multi-dicts (several are dict subclasses): every value counts
        assert isinstance(params, MultiValued)
        for name in params.keys():  # noqa: SIM118 (keys() is the protocol)
            result[_text(name)] = [_text(v) for v in params.getlist(name)]
        return result
    if isinstance(params, Mapping):
        for name, value in params.items():
            values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
            result[_text(name)] = [_text(v) for v in values]
        return result
    if isinstance(params, (str, bytes)):
        params = parse_qsl(_text(params), keep_blank_values=True)
    for name, value in params:
        result.setdefault(_text(name), []).append(_text(value))
    return result


def signing_payload(url: str, params: Params = None) -> str:
    """The exact string Twilio signs: URL, then ``name + value`` per sorted name and distinct value."""
    parts = [url]
    values = param_values(params)
    for name in sorted(values):
        for value in sorted(set(values[name])):
            parts.append(name + value)
    return "".join(parts)


def compute_signature(key: str, url: str, params: Params = None, algorithm: str = HMAC_SHA1) -> str:
    """The base64 ``X-Twilio-Signature`` for ``url`` and ``params``, keyed with ``key``."""
    digest = ALGORITHMS.get(algorithm)
    if digest is None:
        raise ValueError(f"unsupported signature algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}")
    mac = hmac.new(key.encode("utf-8"), signing_payload(url, params).encode("utf-8"), digest)
    return base64.b64encode(mac.digest()).decode("ascii")


def body_sha256(body: str | bytes) -> str:
    """Hex SHA-256 of a raw request body (the ``bodySHA256`` query value)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return hashlib.sha256(data).hexdigest()


def add_body_hash(url: str, body: str | bytes) -> str:
    """``url`` with ``bodySHA256=<hash>`` appended to its query, as Twilio sends JSON webhooks."""
    base, hash_mark, fragment = url.partition("#")
    if "?" not in base:
        separator = "?"
    elif base.endswith(("?", "&")):
        separator = ""
    else:
        separator = "&"
    return f"{base}{separator}{BODY_HASH_PARAM}={body_sha256(body)}{hash_mark}{fragment}"


def signature_settings(key_id: str, algorithm: str = HMAC_SHA256) -> str:
    """The ``X-Twilio-Webhooks-Signature-Settings`` value for a SharedKey signature."""
    return f"key={key_id},algorithm={algorithm}"


def parse_signature_settings(header: str | None) -> tuple[str | None, str]:
    """``(key_id, algorithm)`` from the settings header; no header means ``(None, HMAC_SHA1)``."""
    key_id: str | None = None
    algorithm = HMAC_SHA1
    for item in (header or "").split(","):
        name, _, value = item.strip().partition("=")
        if name.strip() == "key":
            key_id = value.strip()
        elif name.strip() == "algorithm":
            algorithm = value.strip()
    return key_id, algorithm


@dataclass(frozen=True)
class SignedWebhook:
    """A webhook ready to send: final ``url``, ``headers`` to add and the ``body`` (if JSON)."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | bytes | None = None


def sign_webhook(
    url: str,
    key: str,
    params: Params = None,
    *,
    body: str | bytes | None = None,
    key_id: str | None = None,
    algorithm: str = HMAC_SHA1,
) -> SignedWebhook:
    """Sign a webhook as Twilio would.

    ``key`` is the Auth Token, or the SharedKey secret when ``key_id`` is given (the settings
    header is then added). For a JSON ``body`` the URL gains ``bodySHA256`` and ``params`` must
    be empty.
    """
    if body is not None:
        if params:
            raise ValueError("a webhook carries either form params or a JSON body, not both")
        url = add_body_hash(url, body)
        params = None
    headers = {SIGNATURE_HEADER: compute_signature(key, url, params, algorithm)}
    if key_id is not None:
        headers[SIGNATURE_SETTINGS_HEADER] = signature_settings(key_id, algorithm)
    elif algorithm != HMAC_SHA1:
        raise ValueError("only SharedKey signatures (key_id=...) use another algorithm than HMAC_SHA1")
    return SignedWebhook(url, headers, body)
