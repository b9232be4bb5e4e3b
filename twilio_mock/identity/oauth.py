"""OAuth in the mock: the token endpoints, the signed access tokens they issue, OAuth apps,
and the Organizations API's view of accounts.

A *client* (``client_id`` / ``client_secret``) is any of:

- an OAuth app made with iam v1 ``POST /v1/Account/OAuthApps`` (``client.iam.v1.o_auth_apps``):
  its ``OQ…`` SID and the ``secret`` of the create answer; its ``access_token_ttl`` (seconds)
  sets the tokens' lifetime;
- an API key: its ``SK…`` SID and secret;
- an account: its ``AC…`` SID and auth token (handy in tests).

Tokens come from ``oauth.twilio.com/v1/token`` (PascalCase form), ``/v2/token`` (snake_case,
optional ``?account_sid=`` for a subaccount of the client's account), ``iam.twilio.com/v1/token``
and ``preview-iam.twilio.com/v1/token``. They are HS256 JWTs (``iss``, ``sub`` = account SID,
``client_id``, ``iat``, ``exp`` = ``iat`` + lifetime by the virtual clock, ``jti``) signed with
a key derived from the backend's seed: self-contained, so nothing per token is stored or
snapshotted, and a backend restored from a snapshot accepts the tokens issued before it.
A bearer token is refused (401, 20003) once expired by the virtual clock, when it is not one
of this backend's tokens, or when its client was deleted or its account closed.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from twilio_mock.core import errors
from twilio_mock.core.store import CollectionKey
from twilio_mock.identity import accounts_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core as Backend
    from twilio_mock.core.operations import Call
    from twilio_mock.core.router import Route
    from twilio_mock.identity.credentials import Accounts

TOKEN_TTL = 3600
ALGORITHM = "HS256"
GRANT_TYPE = "client_credentials"
OAUTH_APPS = "Account/OAuthApps"
ORG_ACCOUNTS = "{OrganizationSid}/Accounts"


# Errors of the Token API (docs "Error and warning dictionary", 3214xx).
def invalid_grant_type() -> errors.MockError:
    return errors.MockError(400, 321403, "Invalid grant_type")


def empty_client_id() -> errors.MockError:
    return errors.MockError(400, 321402, "Empty client_id")


def empty_client_secret() -> errors.MockError:
    return errors.MockError(400, 321405, "Empty client_secret")


def invalid_credentials() -> errors.MockError:
    return errors.MockError(401, 321401, "Invalid credentials")


def rejected(detail: str) -> errors.MockError:
    """A bearer token that does not authenticate: Twilio's 401/20003, with a ``detail``."""
    exc = errors.authenticate()
    exc.extra["detail"] = detail
    return exc


# Tokens ------------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def signing_key(seed: str) -> bytes:
    """The HS256 key of a backend whose SID minter has ``seed``."""
    return hashlib.sha256(b"twilio_mock/oauth/" + seed.encode()).digest()


def mint(key: bytes, claims: dict[str, Any]) -> str:
    import jwt as pyjwt  # lazy: PyJWT costs ~45 ms to import, and most backends never mint a token

    return pyjwt.encode(claims, key, algorithm=ALGORITHM, headers={"typ": "JWT"})


def read(key: bytes, token: str, now: float) -> dict[str, Any]:
    """The claims of one of our tokens; raises a 401 ``MockError`` when it is not valid at ``now``."""
    import jwt as pyjwt

    try:
        claims: dict[str, Any] = pyjwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False, "verify_aud": False},
        )
    except pyjwt.PyJWTError:
        raise errors.authenticate() from None  # forged or garbled: the plain 20003
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool) or not isinstance(claims.get("sub"), str):
        raise errors.authenticate()
    if now >= exp:
        raise rejected("The access token has expired")
    return claims


# The token endpoints --------------------------------------------------------------------------
def token_endpoint(
    backend: Backend, route: Route, query: list[tuple[str, str]], form: list[tuple[str, str]]
) -> tuple[str, int, dict[str, Any]]:
    """Answer a token request: ``(account SID, status, body)``; errors raise ``MockError``."""
    by_wire = {p.wire: p.name for p in route.op.params if p.wire}
    values: dict[str, str] = {}
    for wire, value in (*query, *form):
        name = by_wire.get(wire)
        if name is not None:
            values.setdefault(name, value)
    if values.get("grant_type") != GRANT_TYPE:
        raise invalid_grant_type()
    client_id, secret = values.get("client_id", ""), values.get("client_secret", "")
    if not client_id:
        raise empty_client_id()
    if not secret:
        raise empty_client_secret()
    accounts = accounts_of(backend)
    owner = client_account(accounts, client_id, secret)
    if owner is None:
        raise invalid_credentials()
    account = values.get("account_sid") or owner
    if not accounts.can_reach(_principal(owner), account) or not accounts.is_active(account):
        raise invalid_credentials()
    ttl = app_ttl(backend, owner, client_id) if client_id.startswith("OQ") else TOKEN_TTL
    now = backend.clock.seconds()
    accounts.tokens_issued += 1
    key = signing_key(backend.minter.seed)
    jti = "OA" + hashlib.blake2b(str(accounts.tokens_issued).encode(), digest_size=16, key=key).hexdigest()
    claims = {
        "iss": route.version.base_url,
        "sub": account,
        "client_id": client_id,
        "iat": now,
        "exp": now + ttl,
        "jti": jti,
    }
    body = {
        "access_token": mint(key, claims),
        "id_token": None,
        "token_type": "Bearer",
        "expires_in": ttl,
        "refresh_token": None,
    }
    return account, route.op.ok, body


def client_account(accounts: Accounts, client_id: str, secret: str) -> str | None:
    """The account a client acts for, when ``secret`` is its secret (``None`` otherwise)."""
    if client_id.startswith("OQ"):
        found = accounts.oauth_apps.get(client_id)
    elif client_id.startswith("SK"):
        found = accounts.keys.get(client_id)
    elif client_id.startswith("AC"):
        record = accounts.get(client_id)
        found = (client_id, str(record.get("auth_token"))) if record is not None else None
    else:
        found = None
    if found is None or found[1] != secret or not accounts.is_active(found[0]):
        return None
    return found[0]


def client_owner(accounts: Accounts, client_id: str) -> str | None:
    """The account of a client that still exists (for tokens already issued)."""
    if client_id.startswith("OQ"):
        app = accounts.oauth_apps.get(client_id)
        return app[0] if app else None
    if client_id.startswith("SK"):
        key = accounts.keys.get(client_id)
        return key[0] if key else None
    return client_id if client_id.startswith("AC") and accounts.get(client_id) is not None else None


def app_ttl(backend: Backend, owner: str, app_sid: str) -> int:
    record = backend.store.get(_apps_key(owner))
    app = record.get(app_sid) if record is not None else None
    ttl = (app or {}).get("access_token_ttl")
    return ttl if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl > 0 else TOKEN_TTL


def _principal(account: str) -> Any:
    from twilio_mock.core.contract import Principal

    return Principal(account)


def _apps_key(owner: str) -> CollectionKey:
    return (owner, "iam", "v1", "/v1/Account/OAuthApps")


# OAuth apps and organizations --------------------------------------------------------------
def install(backend: Backend) -> None:
    backend.on("create", "iam", OAUTH_APPS, _create_app)
    backend.on("delete", "iam", OAUTH_APPS, _delete_app)
    backend.aliases[("preview_iam", ORG_ACCOUNTS)] = _org_accounts


def _create_app(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    if old is None:
        record.setdefault("status", "active")
        record.setdefault("created_by", call.principal.account_sid)
        accounts_of(call.backend).add_oauth_app(str(record["sid"]), call.owner, str(record["secret"]))
    return record


def _delete_app(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> None:
    accounts_of(call.backend).remove_oauth_app(str(record.get("sid")))


def _org_accounts(call: Call) -> tuple[str, CollectionKey]:
    """``/Organizations/{OR}/Accounts`` shows the caller's account and its subaccounts.

    The view is rebuilt from the accounts collection on each request (any ``OR…`` SID works).
    """
    accounts = accounts_of(call.backend)
    ident = call.route.ident
    if ident and not (accounts.get(ident) and accounts.can_reach(call.principal, ident)):
        raise errors.not_found(call.route.path)
    key: CollectionKey = ("", "preview_iam", call.route.version.version, call.route.collection)
    view = call.backend.store.open(key, {}, "account_sid")
    view.clear()
    for record in accounts.collection.records():
        if accounts.visible(call.principal, record):
            sid = str(record["sid"])
            view.put(
                sid,
                {
                    "account_sid": sid,
                    "friendly_name": record.get("friendly_name"),
                    "status": record.get("status", "active"),
                    "date_created": record.get("date_created"),
                },
            )
    return "", key
