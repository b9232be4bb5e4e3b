"""The identity the core asks about every request: who is calling, with which credentials, and
what they may reach (:class:`~twilio_mock.core.contract.Identity`); and the state part that
keeps credentials in snapshots (``auth``).

Checks, in the order the core makes them: the OAuth token endpoints are exempt (they take their
credentials from the form); then the ``Authorization`` header (401/20003), then Public Key
Client Validation for accounts that require it; then access: test credentials outside the
routes Twilio allows them are 403/20008, and an ``AccountSid`` in the path that is neither the
caller's account nor one of its subaccounts is 401/20003 (what Twilio answers when SID and
token do not match).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twilio_mock.core import errors
from twilio_mock.core.contract import ExemptHandler, Principal
from twilio_mock.identity import oauth, pkcv
from twilio_mock.identity.credentials import TEST_ROUTES, Accounts

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.router import Route
    from twilio_mock.core.wire import MockRequest

# Routes that authenticate with parameters instead of an Authorization header.
AUTH_EXEMPT = {("oauth", "token"), ("iam", "token"), ("preview_iam", "token")}
Credentials = tuple["str | None", "str | None", "str | None", "str | None"]


class Gate:
    """Accounts, credentials and the checks on them, for one backend."""

    def __init__(self, core: Core, credentials: Credentials, auto_accounts: bool = False) -> None:
        self.core = core
        self.accounts = Accounts(core.store, core.minter, core.clock, auto_accounts)
        self._credentials = credentials
        self._restored: tuple[str, str, str, str] | None = None  # credentials the last restore set
        # What PKCV tokens' time windows are judged by (see twilio_mock.identity.pkcv): the wall
        # clock, since clients sign with theirs; the virtual clock's ``now`` judges them by it.
        self.pkcv_clock: Callable[[], float] = time.time

    def setup(self) -> None:
        """Create the main account and the test credentials (seeded defaults)."""
        self.accounts.setup(self.core.clock.seconds(), *self._credentials)

    # Identity -------------------------------------------------------------------------
    def exempt(self, route: Route) -> ExemptHandler | None:
        if (route.domain, route.endpoint.canonical) in AUTH_EXEMPT:
            return oauth.token_endpoint
        return None

    def authenticate(self, request: MockRequest) -> Principal:
        principal = self.accounts.authenticate(request.header("Authorization"))
        if principal.account_sid in self.accounts.pkcv_required and not principal.test:
            pkcv.check(self.core, request, principal, self.pkcv_clock())
        return principal

    def authorize(self, principal: Principal, route: Route) -> str:
        if (
            principal.test
            and (route.domain, route.version.version, route.template, route.verb) not in TEST_ROUTES
        ):
            raise errors.test_credentials()
        if route.domain != "api":
            return principal.account_sid
        target = route.ident if route.endpoint.canonical == "Accounts" else route.params.get("AccountSid")
        if target is None:
            return principal.account_sid
        if not self.accounts.can_reach(principal, target):
            raise errors.authenticate()
        return target

    # State part "auth" ----------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return self.accounts.state()

    def load(self, state: dict[str, Any]) -> None:
        accounts = self.accounts
        if not state.get("main"):  # a hand-written file: the first top-level account is the main one
            top = [
                r for r in accounts.collection.records() if r.get("owner_account_sid") in (None, r.get("sid"))
            ]
            state = {**state, "main": top[0]["sid"]} if top else state
        accounts.load(state)
        if accounts.get(accounts.main_sid) is None:
            accounts.add(accounts.main_sid, self.core.minter.secret(), self.core.clock.seconds())
        main = accounts.main
        self._restored = (accounts.main_sid, str(main["auth_token"]), accounts.test_sid, accounts.test_token)

    def reset(self) -> None:
        """Fresh credentials as at start, minted as a fresh backend mints them (so the SIDs that
        follow are the same), then those of the last restore, if any: exported variables keep
        working."""
        self.accounts.reset()
        self.setup()
        if self._restored is not None:
            self._use(*self._restored)

    def _use(self, sid: str, token: str, test_sid: str, test_token: str) -> None:
        accounts = self.accounts
        if accounts.main_sid != sid:
            accounts.collection.remove(accounts.main_sid)
            accounts.main_sid = sid
        accounts.add(sid, token, self.core.clock.seconds())
        accounts.test_sid, accounts.test_token = test_sid, test_token
        accounts.changed()


def gate(core: Core) -> Gate:
    """The identity plugged into ``core`` (identity modules reach the accounts through it)."""
    found = core.identity
    assert isinstance(found, Gate), "this backend's identity is not twilio_mock's"
    return found
