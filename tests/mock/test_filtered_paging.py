"""Filtered lists read from the collection's indexes: whatever mix of creates, updates and
deletes came before, every filtered page (by token or by number) holds exactly what a plain
scan of the records would, newest first on 2010-04-01."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from twilio_mock import Backend, MockTransport
from twilio_mock.core.dates import rfc2822
from twilio_mock.hypothesis_profiles import max_examples
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException

TOS = ["+15558675310", "+15558675311", "+15558675312"]
FROM = "+15017122661"
URL = "https://example.com/voice.xml"

ops = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(TOS)),
        st.tuples(st.just("update"), st.integers(0, 40), st.sampled_from(["completed", "canceled"])),
        st.tuples(st.just("delete"), st.integers(0, 40)),
    ),
    min_size=1,
    max_size=40,
)


def _client() -> tuple[Backend, Client]:
    backend = Backend(seed=3)
    return backend, Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )


def _pages(collection: Any, size: int, **filters: Any) -> list[str]:
    seen: list[str] = []
    page = collection.page(page_size=size, **filters)
    for _ in range(200):  # a paging bug must fail, not loop forever
        if page is None:
            return seen
        seen.extend(r.sid for r in page)
        page = page.next_page()
    raise AssertionError(f"paging did not end: {seen[:20]}")


@settings(max_examples=max_examples(0.6), deadline=None)
@given(ops=ops, size=st.integers(1, 4))
@example(  # a later record changes status first, then an earlier one: positions must stay sorted
    ops=[("create", TOS[0])] * 3 + [("update", 2, "completed"), ("update", 0, "completed")], size=1
)
@example(ops=[("create", TOS[0]), ("update", 0, "completed"), ("update", 0, "canceled")], size=2)
def test_filtered_pages_match_a_scan(ops: list[tuple[Any, ...]], size: int) -> None:
    _backend, client = _client()
    model: list[dict[str, str]] = []  # creation order
    for op in ops:
        if op[0] == "create":
            call = client.calls.create(to=op[1], from_=FROM, url=URL)
            model.append({"sid": call.sid, "to": op[1], "status": "queued"})
        elif model:
            row = model[op[1] % len(model)]
            if op[0] == "update":  # a queued call ends as asked; an ended one stays as it was
                if row["status"] == "queued" or op[2] == "completed":
                    client.calls(row["sid"]).update(status=op[2])
                    row["status"] = op[2] if row["status"] == "queued" else row["status"]
                else:
                    with pytest.raises(RestException):
                        client.calls(row["sid"]).update(status=op[2])
            else:
                client.calls(row["sid"]).delete()
                model.remove(row)
        _check(client, model, size)  # indexes exist from the first list on: writes maintain them


def _check(client: Client, model: list[dict[str, str]], size: int) -> None:
    newest_first = list(reversed(model))
    for filters in [
        {"to": TOS[0]},
        {"status": "completed"},
        {"status": "canceled"},
        {"to": TOS[1], "status": "queued"},
        {},
    ]:
        expected = [r["sid"] for r in newest_first if all(r[k] == v for k, v in filters.items())]
        assert _pages(client.calls, size, **filters) == expected, filters
        for number in (1, len(expected) // size):  # page k by number, no token
            got = [r.sid for r in client.calls.page(page_size=size, page_number=number, **filters)]
            assert got == expected[number * size : (number + 1) * size], (filters, number)


@settings(max_examples=max_examples(0.4), deadline=None)
@given(days=st.lists(st.integers(1, 20), min_size=1, max_size=30), size=st.integers(1, 5))
def test_date_ranges_match_a_scan_in_any_order(days: list[int], size: int) -> None:
    backend, client = _client()
    base = 1_735_689_600  # 2025-01-01
    records = [
        {
            "sid": f"SM{i:032x}",
            "to": TOS[0],
            "from": FROM,
            "body": "x",
            "date_sent": rfc2822(base + d * 86400),
        }
        for i, d in enumerate(days)
    ]
    state = backend.snapshot()
    path = f"/2010-04-01/Accounts/{backend.account_sid}/Messages"
    item = {"account": backend.account_sid, "domain": "api", "version": "v2010", "path": path}
    state["collections"].append({**item, "records": records})
    backend.restore(state)
    import datetime as dt

    newest_first = list(reversed(list(zip(days, (r["sid"] for r in records), strict=True))))
    pivot = dt.datetime(2025, 1, 11, tzinfo=dt.timezone.utc)
    cases = {
        "date_sent_after": [s for d, s in newest_first if d >= 10],
        "date_sent_before": [s for d, s in newest_first if d <= 10],
        "date_sent": [s for d, s in newest_first if d == 10],
    }
    for name, expected in cases.items():
        value: Any = pivot.date() if name == "date_sent" else pivot
        assert _pages(client.messages, size, **{name: value}) == expected, name


def test_a_delete_then_list_keeps_order_and_tokens() -> None:
    _backend, client = _client()
    sids = [client.messages.create(to=TOS[i % 3], from_=FROM, body=str(i)).sid for i in range(30)]
    for sid in sids[5:25:3]:
        client.messages(sid).delete()
    alive = [s for s in reversed(sids) if s not in sids[5:25:3]]
    assert _pages(client.messages, 4) == alive
    assert _pages(client.messages, 4, to=TOS[1]) == [s for s in alive if sids.index(s) % 3 == 1]
