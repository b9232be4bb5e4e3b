"""Who is calling: accounts, subaccounts, API keys, test credentials and bearer tokens.

Account records live in the store (the ``/2010-04-01/Accounts`` collection), so they are
listed, fetched, snapshotted and restored like any other record; this module only reads
them to check credentials and keeps the API key secrets and the test credentials.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from twilio_mock import errors
from twilio_mock.clock import Clock
from twilio_mock.sids import SidMinter, looks_like_sid
from twilio_mock.store import Collection, Store

ACCOUNTS_KEY = ("", "api", "v2010", "/2010-04-01/Accounts")
# What test credentials may reach (reference/twilio-facts.md §2); anything else is 20008.
TEST_ROUTES = {
    ("api", "Accounts/{AccountSid}/Messages", "create"),
    ("api", "Accounts/{AccountSid}/Calls", "create"),
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers", "create"),
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers/Local", "create"),
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers/Mobile", "create"),
    ("api", "Accounts/{AccountSid}/IncomingPhoneNumbers/TollFree", "create"),
    ("lookups", "PhoneNumbers/{PhoneNumber}", "fetch"),
}


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: its account, and how it proved it."""

    account_sid: str
    test: bool = False
    key_sid: str | None = None


class Accounts:
    """The credential registry over the accounts collection."""

    def __init__(self, store: Store, minter: SidMinter, clock: Clock, auto: bool = False) -> None:
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
        self.bearers: dict[str, str] = {}  # bearer token -> account SID
        self._cache: dict[str, Principal] = {}

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

    def issue_bearer(self, account_sid: str) -> str:
        token = "eyMock" + self.minter.secret() + self.minter.secret()
        self.bearers[token] = account_sid
        return token

    def changed(self) -> None:
        self._cache.clear()

    # Authentication -------------------------------------------------------------------
    def authenticate(self, header: str | None) -> Principal:
        """The caller for an ``Authorization`` header; raises a 401 ``MockError``."""
        if not header:
            raise errors.authenticate()
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
        if scheme.lower() == "bearer":
            account = self.bearers.get(value.strip())
            if account is None or not self._active(account):
                raise errors.authenticate()
            return Principal(account)
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

    def _adopt(self, sid: str, token: str) -> bool:
        """Auto mode: an unknown account SID becomes a new top-level account on first use."""
        self.add(sid, token, self.clock.seconds())
        return True

    def _active(self, sid: str) -> bool:
        record = self.get(sid)
        return record is not None and record.get("status", "active") == "active"

    # State --------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "main": self.main_sid,
            "test": {"sid": self.test_sid, "auth_token": self.test_token},
            "keys": {sid: {"account_sid": a, "secret": s} for sid, (a, s) in self.keys.items()},
            "bearers": dict(self.bearers),
        }

    def load(self, state: dict[str, Any]) -> None:
        self.main_sid = str(state.get("main") or self.main_sid)
        test = state.get("test") or {}
        self.test_sid = str(test.get("sid") or self.test_sid)
        self.test_token = str(test.get("auth_token") or self.test_token)
        self.keys = {
            str(k): (str(v["account_sid"]), str(v["secret"])) for k, v in (state.get("keys") or {}).items()
        }
        self.bearers = {str(k): str(v) for k, v in (state.get("bearers") or {}).items()}
        self.changed()


def _deny() -> Principal:
    raise errors.authenticate()
