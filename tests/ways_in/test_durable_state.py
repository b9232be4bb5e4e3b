"""``serve --state FILE``: every acknowledged write survives ``kill -9`` (a log of state deltas,
fsynced before the answer); a torn tail is dropped; without ``--state`` nothing is written."""

from __future__ import annotations

import json
import os
import random
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ways_in.process import Served, serve
from twilio_mock import Backend, MockTransport
from twilio_mock.core.changelog import HEADER, read_frames
from twilio_mock.core.durability import Durability, log_path
from twilio_sdk import Client

TO, FROM = "+15558675310", "+15017122661"
THREADS, WRITES = 4, 60


def _messages(server: Served) -> str:
    return f"{server.url}/api/2010-04-01/Accounts/{server.sid}/Messages"


def _write(
    server: Served,
    n: int,
    acked: dict[str, Any],
    deleted: set[str],
    pending: dict[str, str],
    lock: threading.Lock,
) -> None:
    """Creates, an update (redaction) every 10th write, a delete every 15th; stops at the kill."""
    mine: list[str] = []
    with requests.Session() as session:
        session.auth = (server.sid, server.token)
        for i in range(WRITES):
            try:
                if i % 15 == 14 and mine:
                    sid = mine.pop(0)
                    with lock:
                        pending[sid] = "delete"
                    answer = session.delete(f"{_messages(server)}/{sid}.json", timeout=10)
                    with lock:
                        pending.pop(sid, None)
                    if answer.status_code == 204:
                        with lock:
                            acked.pop(sid, None)
                            deleted.add(sid)
                elif i % 10 == 9 and mine:
                    sid = mine[-1]
                    with lock:
                        pending[sid] = "update"
                    answer = session.post(f"{_messages(server)}/{sid}.json", data={"Body": ""}, timeout=10)
                    with lock:
                        pending.pop(sid, None)
                    if answer.status_code == 200:
                        with lock:
                            acked[sid] = answer.json()
                else:
                    form = {"To": TO, "From": FROM, "Body": f"t{n}-{i}"}
                    answer = session.post(f"{_messages(server)}.json", data=form, timeout=10)
                    if answer.status_code == 201:
                        with lock:
                            acked[answer.json()["sid"]] = answer.json()
                        mine.append(answer.json()["sid"])
                assert answer.status_code < 500, answer.text
            except requests.RequestException:
                return  # killed: the outcome of this last write is unknown


def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    rng = random.Random(7)
    acked: dict[str, Any] = {}
    deleted: set[str] = set()
    pending: dict[str, str] = {}  # sid -> a write whose answer may never have come
    lock = threading.Lock()
    for _round in range(3):
        with serve("--seed", "1", "--quiet", "--state", str(state)) as server:
            threads = [
                threading.Thread(target=_write, args=(server, n, acked, deleted, pending, lock))
                for n in range(THREADS)
            ]
            for thread in threads:
                thread.start()
            target = len(acked) + len(deleted) + rng.randint(20, 150)  # a random moment mid-load
            deadline = time.monotonic() + 30
            while len(acked) + len(deleted) < target and time.monotonic() < deadline:
                time.sleep(0.001)
            assert any(t.is_alive() for t in threads), "the load finished before the kill"
            os.kill(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=10)
            for thread in threads:
                thread.join(timeout=20)
            assert not any(t.is_alive() for t in threads)
            assert server.proc.returncode == -signal.SIGKILL
        assert log_path(state).exists()
        with serve("--seed", "1", "--quiet", "--state", str(state)) as again:
            with requests.Session() as session:
                session.auth = (again.sid, again.token)
                for sid, answered in acked.items():
                    found = session.get(f"{_messages(again)}/{sid}.json", timeout=10)
                    if pending.get(sid) == "delete" and found.status_code == 404:
                        continue  # acknowledged create, delete in flight at the kill: either is right
                    assert found.status_code == 200, (sid, found.text)
                    got = found.json()
                    if got != answered:  # an update in flight at the kill may have landed, whole
                        assert pending.get(sid) == "update" and got["body"] == "", (got, answered)
                        acked[sid] = got
                for sid in deleted:
                    assert session.get(f"{_messages(again)}/{sid}.json", timeout=10).status_code == 404
                listed = session.get(f"{_messages(again)}.json?PageSize=1000", timeout=10).json()["messages"]
            for message in listed:  # nothing half-written: each stored message is whole, and one we sent
                assert message["sid"].startswith("SM") and message["to"] == TO and message["from"] == FROM
                assert message["body"] == "" or message["body"].startswith("t"), message
            assert {m["sid"] for m in listed} >= set(acked) - {s for s, k in pending.items() if k == "delete"}
            stored = {m["sid"]: m for m in listed}
            for sid, kind in pending.items():  # adopt whatever landed of the writes cut short
                if sid in stored and sid not in deleted:
                    acked[sid] = stored[sid]
                elif kind == "delete" and sid not in stored:  # the delete landed: gone for good
                    acked.pop(sid, None)
                    deleted.add(sid)
            pending.clear()
            assert again.stop()[0] == 0
    assert len(acked) + len(deleted) > 50  # the load really ran before the kills
    assert deleted  # and some deletes were acknowledged
    assert not log_path(state).exists()  # a clean stop folded the log into the file
    restored = Backend.from_file(state)  # which stays a plain snapshot
    assert set(acked) <= {
        r["sid"]
        for c in restored.snapshot()["collections"]
        if c["path"].endswith("/Messages")
        for r in c["records"]
    }


def _client(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})


def _same(one: Backend, other: Backend) -> None:
    a, b = one.snapshot(), other.snapshot()
    for snap in (a, b):
        snap["collections"].sort(key=lambda c: (c["account"], c["path"]))
    assert a == b


def test_the_log_replays_to_the_same_state_after_a_crash(tmp_path: Path) -> None:
    """In process: creates, the lifecycle run by the clock, a redaction, a delete, a
    conversation; a second backend opened on the files (no clean stop) has the same state."""
    state = tmp_path / "state.json"
    backend = Backend(seed=2)
    Durability.open(backend, state)
    client = _client(backend)
    sent = [client.messages.create(to=TO, from_=FROM, body=f"hi {i}") for i in range(4)]
    backend.advance(60)  # queued -> sent -> delivered, each step a logged scheduler event
    client.messages(sent[0].sid).update(body="")
    client.messages(sent[1].sid).delete()
    client.conversations.v1.conversations.create(friendly_name="support")
    backend.commit()  # the clock moved by hand: made durable as the control plane does
    crashed = Backend(seed=2)
    _, recovery = Durability.open(crashed, tmp_path / "state.json")
    assert recovery.replayed > 5 and recovery.dropped == 0
    _same(backend, crashed)
    assert crashed.messaging  # a usable backend
    assert _client(crashed).messages(sent[2].sid).fetch().status == "delivered"


def test_reset_and_restore_are_durable_as_a_whole(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    backend = Backend(seed=2)
    Durability.open(backend, state)
    client = _client(backend)
    client.messages.create(to=TO, from_=FROM, body="before the reset")
    backend.reset()
    kept = client.messages.create(to=TO, from_=FROM, body="after the reset").sid
    crashed = Backend(seed=2)
    Durability.open(crashed, state)
    assert [m.sid for m in _client(crashed).messages.list()] == [kept]
    _same(backend, crashed)


def test_a_torn_tail_is_dropped_and_everything_before_it_loads(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    backend = Backend(seed=4)
    Durability.open(backend, state)
    client = _client(backend)
    sids = [client.messages.create(to=TO, from_=FROM, body=f"m{i}").sid for i in range(3)]
    log = log_path(state)
    data = log.read_bytes()
    payloads, good, size = read_frames(log)
    assert good == size and len(payloads) >= 3
    last = len(payloads[-1]) + HEADER.size
    log.write_bytes(data[: size - last // 2])  # the kill happened mid-write of the last record
    crashed = Backend(seed=4)
    _, recovery = Durability.open(crashed, state)
    assert recovery.dropped == last - last // 2
    found = {m.sid for m in _client(crashed).messages.list()}
    assert set(sids[:2]) <= found and sids[2] not in found  # the torn record was the third create
    assert log.stat().st_size == 0  # compacted at start: the torn bytes are gone


def test_a_corrupt_record_ends_the_log(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    backend = Backend(seed=4)
    Durability.open(backend, state)
    client = _client(backend)
    first = client.messages.create(to=TO, from_=FROM, body="one").sid
    log = log_path(state)
    keep = log.stat().st_size
    client.messages.create(to=TO, from_=FROM, body="two")
    data = bytearray(log.read_bytes())
    data[keep + HEADER.size + 5] ^= 0xFF  # a flipped bit inside the second record: its CRC fails
    log.write_bytes(bytes(data))
    crashed = Backend(seed=4)
    _, recovery = Durability.open(crashed, state)
    assert recovery.dropped == len(data) - keep
    assert [m.sid for m in _client(crashed).messages.list()] == [first]


def test_the_server_reports_a_torn_tail_and_starts(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with serve("--seed", "1", "--quiet", "--state", str(state)) as server:
        made = requests.post(
            f"{_messages(server)}.json",
            data={"To": TO, "From": FROM, "Body": "x"},
            auth=(server.sid, server.token),
            timeout=10,
        )
        assert made.status_code == 201
        server.proc.kill()
        server.proc.wait(timeout=10)
    with log_path(state).open("ab") as fh:
        fh.write(HEADER.pack(500, 0) + b'{"c":')  # a record cut short by the kill
    with serve("--seed", "1", "--quiet", "--state", str(state)) as again:
        found = requests.get(
            f"{_messages(again)}/{made.json()['sid']}.json", auth=(again.sid, again.token), timeout=10
        )
        assert found.json() == made.json()
        code, output = again.stop()
    assert code == 0 and "torn or corrupt" in output and "replayed" in output


@pytest.mark.parametrize("clean", [True, False], ids=["clean-stop", "sigkill"])
def test_without_state_nothing_is_written(tmp_path: Path, clean: bool) -> None:
    """The server runs in an empty directory with HOME and TMPDIR inside it too."""
    work = tmp_path / "cwd"
    (work / "home").mkdir(parents=True)
    (work / "tmp").mkdir()
    env = {
        **os.environ,
        "HOME": str(work / "home"),
        "TMPDIR": str(work / "tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    with serve("--seed", "1", "--quiet", cwd=work, env=env) as server:
        for i in range(20):
            answer = requests.post(
                f"{_messages(server)}.json",
                data={"To": TO, "From": FROM, "Body": f"{i}"},
                auth=(server.sid, server.token),
                timeout=10,
            )
            assert answer.status_code == 201
        assert requests.post(f"{server.url}/__mock__/reset", timeout=10).status_code == 200
        if clean:
            assert server.stop()[0] == 0
    after = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    assert after == before


def test_the_control_plane_is_durable(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with serve("--seed", "1", "--quiet", "--state", str(state)) as server:
        rule = {"to": "+15005550009", "status": "failed", "error_code": 30003}
        assert (
            requests.post(f"{server.url}/__mock__/messaging/rules", json=rule, timeout=10).status_code == 201
        )
        assert requests.post(f"{server.url}/__mock__/clock/advance", data={"seconds": "3600"}, timeout=10).ok
        clock = requests.get(f"{server.url}/__mock__/clock", timeout=10).json()
        server.proc.kill()
        server.proc.wait(timeout=10)
    with serve("--seed", "1", "--quiet", "--state", str(state)) as again:
        assert requests.get(f"{again.url}/__mock__/clock", timeout=10).json()["now"] == clock["now"]
        rules = requests.get(f"{again.url}/__mock__/messaging/rules", timeout=10).json()["rules"]
        assert [r["to"] for r in rules] == ["+15005550009"]
        assert again.stop()[0] == 0
    assert json.loads(state.read_text())["messaging"]["rules"] == rules
