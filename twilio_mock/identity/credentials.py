"""Who is calling: accounts, subaccounts, API keys, test credentials and OAuth bearer tokens.

Account records live in the store (the ``/2010-04-01/Accounts`` collection), so they are
listed, fetched, snapshotted and restored like any other record; this module only reads
them to check credentials and keeps the API key and OAuth app secrets, the test credentials
and which accounts require Public Key Client Validation. Bearer tokens are self-contained
signed JWTs (:mod:`twilio_mock.identity.oauth`): nothing is kept per token.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from twilio_mock.core import errors
from twilio_mock.core.clock import Clock
from twilio_mock.core.contract import Principal
from twilio_mock.core.minter import Minter
from twilio_mock.core.sids import looks_like_sid
from twilio_mock.core.store import Collection, Store
from twilio_mock.identity import oauth

ACCOUNTS_KEY = ("", "api", "v2010", "/2010-04-01/Accounts")
# What test credentials may reach (reference/twilio-facts.md §2), as (domain, version, resource
# template, verb) exactly as the router names them; anything else is 20008.
TEST_ROUTES = {
    ("api", "v2010", "Accounts/{AccountSid}/Messages", "create"),
    ("api", "v2010", "Accounts/{AccountSid}/Calls", "create"),
    ("api", "v2010", "Accounts/{AccountSid}/IncomingPhoneNumbers", "create"),
    ("api", "v2010", "Accounts/{AccountSid}/IncomingPhoneNumbers/Local", "create"),
    ("api", "v2010", "Accounts/{AccountSid}/IncomingPhoneNumbers/Mobile", "create"),
    ("api", "v2010", "Accounts/{AccountSid}/IncomingPhoneNumbers/TollFree", "create"),
    ("lookups", "v2", "PhoneNumbers", "fetch"),
}


class Accounts:
    """The credential registry over the accounts collection."""

    def __init__(self, store: Store, minter: Minter, clock: Clock, auto: bool = False) -> None:
        self.store = store
        self.minter = minter
        self.clock = clock
        self.auto = auto
        self.reset()

    def reset(self) -> None:
        """Forget every credential (the store is cleared separately)."""
        self.main_sid = ""
        self.test_sid = ""
        self.test_token = ""
        self.keys: dict[str, tuple[str, str]] = {}  # API key SID -> (account SID, secret)
        self.oauth_apps: dict[str, tuple[str, str]] = {}  # OAuth app SID -> (account SID, secret)
        self.pkcv_required: set[str] = set()  # accounts whose requests must carry PKCV
        self.tokens_issued = 0  # OAuth tokens minted (numbers their ``jti``)
        self._cache: dict[str, Principal] = {}
        self._bearer_cache: dict[str, tuple[Principal, int]] = {}  # token -> (caller, exp)

    # Records -------------------------------------------------------------------------
    @property
    def collection(self) -> Collection:
        return self.store.open(ACCOUNTS_KEY, {}, "sid")

    def get(self, sid: str) -> dict[str, Any] | None:
        coll = self.store.get(ACCOUNTS_KEY)
        return coll.get(sid) if coll is not None else None

    @property
    def main(self) -> dict[str, Any]:
        record = self.get(self.main_sid)
        assert record is not None, "the main account is missing"
        return record

    def add(
        self, sid: str, token: str, now: int, owner: str | None = None, name: str | None = None
    ) -> dict[str, Any]:
        """Store an account record (the main account, or a subaccount of ``owner``)."""
        record = {
            "sid": sid,
            "auth_token": token,
            "friendly_name": name or (f"SubAccount {sid[-6:]}" if owner else "My first Twilio account"),
            "owner_account_sid": owner or sid,
            "status": "active",
            "type": "Full",
            "date_created": now,
            "date_updated": now,
        }
        self.collection.put(sid, record)
        self.changed()
        return record

    def setup(
        self, now: int, sid: str | None, token: str | None, test_sid: str | None, test_token: str | None
    ) -> None:
        """Create the main account and the test credentials (seeded defaults)."""
        self.main_sid = sid or self.minter.sid("AC")
        self.add(self.main_sid, token or self.minter.secret(), now)
        self.test_sid = test_sid or self.minter.sid("AC")
        self.test_token = test_token or self.minter.secret()

    def is_sub(self, sid: str) -> bool:
        record = self.get(sid)
        return record is not None and record.get("owner_account_sid") not in (None, sid)

    def can_reach(self, principal: Principal, account_sid: str) -> bool:
        """An account reaches itself; a parent account reaches its subaccounts."""
        if principal.test:
            return account_sid == self.test_sid
        if account_sid == principal.account_sid:
            return True
        record = self.get(account_sid)
        return record is not None and record.get("owner_account_sid") == principal.account_sid

    def visible(self, principal: Principal, record: dict[str, Any]) -> bool:
        return self.can_reach(principal, str(record.get("sid")))

    # Keys and tokens -------------------------------------------------------------------
    def add_key(self, sid: str, account_sid: str, secret: str) -> None:
        self.keys[sid] = (account_sid, secret)
        self.changed()

    def remove_key(self, sid: str) -> None:
        if self.keys.pop(sid, None) is not None:
            self.changed()

    def add_oauth_app(self, sid: str, account_sid: str, secret: str) -> None:
        self.oauth_apps[sid] = (account_sid, secret)
        self.changed()

    def remove_oauth_app(self, sid: str) -> None:
        if self.oauth_apps.pop(sid, None) is not None:
            self.changed()

    def require_pkcv(self, account_sid: str, required: bool = True) -> None:
        if required:
            self.pkcv_required.add(account_sid)
        else:
            self.pkcv_required.discard(account_sid)

    def changed(self) -> None:
        self._cache.clear()
        self._bearer_cache.clear()

    # Authentication -------------------------------------------------------------------
    def authenticate(self, header: str | None) -> Principal:
        """The caller for an ``Authorization`` header; raises a 401 ``MockError``."""
        if not header:
            raise errors.authenticate()
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            return self._bearer(value.strip())
        found = self._cache.get(header)
        if found is not None:
            return found
        principal = self._check(header)
        if len(self._cache) > 1024:
            self._cache.clear()
        self._cache[header] = principal
        return principal

    def _check(self, header: str) -> Principal:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "basic":
            raise errors.authenticate()
        try:
            raw = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise errors.authenticate() from None
        username, colon, password = raw.partition(":")
        if not colon or not username or not password:
            raise errors.authenticate()
        if username == self.test_sid and password == self.test_token:
            return Principal(username, test=True)
        if username.startswith("SK"):
            key = self.keys.get(username)
            if key is None or key[1] != password or not self._active(key[0]):
                raise errors.authenticate()
            return Principal(key[0], key_sid=username)
        record = self.get(username)
        if record is None and self.auto and looks_like_sid(username) and username.startswith("AC"):
            return Principal(username) if self._adopt(username, password) else _deny()
        if record is None or record.get("auth_token") != password or not self._active(username):
            raise errors.authenticate()
        return Principal(username)

    def _bearer(self, token: str) -> Principal:
        """The caller for an OAuth access token, checked against the virtual clock."""
        now = self.clock.now()
        cached = self._bearer_cache.get(token)
        if cached is not None and now < cached[1]:
            return cached[0]
        claims = oauth.read(oauth.signing_key(self.minter.seed), token, now)
        account, client_id = str(claims["sub"]), str(claims.get("client_id", ""))
        owner = oauth.client_owner(self, client_id)
        if owner is None or not self.can_reach(Principal(owner), account) or not self.is_active(account):
            raise oauth.rejected("The access token's client or account is no longer active")
        principal = Principal(account, key_sid=client_id if client_id.startswith("SK") else None)
        if len(self._bearer_cache) > 1024:
            self._bearer_cache.clear()
        self._bearer_cache[token] = (principal, int(claims["exp"]))
        return principal

    def _adopt(self, sid: str, token: str) -> bool:
        """Auto mode: an unknown account SID becomes a new top-level account on first use."""
        self.add(sid, token, self.clock.seconds())
        return True

    def is_active(self, sid: str) -> bool:
        return self._active(sid)

    def _active(self, sid: str) -> bool:
        record = self.get(sid)
        return record is not None and record.get("status", "active") == "active"

    # State --------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "main": self.main_sid,
            "test": {"sid": self.test_sid, "auth_token": self.test_token},
            "keys": {sid: {"account_sid": a, "secret": s} for sid, (a, s) in self.keys.items()},
            "oauth_apps": {sid: {"account_sid": a, "secret": s} for sid, (a, s) in self.oauth_apps.items()},
            "pkcv_required": sorted(self.pkcv_required),
        }

    def load(self, state: dict[str, Any]) -> None:
        self.main_sid = str(state.get("main") or self.main_sid)
        test = state.get("test") or {}
        self.test_sid = str(test.get("sid") or self.test_sid)
        self.test_token = str(test.get("auth_token") or self.test_token)
        self.keys = {
            str(k): (str(v["account_sid"]), str(v["secret"])) for k, v in (state.get("keys") or {}).items()
        }
        self.oauth_apps = {
            str(k): (str(v["account_sid"]), str(v["secret"]))
            for k, v in (state.get("oauth_apps") or {}).items()
        }
        # Older snapshots carry opaque "bearers": tokens are self-contained JWTs now, so they go.
        self.pkcv_required = {str(sid) for sid in state.get("pkcv_required") or ()}
        self.changed()


def _deny() -> Principal:
    raise errors.authenticate()
