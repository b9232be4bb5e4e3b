"""Decode two tokens and compare what matters: header and claims, minus jti and time claims."""

from __future__ import annotations

from typing import Any

import jwt as pyjwt

TIME_CLAIMS = {"jti", "exp", "nbf", "iat"}
SECRET = "s3cr3t-" + "x" * 60


def decoded(
    token: str, key: Any, algorithms: tuple[str, ...] = ("HS256",)
) -> tuple[dict[str, Any], dict[str, Any]]:
    header = pyjwt.get_unverified_header(token)
    claims = pyjwt.decode(token, key, algorithms=list(algorithms))
    return header, {k: v for k, v in claims.items() if k not in TIME_CLAIMS}


def assert_same_token(ours: str, theirs: str, key: Any, algorithms: tuple[str, ...] = ("HS256",)) -> None:
    our_header, our_claims = decoded(ours, key, algorithms)
    their_header, their_claims = decoded(theirs, key, algorithms)
    assert our_header == their_header
    assert our_claims == their_claims
