"""``invalid_params`` through both SDKs, the way a user sends them: the keyword arguments the
pairs stand for, given to ``twilio_sdk`` and to the official ``twilio`` package; each gets the
paired error. A missing required argument never reaches the wire: both SDKs raise
``TypeError`` first, as the official package's generated methods do."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as OfficialClient

from twilio_mock import Backend, MockTransport, mock
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import Invalid, invalid_params, operation
from twilio_mock.strategies.parameters import rules
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException

BACKEND = Backend(seed=11)
OPERATIONS = {
    "messages": "api v2010 Accounts/{AccountSid}/Messages create",
    "calls": "api v2010 Accounts/{AccountSid}/Calls create",
    "verify": "verify v2 Services create",
    "numbers": "api v2010 Accounts/{AccountSid}/IncomingPhoneNumbers create",
}


def kwargs(bad: Invalid) -> dict[str, Any]:
    """The pairs as keyword arguments (an array parameter as a list)."""
    names = {p.wire: p.name for p in bad.operation.op.params}
    arrays = {p.wire for p in bad.operation.op.params if p.type.startswith("array:")}
    out: dict[str, Any] = {}
    for wire, value in bad.params:
        if wire in arrays:
            out.setdefault(names[wire], []).append(value)
        else:
            out[names[wire]] = value
    return out


def resource(client: Any, which: str) -> Any:
    return {
        "messages": lambda: client.messages,
        "calls": lambda: client.calls,
        "verify": lambda: client.verify.v2.services,
        "numbers": lambda: client.incoming_phone_numbers,
    }[which]()


def sendable(which: str, account_sid: str) -> Any:
    """Invalid params by any rule an SDK call can carry (all but a missing required one)."""
    ref = operation(OPERATIONS[which])
    found = {r for r, _names in rules(ref)} - {"missing_required"}
    known = {"AccountSid": account_sid}
    return st.one_of(*(invalid_params(ref, rule=r, known=known) for r in sorted(found)))


SETTINGS = settings(
    max_examples=max_examples(0.3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)


@pytest.mark.parametrize("which", sorted(OPERATIONS))
def test_twilio_sdk_gets_the_paired_error(which: str) -> None:
    client = Client(
        BACKEND.account_sid, BACKEND.auth_token, http_client=MockTransport(BACKEND), environment={}
    )

    @SETTINGS
    @given(sendable(which, BACKEND.account_sid))
    def check(bad: Invalid) -> None:
        with pytest.raises(RestException) as caught:
            resource(client, which).create(**kwargs(bad))
        assert (caught.value.status, caught.value.code) == (bad.status, bad.code), (bad.rule, bad.params)

    check()


@pytest.mark.parametrize("which", sorted(OPERATIONS))
def test_the_official_package_gets_the_paired_error(which: str) -> None:
    with mock(seed=12) as twilio:
        client = OfficialClient(twilio.account_sid, twilio.auth_token)

        @SETTINGS
        @given(sendable(which, twilio.account_sid))
        def check(bad: Invalid) -> None:
            with pytest.raises(TwilioRestException) as caught:
                resource(client, which).create(**kwargs(bad))
            assert (caught.value.status, caught.value.code) == (bad.status, bad.code), (bad.rule, bad.params)

        check()
