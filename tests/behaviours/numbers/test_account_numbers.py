"""Every account owns one phone number from the start: the main account +15017122661 whatever
the seed, each subaccount made through the API a distinct valid US local number chosen under
the seed; the number is shown by every handle, the control plane and the server's banner."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest
from werkzeug.test import Client as WsgiClient

from tests.behaviours.numbers.sdks import Sdk, fields
from twilio_mock import Backend, TwilioMock, mock
from twilio_mock.behaviours.numbers_data import MAIN_NATIONAL, MAIN_NUMBER
from twilio_mock.ways_in import cli
from twilio_mock.ways_in.server import MockServerApp
from twilio_sdk import RestException

SEED0 = ("ACb9342fdf36b3d829fd4d61c3307d4d4b", "cfdc1afc01616a775bda260879a8ff6f")


def _numbers(client: Any, account: str | None = None) -> list[str]:
    numbers = (
        client.api.v2010.accounts(account).incoming_phone_numbers
        if account
        else client.incoming_phone_numbers
    )
    return [n.phone_number for n in numbers.list()]


def test_the_main_account_owns_its_number(sdk: Sdk) -> None:
    (number,) = sdk.client.incoming_phone_numbers.list()
    shown = fields(number)
    assert number.phone_number == MAIN_NUMBER == sdk.backend.phone_number
    assert shown["friendly_name"] == "(501) 712-2661"
    assert shown["capabilities"] == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert (shown["type"], shown["origin"], shown["status"]) == ("local", "twilio", "in-use")
    assert (shown["sms_method"], shown["voice_method"]) == ("POST", "POST")
    assert number.account_sid == sdk.backend.account_sid and number.sid.startswith("PN")
    assert sdk.client.incoming_phone_numbers(number.sid).fetch().phone_number == MAIN_NUMBER
    assert [n.phone_number for n in sdk.client.incoming_phone_numbers.local.list()] == [MAIN_NUMBER]
    assert sdk.client.incoming_phone_numbers.toll_free.list() == []


@pytest.mark.parametrize("seed", [0, 1, 12345, "text", None])
def test_the_main_number_is_the_same_for_every_seed(seed: int | str | None) -> None:
    backend = Backend(seed=seed)
    client = mock(backend=backend).client()
    assert _numbers(client) == [MAIN_NUMBER] == [backend.phone_number]


def test_the_number_is_minted_after_the_credentials() -> None:
    """The main account's SID and token, and the test credentials, are those of before (pinned:
    a change of the seeded sequence shows here)."""
    backend = Backend(seed=0)
    assert (backend.account_sid, backend.auth_token) == SEED0
    assert backend.test_account_sid == "AC89607202690afeada51818b4526d9408"
    assert backend.test_auth_token == "5ad86c58b9d175c75f3579beac022986"
    assert backend.minter.counter == 5  # SID, token, test SID, test token, then the number's SID


def test_the_main_national_format_is_phonenumbers() -> None:
    parsed = phonenumbers.parse(MAIN_NUMBER)
    assert phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL) == MAIN_NATIONAL
    assert phonenumbers.is_valid_number_for_region(parsed, "US")


def test_a_reset_gives_the_number_back(sdk: Sdk) -> None:
    client = sdk.client
    (number,) = client.incoming_phone_numbers.list()
    assert client.incoming_phone_numbers(number.sid).delete() is True
    assert client.incoming_phone_numbers.list() == []
    sdk.backend.reset()
    (again,) = client.incoming_phone_numbers.list()
    assert (again.sid, again.phone_number) == (number.sid, MAIN_NUMBER)  # as a fresh backend mints it


def test_a_reset_after_a_restore_gives_the_restored_main_account_the_number() -> None:
    source, backend = Backend(seed=42), Backend(seed=7)
    backend.restore(source.snapshot())
    backend.reset()
    assert _numbers(mock(backend=backend).client()) == [MAIN_NUMBER]
    assert backend.account_sid == source.account_sid


def test_a_restore_keeps_what_its_snapshot_holds() -> None:
    backend = Backend(seed=0)
    state = backend.snapshot()
    state["collections"] = [c for c in state["collections"] if not c["path"].endswith("IncomingPhoneNumbers")]
    backend.restore(state)
    assert _numbers(mock(backend=backend).client()) == []


def test_every_subaccount_owns_a_distinct_us_local_number(sdk: Sdk) -> None:
    client = sdk.client
    subs = [client.api.v2010.accounts.create(friendly_name=f"sub {n}").sid for n in range(3)]
    owned = [_numbers(client, sid) for sid in subs]
    assert all(len(numbers) == 1 for numbers in owned), owned
    numbers = [n[0] for n in owned]
    assert len(set(numbers + [MAIN_NUMBER])) == 4
    for number in numbers:
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number_for_region(parsed, "US")
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    (record,) = client.api.v2010.accounts(subs[0]).incoming_phone_numbers.list()
    assert record.account_sid == subs[0]
    assert _numbers(client) == [MAIN_NUMBER]  # the parent's own list is unchanged
    # The subaccount itself sees its number with its own credentials.
    token = sdk.backend.accounts.get(subs[1])["auth_token"]  # type: ignore[index]
    assert _numbers(sdk.make(subs[1], token)) == [numbers[1]]


def _subaccount_numbers(seed: int) -> list[str]:
    client = mock(backend=Backend(seed=seed)).client()
    subs = [client.api.v2010.accounts.create(friendly_name=f"s{n}").sid for n in range(3)]
    return [_numbers(client, sid)[0] for sid in subs]


def test_subaccount_numbers_follow_the_seed() -> None:
    assert _subaccount_numbers(3) == _subaccount_numbers(3)
    assert _subaccount_numbers(3) != _subaccount_numbers(4)


def test_test_credentials_make_no_subaccount_number(backend: Backend) -> None:
    before = backend.store.count()
    with pytest.raises(RestException) as info:
        Sdk("ours", backend).test_client.api.v2010.accounts.create(friendly_name="x")
    assert info.value.code == 20008
    assert backend.store.count() == before


def test_every_handle_shows_the_number(backend: Backend) -> None:
    assert backend.phone_number == MAIN_NUMBER
    assert TwilioMock(backend).phone_number == MAIN_NUMBER
    with mock(seed=5) as twilio:
        assert twilio.phone_number == MAIN_NUMBER


def test_the_pytest_fixtures_show_the_number(twilio_mock: Any, twilio_server: Any) -> None:
    assert twilio_mock.phone_number == MAIN_NUMBER
    assert twilio_server.phone_number == MAIN_NUMBER


def test_the_credentials_endpoint_shows_the_number() -> None:
    answer = WsgiClient(MockServerApp(Backend(seed=2))).get("/__mock__/credentials")
    assert answer.status_code == 200
    assert answer.get_json()["phone_number"] == MAIN_NUMBER


def test_the_banner_shows_the_number() -> None:
    backend = Backend(seed=0)
    lines = cli._banner("http://127.0.0.1:4010", backend, None).splitlines()
    assert "  Phone number: +15017122661" in lines
    assert (
        lines.index("  Phone number: +15017122661")
        == lines.index(f"  Auth token  : {backend.auth_token}") + 1
    )
