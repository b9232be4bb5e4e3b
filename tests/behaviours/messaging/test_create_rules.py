"""Messages create rules (ref §1.4, §10): phone numbers checked with ``phonenumbers``, the
sender and content required, the body's length, To differing from From, and a From the
account owns — through our SDK and the official package."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest

from tests.behaviours.messaging.conftest import CUSTOMER, NUMBER, OTHER, code_of
from twilio_mock import Backend


def _send(client: Any, **params: Any) -> Any:
    return client.messages.create(**{"to": CUSTOMER, "from_": NUMBER, "body": "hi", **params})


@pytest.mark.usefixtures("number")
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"to": "+1555867531"}, 21211),  # nine digits after +1: not a possible number
        ({"to": "+4412"}, 21211),
        ({"from_": "+112345678"}, 21212),  # ref §1.1's example
        ({"to": "+1555abc"}, 21211),  # not a number at all (the description's format check)
        ({"to": NUMBER}, 21266),
        ({"to": "+1 (501) 712-2671"}, 21266),  # the same number, formatted
        ({"body": "x" * 1601}, 21617),
        ({"from_": None}, 21603),
        ({"body": None}, 21602),
        ({"from_": "+15017122699"}, 21606),  # not one of the account's numbers
    ],
)
def test_refused(client: Any, params: dict[str, Any], code: int) -> None:
    status, got, _message = code_of(lambda: _send(client, **params))
    assert (status, got) == (400, code)


@pytest.mark.usefixtures("number")
def test_accepted_variants(client: Any) -> None:
    possible = "+15550100000"  # possible (10 digits) though not a valid NANP number
    assert not phonenumbers.is_valid_number(phonenumbers.parse(possible))
    assert _send(client, to=possible).to == possible
    assert _send(client, to="+1 (555) 867-5310").to == CUSTOMER  # kept as E.164
    assert _send(client, body="x" * 1600).num_segments == "11"
    assert _send(client, to="whatsapp:+15558675310", from_="whatsapp:+14155238886").status == "queued"
    assert _send(client, from_="12345").from_ == "12345"  # short code
    assert _send(client, from_="MyCompany").from_ == "MyCompany"  # alphanumeric sender ID
    assert _send(client, body=None, media_url=["https://e.test/a.png"]).num_media == "1"
    assert _send(client, body=None, content_sid="HX" + "0" * 32).body == ""


def test_the_21606_message_says_how_to_own_a_number(client: Any) -> None:
    status, code, message = code_of(lambda: _send(client))
    assert (status, code) == (400, 21606)
    assert f'client.incoming_phone_numbers.create(phone_number="{NUMBER}")' in message
    assert "(which owns " in message and NUMBER not in message.split("(which owns ")[1]
    client.incoming_phone_numbers.create(phone_number=NUMBER)
    assert _send(client).from_ == NUMBER
    _, _, message = code_of(lambda: _send(client, from_="+15017122699"))
    assert NUMBER in message.split("(which owns ")[1]  # the numbers it owns are named


@pytest.mark.usefixtures("number")
def test_a_subaccount_does_not_send_from_its_parents_number(client: Any) -> None:
    sub = client.api.v2010.accounts(client.api.v2010.accounts.create(friendly_name="sub").sid)
    status, code, _ = code_of(lambda: sub.messages.create(to=CUSTOMER, from_=NUMBER, body="x"))
    assert (status, code) == (400, 21606)
    sub.incoming_phone_numbers.create(phone_number=OTHER)
    assert sub.messages.create(to=CUSTOMER, from_=OTHER, body="x").status == "queued"


def test_numbers_of_every_kind_count_as_owned(client: Any) -> None:
    client.incoming_phone_numbers.local.create(phone_number="+15017122673")
    client.incoming_phone_numbers.toll_free.create(phone_number="+18005550100")
    assert _send(client, from_="+15017122673").status == "queued"
    assert _send(client, from_="+18005550100").status == "queued"


def test_a_released_number_no_longer_sends(client: Any) -> None:
    sid = client.incoming_phone_numbers.create(phone_number=NUMBER).sid
    client.incoming_phone_numbers(sid).delete()
    assert code_of(lambda: _send(client))[1] == 21606


def test_the_switch_lifts_the_ownership_check(client: Any, backend: Backend) -> None:
    backend.messaging.require_owned_sender = False
    assert _send(client, from_="+15017122699").status == "queued"
    backend.messaging.require_owned_sender = True
    assert code_of(lambda: _send(client, from_="+15017122699"))[1] == 21606
