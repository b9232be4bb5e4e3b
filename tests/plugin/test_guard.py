"""No accidental real Twilio: a request to a Twilio host that no mock or cassette answers fails
at once, for requests and for the official package's aiohttp client, even if the test swallows
the error; --twilio-block-network refuses every host but loopback; --twilio-real lets it go."""

from __future__ import annotations

import pytest

UNGUARDED = """
import asyncio
import pytest
import requests
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client as Official
from twilio_sdk import Client

CREDS = ("AC" + "1" * 32, "not-a-real-token")

def test_ours():
    Client(*CREDS).messages.create(to="+15558675310", from_="+15017122661", body="x")

def test_official():
    Official(*CREDS).messages.list()

def test_official_async():
    async def go():
        client = Official(*CREDS, http_client=AsyncTwilioHttpClient())
        try:
            await client.messages.list_async()
        finally:
            await client.http_client.close()
    asyncio.run(go())

def test_swallowed():
    try:
        requests.get("https://api.twilio.com/2010-04-01/Accounts.json", timeout=5)
    except Exception:
        pass
"""


def test_requests_to_twilio_with_no_mock_fail_naming_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(UNGUARDED)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=4)
    out = result.stdout.str()
    assert out.count("would reach the real Twilio: use the `twilio_mock` fixture") >= 3
    assert "@pytest.mark.twilio_cassette" in out
    assert "the guard refused requests this test made" in out  # the swallowed one fails too
    assert "GET https://api.twilio.com/2010-04-01/Accounts.json" in out


def test_the_mock_answers_where_the_guard_would_refuse(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from twilio_mock import mock
        from twilio_sdk import Client

        def test_inside_a_mock():
            with mock() as twilio:
                Client(twilio.account_sid, twilio.auth_token).messages.list()

        def test_with_the_fixture(twilio_mock):
            Client().messages.list()
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_twilio_real_turns_the_guard_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import requests

        def test_reaches_for_the_network():
            try:
                requests.get("https://api.twilio.com/2010-04-01/Accounts.json", timeout=0.5)
            except requests.exceptions.RequestException as exc:  # no network here, which is fine
                assert "would reach the real Twilio" not in str(exc)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--twilio-real").assert_outcomes(passed=1)


def test_block_network_refuses_every_host_but_loopback(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest, requests
        from twilio_mock.ways_in.guard import RealTwilioBlocked
        from twilio_mock.ways_in.serving import serve_in_thread

        def test_elsewhere_is_refused():
            with pytest.raises(RealTwilioBlocked, match="would reach the network"):
                requests.get("https://example.com/", timeout=5)

        def test_loopback_is_allowed():
            with serve_in_thread() as server:
                assert requests.get(server.url + "/__mock__/health", timeout=5).status_code == 200
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--twilio-block-network")
    result.assert_outcomes(passed=1, failed=1)  # a refusal fails its test, even one expecting it
    assert "GET https://example.com/ would reach the network (--twilio-block-network)" in result.stdout.str()
