"""The ``*_async`` twins: the official names, the same wire requests, paging, errors, retries and
logs as the synchronous methods, and the official split between sync and async clients."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import pytest

from tests.sdk.recording import AsyncRecorder, Recorder, Sent, json_reply
from twilio_sdk import Client, RestException, TransportError
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
TOKEN = "supersecret-auth-token-value"
SID = "SM" + "1" * 32
MESSAGE = {"sid": SID, "status": "queued", "body": "hi", "date_created": "Mon, 01 Jan 2024 00:00:00 +0000"}
TOO_MANY = json.dumps({"code": 20429, "message": "Too many requests", "status": 429})
UNAVAILABLE = json.dumps({"code": 20503, "message": "Service unavailable", "status": 503})


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def pages(count: int, size: int) -> Any:
    """A reply serving ``count`` v2010 message pages of ``size`` records, by ``Page``."""
    base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"

    def reply(sent: Sent) -> Response:
        number = (
            int((sent.params or {}).get("Page", 0))
            if "Page=" not in sent.url
            else int(sent.url.split("Page=")[1].split("&")[0])
        )
        records = [
            {"sid": f"SM{number * size + i:032x}", "body": f"m{number * size + i}"} for i in range(size)
        ]
        nxt = f"{base}?PageSize={size}&Page={number + 1}" if number + 1 < count else None
        prev = f"{base}?PageSize={size}&Page={number - 1}" if number > 0 else None
        payload = {"messages": records, "next_page_uri": nxt, "previous_page_uri": prev, "page": number}
        return Response(200, json.dumps(payload), {})

    return reply


# Names ------------------------------------------------------------------------------------------
OFFICIAL_NODES = [
    ("messages", lambda c: c.messages, lambda c: c.messages("SM" + "0" * 32)),
    ("calls", lambda c: c.calls, lambda c: c.calls("CA" + "0" * 32)),
    ("verify services", lambda c: c.verify.v2.services, lambda c: c.verify.v2.services("VA" + "0" * 32)),
    (
        "conversations",
        lambda c: c.conversations.v1.conversations,
        lambda c: c.conversations.v1.conversations("CH" + "0" * 32),
    ),
]


@pytest.mark.parametrize(
    ("label", "collection", "context"), OFFICIAL_NODES, ids=[n[0] for n in OFFICIAL_NODES]
)
def test_every_official_async_method_exists_here(label: str, collection: Any, context: Any) -> None:
    from twilio.rest import Client as Official

    official = Official(ACCOUNT, TOKEN)
    ours = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(), environment={})
    for pick in (collection, context):
        theirs = pick(official)
        names = [
            n
            for n in dir(theirs)
            if n.endswith("_async") and "with_http_info" not in n and not n.startswith("_")
        ]
        assert names, f"the official {label} has no async methods"
        mine = pick(ours)
        missing = [n for n in names if not callable(getattr(mine, n, None))]
        assert not missing, f"{label}: {missing}"
        assert set(names) <= set(dir(mine))


def test_pages_have_next_and_previous_page_async() -> None:
    from twilio.base.page import Page as OfficialPage

    client = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=pages(3, 2)), environment={})
    page = run(client.messages.page_async(page_size=2))
    for name in ("next_page_async", "previous_page_async"):
        assert hasattr(OfficialPage, name) and callable(getattr(page, name))


# The same requests --------------------------------------------------------------------------
async def _every_verb_async(client: Client) -> None:
    await client.messages.create_async(
        to="+15005550006", from_="+15005550001", body="hi", media_url=["a", "b"]
    )
    await client.messages(SID).fetch_async()
    await client.messages(SID).update_async(body="")
    await client.messages(SID).delete_async()
    await client.messages.list_async(limit=2, to="+15005550006")
    await client.messages.page_async(page_size=5, page_number=1)
    await client.messages.get_page_async(
        f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json?Page=2"
    )
    await client.verify.v2.services("VA" + "0" * 32).verifications.create_async(
        to="+15005550006", channel="sms"
    )


def _every_verb(client: Client) -> None:
    client.messages.create(to="+15005550006", from_="+15005550001", body="hi", media_url=["a", "b"])
    client.messages(SID).fetch()
    client.messages(SID).update(body="")
    client.messages(SID).delete()
    client.messages.list(limit=2, to="+15005550006")
    client.messages.page(page_size=5, page_number=1)
    client.messages.get_page(f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json?Page=2")
    client.verify.v2.services("VA" + "0" * 32).verifications.create(to="+15005550006", channel="sms")


def _reply(sent: Sent) -> Response:
    if sent.method == "GET" and "Messages.json" in sent.url:
        return Response(200, json.dumps({"messages": [MESSAGE], "next_page_uri": None}), {})
    if sent.method == "DELETE":
        return Response(204, "", {})
    return Response(201 if sent.method == "POST" else 200, json.dumps(MESSAGE), {})


def test_async_twins_send_exactly_what_the_sync_methods_send() -> None:
    sync, async_ = Recorder(reply=_reply), AsyncRecorder(reply=_reply)
    _every_verb(Client(ACCOUNT, TOKEN, http_client=sync, environment={}, region="au1", edge="sydney"))
    run(
        _every_verb_async(
            Client(ACCOUNT, TOKEN, http_client=async_, environment={}, region="au1", edge="sydney")
        )
    )
    assert len(sync.sent) == 8
    assert async_.sent == sync.sent  # method, URL, params, body, headers, auth, timeout


def test_results_are_the_same_instances() -> None:
    async def go(client: Client) -> tuple[Any, ...]:
        made = await client.messages.create_async(to="+1", from_="+2", body="hi")
        fetched = await made.fetch_async()  # through the instance, as in the official package
        deleted = await client.messages(SID).delete_async()
        return made, fetched, deleted

    made, fetched, deleted = run(
        go(Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=_reply), environment={}))
    )
    sync = Client(ACCOUNT, TOKEN, http_client=Recorder(reply=_reply), environment={})
    assert made == sync.messages.create(to="+1", from_="+2", body="hi")
    assert fetched.sid == SID and fetched.date_created.year == 2024
    assert deleted is True


# Paging --------------------------------------------------------------------------------------
def test_stream_async_fetches_each_page_only_when_reached() -> None:
    recorder = AsyncRecorder(reply=pages(4, 2))
    client = Client(ACCOUNT, TOKEN, http_client=recorder, environment={})

    async def first(n: int, awaited: bool) -> list[str]:
        stream = (
            await client.messages.stream_async(page_size=2)
            if awaited
            else client.messages.stream_async(page_size=2)
        )
        got = []
        async for record in stream:
            got.append(record.body)
            if len(got) == n:
                break
        return got

    assert run(first(3, awaited=False)) == ["m0", "m1", "m2"]
    assert len(recorder.sent) == 2  # pages 0 and 1; page 2 never asked for
    recorder.sent.clear()
    assert run(first(1, awaited=True)) == ["m0"]  # the official ``async for r in await stream_async()``
    assert len(recorder.sent) == 1
    recorder.sent.clear()
    assert len(run(client.messages.list_async(page_size=2))) == 8
    assert len(recorder.sent) == 4
    recorder.sent.clear()
    assert [m.body for m in run(client.messages.list_async(limit=3, page_size=2))] == ["m0", "m1", "m2"]
    assert len(recorder.sent) == 2


def test_stream_async_sends_what_stream_sends() -> None:
    sync, async_ = Recorder(reply=pages(3, 2)), AsyncRecorder(reply=pages(3, 2))
    ours = Client(ACCOUNT, TOKEN, http_client=sync, environment={})
    theirs = Client(ACCOUNT, TOKEN, http_client=async_, environment={})
    expected = [m.sid for m in ours.messages.stream(limit=5)]

    async def collect() -> list[str]:
        return [m.sid async for m in theirs.messages.stream_async(limit=5)]

    assert run(collect()) == expected
    assert async_.sent == sync.sent


def test_next_and_previous_page_async() -> None:
    client = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=pages(2, 2)), environment={})

    async def walk() -> list[Any]:
        first = await client.messages.page_async(page_size=2)
        second = await first.next_page_async()
        assert second is not None
        back = await second.previous_page_async()
        assert back is not None
        return [[m.body for m in p] for p in (first, second, back)] + [await second.next_page_async()]

    assert run(walk()) == [["m0", "m1"], ["m2", "m3"], ["m0", "m1"], None]


def test_limits_are_checked_before_anything_is_sent() -> None:
    recorder = AsyncRecorder(reply=pages(1, 1))
    client = Client(ACCOUNT, TOKEN, http_client=recorder, environment={})
    for bad in ({"limit": 0}, {"page_size": -1}):
        with pytest.raises(ValueError):
            client.messages.stream_async(**bad)
        with pytest.raises(ValueError):
            run(client.messages.list_async(**bad))
    assert recorder.sent == []


# Errors ----------------------------------------------------------------------------------------
def test_errors_are_the_sync_errors() -> None:
    error = {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400, "more_info": "x"}

    def attempt(client: Client, coro: Any) -> RestException:
        with pytest.raises(RestException) as info:
            run(coro) if coro is not None else client.messages.create(to="bad", from_="+2", body="x")
        return info.value

    a = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=json_reply(400, error)), environment={})
    s = Client(ACCOUNT, TOKEN, http_client=Recorder(reply=json_reply(400, error)), environment={})
    got = attempt(a, a.messages.create_async(to="bad", from_="+2", body="x"))
    want = attempt(s, None)
    assert (got.status, got.code, got.method, got.uri, str(got)) == (
        want.status,
        want.code,
        want.method,
        want.uri,
        str(want),
    )
    with pytest.raises(RestException) as info:
        run(a.messages.list_async())
    assert info.value.code == 21211 and info.value.status == 400


# Sync and async clients ------------------------------------------------------------------------
def test_async_calls_on_a_sync_client_raise_the_official_runtime_error() -> None:
    from twilio.rest import Client as Official

    def official_error() -> str:
        client = Official(ACCOUNT, TOKEN)
        with pytest.raises(RuntimeError) as info:
            run(client.messages.create_async(to="+1", from_="+2", body="x"))
        return str(info.value)

    recorder = Recorder()
    ours = Client(ACCOUNT, TOKEN, http_client=recorder, environment={})
    for coro in (
        ours.messages.create_async(to="+1", from_="+2", body="x"),
        ours.messages(SID).fetch_async(),
        ours.messages.list_async(),
        ours.request_async("GET", "https://api.twilio.com/x"),
    ):
        with pytest.raises(RuntimeError) as info:
            run(coro)
        assert str(info.value) == official_error()
    assert recorder.sent == []


def test_sync_calls_on_an_async_client_raise_a_clear_runtime_error() -> None:
    recorder = AsyncRecorder()
    client = Client(ACCOUNT, TOKEN, http_client=recorder, environment={})
    for call in (
        lambda: client.messages.create(to="+1", from_="+2", body="x"),
        lambda: client.messages(SID).fetch(),
        lambda: client.messages.list(),
        lambda: client.request("GET", "https://api.twilio.com/x"),
    ):
        with pytest.raises(RuntimeError, match=r"asynchronous: call the \*_async methods"):
            call()
    assert recorder.sent == []


def test_an_async_transport_that_forgot_is_async_fails_clearly_not_with_a_coroutine() -> None:
    class Forgetful:
        async def request(self, *args: Any, **kwargs: Any) -> Response:
            return Response(200, "{}", {})

    client = Client(ACCOUNT, TOKEN, http_client=Forgetful(), environment={})
    with pytest.raises(RuntimeError, match="asynchronous"):
        client.messages(SID).fetch()


def test_async_with_closes_the_transport() -> None:
    closed: list[bool] = []

    class Closing(AsyncRecorder):
        async def close(self) -> None:
            closed.append(True)

    async def go() -> None:
        async with Client(ACCOUNT, TOKEN, http_client=Closing(reply=_reply), environment={}) as client:
            await client.messages(SID).fetch_async()

    run(go())
    assert closed == [True]


# Retries ---------------------------------------------------------------------------------------
def scripted(*answers: Response | Exception) -> Any:
    queue = list(answers)

    def reply(sent: Sent) -> Response:
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return reply


def _async_client(reply: Any, **kwargs: Any) -> tuple[Client, AsyncRecorder, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    recorder = AsyncRecorder(reply=reply)
    client = Client(ACCOUNT, TOKEN, http_client=recorder, environment={}, async_sleep=sleep, **kwargs)
    client.retry_policy.random = lambda: 1.0
    return client, recorder, waits


def test_429_is_retried_with_the_sync_backoff() -> None:
    client, rec, waits = _async_client(
        scripted(Response(429, TOO_MANY), Response(429, TOO_MANY), Response(201, json.dumps(MESSAGE))),
        auto_retry=True,
    )
    sent = run(client.messages.create_async(to="+1", from_="+2", body="hi"))
    assert sent.sid == SID and len(rec.sent) == 3
    assert waits == [0.2, 0.4]  # as tests/sdk/test_retry.py's sync case: min(3, 0.1 * 2**n) * 1.0


def test_a_post_is_never_repeated_after_a_5xx_or_a_lost_answer() -> None:
    client, rec, waits = _async_client(scripted(Response(503, UNAVAILABLE)), auto_retry=True)
    with pytest.raises(RestException) as info:
        run(client.messages.create_async(to="+1", from_="+2", body="hi"))
    assert info.value.status == 503 and len(rec.sent) == 1 and waits == []

    client, rec, waits = _async_client(scripted(TransportError("reset", sent=True)), auto_retry=True)
    with pytest.raises(TransportError) as lost:
        run(client.messages.create_async(to="+1", from_="+2", body="hi"))
    assert lost.value.method == "POST" and len(rec.sent) == 1 and waits == []


def test_idempotent_requests_are_retried_after_a_5xx_and_a_never_sent_post_too() -> None:
    client, rec, waits = _async_client(
        scripted(Response(503, UNAVAILABLE), Response(200, json.dumps(MESSAGE))), auto_retry=True
    )
    assert run(client.messages(SID).fetch_async()).sid == SID and len(rec.sent) == 2 and waits == [0.2]
    client, rec, waits = _async_client(
        scripted(TransportError("refused", sent=False), Response(201, json.dumps(MESSAGE))), auto_retry=True
    )
    assert run(client.messages.create_async(to="+1", from_="+2", body="hi")).sid == SID and len(rec.sent) == 2


def test_without_auto_retry_a_429_is_raised_at_once() -> None:
    client, rec, waits = _async_client(scripted(Response(429, TOO_MANY)))
    with pytest.raises(RestException) as info:
        run(client.messages.create_async(to="+1", from_="+2", body="hi"))
    assert info.value.code == 20429 and len(rec.sent) == 1 and waits == []


def test_the_backoff_yields_to_the_event_loop() -> None:
    """The default wait is ``asyncio.sleep``: another request finishes while one backs off."""
    answers = {
        "backoff": [Response(429, TOO_MANY, {"Retry-After": "0.3"}), Response(200, json.dumps(MESSAGE))]
    }
    order: list[str] = []

    def reply(sent: Sent) -> Response:
        if sent.url.endswith(f"{SID}.json"):
            return answers["backoff"].pop(0)
        order.append("other answered")
        return Response(200, json.dumps({**MESSAGE, "sid": "SM" + "2" * 32}), {})

    client = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=reply), environment={}, auto_retry=True)

    async def go() -> float:
        started = time.perf_counter()

        async def slow() -> None:
            await client.messages(SID).fetch_async()
            order.append("retried answered")

        async def other() -> None:
            await asyncio.sleep(0.05)
            await client.messages("SM" + "2" * 32).fetch_async()

        await asyncio.gather(slow(), other())
        return time.perf_counter() - started

    took = run(go())
    assert order == ["other answered", "retried answered"]
    assert took >= 0.3  # Retry-After was honoured


# Logging ---------------------------------------------------------------------------------------
def test_the_async_path_logs_what_the_sync_path_logs_with_secrets_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def lines() -> list[str]:
        # The timing suffix (" in 0.1 ms") differs from run to run.
        return [r.getMessage().split(" in ")[0] for r in caplog.records if r.name == "twilio_sdk"]

    with caplog.at_level(logging.DEBUG, logger="twilio_sdk"):
        sync = Client(ACCOUNT, TOKEN, http_client=Recorder(reply=_reply), environment={})
        sync.api.v2010.account.sip.credential_lists("CL1").credentials.create(
            username="u", password="hunter2-pass"
        )
        sync.messages(SID).fetch()
        want = lines()
        caplog.clear()
        a = Client(ACCOUNT, TOKEN, http_client=AsyncRecorder(reply=_reply), environment={})
        run(
            a.api.v2010.account.sip.credential_lists("CL1").credentials.create_async(
                username="u", password="hunter2-pass"
            )
        )
        run(a.messages(SID).fetch_async())
        got = lines()
    assert got == want and len(got) == 4
    text = "\n".join(got)
    assert "hunter2-pass" not in text and TOKEN not in text and "'Password': '***'" in text


def test_close_matches_the_transport() -> None:
    events: list[str] = []

    class SyncClosing(Recorder):
        def close(self) -> None:
            events.append("sync closed")

    class AsyncClosing(AsyncRecorder):
        async def close(self) -> None:
            events.append("async closed")

    with Client(ACCOUNT, TOKEN, http_client=SyncClosing(reply=_reply), environment={}) as sync:
        sync.messages(SID).fetch()
    asynchronous = Client(ACCOUNT, TOKEN, http_client=AsyncClosing(reply=_reply), environment={})
    with pytest.raises(RuntimeError, match="close_async"):
        asynchronous.close()  # a sync close() cannot close an aiohttp session
    run(asynchronous.close_async())
    assert events == ["sync closed", "async closed"]
