"""Faults and the concurrency limit from the ``twilio_mock`` marker, as a user's suite writes
them; a bad fault in the marker is a usage error naming the problem."""

from __future__ import annotations

from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as Official

MESSAGES = "/2010-04-01/Accounts/*/Messages.json"


@pytest.mark.twilio_mock(faults=[{"method": "POST", "path": MESSAGES, "status": 429, "after": 2, "times": 1}])
def test_the_marker_scripts_a_20429_on_the_third_create(twilio_mock: Any) -> None:
    client = Official()
    for n in range(4):
        if n == 2:
            with pytest.raises(TwilioRestException) as caught:
                client.messages.create(to="+15558675310", from_=twilio_mock.phone_number, body="x")
            assert (caught.value.status, caught.value.code) == (429, 20429)
        else:
            client.messages.create(to="+15558675310", from_=twilio_mock.phone_number, body="x")
    assert [f["fired"] for f in twilio_mock.faults.as_dicts()] == [1]
    assert len(twilio_mock.messages()) == 3


@pytest.mark.twilio_mock(concurrency={"max": 4, "retry_after": 1})
def test_the_marker_sets_the_concurrency_limit(twilio_mock: Any, twilio_client: Any) -> None:
    assert twilio_mock.limits.as_dicts() == [
        {"kind": "concurrency", "max": 4, "account_sid": None, "retry_after": 1.0, "refused": 0}
    ]
    twilio_client.messages.list()
    assert twilio_client.http_client.last_response.headers["Twilio-Concurrent-Requests"] == "1"


@pytest.mark.twilio_mock(concurrency=2)
def test_the_marker_takes_a_bare_number(twilio_mock: Any) -> None:
    assert twilio_mock.limits.as_dicts()[0]["max"] == 2


def test_a_bad_fault_in_the_marker_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.twilio_mock(faults=[{"status": 700}])
        def test_bad(twilio_mock):
            pass

        @pytest.mark.twilio_mock(concurrency={"max": 2, "colour": "red"})
        def test_bad_limit(twilio_mock):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(
        [
            "*twilio_mock: faults: 'status' must be an integer 400..599*",
            "*twilio_mock: concurrency: unknown field*",
        ]
    )
    result.assert_outcomes(errors=2)
