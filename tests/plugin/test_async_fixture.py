"""The pytest fixture and the session's network guard with async traffic: our
``AsyncTwilioHttpClient``, the official one and the in-process ``AsyncMockTransport`` reach the
fake; with no fake, our async client is refused like the official one."""

from __future__ import annotations

import pytest


def test_the_fixture_answers_every_async_client(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio
        from twilio.http.async_http_client import AsyncTwilioHttpClient as OfficialAsync
        from twilio.rest import Client as Official
        from twilio_sdk import Client
        from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

        def test_async_clients_reach_the_fake(twilio_mock):
            async def go():
                async with Client(http_client=AsyncTwilioHttpClient()) as ours:
                    await ours.messages.create_async(to="+15558675310", from_="+15017122661", body="ours")
                    regional = Client(http_client=ours.http_client, region="au1", edge="sydney")
                    await regional.messages.create_async(to="+15558675311", from_="+15017122661", body="regional")
                official = Official(http_client=OfficialAsync())
                await official.messages.create_async(to="+15558675312", from_="+15017122661", body="official")
                await official.http_client.close()
                inproc = twilio_mock.async_client()
                await inproc.messages.create_async(to="+15558675313", from_="+15017122661", body="in-process")
                return [m.body for m in await inproc.messages.list_async()]

            listed = asyncio.run(go())
            assert listed == ["in-process", "official", "regional", "ours"]
            assert [m.body for m in twilio_mock.messages()] == ["ours", "regional", "official", "in-process"]
            twilio_mock.assert_sent(count=4)

        def test_each_test_starts_fresh(twilio_mock):
            async def go():
                return await twilio_mock.async_client().messages.list_async()

            assert asyncio.run(go()) == []
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_our_async_client_without_a_fake_is_refused_by_the_guard(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import asyncio
        from twilio_sdk import Client
        from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

        def test_ours_async():
            async def go():
                async with Client("AC" + "1" * 32, "not-a-real-token", http_client=AsyncTwilioHttpClient()) as c:
                    await c.messages.create_async(to="+15558675310", from_="+15017122661", body="x")
            asyncio.run(go())

        def test_ours_async_swallowed():
            async def go():
                async with Client("AC" + "1" * 32, "t", http_client=AsyncTwilioHttpClient(), region="ie1") as c:
                    try:
                        await c.messages.list_async()
                    except Exception:
                        pass
            asyncio.run(go())
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "POST https://api.twilio.com/2010-04-01/Accounts/AC" in out
    assert "would reach the real Twilio: use the `twilio_mock` fixture" in out
    assert "GET https://api.ie1.twilio.com/2010-04-01/Accounts/AC" in out  # swallowed, still failed
