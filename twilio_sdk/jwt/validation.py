"""Public Key Client Validation (PKCV): the canonical request, the RS256 ``Twilio-Client-Validation``
token that signs it, its verification (what Twilio's side does), and a key-pair helper.

Signing and verifying need ``cryptography`` (the ``pkcv`` extra); it is imported only then.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt as pyjwt

from twilio_sdk.exceptions import TwilioException
from twilio_sdk.jwt.base import Jwt

__all__ = [
    "ClientValidationJwt",
    "ValidationJwtError",
    "ValidationRequest",
    "body_hash",
    "canonical_query",
    "canonical_request",
    "generate_key_pair",
    "load_private_key",
    "request_hash",
    "verify_validation_jwt",
]

HEADER_NAME = "Twilio-Client-Validation"
CONTENT_TYPE = "twilio-pkrv;v=1"
SIGNED_HEADERS = ("authorization", "host")
ALGORITHMS = ("RS256", "PS256")
DEFAULT_TTL = 300

# Twilio's error codes for a rejected validation token.
VALIDATION_REQUIRED = 70052
MISSING_SIGNED_HEADERS = 70155
REQUEST_HASH_INVALID = 70156
AUTHENTICATION_FAILED = 20151
INVALID_HEADER = 20152
INVALID_ISSUER_OR_SUBJECT = 20153
EXPIRED = 20156
EXPIRATION_TOO_FAR = 20157


class ValidationJwtError(TwilioException):
    """A request's validation token was rejected; ``code`` is Twilio's error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{message} (error {code})")
        self.code = code
        self.message = message


# Canonical request -------------------------------------------------------------------------
@dataclass(frozen=True)
class ValidationRequest:
    """What the canonical request is computed from: the request as it goes on the wire."""

    method: str
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | bytes | None = None

    @classmethod
    def from_url(
        cls, method: str, url: str, headers: Mapping[str, str] | None = None, body: str | bytes | None = None
    ) -> ValidationRequest:
        """Split an absolute URL into path and query; ``Host`` defaults to the URL's netloc."""
        parts = urlsplit(url)
        all_headers = dict(headers or {})
        if not any(name.lower() == "host" for name in all_headers):
            all_headers["Host"] = parts.netloc
        return cls(method, parts.path or "/", parts.query, all_headers, body)


def canonical_query(query: str | Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> str:
    """The query string with its ``&``-separated pairs sorted (pairs are kept as encoded)."""
    if query is None:
        return ""
    if not isinstance(query, str):
        query = urlencode(list(query.items()) if isinstance(query, Mapping) else list(query), doseq=True)
    if not query:
        return ""
    return "&".join(sorted(query.split("&")))


def body_hash(body: str | bytes | None) -> str:
    """Hex SHA-256 of the raw body; the empty string when there is no body."""
    if not body:
        return ""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    return hashlib.sha256(raw).hexdigest()


def _header_lookup(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): str(value) for name, value in headers.items()}


def canonical_request(
    method: str,
    path: str,
    query: str | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = "",
    headers: Mapping[str, str] | None = None,
    body: str | bytes | None = None,
    signed_headers: Iterable[str] = SIGNED_HEADERS,
) -> str:
    """The text whose SHA-256 is the ``rqh`` claim: method, path, sorted query, one
    ``name:value`` line per signed header, an empty line, the signed header names, the body hash.

    Header names are matched case-insensitively and values trimmed; a signed header the
    request lacks raises :class:`KeyError`.
    """
    names = sorted({name.lower() for name in signed_headers})
    present = _header_lookup(headers or {})
    missing = [name for name in names if name not in present]
    if missing:
        raise KeyError(f"signed header(s) missing from the request: {', '.join(missing)}")
    lines = [method.upper(), path, canonical_query(query)]
    lines += [f"{name}:{present[name].strip()}" for name in names]
    lines += ["", ";".join(names), body_hash(body)]
    return "\n".join(lines)


def request_hash(request: ValidationRequest, signed_headers: Iterable[str] = SIGNED_HEADERS) -> str:
    """Hex SHA-256 of the canonical form of ``request`` (the ``rqh`` claim)."""
    text = canonical_request(
        request.method, request.path, request.query, request.headers, request.body, signed_headers
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _as_request(payload: Any) -> tuple[ValidationRequest, tuple[str, ...]]:
    """Accept our :class:`ValidationRequest` or the official package's ``ValidationPayload``."""
    if isinstance(payload, ValidationRequest):
        return payload, SIGNED_HEADERS
    if hasattr(payload, "all_headers"):
        request = ValidationRequest(
            payload.method, payload.path, payload.query_string, payload.all_headers, payload.body
        )
        return request, tuple(payload.signed_headers)
    raise TypeError(f"expected a ValidationRequest, not {type(payload).__name__}")


# The token -----------------------------------------------------------------------------------
class ClientValidationJwt(Jwt):
    """The ``Twilio-Client-Validation`` token: RS256 with the private key whose public half
    is the credential ``credential_sid``; ``iss`` = API key SID, ``sub`` = account SID."""

    algorithm = "RS256"
    allowed_algorithms = ALGORITHMS

    def __init__(
        self,
        account_sid: str,
        api_key_sid: str,
        credential_sid: str,
        private_key: Any,
        validation_payload: Any,
        ttl: int = DEFAULT_TTL,
        signed_headers: Iterable[str] | None = None,
    ) -> None:
        super().__init__(private_key, api_key_sid, account_sid, ttl=ttl)
        self.account_sid = account_sid
        self.api_key_sid = api_key_sid
        self.credential_sid = credential_sid
        self.request, default_signed = _as_request(validation_payload)
        self.signed_headers = tuple(sorted({h.lower() for h in (signed_headers or default_signed)}))

    def _generate_headers(self) -> dict[str, Any]:
        return {"cty": CONTENT_TYPE, "kid": self.credential_sid}

    def _generate_payload(self, now: int) -> dict[str, Any]:
        return {"hrh": ";".join(self.signed_headers), "rqh": request_hash(self.request, self.signed_headers)}


# Verification ------------------------------------------------------------------------------
KeyLookup = Callable[[dict[str, Any], dict[str, Any]], Any]


def verify_validation_jwt(
    token: str | None,
    public_key: Any,
    request: ValidationRequest,
    *,
    now: float | None = None,
    leeway: float = 0,
    max_ttl: float | None = None,
    required_headers: Iterable[str] = SIGNED_HEADERS,
) -> dict[str, Any]:
    """Check a ``Twilio-Client-Validation`` token against the request it came with, as
    Twilio does; return its claims or raise :class:`ValidationJwtError` with Twilio's code.

    ``public_key`` is a PEM key (or a ``cryptography`` key), or a callable
    ``(header, unverified_claims) -> key or None`` that finds it by ``kid``/``iss``/``sub``.
    ``now`` defaults to the wall clock (a virtual clock can pass its time).
    """
    if not token:
        raise ValidationJwtError(VALIDATION_REQUIRED, f"the {HEADER_NAME} header is required")
    try:
        header = pyjwt.get_unverified_header(token)
        unverified = pyjwt.decode(token, options={"verify_signature": False})
    except pyjwt.PyJWTError as exc:
        raise ValidationJwtError(INVALID_HEADER, f"the validation token is not a JWT: {exc}") from None
    if header.get("cty") != CONTENT_TYPE:
        raise ValidationJwtError(INVALID_HEADER, f"cty must be {CONTENT_TYPE!r}, not {header.get('cty')!r}")
    if header.get("alg") not in ALGORITHMS:
        raise ValidationJwtError(INVALID_HEADER, f"alg must be one of {', '.join(ALGORITHMS)}")
    if header.get("typ", "JWT") != "JWT" or not header.get("kid"):
        raise ValidationJwtError(INVALID_HEADER, "typ must be JWT and kid must name the credential")
    if not unverified.get("iss") or not unverified.get("sub"):
        raise ValidationJwtError(
            INVALID_ISSUER_OR_SUBJECT, "iss (API key SID) and sub (account SID) are required"
        )
    key = public_key(header, unverified) if callable(public_key) else public_key
    if key is None:
        raise ValidationJwtError(AUTHENTICATION_FAILED, f"no public key for credential {header['kid']}")
    try:
        claims: dict[str, Any] = pyjwt.decode(
            token, key, algorithms=[header["alg"]], options={"verify_exp": False, "verify_nbf": False}
        )
    except pyjwt.PyJWTError as exc:
        raise ValidationJwtError(
            AUTHENTICATION_FAILED, f"the validation token's signature is invalid: {exc}"
        ) from None
    _check_window(claims, time.time() if now is None else now, leeway, max_ttl)
    signed = [name for name in str(claims.get("hrh", "")).split(";") if name]
    lacking = sorted({h.lower() for h in required_headers} - set(signed))
    if lacking:
        raise ValidationJwtError(MISSING_SIGNED_HEADERS, f"hrh does not sign: {', '.join(lacking)}")
    try:
        expected = request_hash(request, signed)
    except KeyError as exc:
        raise ValidationJwtError(MISSING_SIGNED_HEADERS, str(exc.args[0])) from None
    if not hmac.compare_digest(str(claims.get("rqh", "")), expected):
        raise ValidationJwtError(REQUEST_HASH_INVALID, "rqh does not match the request")
    return claims


def _check_window(claims: Mapping[str, Any], now: float, leeway: float, max_ttl: float | None) -> None:
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or now > exp + leeway:
        raise ValidationJwtError(EXPIRED, "the validation token is expired or has no valid exp")
    if nbf is not None and (not isinstance(nbf, (int, float)) or now + leeway < nbf):
        raise ValidationJwtError(AUTHENTICATION_FAILED, "the validation token is not valid yet")
    if max_ttl is not None and exp - now > max_ttl + leeway:
        raise ValidationJwtError(EXPIRATION_TOO_FAR, f"exp is more than {max_ttl:g} s away")


# Keys ----------------------------------------------------------------------------------------
def load_private_key(private_key: Any) -> Any:
    """A PEM private key (text or bytes) parsed once; other values (key objects) as given.

    Parsing a PEM key costs far more than an RS256 signature, so signers keep the parsed key.
    """
    if not isinstance(private_key, (str, bytes)):
        return private_key
    try:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise TwilioException(
            "PKCV needs the 'cryptography' package: pip install 'twilio-toolkit[pkcv]'"
        ) from exc
    raw = private_key.encode("ascii") if isinstance(private_key, str) else private_key
    try:
        return load_pem_private_key(raw, password=None)
    except ValueError as exc:
        raise TwilioException(f"the PKCV private key is not an unencrypted PEM key: {exc}") from None


def generate_key_pair(key_size: int = 2048) -> tuple[str, str]:
    """A new RSA key pair (exponent 65537) as PEM text: ``(private PKCS#8, public SPKI)``.

    The public half is what you upload as a Credential (``accounts.v1.credentials.public_key``).
    """
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise TwilioException(
            "PKCV needs the 'cryptography' package: pip install 'twilio-toolkit[pkcv]'"
        ) from exc
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode("ascii"), public.decode("ascii")
