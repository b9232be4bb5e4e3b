"""Identity: accounts and subaccounts, credentials (auth tokens, API keys, test credentials),
OAuth and Public Key Client Validation, plugged into the core as its identity stage
(:mod:`~twilio_mock.identity.gate`) and through the same hooks behaviours use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.identity.credentials import Accounts
    from twilio_mock.identity.gate import Credentials, Gate


def install(core: Core, credentials: Credentials, auto_accounts: bool = False) -> Gate:
    """Plug identity into ``core``; the main account and test credentials are minted last."""
    from twilio_mock.identity import accounts, oauth
    from twilio_mock.identity.gate import Gate

    found = Gate(core, credentials, auto_accounts)
    core.identity = found
    core.parts["auth"] = found
    accounts.install(core)
    oauth.install(core)
    found.setup()
    return found


def accounts_of(core: Core) -> Accounts:
    """The account and credential registry of the identity plugged into ``core``."""
    found: Accounts = getattr(core.identity, "accounts")  # noqa: B009 - Identity's protocol lacks it
    return found
