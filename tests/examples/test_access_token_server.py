"""examples/access_token_server.py: the token endpoint hands out access tokens signed with an
API key made through the (mock) API, with the Voice, Video and Chat grants, identity and ttl."""

from __future__ import annotations

import time

import pytest
from werkzeug.test import Client as WsgiClient

from tests.examples.loading import load, run_help
from twilio_mock import Backend, MockTransport
from twilio_sdk import Client
from twilio_sdk.jwt import JwtDecodeError, decode, peek

example = load("access_token_server")
APP_SID = "AP" + "1" * 32
CHAT_SID = "IS" + "2" * 32


@pytest.fixture
def env() -> dict[str, str]:
    backend = Backend(seed=0)
    admin = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    key = admin.new_keys.create(friendly_name="tokens")
    return {
        "TWILIO_ACCOUNT_SID": backend.account_sid,
        "TWILIO_API_KEY": key.sid,
        "TWILIO_API_SECRET": key.secret,
        "TWILIO_TWIML_APP_SID": APP_SID,
        "TWILIO_CHAT_SERVICE_SID": CHAT_SID,
        "TWILIO_TOKEN_TTL": "1800",
    }


def _client(env: dict[str, str]) -> WsgiClient:
    return WsgiClient(example.create_app(example.Settings.from_env(env)))


def test_token_carries_identity_grants_and_ttl(env: dict[str, str]) -> None:
    before = int(time.time())
    response = _client(env).get("/token?identity=alice&room=standup")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert (body["identity"], body["ttl"]) == ("alice", 1800)
    header, _ = peek(body["token"])
    assert header == {"typ": "JWT", "alg": "HS256", "cty": "twilio-fpa;v=1"}
    claims = decode(body["token"], env["TWILIO_API_SECRET"])  # verifies signature and window
    assert claims["iss"] == env["TWILIO_API_KEY"] and claims["sub"] == env["TWILIO_ACCOUNT_SID"]
    assert claims["jti"].startswith(env["TWILIO_API_KEY"] + "-")
    assert claims["exp"] - claims["nbf"] == 1800 and before <= claims["nbf"] <= int(time.time())
    assert claims["grants"] == {
        "identity": "alice",
        "voice": {"incoming": {"allow": True}, "outgoing": {"application_sid": APP_SID}},
        "video": {"room": "standup"},
        "chat": {"service_sid": CHAT_SID},
    }
    with pytest.raises(JwtDecodeError):
        decode(body["token"], "another secret of at least thirty-two bytes")
    with pytest.raises(JwtDecodeError):  # expired once the ttl has passed
        decode(body["token"], env["TWILIO_API_SECRET"], now=claims["exp"] + 1)


def test_optional_settings_can_be_left_out(env: dict[str, str]) -> None:
    for name in ("TWILIO_TWIML_APP_SID", "TWILIO_CHAT_SERVICE_SID", "TWILIO_TOKEN_TTL"):
        del env[name]
    body = _client(env).get("/token", query_string={"identity": "bob"}).get_json()
    claims = decode(body["token"], env["TWILIO_API_SECRET"])
    assert claims["exp"] - claims["nbf"] == 3600 == body["ttl"]
    assert claims["grants"] == {
        "identity": "bob",
        "voice": {"incoming": {"allow": True}},
        "video": {},
        "chat": {},
    }


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/token", 400),
        ("GET", "/token?identity=%20", 400),
        ("POST", "/token?identity=a", 405),
        ("GET", "/", 404),
    ],
)
def test_bad_requests(env: dict[str, str], method: str, path: str, status: int) -> None:
    response = _client(env).open(path, method=method)
    assert response.status_code == status and "error" in response.get_json()


def test_settings_are_checked(env: dict[str, str]) -> None:
    with pytest.raises(SystemExit, match="TWILIO_API_SECRET"):
        example.Settings.from_env({k: v for k, v in env.items() if k != "TWILIO_API_SECRET"})
    with pytest.raises(SystemExit, match="TWILIO_TOKEN_TTL"):
        example.Settings.from_env({**env, "TWILIO_TOKEN_TTL": str(25 * 3600)})


def test_runs_as_a_script() -> None:
    assert "--port" in run_help("access_token_server")


def test_without_an_api_key_one_is_made_with_the_auth_token(capsys: pytest.CaptureFixture[str]) -> None:
    backend = Backend(seed=4)
    env = {"TWILIO_ACCOUNT_SID": backend.account_sid, "TWILIO_AUTH_TOKEN": backend.auth_token}
    settings = example.Settings.from_env(env, http_client=MockTransport(backend))
    admin = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    assert [k.sid for k in admin.keys.list()] == [settings.api_key]
    assert settings.api_key in capsys.readouterr().err
    token = example.make_token(settings, "bob")
    assert decode(token, settings.api_secret)["iss"] == settings.api_key
