"""examples/oauth_client.py against the mock in-process: an OAuth app's client credentials get a
token from the mock, every API call carries it, and it is refreshed when the mock's clock passes
its expiry."""

from __future__ import annotations

import pytest

from tests.examples.loading import load, run_help
from twilio_mock import Backend, MockTransport
from twilio_sdk import Client

example = load("oauth_client")
TO, FROM = "+15558675310", "+15017122661"


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=0)


@pytest.fixture
def admin(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})


def _token_calls(backend: Backend) -> int:
    return sum(1 for entry in backend.journal if entry.path == "/v2/token")


def test_lists_and_sends_with_an_oauth_app(backend: Backend, admin: Client) -> None:
    app = admin.iam.v1.o_auth_apps.create({"type": "client_credentials", "friendly_name": "example"})
    earlier = admin.messages.create(to=TO, from_=FROM, body="before")
    transport = MockTransport(backend)
    client = example.oauth_client(
        app.sid, app.secret, backend.account_sid, http_client=transport, clock=backend.clock.now
    )
    lines: list[str] = []
    sid = example.run(client, TO, FROM, "over oauth", out=lines.append)
    assert lines[0] == "Recent messages:" and earlier.sid in lines[1]
    assert lines[-1].startswith(f"Sent {sid}")
    assert admin.messages(sid).fetch().body == "over oauth"
    assert transport.last_request.header("Authorization").startswith("Bearer ")
    assert _token_calls(backend) == 1  # one token for both calls

    backend.clock.advance(3600)
    example.run(client, TO, FROM, "after an hour", out=lines.append)
    assert _token_calls(backend) == 2


def test_main_uses_the_environment(
    backend: Backend, admin: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"TWILIO_ACCOUNT_SID": backend.account_sid, "TWILIO_AUTH_TOKEN": backend.auth_token}
    assert example.main(["--body", "from main"], env=env, http_client=MockTransport(backend)) == 0
    assert "with a bearer token" in capsys.readouterr().out
    assert [m.body for m in admin.messages.list()] == ["from main"]


def test_main_reports_refusals(backend: Backend, capsys: pytest.CaptureFixture[str]) -> None:
    env = {
        "TWILIO_ACCOUNT_SID": backend.account_sid,
        "TWILIO_CLIENT_ID": "OQ" + "0" * 32,
        "TWILIO_CLIENT_SECRET": "wrong",
    }
    assert example.main([], env=env, http_client=MockTransport(backend)) == 1
    assert "code 321401" in capsys.readouterr().err
    assert example.main([], env={}, http_client=MockTransport(backend)) == 2


def test_runs_as_a_script() -> None:
    assert "--body" in run_help("oauth_client")
