"""Behaviour of the account-level resources: subaccounts, API keys, OAuth apps, public keys.

Installed on every backend through the same hooks behaviour modules use
(``Backend.on``): creating an account makes a subaccount of the caller, creating a key
registers its secret for Basic auth, deleting it revokes it. OAuth (apps, token endpoints,
organizations) is in :mod:`twilio_mock.identity.oauth`, public keys for PKCV in :mod:`twilio_mock.identity.pkcv`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.core import dates, errors
from twilio_mock.core.store import CollectionKey
from twilio_mock.identity import accounts_of
from twilio_mock.identity.credentials import ACCOUNTS_KEY

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core as Backend
    from twilio_mock.core.operations import Call

V2010_KEYS = "Accounts/{AccountSid}/Keys"


def install(backend: Backend) -> None:
    backend.on("create", "api", "Accounts", _create_account)
    backend.on("update", "api", "Accounts", _update_account)
    for domain, template in (("api", V2010_KEYS), ("iam", "Keys")):
        backend.on("create", domain, template, _create_key)
        backend.on("delete", domain, template, _delete_key)
    backend.aliases[("api", "Accounts")] = lambda call: ("", ACCOUNTS_KEY)
    backend.aliases[("iam", "Keys")] = _iam_keys
    backend.visibility[("api", "Accounts")] = lambda call, record: accounts_of(call.backend).visible(
        call.principal, record
    )


def _create_account(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    accounts = accounts_of(call.backend)
    if call.principal.test or accounts.is_sub(call.principal.account_sid):
        raise errors.authenticate()  # subaccounts cannot make subaccounts
    record["owner_account_sid"] = call.principal.account_sid
    if not record.get("friendly_name"):
        record["friendly_name"] = f"SubAccount Created at {dates.iso8601(call.backend.clock.seconds())}"
    record.setdefault("status", "active")
    record.setdefault("type", "Full")
    accounts.changed()
    return record


def _update_account(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    if record.get("sid") == accounts_of(call.backend).main_sid and record.get("status") != "active":
        raise errors.MockError(400, 20001, "The main account cannot be suspended or closed through the API")
    accounts_of(call.backend).changed()
    return record


def _create_key(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    if call.principal.test:
        return record
    secret = str(record.get("secret") or call.backend.minter.secret())
    record["secret"] = secret
    record.pop("account_sid", None)
    accounts_of(call.backend).add_key(str(record["sid"]), call.owner, secret)
    return record


def _delete_key(call: Call, record: dict[str, Any], old: dict[str, Any] | None) -> None:
    accounts_of(call.backend).remove_key(str(record.get("sid")))


def _iam_keys(call: Call) -> tuple[str, CollectionKey]:
    """``iam.twilio.com/v1/Keys`` shows the same keys as ``Accounts/{AccountSid}/Keys``."""
    accounts = accounts_of(call.backend)
    named = next((v for k, v in (*call.query, *call.form) if k == "AccountSid" and v), None)
    owner = named or call.principal.account_sid
    if named is None and call.route.ident:
        found = accounts.keys.get(call.route.ident)
        owner = found[0] if found else owner
    if not accounts.can_reach(call.principal, owner):
        raise errors.authenticate()
    return owner, (owner, "api", "v2010", f"/2010-04-01/Accounts/{owner}/Keys")
