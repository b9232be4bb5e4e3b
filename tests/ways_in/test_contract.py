"""Contract scenarios, each run through all five ways in (see conftest.py) over 16 resources
in 13 products: create/fetch/update/delete, list and paging, 404, validation, bad credentials."""

from __future__ import annotations

import re

import pytest

from tests.ways_in.cases import CASE_IDS, CASES, Case
from tests.ways_in.conftest import Way, status_and_code

SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")


def _error(way: Way, excinfo: pytest.ExceptionInfo[Exception]) -> tuple[int, int | None]:
    return status_and_code(excinfo.value)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_create_fetch_update_delete(way: Way, case: Case) -> None:
    client = way.client
    created = case.new(client)
    assert SID.match(created.sid), created.sid
    fetched = case.collection(client)(created.sid).fetch()
    assert fetched.sid == created.sid
    assert fetched.date_created == created.date_created

    updated = case.collection(client)(created.sid).update(**case.update)
    refetched = case.collection(client)(created.sid).fetch()
    for name, value in case.update.items():
        assert getattr(updated, name) == value
        assert getattr(refetched, name) == value

    if case.deletable:
        assert case.collection(client)(created.sid).delete() is True
        with pytest.raises(way.errors) as excinfo:
            case.collection(client)(created.sid).fetch()
        assert _error(way, excinfo) == (404, 20404)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_list_page_and_stream(way: Way, case: Case) -> None:
    client = way.client
    collection = case.collection(client)
    before = [r.sid for r in collection.list()]  # what an account starts with (its phone number)
    sids = [case.new(client, n).sid for n in range(5)] + before

    assert sorted(r.sid for r in collection.list()) == sorted(sids)
    assert len(collection.list(limit=3)) == 3
    assert sorted(r.sid for r in collection.stream(page_size=2)) == sorted(sids)

    page = collection.page(page_size=2)
    seen: list[str] = []
    while page is not None:
        records = list(page)
        assert 1 <= len(records) <= 2
        seen.extend(r.sid for r in records)
        page = page.next_page()
    assert sorted(seen) == sorted(sids)
    assert len(set(seen)) == len(sids)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_unknown_sid_is_20404(way: Way, case: Case) -> None:
    client = way.client
    prefix = case.new(client).sid[:2]
    with pytest.raises(way.errors) as excinfo:
        case.collection(client)(prefix + "0" * 32).fetch()
    assert _error(way, excinfo) == (404, 20404)


@pytest.mark.parametrize("case", [c for c in CASES if c.invalid], ids=[c.id for c in CASES if c.invalid])
def test_invalid_parameters_are_400(way: Way, case: Case) -> None:
    client = way.client
    before = [r.sid for r in case.collection(client).list()]
    with pytest.raises(way.errors) as excinfo:
        case.collection(client).create(**case.invalid)
    status, code = _error(way, excinfo)
    assert status == 400
    assert code not in (None, 400, 20404)
    assert [r.sid for r in case.collection(client).list()] == before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_wrong_auth_token_is_20003(way: Way, case: Case) -> None:
    case.new(way.client)
    intruder = way.make_client(way.backend.account_sid, "0" * 32)
    with pytest.raises(way.errors) as excinfo:
        case.collection(intruder).list()
    assert _error(way, excinfo) == (401, 20003)


def test_unknown_account_is_20003(way: Way) -> None:
    stranger = way.make_client("AC" + "f" * 32, "0" * 32)
    with pytest.raises(way.errors) as excinfo:
        stranger.messages.list()
    assert _error(way, excinfo) == (401, 20003)


def test_v2010_paging_fields(way: Way) -> None:
    client = way.client
    for n in range(3):
        client.messages.create(to="+15558675310", from_="+15017122661", body=f"m{n}")
    newest_first = [m.body for m in client.messages.list()]
    assert newest_first == ["m2", "m1", "m0"]
    first = client.messages.page(page_size=2)
    assert [m.body for m in first] == ["m2", "m1"]
    second = first.next_page()
    assert second is not None
    assert [m.body for m in second] == ["m0"]
    assert second.next_page() is None


def test_api_key_credentials(way: Way) -> None:
    client = way.client
    key = client.new_keys.create(friendly_name="ci key")
    assert key.sid.startswith("SK") and key.secret
    keyed = way.make_client(key.sid, key.secret, way.backend.account_sid)
    sent = keyed.messages.create(to="+15558675310", from_="+15017122661", body="via key")
    assert sent.account_sid == way.backend.account_sid
    assert client.messages(sent.sid).fetch().body == "via key"

    wrong = way.make_client(key.sid, "0" * 32, way.backend.account_sid)
    with pytest.raises(way.errors) as excinfo:
        wrong.messages.list()
    assert _error(way, excinfo) == (401, 20003)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_regional_and_edge_hosts_answer_with_the_same_urls(way: Way, case: Case) -> None:
    """Region and edge only choose a data centre: every way in renders the same record, links
    and page URLs whichever host the client used."""
    sid, token = way.backend.account_sid, way.backend.auth_token
    regional = way.make_client(sid, token, region="au1", edge="sydney")
    before = [r.sid for r in case.collection(regional).list()]
    made = [case.new(regional, n) for n in range(3)]
    assert _fields(case.collection(regional)(made[0].sid).fetch()) == (
        _fields(case.collection(way.client)(made[0].sid).fetch())
    )
    seen = [r.sid for r in case.collection(regional).stream(page_size=1)]
    assert sorted(seen) == sorted([m.sid for m in made] + before)


def _fields(instance: object) -> dict[str, object]:
    """The JSON an instance was built from, from either SDK."""
    to_dict = getattr(instance, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}
