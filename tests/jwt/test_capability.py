"""ClientCapabilityToken and the TaskRouter capability tokens, checked against the official helper."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt as pyjwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.jwt.client import ClientCapabilityToken as TheirClientToken
from twilio.jwt.taskrouter import capabilities as their_taskrouter

from tests.jwt.crosscheck import SECRET, assert_same_token
from twilio_sdk.jwt.client import ClientCapabilityToken
from twilio_sdk.jwt.taskrouter import capabilities as our_taskrouter

AC = "AC" + "a" * 32
AP = "AP" + "b" * 32
WS = "WS" + "c" * 32
WK = "WK" + "d" * 32
WQ = "WQ" + "e" * 32
EVENTS = f"https://event-bridge.twilio.com/v1/wschannels/{AC}"
TR = f"https://taskrouter.twilio.com/v1/Workspaces/{WS}"


def claims_of(token: str) -> dict[str, Any]:
    return pyjwt.decode(token, SECRET, algorithms=["HS256"])


# ClientCapabilityToken ---------------------------------------------------------------------------
def test_client_capability_scopes_follow_the_reference():
    token = ClientCapabilityToken(AC, SECRET, ttl=120)
    token.allow_client_outgoing(AP, mood="happy day")
    token.allow_client_incoming("alice")
    token.allow_event_stream(foo="bar")
    signed = token.to_jwt()
    assert pyjwt.get_unverified_header(signed) == {"typ": "JWT", "alg": "HS256"}
    claims = claims_of(signed)
    assert claims["iss"] == AC and "sub" not in claims
    assert claims["exp"] - claims["nbf"] == 120
    outgoing, incoming, events = claims["scope"].split(" ")
    assert outgoing.startswith("scope:client:outgoing?")
    query = parse_qs(urlsplit(outgoing).query)
    assert query == {"appSid": [AP], "appParams": ["mood=happy+day"], "clientName": ["alice"]}
    assert incoming == "scope:client:incoming?clientName=alice"
    assert events == "scope:stream:subscribe?params=foo%3Dbar&path=%2F2010-04-01%2FEvents"


def test_client_capability_constructor_keywords_match_methods():
    by_kwargs = ClientCapabilityToken(
        AC,
        SECRET,
        allow_client_outgoing={"application_sid": AP, "x": "1"},
        allow_client_incoming={"client_name": "bob"},
        allow_event_stream={},
    )
    by_calls = ClientCapabilityToken(AC, SECRET).allow_client_outgoing(AP, x="1")
    by_calls.allow_client_incoming("bob").allow_event_stream()
    assert claims_of(by_kwargs.to_jwt())["scope"] == claims_of(by_calls.to_jwt())["scope"]
    with pytest.raises(TypeError, match="allow_everything"):
        ClientCapabilityToken(AC, SECRET, allow_everything={})


def _client_pair(steps: list[tuple[str, Any]]) -> tuple[str, str]:
    ours, theirs = ClientCapabilityToken(AC, SECRET), TheirClientToken(AC, SECRET)
    for token in (ours, theirs):
        for step, arg in steps:
            if step == "outgoing":
                token.allow_client_outgoing(arg[0], **arg[1])
            elif step == "incoming":
                token.allow_client_incoming(arg)
            else:
                token.allow_event_stream(**arg)
    return ours.to_jwt(), theirs.to_jwt()


kwargs_dicts = st.dictionaries(
    st.text(min_size=1, max_size=8).filter(lambda k: k not in ("application_sid", "self")),
    st.text(max_size=10),
    max_size=3,
)
client_steps = st.lists(
    st.one_of(
        st.tuples(st.just("outgoing"), st.tuples(st.from_regex(r"\AAP[0-9a-f]{32}\Z"), kwargs_dicts)),
        st.tuples(st.just("incoming"), st.text(min_size=1, max_size=15)),
        st.tuples(st.just("events"), kwargs_dicts),
    ),
    max_size=5,
)


@settings(deadline=None)
@given(steps=client_steps)
def test_client_capability_matches_official(steps):
    ours, theirs = _client_pair(steps)
    assert_same_token(ours, theirs, SECRET)


# TaskRouter ------------------------------------------------------------------------------------------
def policies(token: Any) -> list[tuple[str, str]]:
    return [(p["method"], p["url"]) for p in claims_of(token.to_jwt())["policies"]]


def test_worker_defaults_and_extras():
    token = our_taskrouter.WorkerCapabilityToken(AC, SECRET, WS, WK)
    claims = claims_of(token.to_jwt())
    assert {
        k: claims[k]
        for k in ("account_sid", "workspace_sid", "channel", "version", "friendly_name", "worker_sid")
    } == {
        "account_sid": AC,
        "workspace_sid": WS,
        "channel": WK,
        "version": "v1",
        "friendly_name": WK,
        "worker_sid": WK,
    }
    assert claims["iss"] == AC and claims["exp"] - claims["nbf"] == 3600
    assert policies(token) == [
        ("GET", f"{EVENTS}/{WK}"),
        ("POST", f"{EVENTS}/{WK}"),
        ("GET", f"{TR}/Workers/{WK}"),
        ("GET", f"{TR}/Activities"),
        ("GET", f"{TR}/Tasks/**"),
        ("GET", f"{TR}/Workers/{WK}/Reservations/**"),
    ]
    token.allow_update_activities()
    token.allow_update_reservations()
    last = claims_of(token.to_jwt())["policies"][-3:]
    assert last[0] == {
        "url": f"{TR}/Workers/{WK}",
        "method": "POST",
        "allow": True,
        "query_filter": {},
        "post_filter": {"ActivitySid": {"required": True}},
    }
    assert [(p["method"], p["url"]) for p in last[1:]] == [
        ("POST", f"{TR}/Tasks/**"),
        ("POST", f"{TR}/Workers/{WK}/Reservations/**"),
    ]


def test_task_queue_and_workspace_defaults():
    queue = our_taskrouter.TaskQueueCapabilityToken(AC, SECRET, WS, WQ)
    assert claims_of(queue.to_jwt())["taskqueue_sid"] == WQ
    assert policies(queue)[-1] == ("GET", f"{TR}/TaskQueues/{WQ}")
    workspace = our_taskrouter.WorkspaceCapabilityToken(AC, SECRET, WS, allow_delete_subresources=True)
    assert policies(workspace) == [
        ("GET", f"{EVENTS}/{WS}"),
        ("POST", f"{EVENTS}/{WS}"),
        ("GET", TR),
        ("DELETE", f"{TR}/**"),
    ]


@pytest.mark.parametrize(
    ("factory", "args", "message"),
    [
        (our_taskrouter.WorkerCapabilityToken, ("XX1", SECRET, WS, WK), "account sid"),
        (our_taskrouter.WorkerCapabilityToken, (AC, SECRET, WQ, WK), "workspace sid"),
        (our_taskrouter.WorkerCapabilityToken, (AC, SECRET, WS, WQ), "channel id"),
        (our_taskrouter.TaskQueueCapabilityToken, (AC, SECRET, WS, WK), "channel id"),
        (our_taskrouter.WorkspaceCapabilityToken, (AC, SECRET, WK), "workspace sid"),
    ],
)
def test_sid_prefixes_are_checked(factory, args, message):
    with pytest.raises(ValueError, match=message):
        factory(*args)


def test_unknown_option_is_an_error():
    with pytest.raises(TypeError, match="allow_update_activities"):
        our_taskrouter.TaskQueueCapabilityToken(AC, SECRET, WS, WQ, allow_update_activities=True)


BASE_FLAGS = [
    "allow_web_sockets",
    "allow_fetch_self",
    "allow_update_self",
    "allow_delete_self",
    "allow_fetch_subresources",
    "allow_update_subresources",
    "allow_delete_subresources",
]
WORKER_FLAGS = BASE_FLAGS + [
    "allow_fetch_activities",
    "allow_fetch_reservations",
    "allow_fetch_worker_reservations",
    "allow_update_activities",
    "allow_update_reservations",
]
KINDS = {
    "WorkerCapabilityToken": ((AC, SECRET, WS, WK), WORKER_FLAGS),
    "TaskQueueCapabilityToken": ((AC, SECRET, WS, WQ), BASE_FLAGS),
    "WorkspaceCapabilityToken": ((AC, SECRET, WS), BASE_FLAGS),
}


def flags_for(kind: str) -> st.SearchStrategy[dict[str, bool]]:
    return st.dictionaries(st.sampled_from(KINDS[kind][1]), st.booleans())


@settings(deadline=None)
@given(
    data=st.sampled_from(sorted(KINDS)).flatmap(
        lambda kind: st.tuples(
            st.just(kind), flags_for(kind), st.lists(st.sampled_from(KINDS[kind][1]), max_size=4)
        )
    ),
    # At least a minute: decoding checks exp, and a loaded machine may take seconds.
    ttl=st.integers(min_value=60, max_value=86400),
)
def test_taskrouter_tokens_match_official(data, ttl):
    kind, flags, calls = data
    args = KINDS[kind][0]
    ours = getattr(our_taskrouter, kind)(*args, ttl=ttl, **flags)
    theirs = getattr(their_taskrouter, kind)(*args, ttl=ttl, **flags)
    for name in calls:
        getattr(ours, name)()
        getattr(theirs, name)()
    assert_same_token(ours.to_jwt(), theirs.to_jwt(), SECRET)
    exp_nbf = claims_of(ours.to_jwt())
    assert exp_nbf["exp"] - exp_nbf["nbf"] == ttl
