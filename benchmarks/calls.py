"""Per-call throughput, in this process: create through ``responses``, create with a stub
transport, and ``list(limit=1000)`` with a stub transport (reading nothing, a date, or five
fields per record).

Every repeat runs both SDKs back to back, alternating which goes first; results are medians
of calls (or lists) per second. Each client's ``messages`` is touched before timing.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import Any

import requests
import responses
from twilio.rest import Client as OfficialClient

from benchmarks.payloads import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BODY,
    FROM,
    MESSAGES_URL,
    PAGE_SIZE,
    TO,
    message_json,
    message_sid,
    page_json,
)
from benchmarks.report import Result, check, median
from benchmarks.transports import OfficialStub, OursStub
from twilio_sdk import Client as OursClient

Runner = Callable[[], float]


def _alternate(repeats: int, runners: dict[str, Runner]) -> dict[str, list[float]]:
    """Run every runner once per repeat, rotating the order; each returns a rate."""
    sides = list(runners)
    samples: dict[str, list[float]] = {side: [] for side in sides}
    for i in range(repeats):
        order = sides[i % len(sides) :] + sides[: i % len(sides)]
        if i % 2:
            order.reverse()
        for side in order:
            gc.collect()
            samples[side].append(runners[side]())
    return samples


def _rate(count: int, body: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    last = body()
    return count / (time.perf_counter() - started), last


def _create_loop(client: Any, n: int) -> Callable[[], Any]:
    def loop() -> Any:
        message = None
        for _ in range(n):
            message = client.messages.create(to=TO, from_=FROM, body=BODY)
        return message

    return loop


def _check_message(side: str, message: Any) -> None:
    check(message is not None and message.sid == message_sid(0), f"{side}: create returned {message!r}")
    check(message.num_segments == "1", f"{side}: num_segments is {message.num_segments!r}")


def measure_create_responses(n: int, repeats: int) -> Result:
    """5. ``client.messages.create`` through ``responses.RequestsMock`` (real ``requests`` stack)."""
    ours, official = OursClient(ACCOUNT_SID, AUTH_TOKEN), OfficialClient(ACCOUNT_SID, AUTH_TOKEN)
    session = requests.Session()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(
            responses.POST, MESSAGES_URL, body=message_json(), status=201, content_type="application/json"
        )

        def runner(side: str, client: Any) -> Runner:
            def run() -> float:
                rsps.calls.reset()
                rate, message = _rate(n, _create_loop(client, n))
                check(
                    len(rsps.calls) == n,
                    f"{side}: {len(rsps.calls)} requests reached responses, expected {n}",
                )
                sent = rsps.calls[-1].request
                check(
                    sent.method == "POST" and sent.url == MESSAGES_URL,
                    f"{side}: sent {sent.method} {sent.url}",
                )
                check(
                    "Body=" in str(sent.body) and "To=%2B1555" in str(sent.body),
                    f"{side}: body {sent.body!r}",
                )
                _check_message(side, message)
                return rate

            return run

        def bare() -> float:
            def loop() -> Any:
                payload = None
                for _ in range(n):
                    data = {"To": TO, "From": FROM, "Body": BODY}
                    payload = session.post(MESSAGES_URL, data=data, auth=(ACCOUNT_SID, AUTH_TOKEN)).json()
                return payload

            rsps.calls.reset()
            rate, payload = _rate(n, loop)
            check(len(rsps.calls) == n and payload["sid"] == message_sid(0), "bare requests baseline failed")
            return rate

        warm = max(20, n // 20)
        for side, client in (("ours", ours), ("official", official)):
            _check_message(side, _create_loop(client, warm)())
        samples = _alternate(
            repeats, {"ours": runner("ours", ours), "official": runner("official", official), "bare": bare}
        )
    return Result(
        "create_responses",
        "messages.create through responses",
        median(samples["ours"]),
        median(samples["official"]),
        "calls/s",
        "higher",
        1.1,
        samples=samples,
        notes={
            "calls_per_repeat": n,
            "repeats": repeats,
            "bare_requests_calls_per_s": round(median(samples["bare"]), 1),
        },
    )


def _stub_clients(replies: dict[str, tuple[int, str]]) -> tuple[Any, OursStub, Any, OfficialStub]:
    ours_stub, official_stub = OursStub(replies), OfficialStub(replies)
    ours = OursClient(ACCOUNT_SID, AUTH_TOKEN, http_client=ours_stub)
    official = OfficialClient(ACCOUNT_SID, AUTH_TOKEN, http_client=official_stub)
    return ours, ours_stub, official, official_stub


def measure_create_stub(n: int, repeats: int) -> Result:
    """6. The SDK layer alone: ``messages.create`` with an in-process stub transport."""
    ours, ours_stub, official, official_stub = _stub_clients({"POST": (201, message_json())})

    def runner(side: str, client: Any, stub: OursStub | OfficialStub) -> Runner:
        def run() -> float:
            before = stub.replies.calls
            rate, message = _rate(n, _create_loop(client, n))
            check(
                stub.replies.calls - before == n,
                f"{side}: stub saw {stub.replies.calls - before} of {n} calls",
            )
            method, url, _, data = stub.replies.last or ("", "", None, None)
            check(method == "POST" and url == MESSAGES_URL, f"{side}: sent {method} {url}")
            check(
                isinstance(data, dict) and data.get("Body") == BODY and data.get("To") == TO,
                f"{side}: data {data!r}",
            )
            _check_message(side, message)
            return rate

        return run

    for side, client in (("ours", ours), ("official", official)):
        _check_message(side, _create_loop(client, 50)())
    samples = _alternate(
        repeats,
        {"ours": runner("ours", ours, ours_stub), "official": runner("official", official, official_stub)},
    )
    return Result(
        "create_stub",
        "messages.create, SDK layer alone (stub transport)",
        median(samples["ours"]),
        median(samples["official"]),
        "calls/s",
        "higher",
        2.0,
        samples=samples,
        notes={"calls_per_repeat": n, "repeats": repeats},
    )


FIVE_FIELDS = ("sid", "status", "date_created", "price", "to")
#: Rows of group 7: what is read on every record after each list.
LIST_READS: dict[str, tuple[str, tuple[str, ...]]] = {
    "list_stub": ("no attribute reads", ()),
    "list_stub_dates": ("reading date_created on each record", ("date_created",)),
    "list_stub_fields": (f"reading {', '.join(FIVE_FIELDS)} on each record", FIVE_FIELDS),
}


def measure_list_stub(lists: int, repeats: int) -> list[Result]:
    """7. ``messages.list(limit=1000)`` over one 1,000-record page from a stub transport,
    reading nothing, ``date_created``, or five fields on every record (ours converts on
    first read, the official package converts every field when it builds the record)."""
    ours, ours_stub, official, official_stub = _stub_clients({"GET": (200, page_json(PAGE_SIZE))})

    def runner(side: str, client: Any, stub: OursStub | OfficialStub, reads: tuple[str, ...]) -> Runner:
        def loop() -> Any:
            records: list[Any] = []
            for _ in range(lists):
                records = client.messages.list(limit=PAGE_SIZE)
                for record in records:
                    for name in reads:
                        getattr(record, name)
            return records

        def run() -> float:
            before = stub.replies.calls
            rate, records = _rate(lists, loop)
            check(
                stub.replies.calls - before == lists,
                f"{side}: stub saw {stub.replies.calls - before} of {lists} pages",
            )
            method, url, params, _ = stub.replies.last or ("", "", None, None)
            check(method == "GET" and url == MESSAGES_URL, f"{side}: sent {method} {url}")
            check(str((params or {}).get("PageSize")) == str(PAGE_SIZE), f"{side}: params {params!r}")
            check(
                len(records) == PAGE_SIZE,
                f"{side}: list returned {len(records)} records, expected {PAGE_SIZE}",
            )
            last = records[-1]
            check(last.sid == message_sid(PAGE_SIZE - 1), f"{side}: last record is {last.sid}")
            created = records[0].date_created
            check(
                isinstance(created, dt.datetime) and created.year == 2024, f"{side}: date_created {created!r}"
            )
            if reads == FIVE_FIELDS:
                seen = (last.status, last.price, last.to)
                check(seen == ("delivered", "-0.00790", TO), f"{side}: status, price, to read {seen!r}")
            return rate

        return run

    results = []
    for key, (what, reads) in LIST_READS.items():
        for side, client in (("ours", ours), ("official", official)):
            check(len(client.messages.list(limit=PAGE_SIZE)) == PAGE_SIZE, f"{side}: warm-up list")
        samples = _alternate(
            repeats,
            {
                "ours": runner("ours", ours, ours_stub, reads),
                "official": runner("official", official, official_stub, reads),
            },
        )
        results.append(
            Result(
                key,
                f"messages.list(limit=1000), stub transport, {what}",
                median(samples["ours"]),
                median(samples["official"]),
                "lists/s",
                "higher",
                2.0,
                samples=samples,
                notes={"lists_per_repeat": lists, "repeats": repeats, "records_per_list": PAGE_SIZE},
            )
        )
    return results
