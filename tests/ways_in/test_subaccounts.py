"""Subaccounts through every way in: their credentials work, their data is their own, and the
main account reaches into them as Twilio allows."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ways_in.conftest import Way, status_and_code

TO, FROM = "+15558675310", "+15017122661"


def _subaccount(way: Way, name: str) -> tuple[Any, Any]:
    account = way.client.api.v2010.accounts.create(friendly_name=name)
    assert account.sid.startswith("AC") and account.sid != way.backend.account_sid
    assert account.owner_account_sid == way.backend.account_sid
    assert account.friendly_name == name
    assert account.status == "active"
    return account, way.make_client(account.sid, account.auth_token)


def test_subaccount_credentials_and_v2010_isolation(way: Way) -> None:
    main = way.client
    sub_account, sub = _subaccount(way, "team a")
    _, sibling = _subaccount(way, "team b")

    mine = main.messages.create(to=TO, from_=FROM, body="main")
    # Every account owns a number of its own from the start; a subaccount sends from its own.
    own = sub.incoming_phone_numbers.list()[0].phone_number
    assert own != FROM
    theirs = sub.messages.create(to=TO, from_=own, body="sub")
    assert theirs.account_sid == sub_account.sid
    assert mine.account_sid == way.backend.account_sid

    assert [m.sid for m in sub.messages.list()] == [theirs.sid]
    assert [m.sid for m in main.messages.list()] == [mine.sid]
    assert sibling.messages.list() == []

    # The main account reaches its subaccount's resources through the subaccount's path.
    reached = main.api.v2010.accounts(theirs.account_sid).messages(theirs.sid).fetch()
    assert reached.body == "sub"

    # A subaccount cannot reach its parent's or a sibling's resources.
    for outsider, owner_sid, sid in (
        (sub, way.backend.account_sid, mine.sid),
        (sibling, theirs.account_sid, theirs.sid),
    ):
        with pytest.raises(way.errors) as excinfo:
            outsider.api.v2010.accounts(owner_sid).messages(sid).fetch()
        assert status_and_code(excinfo.value)[0] in (401, 403, 404)


def test_subaccount_product_api_isolation(way: Way) -> None:
    main = way.client
    _, sub = _subaccount(way, "verify team")
    _, sibling = _subaccount(way, "other team")
    service = sub.verify.v2.services.create(friendly_name="sub verify")
    main_service = main.verify.v2.services.create(friendly_name="main verify")

    assert [s.sid for s in sub.verify.v2.services.list()] == [service.sid]
    assert [s.sid for s in main.verify.v2.services.list()] == [main_service.sid]
    with pytest.raises(way.errors) as excinfo:
        sibling.verify.v2.services(service.sid).fetch()
    assert status_and_code(excinfo.value)[0] == 404
    with pytest.raises(way.errors):
        sub.verify.v2.services(main_service.sid).fetch()


def test_subaccounts_are_listed_and_closable(way: Way) -> None:
    main = way.client
    account, sub = _subaccount(way, "short-lived")
    listed = {a.sid for a in main.api.v2010.accounts.list()}
    assert {way.backend.account_sid, account.sid} <= listed
    assert main.api.v2010.accounts(account.sid).fetch().friendly_name == "short-lived"

    renamed = main.api.v2010.accounts(account.sid).update(friendly_name="renamed")
    assert renamed.friendly_name == "renamed"
    closed = main.api.v2010.accounts(account.sid).update(status="closed")
    assert closed.status == "closed"
