"""Generated requests to any operation, their path ids from a stored state (``api_requests``):
the mock answers a 2xx or a Twilio-shaped 4xx, never a 5xx; an error changes nothing; a request
broken by one rule gets the error paired with it; and most requests reach stored records rather
than 404s (the distribution of outcomes: ``pytest --hypothesis-show-statistics``)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, event, given, settings

from twilio_mock import Backend, mock
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.strategies import ApiRequest, api_requests


def _stocked() -> Backend:
    """A state with records across products, subresources and a subaccount."""
    backend = Backend(seed=21)
    client = mock(backend=backend).client()
    me, to = backend.phone_number, "+15558675310"
    for body in ("one", "two", "three"):
        client.messages.create(to=to, from_=me, body=body)
    client.calls.create(to=to, from_=me, twiml="<Response><Say>hi</Say></Response>")
    conversation = client.conversations.v1.conversations.create(friendly_name="support")
    client.conversations.v1.conversations(conversation.sid).participants.create(identity="alice")
    client.conversations.v1.conversations(conversation.sid).messages.create(author="alice", body="hello")
    service = client.verify.v2.services.create(friendly_name="Sign-in")
    client.verify.v2.services(service.sid).verifications.create(to=to, channel="sms")
    sync = client.sync.v1.services.create(friendly_name="state")
    client.sync.v1.services(sync.sid).documents.create(unique_name="doc", data={"a": 1})
    client.messaging.v1.services.create(friendly_name="notifications")
    client.api.v2010.accounts.create(friendly_name="tenant")
    client.applications.create(friendly_name="app")
    return backend


BACKEND = _stocked()
STATE = BACKEND.snapshot()
SETTINGS = settings(
    max_examples=max_examples(1.5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _records(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot less the minter's counter: a request refused after its record's SID was drawn
    has used up that SID of the seeded sequence (the same history still gives the same state)."""
    return {k: v for k, v in snapshot.items() if k != "sids"}


def _answer(request: ApiRequest) -> tuple[int, Any, bool]:
    """Status, JSON body, and whether the state is as it was (then back to it in any case)."""
    try:
        answer = request.send(BACKEND)
        same = answer.status < 400 or _records(BACKEND.snapshot()) == _records(STATE)
    finally:
        BACKEND.restore(STATE)
    body = json.loads(answer.body) if answer.body else None
    return answer.status, body, same


@SETTINGS
@given(api_requests(BACKEND))
def test_any_request_gets_a_2xx_or_a_twilio_shaped_4xx_and_an_error_changes_nothing(
    request: ApiRequest,
) -> None:
    status, body, same = _answer(request)
    event(f"{status} {'stored ids' if request.real else 'fresh ids'}")
    assert status < 500, (request, body)
    if status >= 400:
        assert isinstance(body, dict) and set(body) >= {"code", "message", "more_info", "status"}, body
        assert body["status"] == status and isinstance(body["code"], int), body
        assert same, (request, "an error changed the state")
    if request.invalid is not None and request.real:
        want = (request.invalid.status, request.invalid.code, request.invalid.message)
        assert (status, body["code"], body["message"]) == want, (request, body)


def test_the_requests_reach_stored_records_not_just_404s() -> None:
    outcomes: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(api_requests(BACKEND, valid=True))
    def draw(request: ApiRequest) -> None:
        status, _body, _same = _answer(request)
        outcomes["stored ids" if request.real else "fresh ids"] += 1
        outcomes[f"{status // 100}xx"] += 1
        outcomes["404"] += status == 404

    draw()
    total = outcomes["stored ids"] + outcomes["fresh ids"]
    print(f"\napi_requests outcomes over {total}: {dict(sorted(outcomes.items()))}")
    assert outcomes["stored ids"] >= 0.6 * total, outcomes
    assert outcomes["2xx"] >= 0.5 * total and outcomes["404"] <= 0.25 * total, outcomes
    assert outcomes["5xx"] == 0, outcomes


def test_stored_ids_name_the_records_and_fresh_ones_name_nothing() -> None:
    from twilio_mock.strategies import operation
    from twilio_mock.strategies.traffic import targets

    fetch = operation("conversations v1 Conversations/{ConversationSid}/Participants fetch")
    found = targets(BACKEND, fetch)
    assert len(found) == 1 and set(found[0]) == {"ConversationSid", "Sid"}
    (conversation,) = BACKEND.store.get(  # the one conversation stored
        (BACKEND.account_sid, "conversations", "v1", "/v1/Conversations")
    ).records()  # type: ignore[union-attr]
    assert found[0]["ConversationSid"] == conversation["sid"]
    create = operation("api v2010 Accounts/{AccountSid}/Messages create")
    assert {t["AccountSid"] for t in targets(BACKEND, create)} >= {BACKEND.account_sid}
    assert targets(BACKEND, operation("proxy v1 Services fetch")) == []


MESSAGES_CREATE = "api v2010 Accounts/{AccountSid}/Messages create"


@settings(max_examples=max_examples(0.3), deadline=None)
@given(api_requests(BACKEND, operations=[MESSAGES_CREATE], valid=False))
def test_chosen_operations_broken_on_purpose(request: ApiRequest) -> None:
    assert request.operation.name == MESSAGES_CREATE and request.invalid is not None and request.real
    status, body, same = _answer(request)
    assert (status, body["code"]) == (request.invalid.status, request.invalid.code) and same


def test_an_operation_with_nothing_to_break_cannot_be_broken() -> None:
    import pytest

    with pytest.raises(ValueError, match="no operation"):
        api_requests(BACKEND, operations=["api v2010 Accounts/{AccountSid}/Messages fetch"], valid=False)
