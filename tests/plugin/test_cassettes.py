"""The twilio_cassette marker as a user drives it: record once against a server, replay in CI
with no network and other credentials, alone or together with the twilio_mock fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread

SENDS = """
import pytest
from twilio_sdk import Client

@pytest.mark.twilio_cassette
def test_reminder():
    client = Client(ACCOUNT, TOKEN)
    sid = client.messages.create(to="+15558675310", from_="+15017122661", body="Reminder").sid
    assert client.messages(sid).fetch().body == "Reminder"
"""


@pytest.fixture
def server() -> Iterator[ServerThread]:
    with ServerThread(MockServerApp(Backend(seed=4))) as running:
        yield running


def _suite(pytester: pytest.Pytester, account: str, token: str, body: str = SENDS) -> None:
    pytester.makepyfile(test_reminders=f"ACCOUNT, TOKEN = {account!r}, {token!r}\n" + body)


def test_record_once_then_replay_offline_with_other_credentials(
    pytester: pytest.Pytester, server: ServerThread
) -> None:
    _suite(pytester, server.account_sid, server.auth_token)
    recorded = pytester.runpytest("--twilio-record-mode=once", f"--twilio-record-url={server.url}")
    recorded.assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "test_reminders" / "test_reminder.yaml"
    text = cassette.read_text()
    assert "format: twilio_mock.cassette/1" in text and server.auth_token not in text
    assert server.account_sid not in text  # a placeholder stands for the account
    _suite(pytester, "AC" + "7" * 32, "whatever-ci-has")
    pytester.runpytest("--twilio-block-network").assert_outcomes(passed=1)  # default mode none: replay


def test_replay_only_by_default_and_a_missing_cassette_says_how_to_record(pytester: pytest.Pytester) -> None:
    _suite(pytester, "AC" + "7" * 32, "token")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "test_reminder.yaml" in out and "--twilio-record-mode" in out


def test_named_cassettes_and_the_cassette_dir_option(pytester: pytest.Pytester, server: ServerThread) -> None:
    body = SENDS.replace("@pytest.mark.twilio_cassette", '@pytest.mark.twilio_cassette("shared/reminder")')
    _suite(pytester, server.account_sid, server.auth_token, body)
    pytester.runpytest(
        "--twilio-record-mode=once", f"--twilio-record-url={server.url}", "--twilio-cassette-dir=recorded"
    ).assert_outcomes(passed=1)
    assert (pytester.path / "recorded" / "shared" / "reminder.yaml").exists()
    pytester.makeini("[pytest]\ntwilio_cassette_dir = recorded\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_with_the_fixture_what_the_cassette_lacks_is_answered_from_its_records(
    pytester: pytest.Pytester, server: ServerThread
) -> None:
    _suite(pytester, server.account_sid, server.auth_token)
    pytester.runpytest("--twilio-record-mode=once", f"--twilio-record-url={server.url}").assert_outcomes(
        passed=1
    )
    replay = """
import pytest
from twilio_sdk import Client

@pytest.mark.twilio_cassette("test_reminders/test_reminder")
def test_reminder_and_more(twilio_mock):
    client = Client()
    sid = client.messages.create(to="+15558675310", from_="+15017122661", body="Reminder").sid
    listed = client.messages.list()               # not in the cassette: the fake answers it...
    assert [m.sid for m in listed] == [sid]       # ...with the record the cassette holds
    twilio_mock.assert_sent(body="Reminder")
"""
    _suite(pytester, "unused", "unused", replay)
    pytester.runpytest().assert_outcomes(passed=1)


def test_recording_with_the_network_blocked_needs_a_loopback_server(pytester: pytest.Pytester) -> None:
    _suite(pytester, "AC" + "7" * 32, "token")
    result = pytester.runpytest("--twilio-block-network", "--twilio-record-mode=once")
    assert "record cassettes only against a loopback --twilio-record-url" in result.stdout.str()
    assert not (Path(pytester.path) / "cassettes").exists()
