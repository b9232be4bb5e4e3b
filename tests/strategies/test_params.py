"""``params`` / ``invalid_params`` over the whole description, checked through the mock: an
invalid request gets exactly the error the strategy pairs it with and changes nothing; a valid
one is never refused by the description's own rules."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from twilio_mock import Backend, MockRequest, MockResponse
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import Invalid, OperationRef, invalid_params, operation, operations, params
from twilio_mock.strategies.parameters import breakable, rules

BACKEND = Backend(seed=7)
AUTH = "Basic " + base64.b64encode(f"{BACKEND.account_sid}:{BACKEND.auth_token}".encode()).decode()
BREAKABLE = list(breakable())
KNOWN = {"AccountSid": BACKEND.account_sid}
SETTINGS = settings(
    max_examples=max_examples(1.5), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def send(ref: OperationRef, pairs: list[tuple[str, str]]) -> MockResponse:
    own = ref.domain == "api" and ref.resource == "Accounts"  # /Accounts/{Sid}: the account itself
    values = {
        name: BACKEND.account_sid if name == "AccountSid" or own else "XX" + "0" * 32
        for name in ref.path_params
    }
    if ref.method in ("GET", "DELETE"):
        return BACKEND.handle(MockRequest(ref.method, ref.url(values, pairs), {"Authorization": AUTH}))
    headers = {"Authorization": AUTH, "Content-Type": "application/x-www-form-urlencoded"}
    return BACKEND.handle(MockRequest(ref.method, ref.url(values), headers, urlencode(pairs).encode()))


def test_every_operation_is_named_and_most_creates_can_be_broken() -> None:
    assert len(operations()) == 1447
    ref = operation("api v2010 Accounts/{AccountSid}/Messages create")
    assert operation("verify v2 Services create").method == "POST"
    assert operation(("api", "v2010", "Accounts/{AccountSid}/Messages", "create")) == ref
    assert {r for r, _ in rules(ref)} == {"missing_required", "broken_conditional", "bad_enum", "bad_type"}
    assert len(BREAKABLE) > 500
    with pytest.raises(ValueError):
        operation("api v2010 Nothing create")
    with pytest.raises(ValueError):
        invalid_params("api v2010 Accounts/{AccountSid}/Messages fetch")


@SETTINGS
@given(st.sampled_from(BREAKABLE).flatmap(lambda ref: invalid_params(ref, known=KNOWN)))
def test_invalid_params_get_the_paired_error_and_change_nothing(bad: Invalid) -> None:
    before = BACKEND.snapshot()
    answer = send(bad.operation, bad.params)
    body = json.loads(answer.body)
    assert (answer.status, body["code"], body["message"]) == (bad.status, bad.code, bad.message), (
        bad.operation.name,
        bad.rule,
        bad.params,
    )
    assert set(body) >= {"code", "message", "more_info", "status"}
    assert BACKEND.snapshot() == before
    event(bad.rule)


@SETTINGS
@given(st.sampled_from(operations()).flatmap(lambda ref: st.tuples(st.just(ref), params(ref, known=KNOWN))))
def test_valid_params_pass_the_description_rules(case: tuple[OperationRef, list[tuple[str, str]]]) -> None:
    ref, pairs = case
    answer = send(ref, pairs)
    event(f"{answer.status}")  # the outcomes: pytest --hypothesis-show-statistics
    assert answer.status < 500, (ref.name, pairs, BACKEND.journal.last().error)  # type: ignore[union-attr]
    if answer.status >= 400:
        body = json.loads(answer.body)
        assert not str(body["message"]).startswith(("Missing required parameter", "Invalid parameter")), (
            ref.name,
            pairs,
            body,
        )


CONDITIONAL = [ref for ref in BREAKABLE if any(r == "broken_conditional" for r, _ in rules(ref))]


@settings(max_examples=max_examples(0.4), deadline=None)
@given(st.sampled_from(CONDITIONAL).flatmap(lambda ref: invalid_params(ref, "broken_conditional", KNOWN)))
def test_broken_conditionals_get_the_paired_error(bad: Invalid) -> None:
    answer = send(bad.operation, bad.params)
    body = json.loads(answer.body)
    assert (answer.status, body["code"], body["message"]) == (bad.status, bad.code, bad.message)
    assert not any(wire in bad.names for wire, _value in bad.params)


def test_conditional_groups_are_found() -> None:
    assert operation("api v2010 Accounts/{AccountSid}/Messages create") in CONDITIONAL
    assert len(CONDITIONAL) >= 3
