"""The notifier's own test suite: the ``twilio_mock`` fixture's faults make the offline Twilio
answer 429s, fail, drop the connection and time out, and the tests pin what the app does under
each: retries only what Twilio never processed, and never sends an SMS twice."""

from __future__ import annotations

from typing import Any

import pytest

from outage_app.app import create_app

CUSTOMER = "+15558675310"
MESSAGES = "/2010-04-01/Accounts/*/Messages.json"


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def app(twilio_mock: Any, waits: list[float]) -> Any:
    return create_app(sleep=waits.append, sender=twilio_mock.phone_number).test_client()


def notify(app: Any) -> Any:
    return app.post("/notify", data={"phone": CUSTOMER, "text": "Your order shipped"})


@pytest.mark.twilio_mock(
    faults=[{"method": "POST", "path": MESSAGES, "status": 429, "times": 2, "retry_after": 1}]
)
def test_429s_are_retried_with_retry_after(app: Any, twilio_mock: Any, waits: list[float]) -> None:
    answer = notify(app)
    assert answer.status_code == 201
    assert waits == [1.0, 1.0]
    assert [e.status for e in twilio_mock.requests(method="POST")] == [429, 429, 201]
    twilio_mock.assert_sent(1, to=CUSTOMER)


@pytest.mark.twilio_mock(faults=[{"method": "POST", "status": 429}])
def test_429s_that_do_not_stop_give_up(app: Any, twilio_mock: Any, waits: list[float]) -> None:
    answer = notify(app)
    assert answer.status_code == 503 and "429 (20429)" in answer.get_json()["error"]
    assert len(waits) == 2 and len(twilio_mock.requests(method="POST")) == 3
    twilio_mock.assert_not_sent()


@pytest.mark.twilio_mock(faults=[{"method": "POST", "status": 503, "times": 1}])
def test_a_5xx_is_not_repeated(app: Any, twilio_mock: Any, waits: list[float]) -> None:
    assert notify(app).status_code == 503 and waits == []
    assert len(twilio_mock.requests(method="POST")) == 1
    assert notify(app).status_code == 201  # the outage is over


@pytest.mark.parametrize("fault", [{"connection_reset": True}, {"timeout": True}])
def test_a_dropped_post_that_went_through_is_not_sent_twice(app: Any, twilio_mock: Any, fault: dict) -> None:
    twilio_mock.faults.add(method="POST", path=MESSAGES, processed=True, times=1, **fault)
    answer = notify(app)
    assert answer.status_code == 202 and answer.get_json() == {"status": "unknown"}
    assert len(twilio_mock.requests(method="POST")) == 1
    twilio_mock.assert_sent(1, to=CUSTOMER, body="Your order shipped")  # Twilio has it, once
