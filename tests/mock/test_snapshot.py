"""Snapshots are checked field by field before a restore: a bad one is refused and changes
nothing, so it can never break the requests that follow."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from werkzeug.test import Client as WsgiClient

from tests.ways_in.server_helpers import auth, messages_path, send
from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp

Edit = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Edit:
    """An edit that sets ``a.b.0.c`` (list indexes as numbers) to ``value``."""

    def edit(snapshot: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = snapshot
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


BAD: dict[str, Edit] = {
    "counter-2**70": _set("sids.counter", 2**70),
    "counter-negative": _set("sids.counter", -1),
    "counter-bool": _set("sids.counter", True),
    "counter-text": _set("sids.counter", "5"),
    "counter-float": _set("sids.counter", 1.5),
    "seed-list": _set("sids.seed", [1]),
    "sids-no-seed": _set("sids", {"counter": 3}),
    "clock-now-nan-text": _set("clock.now", "nan"),
    "clock-now-nan": _set("clock.now", float("nan")),
    "clock-now-inf": _set("clock.now", float("inf")),
    "clock-now-year-10000": _set("clock.now", 253402300800),
    "clock-now-negative": _set("clock.now", -1),
    "clock-frozen-text": _set("clock.frozen", "yes"),
    "clock-offset-negative": _set("clock", {"frozen": False, "offset": -5}),
    "clock-unknown-key": _set("clock.speed", 2),
    "clock-list": _set("clock", [1]),
    "format": _set("format", "twilio_mock/2"),
    "unknown-top-level-key": _set("colections", []),
    "auth-main-number": _set("auth.main", 5),
    "auth-main-not-an-account-sid": _set("auth.main", "SM" + "0" * 32),
    "auth-test-sid": _set("auth.test", {"sid": 5, "auth_token": "x"}),
    "auth-key-not-object": _set("auth.keys", {"SK" + "1" * 32: "secret"}),
    "auth-key-no-secret": _set("auth.keys", {"SK" + "1" * 32: {"account_sid": "AC" + "1" * 32}}),
    "auth-pkcv-text": _set("auth.pkcv_required", "AC" + "1" * 32),
    "auth-pkcv-not-a-sid": _set("auth.pkcv_required", ["me"]),
    "auth-key-name-not-a-sid": _set("auth.keys", {"key": {"account_sid": "AC" + "1" * 32, "secret": "s"}}),
    "auth-key-account-not-a-sid": _set("auth.keys", {"SK" + "1" * 32: {"account_sid": "me", "secret": "s"}}),
    "auth-unknown-key": _set("auth.tokens", {}),
    "collections-object": _set("collections", {}),
    "collection-not-object": _set("collections.0", "x"),
    "collection-no-path": lambda s: s["collections"][0].pop("path"),
    "collection-account-number": _set("collections.0.account", 1),
    "collection-path-relative": _set("collections.0.path", "2010-04-01/Accounts"),
    "collection-domain-odd": _set("collections.0.domain", "api/../x"),
    "collection-id-field-number": _set("collections.0.id_field", 3),
    "collection-counter-text": _set("collections.0.counters", {"index": "3"}),
    "collection-counter-huge": _set("collections.0.counters", {"index": 2**70}),
    "collection-counters-list": _set("collections.0.counters", [3]),
    "collection-parent-list": _set("collections.0.parent", []),
    "collection-unknown-key": _set("collections.0.extra", 1),
    "records-object": _set("collections.0.records", {}),
    "record-not-object": _set("collections.0.records", [["sid"]]),
    "record-nan": _set("collections.0.records.0.price", float("nan")),
    "record-huge-int": _set("collections.0.records.0.price", 10**30),
    "record-tuple": _set("collections.0.records.0.tags", ("a", "b")),
    "record-too-deep": _set("collections.0.records.0.tags", _nested(40)),
}


@pytest.fixture
def backend() -> Backend:
    backend = Backend(seed=11)
    client_form = {"To": "+15558675310", "From": "+15017122661", "Body": "x"}
    http = WsgiClient(MockServerApp(backend))
    assert http.post(messages_path(backend), data=client_form, headers=auth(backend)).status_code == 201
    return backend


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_snapshot_is_refused_and_changes_nothing(backend: Backend, name: str) -> None:
    before = backend.snapshot()
    bad = copy.deepcopy(before)
    BAD[name](bad)
    with pytest.raises(ValueError):
        backend.restore(bad)
    assert backend.snapshot() == before
    http = WsgiClient(MockServerApp(backend))
    assert send(http, backend).status_code == 201


@pytest.mark.parametrize("name", ["counter-2**70", "clock-now-nan-text", "record-too-deep", "auth-pkcv-text"])
def test_the_control_plane_answers_400_and_keeps_serving(backend: Backend, name: str) -> None:
    bad = backend.snapshot()
    BAD[name](bad)
    http = WsgiClient(MockServerApp(backend))
    refused = http.post("/__mock__/restore", data=json.dumps(bad), content_type="application/json")
    assert refused.status_code == 400, refused.text
    assert refused.json["code"] == 20001 and "Not a valid snapshot" in refused.json["message"]
    created = send(http, backend)
    assert created.status_code == 201, created.text
    listed = http.get(messages_path(backend), headers=auth(backend)).json["messages"]
    assert len(listed) == 2


@pytest.mark.parametrize("endpoint", ["/__mock__/restore", "/__mock__/clock/advance"])
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"seconds": ' + b"[" * 100_000,
        b'{"clock": {"frozen": true, "now": NaN}, "seconds": NaN}',
    ],
)
def test_deeply_nested_or_non_standard_json_is_400(endpoint: str, body: bytes) -> None:
    http = WsgiClient(MockServerApp(Backend(seed=1)))
    answer = http.post(endpoint, data=body, content_type="application/json")
    assert answer.status_code == 400, answer.text
    assert answer.json["status"] == 400 and isinstance(answer.json["code"], int)


def test_advancing_the_clock_beyond_year_9999_is_400() -> None:
    backend = Backend(seed=1)
    http = WsgiClient(MockServerApp(backend))
    for seconds in ("1e300", "253402300800"):
        answer = http.post("/__mock__/clock/advance", data={"seconds": seconds})
        assert answer.status_code == 400, answer.text
    assert backend.clock.now() == 1735689600.0
    assert send(http, backend).json["date_created"] == "Wed, 01 Jan 2025 00:00:00 +0000"
    with pytest.raises(ValueError):
        backend.clock.set(253402300800.0)


def test_valid_snapshots_still_restore(backend: Backend) -> None:
    snapshot = backend.snapshot()
    snapshot["collections"][0]["records"][0]["tags"] = {"nested": [1, 2.5, None, True, {"k": "v"}]}
    other = Backend(seed=1)
    other.restore(json.loads(json.dumps(snapshot)))
    assert other.snapshot()["collections"] == snapshot["collections"]
    other.restore({"auth": {"main": backend.account_sid}, "collections": snapshot["collections"]})
    assert other.account_sid == backend.account_sid


def test_a_running_clock_keeps_its_advanced_offset() -> None:
    backend = Backend(seed=None)
    backend.clock.advance(3600)
    other = Backend(seed=None)
    other.restore(json.loads(json.dumps(backend.snapshot())))
    assert not other.clock.frozen
    assert abs(other.clock.now() - (time.time() + 3600)) < 5
    frozen = Backend(seed=1)
    frozen.clock.advance(60)
    again = Backend(seed=2)
    again.restore(frozen.snapshot())
    assert again.clock.frozen and again.clock.now() == 1735689660.0
