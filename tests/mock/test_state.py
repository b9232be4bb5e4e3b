"""Determinism, the virtual clock, reset, snapshot/restore, seed files, the journal, threads."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import threading
import time
from pathlib import Path

import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend, MockTransport
from twilio_mock.core.clock import Clock
from twilio_sdk import Client

SEED_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "seed_state.json"


def _client(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})


def _scenario(backend: Backend) -> list[str]:
    client = _client(backend)
    out = [backend.account_sid, backend.auth_token, backend.test_account_sid]
    out.append(client.messages.create(to="+15558675310", from_="+15017122661", body="a").sid)
    out.append(client.verify.v2.services.create(friendly_name="v").sid)
    out.append(client.api.v2010.accounts.create(friendly_name="s").auth_token)
    out.append(json.dumps(client.messages.list()[0].to_dict(), sort_keys=True))
    return out


def test_same_seed_same_everything() -> None:
    assert _scenario(Backend(seed=7)) == _scenario(Backend(seed=7))
    assert _scenario(Backend(seed=7)) != _scenario(Backend(seed=8))
    assert _scenario(Backend(seed="x"))[0] != _scenario(Backend(seed=None))[0]


def test_unseeded_backend_follows_real_time() -> None:
    backend = Backend(seed=None)
    assert abs(backend.clock.now() - time.time()) < 5
    assert not backend.clock.frozen


def test_clock(backend: Backend) -> None:
    assert backend.clock.now() == 1735689600.0
    backend.clock.advance(90)
    assert backend.clock.datetime().isoformat() == "2025-01-01T00:01:30+00:00"
    with pytest.raises(ValueError):
        backend.clock.advance(-1)
    backend.clock.set("2030-05-06T07:08:09Z")
    message = _client(backend).messages.create(to="+15558675310", from_="+15017122661", body="x")
    assert message.date_created.isoformat() == "2030-05-06T07:08:09+00:00"


def test_reset(backend: Backend) -> None:
    before = _scenario(backend)
    backend.clock.advance(1000)
    backend.reset()
    assert len(backend.journal) == 0
    assert backend.store.count() == 2  # the main account and its phone number
    assert _scenario(backend) == before


def test_snapshot_restore_round_trip(backend: Backend) -> None:
    client = _client(backend)
    sub = client.api.v2010.accounts.create(friendly_name="s")
    key = client.new_keys.create(friendly_name="k")
    sent = [
        client.messages.create(to="+15558675310", from_="+15017122661", body=str(i)).sid for i in range(3)
    ]
    client.messages(sent[1]).delete()
    snapshot = backend.snapshot()
    text = json.dumps(snapshot)  # plain JSON
    listed_before = [m.to_dict() for m in client.messages.list()]
    next_sid_before = client.messages.create(to="+15558675310", from_="+15017122661", body="n").sid

    other = Backend(seed=99)
    other.restore(json.loads(text))
    again = _client(other)
    assert other.account_sid == backend.account_sid
    assert [m.to_dict() for m in again.messages.list()] == listed_before
    assert again.messages.create(to="+15558675310", from_="+15017122661", body="n").sid == next_sid_before
    keyed = Client(key.sid, key.secret, backend.account_sid, http_client=MockTransport(other), environment={})
    assert len(keyed.messages.list()) == 3
    assert (
        Client(sub.sid, sub.auth_token, http_client=MockTransport(other), environment={}).messages.list()
        == []
    )
    # The snapshot is a copy: changing it does not change the backend.
    snapshot["collections"].clear()
    assert len(client.messages.list()) == 3


def test_restore_rejects_garbage(backend: Backend) -> None:
    with pytest.raises(ValueError):
        backend.restore({"format": "something/else"})


def test_seed_file(tmp_path: Path) -> None:
    backend = Backend.from_file(SEED_FILE)
    client = _client(backend)
    assert backend.account_sid == "AC0123456789abcdef0123456789abcdef"
    messages = client.messages.list()
    assert [m.body for m in messages] == ["Your code is 123456", "Welcome to the mock!"]
    assert messages[0].to_dict()["date_created"] == "Wed, 01 Jan 2025 01:01:00 +0000"
    assert [s.friendly_name for s in client.verify.v2.services.list()] == ["Login"]
    assert len(client.api.v2010.accounts.list()) == 2
    backend.save(tmp_path / "state.json")
    reloaded = Backend.from_file(tmp_path / "state.json")
    assert [m.sid for m in _client(reloaded).messages.list()] == [m.sid for m in messages]


def test_journal(backend: Backend, raw: Raw) -> None:
    client = _client(backend)
    client.messages.create(
        to="+15558675310",
        from_="+15017122661",
        body="hello",
        media_url=["https://e.com/1.png", "https://e.com/2.png"],
    )
    client.messages.create(to="+15558675311", from_="+15017122661", body="other")
    client.verify.v2.services.create(friendly_name="v")
    found = backend.journal.find(method="POST", path_contains="/Messages", params={"To": "+15558675310"})
    assert len(found) == 1
    entry = found[0]
    assert entry.status == 201 and entry.response()["body"] == "hello"
    assert entry.values("MediaUrl") == ["https://e.com/1.png", "https://e.com/2.png"]
    assert entry.account_sid == backend.account_sid
    assert len(backend.journal.find(method="post")) == 3
    assert backend.journal.find(host_contains="verify.twilio.com")[0].status == 201
    raw("GET", "https://api.twilio.com/nothing")
    assert backend.journal.find(status=404)[0].path == "/nothing"
    assert "POST https://verify.twilio.com/v2/Services -> 201" in backend.journal.describe()


def test_journal_is_bounded() -> None:
    backend = Backend(seed=0, journal_size=3)
    raw = Raw(backend)
    for _ in range(5):
        raw("GET", "https://verify.twilio.com/v2/Services")
    assert len(backend.journal) == 3 and backend.journal.last().seq == 5  # type: ignore[union-attr]


def test_threads(backend: Backend) -> None:
    errors: list[BaseException] = []
    sids: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            client = _client(backend)
            for i in range(25):
                sid = client.messages.create(to="+15558675310", from_="+15017122661", body=f"{n}-{i}").sid
                with lock:
                    sids.append(sid)
                client.messages.list(limit=5)
                if i % 5 == 0:
                    client.messages(sid).delete()
                    with lock:
                        sids.remove(sid)
        except BaseException as exc:  # surface any failure to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    listed = [m.sid for m in _client(backend).messages.list(page_size=17)]
    assert sorted(listed) == sorted(sids) and len(set(listed)) == len(listed) == 8 * 20
    assert not [e for e in backend.journal if e.error]


def test_hand_written_state() -> None:
    sid, token = "AC" + "5" * 32, "hand-written-token"
    state = {
        "collections": [
            {
                "account": "",
                "domain": "api",
                "version": "v2010",
                "path": "/2010-04-01/Accounts",
                "records": [{"sid": sid, "auth_token": token}],
            },
            {
                "account": sid,
                "domain": "verify",
                "version": "v2",
                "path": "/v2/Services",
                "records": [
                    {
                        "sid": "VA" + "1" * 32,
                        "friendly_name": "Seeded",
                        "date_created": "2024-06-01T12:00:00Z",
                    }
                ],
            },
        ]
    }
    backend = Backend(seed=0)
    backend.restore(state)
    assert backend.account_sid == sid and backend.auth_token == token
    service = Client(
        sid, token, http_client=MockTransport(backend), environment={}
    ).verify.v2.services.list()[0]
    assert service.friendly_name == "Seeded" and service.account_sid == sid
    assert service.to_dict()["date_created"] == "2024-06-01T12:00:00Z"


def test_a_bad_snapshot_leaves_the_state_as_it_was() -> None:
    from twilio_mock.backend import Backend

    backend = Backend(seed=5)
    before = backend.snapshot()
    bad = {**before, "collections": [{"account": "AC1", "domain": "api"}]}  # no version/path
    with pytest.raises(ValueError):
        backend.restore(bad)
    with pytest.raises(ValueError):
        backend.restore({"unrelated": 1})
    assert backend.snapshot() == before


def test_reset_keeps_the_credentials_a_restore_put_in_force() -> None:
    source = Backend(seed=42)
    backend = Backend(seed=7)
    backend.restore(source.snapshot())
    restored = (backend.account_sid, backend.auth_token, backend.test_account_sid, backend.test_auth_token)
    assert restored == (
        source.account_sid,
        source.auth_token,
        source.test_account_sid,
        source.test_auth_token,
    )
    backend.reset()
    assert (
        backend.account_sid,
        backend.auth_token,
        backend.test_account_sid,
        backend.test_auth_token,
    ) == restored
    assert backend.store.count() == 2 and _client(backend).messages.list() == []  # account, number
    # Twice in a row, and what a reset without any restore gives is unchanged.
    backend.reset()
    assert backend.account_sid == source.account_sid and backend.auth_token == source.auth_token
    fresh = Backend(seed=7)
    fresh.reset()
    assert _scenario(fresh) == _scenario(Backend(seed=7))


def test_reset_after_restoring_its_own_snapshot_is_a_fresh_start() -> None:
    backend = Backend(seed=7)
    _client(backend).messages.create(to="+15558675310", from_="+15017122661", body="x")
    backend.restore(backend.snapshot())
    backend.reset()
    assert _scenario(backend) == _scenario(Backend(seed=7))


def test_a_naive_datetime_is_taken_as_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    # A local zone 5 hours behind UTC: a naive datetime read as local time would be 5 h off.
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    try:
        clock = Clock()
        clock.set(dt.datetime(2030, 1, 2, 3, 4, 5))
        assert clock.now() == calendar.timegm((2030, 1, 2, 3, 4, 5))
        assert clock.datetime().isoformat() == "2030-01-02T03:04:05+00:00"
        clock.set(dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))))
        assert clock.datetime().isoformat() == "2030-01-02T01:04:05+00:00"
    finally:
        monkeypatch.undo()
        time.tzset()
