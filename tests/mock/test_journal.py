"""The journal is bounded by bytes as well as entries: large bodies are kept truncated with
their size, and a request that failed authentication leaves only a summary."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest
from werkzeug.test import Client as WsgiClient

from tests.mock.helpers import Raw
from twilio_mock import Backend
from twilio_mock.core.journal import BODY_LIMIT, DEFAULT_MAX_BYTES, PARAMS_LIMIT
from twilio_mock.ways_in.server import MockServerApp

TO, FROM = "+15558675310", "+15017122661"


def _messages(backend: Backend) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"


def _with_messages(count: int) -> Backend:
    backend = Backend(seed=2)
    snapshot = backend.snapshot()
    sid = backend.account_sid
    records = [
        {"sid": f"SM{i:032x}", "to": TO, "from": FROM, "body": f"message {i}", "date_created": 1735689600 + i}
        for i in range(count)
    ]
    snapshot["collections"].append(
        {
            "account": sid,
            "domain": "api",
            "version": "v2010",
            "path": f"/2010-04-01/Accounts/{sid}/Messages",
            "id_field": "sid",
            "parent": {"account_sid": sid},
            "records": records,
        }
    )
    backend.restore(snapshot)
    return backend


def test_unauthenticated_requests_leave_only_a_summary() -> None:
    backend = Backend(seed=1)
    http = WsgiClient(MockServerApp(backend))
    big = b"Body=" + b"x" * (10 * 1024 * 1024)
    path = f"/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    for _ in range(3):
        answer = http.post(path + "?Page=1", data=big, content_type="application/x-www-form-urlencoded")
        assert answer.status_code == 401
    assert len(backend.journal) == 3
    assert backend.journal.bytes < 3 * 2048, backend.journal.bytes
    entry = backend.journal.last()
    assert entry is not None
    assert (entry.method, entry.status, entry.path) == ("POST", 401, path.removeprefix("/api"))
    assert entry.form == [] and entry.query == [] and entry.body == b"" and entry.redacted
    assert "?" not in entry.url and entry.account_sid is None
    view = http.get("/__mock__/journal").json["entries"][-1]
    assert view["redacted"] is True and view["form"] == [] and view["status"] == 401


def test_a_1000_record_list_is_kept_truncated_with_its_size() -> None:
    backend = _with_messages(1000)
    raw = Raw(backend)
    answer = raw("GET", _messages(backend), PageSize="1000")
    assert answer.status == 200 and len(answer.json()["messages"]) == 1000
    entry = backend.journal.last()
    assert entry is not None
    assert entry.body_size == len(answer.body) > 800_000
    assert entry.body == answer.body[:BODY_LIMIT] and entry.body_truncated
    assert backend.journal.bytes < BODY_LIMIT + 4096
    with pytest.raises(ValueError, match="truncated"):
        entry.response()
    http = WsgiClient(MockServerApp(backend))
    view = http.get("/__mock__/journal?limit=1").json
    row = view["entries"][0]
    assert row["response_truncated"] is True and row["response_size"] == len(answer.body)
    assert isinstance(row["response"], str) and len(row["response"]) <= BODY_LIMIT
    assert view["bytes"] == backend.journal.bytes and view["max_bytes"] == DEFAULT_MAX_BYTES


def test_the_journal_is_bounded_by_bytes_newest_first_kept() -> None:
    backend = _with_messages(200)
    backend.journal.max_bytes = 300_000
    raw = Raw(backend)
    for _ in range(30):
        raw("GET", _messages(backend), PageSize="200")  # ~ 64 kB kept each
    assert backend.journal.bytes <= 300_000
    assert 2 <= len(backend.journal) < 30
    assert backend.journal.last().seq == 30  # type: ignore[union-attr]
    small = Backend(seed=1, journal_bytes=5_000)
    raw = Raw(small)
    for i in range(50):
        raw("POST", _messages(small), data={"To": TO, "From": FROM, "Body": str(i)})
    assert small.journal.bytes <= 5_000 and 0 < len(small.journal) < 50
    assert small.journal.find(params={"Body": "49"})  # the newest are the ones kept
    assert not small.journal.find(params={"Body": "0"})
    small.journal.clear()
    assert small.journal.bytes == 0 and len(small.journal) == 0


def test_large_parameters_are_kept_truncated() -> None:
    backend = Backend(seed=1)
    raw = Raw(backend)
    body = "y" * (2 * PARAMS_LIMIT)
    raw("POST", _messages(backend), data=[("To", TO), ("From", FROM), ("Body", body), ("X", "after")])
    entry = backend.journal.last()
    assert entry is not None and entry.request_truncated
    assert entry.params["To"] == TO and entry.params["Body"] == body[: len(entry.params["Body"])]
    assert len(entry.params["Body"]) < PARAMS_LIMIT and entry.values("X") == []
    assert backend.journal.bytes < PARAMS_LIMIT + BODY_LIMIT + 4096  # the answer echoes the body
    raw("POST", _messages(backend), json_body=[{"x": "z" * 10} for _ in range(20_000)])  # 300 kB of JSON
    assert backend.journal.last().json_body is None  # type: ignore[union-attr]
    assert backend.journal.bytes < 2 * (PARAMS_LIMIT + BODY_LIMIT + 4096)


def test_ordinary_entries_are_whole_and_find_works() -> None:
    backend = Backend(seed=1)
    raw = Raw(backend)
    raw(
        "POST",
        _messages(backend),
        data=[("To", TO), ("From", FROM), ("Body", "hi"), ("MediaUrl", "a"), ("MediaUrl", "b")],
    )
    entry = backend.journal.find(method="POST", params={"Body": "hi"})[0]
    assert entry.values("MediaUrl") == ["a", "b"] and entry.params["To"] == TO
    assert not entry.body_truncated and not entry.request_truncated and not entry.redacted
    assert entry.body_size == len(entry.body) and entry.response()["body"] == "hi"
    wrong = Raw(backend, backend.account_sid, "wrong-token")
    wrong("POST", _messages(backend), data={"To": TO, "From": FROM, "Body": "secret"})
    assert backend.journal.find(status=401)[0].params == {}
    assert not backend.journal.find(params={"Body": "secret"})


def test_bytes_follow_the_memory_the_entries_hold() -> None:
    backend = Backend(seed=1)
    raw = Raw(backend)
    forms: list[Any] = [{"To": TO, "From": FROM, "Body": f"hello {i} " + "z" * (i * 7)} for i in range(300)]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for form in forms:
            raw("POST", _messages(backend), data=form)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # The store grew too (the messages), so the journal holds part of what was traced.
    assert grown * 0.25 < backend.journal.bytes < grown * 1.5, (backend.journal.bytes, grown)
