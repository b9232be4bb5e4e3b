"""AccessToken and its grants: layout per the reference, and the same token as the official helper."""

from __future__ import annotations

import time
from typing import Any

import jwt as pyjwt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.jwt.access_token import AccessToken as TheirToken
from twilio.jwt.access_token import grants as their_grants

from tests.jwt.crosscheck import SECRET, assert_same_token
from twilio_sdk.jwt import JwtDecodeError, decode
from twilio_sdk.jwt.access_token import (
    AccessToken,
    ChatGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from twilio_sdk.jwt.access_token import grants as our_grants

AC = "AC" + "0" * 32
SK = "SK" + "1" * 32


def claims_of(token: str) -> dict[str, Any]:
    return pyjwt.decode(token, SECRET, algorithms=["HS256"])


def test_header_and_claims_follow_the_reference():
    before = int(time.time())
    token = (
        AccessToken(AC, SK, SECRET, identity="alice", ttl=600).add_grant(VideoGrant(room="standup")).to_jwt()
    )
    after = int(time.time())
    header = pyjwt.get_unverified_header(token)
    claims = claims_of(token)
    assert header == {"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"}
    assert claims["iss"] == SK and claims["sub"] == AC
    assert before <= claims["nbf"] <= after
    assert claims["exp"] == claims["nbf"] + 600
    assert claims["jti"] == f"{SK}-{claims['nbf']}"
    assert claims["grants"] == {"identity": "alice", "video": {"room": "standup"}}


def test_region_adds_twr_header_and_valid_until_sets_exp():
    token = AccessToken(AC, SK, SECRET, region="ie1", valid_until=4_000_000_000, nbf=None).to_jwt()
    assert pyjwt.get_unverified_header(token)["twr"] == "ie1"
    claims = claims_of(token)
    assert claims["exp"] == 4_000_000_000
    assert "nbf" not in claims


def test_every_grant_payload():
    token = AccessToken(AC, SK, SECRET, identity="bob")
    token.add_grant(
        VoiceGrant(
            incoming_allow=True,
            outgoing_application_sid="AP" + "2" * 32,
            outgoing_application_params={"to": "+15005550006"},
            push_credential_sid="CR" + "3" * 32,
            endpoint_id="ep-1",
        )
    )
    token.add_grant(
        ChatGrant(service_sid="IS1", endpoint_id="e", deployment_role_sid="RL1", push_credential_sid="CR1")
    )
    token.add_grant(SyncGrant(service_sid="IS2", endpoint_id="e2"))
    token.add_grant(TaskRouterGrant(workspace_sid="WS1", worker_sid="WK1", role="worker"))
    token.add_grant(PlaybackGrant(grant={"playbackUrl": "https://x", "playerStreamerSid": "VJ1"}))
    grants = claims_of(token.to_jwt())["grants"]
    assert grants["voice"] == {
        "incoming": {"allow": True},
        "outgoing": {"application_sid": "AP" + "2" * 32, "params": {"to": "+15005550006"}},
        "push_credential_sid": "CR" + "3" * 32,
        "endpoint_id": "ep-1",
    }
    assert grants["chat"] == {
        "service_sid": "IS1",
        "endpoint_id": "e",
        "deployment_role_sid": "RL1",
        "push_credential_sid": "CR1",
    }
    assert grants["data_sync"] == {"service_sid": "IS2", "endpoint_id": "e2"}
    assert grants["task_router"] == {"workspace_sid": "WS1", "worker_sid": "WK1", "role": "worker"}
    assert grants["player"] == {"playbackUrl": "https://x", "playerStreamerSid": "VJ1"}
    assert grants["identity"] == "bob"


def test_other_hmac_algorithms_and_ttl_override():
    token = AccessToken(AC, SK, SECRET)
    signed = token.to_jwt(algorithm="HS512", ttl=5)
    assert pyjwt.get_unverified_header(signed)["alg"] == "HS512"
    claims = decode(signed, SECRET)
    assert claims["exp"] - claims["nbf"] == 5
    with pytest.raises(ValueError, match="algorithm"):
        token.to_jwt(algorithm="none")
    # The official positional form to_jwt(ttl) still works.
    claims = decode(token.to_jwt(60), SECRET)
    assert claims["exp"] - claims["nbf"] == 60


def test_add_grant_rejects_non_grants():
    with pytest.raises(ValueError, match="AccessTokenGrant"):
        AccessToken(AC, SK, SECRET).add_grant({"voice": {}})  # type: ignore[arg-type]


def test_decode_verifies_signature_and_time_window():
    token = AccessToken(AC, SK, SECRET, ttl=60).to_jwt()
    assert decode(token, SECRET)["iss"] == SK
    with pytest.raises(JwtDecodeError, match="invalid token"):
        decode(token, "another-secret-" + "y" * 40)
    with pytest.raises(JwtDecodeError, match="expired"):
        decode(token, SECRET, now=time.time() + 120)
    assert decode(token, SECRET, now=time.time() + 120, leeway=120)["sub"] == AC
    with pytest.raises(JwtDecodeError, match="not valid before"):
        decode(token, SECRET, now=time.time() - 60)
    assert decode(token, verify=False)["sub"] == AC
    with pytest.raises(JwtDecodeError, match="key"):
        decode(token)
    with pytest.raises(JwtDecodeError, match="not a JWT"):
        decode("not-a-token", verify=False)


def test_from_jwt_reads_headers_and_payload():
    token = AccessToken(AC, SK, SECRET, identity="carol").to_jwt()
    read = AccessToken.from_jwt(token, SECRET)
    assert read.headers["cty"] == "twilio-fpa;v=1"
    assert read.payload["grants"] == {"identity": "carol"}
    with pytest.raises(JwtDecodeError):
        AccessToken.from_jwt(token, "wrong-secret-" + "z" * 40)


# Cross-check with the official helper ---------------------------------------------------------
GRANT_NAMES = ["VoiceGrant", "VideoGrant", "ChatGrant", "SyncGrant", "TaskRouterGrant", "PlaybackGrant"]


def both(name: str, **kwargs: Any) -> tuple[Any, Any]:
    return getattr(our_grants, name)(**kwargs), getattr(their_grants, name)(**kwargs)


def build_pair(identity: Any, region: Any, grants: list[tuple[str, dict[str, Any]]]) -> tuple[str, str]:
    ours = AccessToken(AC, SK, SECRET, identity=identity, region=region)
    theirs = TheirToken(AC, SK, SECRET, identity=identity, region=region)
    for name, kwargs in grants:
        our_grant, their_grant = both(name, **kwargs)
        ours.add_grant(our_grant)
        theirs.add_grant(their_grant)
    return ours.to_jwt(), theirs.to_jwt()


@pytest.mark.parametrize("name", GRANT_NAMES)
def test_each_empty_grant_matches_official(name):
    ours, theirs = build_pair("id", None, [(name, {})])
    assert_same_token(ours, theirs, SECRET)


optional_text = st.none() | st.text(max_size=12)
sid = st.from_regex(r"\A[A-Z]{2}[0-9a-f]{32}\Z")
params = st.dictionaries(st.text(min_size=1, max_size=6), st.text(max_size=6) | st.integers(), max_size=3)
GRANT_STRATEGIES = {
    "VoiceGrant": st.fixed_dictionaries(
        {},
        optional={
            "incoming_allow": st.none() | st.booleans(),
            "outgoing_application_sid": st.none() | sid,
            "outgoing_application_params": st.none() | params,
            "push_credential_sid": st.none() | sid,
            "endpoint_id": optional_text,
        },
    ),
    "VideoGrant": st.fixed_dictionaries({}, optional={"room": optional_text}),
    "ChatGrant": st.fixed_dictionaries(
        {},
        optional={
            "service_sid": st.none() | sid,
            "endpoint_id": optional_text,
            "deployment_role_sid": st.none() | sid,
            "push_credential_sid": st.none() | sid,
        },
    ),
    "SyncGrant": st.fixed_dictionaries(
        {}, optional={"service_sid": st.none() | sid, "endpoint_id": optional_text}
    ),
    "TaskRouterGrant": st.fixed_dictionaries(
        {}, optional={"workspace_sid": st.none() | sid, "worker_sid": st.none() | sid, "role": optional_text}
    ),
    "PlaybackGrant": st.fixed_dictionaries({}, optional={"grant": st.none() | params}),
}
grant_lists = st.lists(
    st.sampled_from(GRANT_NAMES).flatmap(lambda name: GRANT_STRATEGIES[name].map(lambda kw: (name, kw))),
    max_size=8,
)


@settings(deadline=None)
@given(identity=optional_text, region=st.none() | st.sampled_from(["us1", "ie1", "au1"]), grants=grant_lists)
def test_generated_tokens_match_official(identity, region, grants):
    ours, theirs = build_pair(identity, region, grants)
    assert_same_token(ours, theirs, SECRET)
