"""Replay into state: a backend given to the cassette first holds the records its responses
show, so what it answers for requests the cassette does not hold agrees with what it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cassettes.conftest import FROM, TO, Server
from twilio_mock import Backend
from twilio_mock.cassettes import use_cassette
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException


def _record(server: Server, path: Path) -> dict[str, Any]:
    client = server.client()
    direct = server.client(api_base=server.url)  # not through the cassette: only the list shows it
    listed = direct.sync.v1.services.create(friendly_name="listed only")
    with use_cassette(path, mode="once", record_url=server.url):
        kept = client.messages.create(to=TO, from_=FROM, body="kept")
        gone = client.messages.create(to=TO, from_=FROM, body="deleted")
        client.messages(gone.sid).delete()
        client.messages(kept.sid).update(body="")  # redacted, as Twilio lets you
        service = client.verify.v2.services.create(friendly_name="Sign-in")
        client.sync.v1.services.list()
    server.thread.stop()
    return {"kept": kept.sid, "gone": gone.sid, "service": service.sid, "sync": listed.sid}


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=5)  # another main account than the recording's


@pytest.fixture
def client(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, environment={})


def test_the_backend_answers_from_the_recorded_records(
    server: Server, tmp_path: Path, backend: Backend, client: Client
) -> None:
    sids = _record(server, tmp_path / "state.yaml")
    with use_cassette(tmp_path / "state.yaml", backend=backend) as cassette:
        listed = client.messages.list()  # never recorded: the backend answers
        assert [m.sid for m in listed] == [sids["kept"]]
        assert listed[0].body == "" and listed[0].account_sid == backend.account_sid  # the update won
        with pytest.raises(RestException) as gone:
            client.messages(sids["gone"]).fetch()
        assert gone.value.status == 404  # the recorded DELETE removed it
        service = client.verify.v2.services(sids["service"]).fetch()
        assert service.friendly_name == "Sign-in"
        check = client.verify.v2.services(sids["service"]).verifications.create(to=TO, channel="sms")
        assert check.service_sid == sids["service"]  # a child of a recorded parent
        assert client.sync.v1.services(sids["sync"]).fetch().friendly_name == "listed only"
    assert cassette.played == []


def test_into_state_false_leaves_the_backend_as_it_was(
    server: Server, tmp_path: Path, backend: Backend, client: Client
) -> None:
    sids = _record(server, tmp_path / "state.yaml")
    with use_cassette(tmp_path / "state.yaml", backend=backend, into_state=False):
        assert client.messages.list() == []
        with pytest.raises(RestException) as missing:
            client.verify.v2.services(sids["service"]).fetch()
    assert missing.value.status == 404


def test_identity_records_stay_out_of_the_store(server: Server, tmp_path: Path, backend: Backend) -> None:
    path = tmp_path / "identity.yaml"
    with use_cassette(path, mode="once", record_url=server.url):
        key = server.client().new_keys.create(friendly_name="ci")
    server.thread.stop()
    before = backend.snapshot()["collections"]
    with use_cassette(path, backend=backend):
        pass
    assert backend.snapshot()["collections"] == before and key.sid not in backend.accounts.keys
