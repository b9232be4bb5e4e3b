"""list / stream / page / get_page / next_page over multi-page fakes in every paging style."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.sdk.recording import Recorder, Sent
from twilio_sdk import Client, RestException
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
TOTAL = 23


def sids(prefix: str) -> list[str]:
    return [f"{prefix}{i:032x}" for i in range(TOTAL)]


def query_of(sent: Sent) -> dict[str, str]:
    q = {k: v[0] for k, v in parse_qs(urlsplit(sent.url).query).items()}
    q.update({k: str(v) for k, v in (sent.params or {}).items()})
    return q


def v2010_server(sent: Sent) -> Response:
    """Calls.json paged as api.twilio.com pages: top-level keys, PA tokens, relative URIs."""
    q = query_of(sent)
    size = int(q.get("PageSize", 50))
    page = int(q.get("Page", 0))
    records = sids("CA")
    start = page * size
    chunk = records[start : start + size]
    base = f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
    nxt = f"{base}?PageSize={size}&Page={page + 1}&PageToken=PA{chunk[-1]}" if start + size < TOTAL else None
    prev = f"{base}?PageSize={size}&Page={page - 1}&PageToken=PB{chunk[0]}" if page else None
    body = {
        "calls": [{"sid": s, "date_created": "Thu, 30 Jul 2015 20:12:31 +0000"} for s in chunk],
        "first_page_uri": f"{base}?PageSize={size}&Page=0",
        "next_page_uri": nxt,
        "previous_page_uri": prev,
        "uri": base,
        "page": page,
        "page_size": size,
        "start": start,
        "end": start + len(chunk) - 1,
    }
    return Response(200, json.dumps(body), {})


def meta_server(sent: Sent) -> Response:
    """verify Services paged with a meta block and absolute URLs."""
    q = query_of(sent)
    size = int(q.get("PageSize", 50))
    page = int(q.get("Page", 0))
    records = sids("VA")[page * size : page * size + size]
    url = "https://verify.twilio.com/v2/Services"
    more = (page + 1) * size < TOTAL
    body = {
        "services": [{"sid": s, "date_created": "2015-07-30T20:00:00Z"} for s in records],
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": f"{url}?PageSize={size}&Page=0",
            "previous_page_url": f"{url}?PageSize={size}&Page={page - 1}&PageToken=PT{page - 1}"
            if page
            else None,
            "url": f"{url}?PageSize={size}&Page={page}",
            "next_page_url": f"{url}?PageSize={size}&Page={page + 1}&PageToken=PT{page + 1}"
            if more
            else None,
            "key": "services",
        },
    }
    return Response(200, json.dumps(body), {})


def token_server(sent: Sent) -> Response:
    """numbers v1 PortInRequests: meta with next_token; the token goes back as a query param."""
    q = query_of(sent)
    # A token sent under another name would restart at 0 forever: refuse it instead.
    assert set(q) <= {"Size", "Token"}, f"unexpected query {q}"
    size = int(q.get("Size", 10))
    start = int(q.get("Token", "0"))
    records = [{"port_in_request_sid": f"KW{i:032x}"} for i in range(start, min(start + size, TOTAL))]
    nxt = str(start + size) if start + size < TOTAL else None
    body = {"port_in_requests": records, "meta": {"next_token": nxt, "previous_token": None}}
    return Response(200, json.dumps(body), {})


def client_for(reply: Any) -> tuple[Client, Recorder]:
    recorder = Recorder(reply=reply)
    return Client(ACCOUNT, "token", http_client=recorder, environment={}), recorder


def test_v2010_list_follows_next_page_uri_and_stops_at_the_end() -> None:
    client, rec = client_for(v2010_server)
    calls = client.calls.list(page_size=10)
    assert [c.sid for c in calls] == sids("CA")
    assert len(rec.sent) == 3
    assert rec.sent[1].url.startswith(f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Calls.json?")
    assert "PageToken=PA" in rec.sent[1].url


def test_limit_sets_page_size_and_fetches_no_page_it_does_not_need() -> None:
    client, rec = client_for(v2010_server)
    calls = client.calls.list(limit=10)
    assert len(calls) == 10
    assert len(rec.sent) == 1
    assert rec.sent[0].params == {"PageSize": 10}


def test_limit_is_capped_at_1000_per_page() -> None:
    client, rec = client_for(v2010_server)
    list(client.calls.stream(limit=5000))
    assert rec.sent[0].params == {"PageSize": 1000}


def test_stream_is_lazy() -> None:
    client, rec = client_for(v2010_server)
    stream = client.calls.stream(page_size=5)
    assert rec.sent == []
    first = [next(stream) for _ in range(5)]
    assert len(first) == 5 and len(rec.sent) == 1
    next(stream)
    assert len(rec.sent) == 2


def test_page_next_previous_and_get_page() -> None:
    client, rec = client_for(v2010_server)
    page = client.calls.page(page_size=10)
    assert len(page) == 10
    second = page.next_page()
    assert second is not None and len(second) == 10
    back = second.previous_page()
    assert back is not None and [c.sid for c in back] == [c.sid for c in page]
    assert page.previous_page() is None
    resumed = client.calls.get_page(second.next_page_url)
    assert len(resumed) == TOTAL - 20 and resumed.next_page() is None


def test_meta_style_paging() -> None:
    client, rec = client_for(meta_server)
    services = client.verify.v2.services.list(page_size=10)
    assert [s.sid for s in services] == sids("VA")
    assert rec.sent[2].url.startswith("https://verify.twilio.com/v2/Services?PageSize=10&Page=2")
    page = client.verify.v2.services.page(page_size=10, page_number=1)
    assert page.previous_page_url is not None and page.next_page_url is not None


def test_token_style_paging() -> None:
    client, rec = client_for(token_server)
    ports = client.numbers.v1.porting_all_port_ins.list(size=10)
    assert len(ports) == TOTAL
    assert "Token=10" in rec.sent[1].url and "Token=20" in rec.sent[2].url


def test_list_and_page_errors_are_rest_exceptions() -> None:
    body = {"code": 20007, "message": "Page size too large", "more_info": "x", "status": 400}
    client, _ = client_for(lambda sent: Response(400, json.dumps(body), {}))
    with pytest.raises(RestException) as info:
        client.messages.list(page_size=5000)
    assert info.value.code == 20007 and info.value.status == 400 and info.value.method == "GET"
    with pytest.raises(RestException):
        client.messages.page()
    with pytest.raises(RestException):
        client.messages.get_page("https://api.twilio.com/2010-04-01/Accounts/x/Messages.json?Page=3")


def test_an_error_on_a_later_page_is_raised_too() -> None:
    def reply(sent: Sent) -> Response:
        if "Page=1" in sent.url:
            return Response(500, "oops", {})
        return v2010_server(sent)

    client, _ = client_for(reply)
    with pytest.raises(RestException) as info:
        client.calls.list(page_size=10)
    assert info.value.status == 500


def test_bad_limits_are_refused_before_any_request() -> None:
    client, rec = client_for(v2010_server)
    with pytest.raises(ValueError):
        client.calls.list(limit=0)
    with pytest.raises(ValueError):
        client.calls.list(page_size=-1)
    assert rec.sent == []


SCIM_TOTAL = 21  # one record on the last page: an off-by-one at the end loses it
SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User"


@pytest.fixture
def scim_users() -> tuple[Client, Any, Any]:
    from twilio_mock import Backend, MockTransport

    backend = Backend(seed=3)
    transport = MockTransport(backend)
    client = Client(backend.account_sid, backend.auth_token, http_client=transport, environment={})
    users = client.preview_iam.organization("OR" + "1" * 32).users
    for i in range(SCIM_TOTAL):
        users.create(scim_user={"userName": f"user{i:02d}@example.com", "schemas": [SCIM_USER]})
    backend.journal.clear()
    return client, users, backend


def test_scim_lists_follow_start_index_until_total_results(scim_users: tuple[Client, Any, Any]) -> None:
    _, users, backend = scim_users
    names = [u.userName for u in users.list(page_size=10)]
    assert names == [f"user{i:02d}@example.com" for i in range(SCIM_TOTAL)]
    starts = [dict(e.query).get("startIndex") for e in backend.journal]
    assert starts == [None, "11", "21"]


def test_scim_pages_walk_both_ways(scim_users: tuple[Client, Any, Any]) -> None:
    _, users, _ = scim_users
    first = users.page(page_size=10)
    assert first.previous_page_url is None and "startIndex=11" in str(first.next_page_url)
    last = first.next_page().next_page()
    assert [u.userName for u in last] == ["user20@example.com"] and last.next_page_url is None
    back = last.previous_page()
    assert [u.userName for u in back][0] == "user10@example.com" and len(back) == 10


def camel_token_server(sent: Sent) -> Response:
    """verify Services answering token-style meta (camelCase, no page URLs): the SDK must
    send the token back as ``PageToken``, the list declaring no token parameter of its own."""
    q = query_of(sent)
    assert set(q) <= {"PageSize", "PageToken"}, f"unexpected query {q}"
    start = int(q.get("PageToken", "0"))
    records = [{"sid": s} for s in sids("VA")[start : start + 10]]
    meta = {
        "key": "services",
        "nextToken": str(start + 10) if start + 10 < TOTAL else None,
        "previousToken": str(start - 10) if start else None,
    }
    return Response(200, json.dumps({"services": records, "meta": meta}), {})


def test_token_paging_falls_back_to_camel_case_tokens_and_page_token() -> None:
    client, rec = client_for(camel_token_server)
    services = client.verify.v2.services
    assert "PageToken" not in {p.wire for p in services._res.ops["list"].params}
    assert [s.sid for s in services.list(page_size=10)] == sids("VA")
    assert [query_of(s).get("PageToken") for s in rec.sent] == [None, "10", "20"]
    last = services.page(page_size=10).next_page().next_page()
    assert last.next_page_url is None and "PageToken=10" in str(last.previous_page_url)
