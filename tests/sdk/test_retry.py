"""Retries: 429 with full-jitter backoff, Retry-After, hooks, and what is never retried."""

from __future__ import annotations

import json

import pytest

from tests.sdk.recording import Recorder, Sent
from twilio_sdk import Client, RestException, TransportError
from twilio_sdk._retry import RetryPolicy
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
TOO_MANY = json.dumps({"code": 20429, "message": "Too many requests", "status": 429})
MESSAGE = json.dumps({"sid": "SM" + "1" * 32, "status": "queued"})


def scripted(*answers: Response | Exception):
    queue = list(answers)

    def reply(sent: Sent) -> Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return reply


def make(reply, **kwargs):
    sleeps: list[float] = []
    recorder = Recorder(reply=reply)
    client = Client(ACCOUNT, "t", http_client=recorder, environment={}, sleep=sleeps.append, **kwargs)
    return client, recorder, sleeps


def test_429_is_retried_with_backoff_then_succeeds() -> None:
    client, rec, sleeps = make(
        scripted(Response(429, TOO_MANY), Response(429, TOO_MANY), Response(201, MESSAGE)), auto_retry=True
    )
    client.retry_policy.random = lambda: 1.0
    msg = client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    assert msg.status == "queued"
    assert len(rec.sent) == 3
    assert sleeps == [0.2, 0.4]  # min(3 s, 100 ms * 2**n) * random() for n = 1, 2


def test_backoff_is_full_jitter_and_capped() -> None:
    policy = RetryPolicy(max_retries=10, random=lambda: 0.5)
    assert [policy.delay(n) for n in (1, 2, 3, 6)] == [0.1, 0.2, 0.4, 1.5]
    assert RetryPolicy(random=lambda: 0.0).delay(3) == 0.0


def test_retries_give_up_after_max_retries_and_raise() -> None:
    client, rec, sleeps = make(lambda sent: Response(429, TOO_MANY), auto_retry=True, max_retries=2)
    with pytest.raises(RestException) as info:
        client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    assert info.value.code == 20429
    assert len(rec.sent) == 3 and len(sleeps) == 2


def test_no_retry_unless_asked() -> None:
    client, rec, sleeps = make(lambda sent: Response(429, TOO_MANY))
    with pytest.raises(RestException):
        client.messages.list()
    assert len(rec.sent) == 1 and sleeps == []


def test_retry_after_is_honoured_and_capped() -> None:
    client, _, sleeps = make(
        scripted(
            Response(429, TOO_MANY, {"Retry-After": "2"}),
            Response(429, TOO_MANY, {"Retry-After": "999"}),
            Response(200, MESSAGE),
        ),
        auto_retry=True,
    )
    client.messages("SM" + "1" * 32).fetch()
    assert sleeps == [2.0, 30.0]


def test_hook_sees_every_retry() -> None:
    seen = []
    client, _, _ = make(
        scripted(Response(429, TOO_MANY), Response(200, MESSAGE)),
        auto_retry=True,
        on_retry=lambda attempt, delay, request, cause: seen.append(
            (attempt, request.method, cause.status_code)
        ),
    )
    client.messages("SM" + "1" * 32).fetch()
    assert seen == [(1, "GET", 429)]


def test_a_post_is_never_sent_twice_after_a_5xx_or_a_timeout() -> None:
    client, rec, _ = make(scripted(Response(503, "{}"), Response(201, MESSAGE)), auto_retry=True)
    with pytest.raises(RestException):
        client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    assert len(rec.sent) == 1
    client, rec, _ = make(scripted(TransportError("read timed out", timeout=True)), auto_retry=True)
    with pytest.raises(TransportError):
        client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    assert len(rec.sent) == 1


def test_idempotent_requests_are_retried_after_connection_errors_and_503() -> None:
    client, rec, _ = make(
        scripted(TransportError("reset"), Response(503, "{}"), Response(200, MESSAGE)), auto_retry=True
    )
    assert client.messages("SM" + "1" * 32).fetch().status == "queued"
    assert len(rec.sent) == 3


def test_a_post_that_never_left_is_retried() -> None:
    client, rec, _ = make(
        scripted(TransportError("refused", sent=False), Response(201, MESSAGE)), auto_retry=True
    )
    client.messages.create(to="+15005550006", from_="+15005550001", body="hi")
    assert len(rec.sent) == 2


def test_retry_after_as_an_http_date_waits_until_then() -> None:
    import datetime as dt
    from email.utils import format_datetime

    soon = format_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20), usegmt=True)
    past = "Wed, 21 Oct 2015 07:28:00 GMT"
    client, _, sleeps = make(
        scripted(
            Response(429, TOO_MANY, {"Retry-After": soon}),
            Response(429, TOO_MANY, {"retry-after": past}),
            Response(200, MESSAGE),
        ),
        auto_retry=True,
    )
    client.retry_policy.random = lambda: 1.0  # a jitter fallback would wait 0.2 s, then 0.4 s
    client.messages("SM" + "1" * 32).fetch()
    assert 18.0 < sleeps[0] <= 20.0 and sleeps[1] == 0.0
