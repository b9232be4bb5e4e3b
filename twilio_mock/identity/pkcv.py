"""Public Key Client Validation (PKCV) in the mock.

Public keys are credentials (``CR…``) uploaded to ``accounts.twilio.com/v1/Credentials/PublicKeys``
(``client.accounts.v1.credentials.public_key.create(public_key=PEM)``); they are records of the
uploading account like any other, so snapshots carry them and the PEM is never shown back.

``Backend.require_pkcv(account_sid)`` (or ``"pkcv_required": [...]`` in a snapshot's ``auth``)
makes every request authenticated as that account carry a ``Twilio-Client-Validation`` token,
checked with :func:`twilio_sdk.jwt.validation.verify_validation_jwt` against the request as the
client sent it (``MockRequest.received_url`` when the server set it), the key found by the
token's ``kid``. Failures are 401 with Twilio's codes: 70052 no token, 20152 bad JWT header,
20151 unknown ``kid`` or bad signature, 20156 expired, 70155 ``authorization``/``host`` not
signed, 70156 request hash mismatch, 20153 ``iss``/``sub`` not an API key of the caller's account.
Accounts that do not require PKCV ignore the header.

The token's time window is checked against the wall clock by default (``Backend.pkcv_clock``):
clients sign each request with their real clock, and a frozen virtual clock would reject them
all. Set ``backend.pkcv_clock = backend.clock.now`` to judge tokens by the virtual clock.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from twilio_mock.core import errors
from twilio_mock.core.store import CollectionKey
from twilio_mock.identity import accounts_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core as Backend
    from twilio_mock.core.contract import Principal
    from twilio_mock.core.wire import MockRequest

PUBLIC_KEYS = "Credentials/PublicKeys"
INVALID_ISSUER_OR_SUBJECT = 20153
TITLES = {
    70052: "Public Key Client Validation Required For Account",
    70155: "Missing Signed Headers",
    70156: "Request Hash Invalid",
    20151: "Authentication Failed",
    20152: "Invalid Header",
    20153: "Invalid Issuer Or Subject",
    20156: "Token Expired",
    20157: "Expiration Time Exceeds Maximum Time Allowed",
}


def keys_key(account_sid: str) -> CollectionKey:
    return (account_sid, "accounts", "v1", "/v1/Credentials/PublicKeys")


def public_key(backend: Backend, account_sid: str, kid: str) -> Any:
    """The parsed public key of credential ``kid`` usable by ``account_sid`` (``None`` if none).

    A key uploaded by the parent account with ``AccountSid=<subaccount>`` counts for the subaccount.
    """
    accounts = accounts_of(backend)
    record = None
    own = backend.store.get(keys_key(account_sid))
    if own is not None:
        record = own.get(kid)
    if record is None:
        parent = (accounts.get(account_sid) or {}).get("owner_account_sid")
        theirs = backend.store.get(keys_key(str(parent))) if parent and parent != account_sid else None
        found = theirs.get(kid) if theirs is not None else None
        if found is not None and found.get("account_sid") == account_sid:
            record = found
    pem = (record or {}).get("public_key")
    return _parse(pem) if isinstance(pem, str) else None


@lru_cache(maxsize=256)
def _parse(pem: str) -> Any:
    """Parsing a PEM key costs far more than checking a signature: do it once per key."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        return load_pem_public_key(pem.encode("utf-8"))
    except (ValueError, TypeError):
        return None


def error(code: int, detail: str) -> errors.MockError:
    return errors.MockError(401, code, TITLES.get(code, "Authentication Failed"), detail=detail)


def check(backend: Backend, request: MockRequest, principal: Principal, now: float) -> dict[str, Any]:
    """Verify the request's ``Twilio-Client-Validation`` token; returns its claims or raises."""
    # Imported here: only accounts that require PKCV pay for loading the JWT helpers.
    from twilio_sdk.jwt.validation import (
        HEADER_NAME,
        ValidationJwtError,
        ValidationRequest,
        verify_validation_jwt,
    )

    received = ValidationRequest.from_url(
        str(request.method).upper(), request.received_url or request.url, request.headers, request.body
    )

    def lookup(header: dict[str, Any], claims: dict[str, Any]) -> Any:
        return public_key(backend, principal.account_sid, str(header.get("kid")))

    try:
        claims = verify_validation_jwt(request.header(HEADER_NAME), lookup, received, now=now)
    except ValidationJwtError as exc:
        raise error(exc.code, exc.message) from None
    issuer, subject = str(claims.get("iss")), str(claims.get("sub"))
    key = accounts_of(backend).keys.get(issuer)
    if subject != principal.account_sid or key is None or key[0] != subject:
        raise error(
            INVALID_ISSUER_OR_SUBJECT,
            f"iss must be an API key of {principal.account_sid} and sub that account",
        )
    return claims
