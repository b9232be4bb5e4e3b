"""The JWT every Twilio token is built on, and decoding/verification helpers (PyJWT)."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Any

import jwt as pyjwt

from twilio_sdk.exceptions import TwilioException

#: HMAC algorithms Twilio accepts for access and capability tokens.
__all__ = ["GENERATE", "HMAC_ALGORITHMS", "Jwt", "JwtDecodeError", "check_times", "decode", "peek"]

HMAC_ALGORITHMS = ("HS256", "HS384", "HS512")


class _Generate:
    """Marker for "use the current time" (``nbf=None`` means "leave the claim out")."""

    def __repr__(self) -> str:
        return "GENERATE"


GENERATE: Any = _Generate()


class JwtDecodeError(TwilioException):
    """A token could not be decoded, its signature did not verify, or it is out of its time window."""


def peek(token: str | bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of ``token`` without checking anything (signature, times)."""
    try:
        header = pyjwt.get_unverified_header(token)
        claims = pyjwt.decode(token, options={"verify_signature": False})
    except pyjwt.PyJWTError as exc:
        raise JwtDecodeError(f"not a JWT: {exc}") from exc
    return header, claims


def decode(
    token: str | bytes,
    key: Any = None,
    verify: bool = True,
    *,
    algorithms: Collection[str] = HMAC_ALGORITHMS,
    leeway: float = 0,
    now: float | None = None,
) -> dict[str, Any]:
    """The claims of ``token``.

    With ``verify`` (the default) the signature is checked with ``key`` against one of
    ``algorithms``, and ``exp``/``nbf`` against ``now`` (default: the wall clock; pass a
    virtual clock's time to check against it) with ``leeway`` seconds of tolerance.
    """
    if not verify:
        return peek(token)[1]
    if key is None or key == "":
        raise JwtDecodeError("a key is needed to verify the token (or pass verify=False)")
    try:
        claims: dict[str, Any] = pyjwt.decode(
            token,
            key,
            algorithms=list(algorithms),
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
        )
    except pyjwt.PyJWTError as exc:
        raise JwtDecodeError(f"invalid token: {exc}") from exc
    check_times(claims, now=now, leeway=leeway)
    return claims


def check_times(claims: Mapping[str, Any], *, now: float | None = None, leeway: float = 0) -> None:
    """Raise :class:`JwtDecodeError` when ``claims`` are expired or not yet valid at ``now``."""
    current = time.time() if now is None else now
    exp, nbf = claims.get("exp"), claims.get("nbf")
    if exp is not None:
        if not isinstance(exp, (int, float)) or isinstance(exp, bool):
            raise JwtDecodeError(f"exp is not a number: {exp!r}")
        if current > exp + leeway:
            raise JwtDecodeError(f"token expired at {exp} (now {int(current)})")
    if nbf is not None:
        if not isinstance(nbf, (int, float)) or isinstance(nbf, bool):
            raise JwtDecodeError(f"nbf is not a number: {nbf!r}")
        if current + leeway < nbf:
            raise JwtDecodeError(f"token not valid before {nbf} (now {int(current)})")


class Jwt:
    """A token: subclasses supply :meth:`_generate_headers` and :meth:`_generate_payload`.

    ``nbf`` defaults to the signing time (``None`` leaves it out); ``exp`` is
    ``valid_until`` when given, else signing time + ``ttl``.
    """

    algorithm = "HS256"
    allowed_algorithms: tuple[str, ...] = HMAC_ALGORITHMS

    def __init__(
        self,
        secret_key: Any,
        issuer: str,
        subject: str | None = None,
        algorithm: str | None = None,
        nbf: Any = GENERATE,
        ttl: int = 3600,
        valid_until: float | None = None,
    ) -> None:
        self.secret_key = secret_key
        self.issuer = issuer
        self.subject = subject
        self.algorithm = algorithm or self.algorithm
        self.nbf = nbf
        self.ttl = ttl
        self.valid_until = valid_until
        self._decoded_headers: dict[str, Any] | None = None
        self._decoded_payload: dict[str, Any] | None = None

    # Subclass hooks ---------------------------------------------------------------------
    def _generate_headers(self) -> dict[str, Any]:
        return {}

    def _generate_payload(self, now: int) -> dict[str, Any]:
        return {}

    # Building ---------------------------------------------------------------------------
    @property
    def headers(self) -> dict[str, Any]:
        """The JOSE header (``typ`` and ``alg`` included)."""
        if self._decoded_headers is not None:
            return dict(self._decoded_headers)
        return self._headers(self.algorithm)

    @property
    def payload(self) -> dict[str, Any]:
        """The claims the token would carry if signed now."""
        if self._decoded_payload is not None:
            return dict(self._decoded_payload)
        return self._claims(int(time.time()), None)

    def _headers(self, algorithm: str) -> dict[str, Any]:
        return {"typ": "JWT", "alg": algorithm, **self._generate_headers()}

    def _claims(self, now: int, ttl: int | None) -> dict[str, Any]:
        claims = dict(self._generate_payload(now))
        claims["iss"] = self.issuer
        if self.subject is not None:
            claims["sub"] = self.subject
        if self.valid_until is not None and ttl is None:
            claims["exp"] = int(self.valid_until)
        else:
            claims["exp"] = now + (self.ttl if ttl is None else ttl)
        if self.nbf is GENERATE:
            claims["nbf"] = now
        elif self.nbf is not None:
            claims["nbf"] = self.nbf
        return claims

    def to_jwt(self, algorithm: str | int | None = None, ttl: int | None = None) -> str:
        """The signed token; ``ttl`` overrides the lifetime for this call.

        A number in first position is taken as ``ttl`` (the official signature is ``to_jwt(ttl)``).
        """
        if isinstance(algorithm, int) and not isinstance(algorithm, bool):
            algorithm, ttl = None, algorithm
        if self.secret_key is None or self.secret_key == "":
            raise ValueError("a secret key is needed to sign the token")
        alg = str(algorithm or self.algorithm)
        if alg not in self.allowed_algorithms:
            raise ValueError(f"algorithm {alg!r} is not one of {', '.join(self.allowed_algorithms)}")
        headers = self._headers(alg)
        claims = self._claims(int(time.time()), ttl)
        return pyjwt.encode(claims, self.secret_key, algorithm=alg, headers=headers)

    def __str__(self) -> str:
        return self.to_jwt()

    # Reading ----------------------------------------------------------------------------
    @classmethod
    def from_jwt(cls, token: str, key: Any = None, **kwargs: Any) -> Jwt:
        """A read-only :class:`Jwt` holding the decoded ``headers`` and ``payload``.

        With a ``key`` the signature and time window are verified (``kwargs`` go to
        :func:`decode`); without one nothing is checked.
        """
        header, claims = peek(token)
        if key is not None and key != "":
            claims = decode(token, key, algorithms=kwargs.pop("algorithms", cls.allowed_algorithms), **kwargs)
        decoded = Jwt(None, claims.get("iss", ""), claims.get("sub"), header.get("alg"))
        decoded._decoded_headers = header
        decoded._decoded_payload = claims
        return decoded
