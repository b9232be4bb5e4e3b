"""The twilio_mock, twilio_client and twilio_server fixtures, as a user's test suite meets them."""

from __future__ import annotations

import pytest


def test_client_with_no_arguments_just_works_ours_official_and_requests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio, os
        import requests
        from twilio.rest import Client as Official
        from twilio.http.async_http_client import AsyncTwilioHttpClient
        from twilio_sdk import Client

        def test_everything_reaches_the_fake(twilio_mock):
            assert os.environ["TWILIO_ACCOUNT_SID"] == twilio_mock.account_sid
            Client().messages.create(to="+15558675310", from_="+15017122661", body="ours")
            Official().messages.create(to="+15558675311", from_="+15017122661", body="official")
            Client(region="au1", edge="sydney").messages.create(to="+15558675312", from_="+15017122661", body="regional")
            url = f"https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/{twilio_mock.account_sid}/Messages.json"
            data = {"To": "+15558675313", "From": "+15017122661", "Body": "plain"}
            assert requests.post(url, data=data, auth=(twilio_mock.account_sid, twilio_mock.auth_token)).status_code == 201

            async def async_official():
                client = Official(http_client=AsyncTwilioHttpClient())
                await client.messages.create_async(to="+15558675314", from_="+15017122661", body="async")
                await client.http_client.close()

            asyncio.run(async_official())
            assert [m.body for m in twilio_mock.messages()] == ["ours", "official", "regional", "plain", "async"]
            twilio_mock.assert_sent(to="+15558675311", body="official")
            twilio_mock.assert_sent(count=5)
            twilio_mock.assert_not_sent(body_contains="secret")

        def test_each_test_gets_a_fresh_fake(twilio_mock, twilio_client):
            assert twilio_mock.messages() == []
            twilio_client.calls.create(to="+15558675310", from_="+15017122661", url="https://example.com/v")
            twilio_mock.assert_called(to="+15558675310", status="queued")
            assert len(twilio_mock.requests(method="POST", path_contains="/Calls")) == 1
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_environment_is_the_mocks_during_the_test_and_restored_after(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "real-token")
    monkeypatch.setenv("TWILIO_API_BASE", "https://elsewhere.example")
    monkeypatch.setenv("TWILIO_REGION", "au1")
    monkeypatch.setenv("TWILIO_API_KEY", "SK" + "1" * 32)
    pytester.makepyfile(
        """
        import os

        def test_inside(twilio_mock):
            assert os.environ["TWILIO_ACCOUNT_SID"] == twilio_mock.account_sid
            assert os.environ["TWILIO_AUTH_TOKEN"] == twilio_mock.auth_token
            for name in ("TWILIO_API_BASE", "TWILIO_REGION", "TWILIO_EDGE", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
                assert name not in os.environ, name

        def test_after():
            assert os.environ["TWILIO_ACCOUNT_SID"] == "AC" + "1" * 32
            assert os.environ["TWILIO_API_BASE"] == "https://elsewhere.example"
            assert os.environ["TWILIO_API_KEY"] == "SK" + "1" * 32
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_a_failed_assertion_prints_what_was_sent_and_requested(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from twilio_sdk import Client

        def test_wrong_number(twilio_mock):
            Client().messages.create(to="+15558675310", from_="+15017122661", body="Your code is 1234")
            twilio_mock.assert_sent(to="+15550000000", body_contains="code")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*expected a message with to='+15550000000', body_contains='code'; 0 matched*",
            "*messages sent and received (1):*",
            "*+15017122661 -> +15558675310  queued 'Your code is 1234'*",
            "*requests received (1):*",
            "*POST /2010-04-01/Accounts/AC*/Messages.json -> 201*",
        ]
    )


def test_a_misspelled_filter_is_a_type_error_naming_the_field(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_typo(twilio_mock):
            with pytest.raises(TypeError, match="did you mean body"):
                twilio_mock.messages(bdy="x")
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_marks_options_and_ini_configure_the_fake(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        twilio_mock_seed = 7
        """
    )
    state = pytester.path / "seed_state.json"
    pytester.makepyfile(
        make_state="""
        from twilio_mock import Backend
        from twilio_sdk import Client
        from twilio_mock import MockTransport

        def make(path):
            backend = Backend(seed=3)
            client = Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})
            client.messages.create(to="+15558675310", from_="+15017122661", body="seeded")
            backend.save(path)
            return backend.account_sid
        """
    )
    pytester.syspathinsert()
    import importlib

    made = importlib.import_module("make_state").make(state)
    pytester.makepyfile(
        test_marks=f"""
        import pytest
        from twilio_mock import Backend

        pytestmark = pytest.mark.twilio_mock(seed=11)

        def test_ini_seed_then_module_mark(twilio_mock):
            assert twilio_mock.account_sid == Backend(seed=11).account_sid

        class TestClass:
            pytestmark = pytest.mark.twilio_mock(state="seed_state.json")

            def test_class_mark_adds_state(self, twilio_mock):
                assert [m.body for m in twilio_mock.messages()] == ["seeded"]
                assert twilio_mock.account_sid == "{made}"

            @pytest.mark.twilio_mock(seed=5, state=None)
            def test_narrowest_wins(self, twilio_mock):
                assert twilio_mock.messages() == []
                assert twilio_mock.account_sid == Backend(seed=5).account_sid
        """,
        test_ini="""
        from twilio_mock import Backend

        def test_ini_seed(twilio_mock):
            assert twilio_mock.account_sid == Backend(seed=7).account_sid
        """,
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4)
    result = pytester.runpytest("-p", "no:cacheprovider", "--twilio-mock-seed=9", "test_ini.py")
    result.assert_outcomes(failed=1)  # the command line wins over the ini file


def test_an_unknown_mark_option_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.twilio_mock(sed=1)
        def test_typo(twilio_mock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert "unknown option(s) ['sed']" in result.stdout.str()
    result.assert_outcomes(errors=1)


def test_twilio_server_serves_another_process_and_resets_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import subprocess, sys

        SCRIPT = "from twilio_sdk import Client; Client().messages.create(to='+15558675310', from_='+15017122661', body='from a subprocess')"

        def test_subprocess_sends(twilio_server):
            assert twilio_server.url.startswith("http://127.0.0.1:")
            env = {**__import__("os").environ, **twilio_server.env}
            subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True, timeout=60)
            twilio_server.assert_sent(body="from a subprocess")

        def test_fresh_again(twilio_server):
            assert twilio_server.messages() == []
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


@pytest.mark.parametrize("profile", ["ci", "deep"])
def test_the_variable_loads_a_hypothesis_profile_in_a_users_suite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, profile: str
) -> None:
    monkeypatch.setenv("TWILIO_HYPOTHESIS_PROFILE", profile)
    pytester.makepyfile(
        f"""
        from hypothesis import given, settings, strategies as st

        def test_the_profile_is_loaded():
            assert settings().derandomize is {profile == "ci"}
            assert settings().max_examples == {100 if profile == "ci" else 2000}

        @given(st.integers())
        def test_a_property_runs_under_it(n):
            assert isinstance(n, int)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
