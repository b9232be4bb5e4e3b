"""Paging exactly as Twilio pages: 2010-04-01 top-level keys, ``meta`` with absolute URLs,
token style, and filters kept in every page link."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend, MockRequest
from twilio_sdk import Client


def _send(raw: Raw, backend: Backend, n: int, **extra: str) -> list[str]:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    sids = []
    for i in range(n):
        data = {"To": f"+1555000{i:04d}", "From": "+15017122661", "Body": f"m{i}", **extra}
        sids.append(raw("POST", url, data=data).json()["sid"])
    return sids


def test_v2010_pages_newest_first_with_tokens(backend: Backend, raw: Raw) -> None:
    sids = _send(raw, backend, 5)
    base = f"/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    page0 = raw("GET", "https://api.twilio.com" + base, PageSize=2).json()
    assert [m["sid"] for m in page0["messages"]] == [sids[4], sids[3]]
    assert page0["page"] == 0 and page0["page_size"] == 2 and page0["start"] == 0 and page0["end"] == 1
    assert page0["first_page_uri"] == f"{base}?PageSize=2&Page=0"
    assert page0["uri"] == f"{base}?PageSize=2&Page=0"
    assert page0["previous_page_uri"] is None
    assert page0["next_page_uri"] == f"{base}?PageSize=2&Page=1&PageToken=PA{sids[3]}"
    page1 = raw("GET", "https://api.twilio.com" + page0["next_page_uri"]).json()
    assert [m["sid"] for m in page1["messages"]] == [sids[2], sids[1]]
    assert page1["start"] == 2 and page1["end"] == 3
    assert page1["uri"] == f"{base}?PageSize=2&Page=1&PageToken=PA{sids[3]}"
    assert page1["previous_page_uri"] == f"{base}?PageSize=2&Page=0&PageToken=PB{sids[2]}"
    back = raw("GET", "https://api.twilio.com" + page1["previous_page_uri"]).json()
    assert [m["sid"] for m in back["messages"]] == [sids[4], sids[3]]
    page2 = raw("GET", "https://api.twilio.com" + page1["next_page_uri"]).json()
    assert [m["sid"] for m in page2["messages"]] == [sids[0]]
    assert page2["next_page_uri"] is None and page2["end"] == 4
    by_number = raw("GET", "https://api.twilio.com" + base, PageSize=2, Page=2).json()
    assert [m["sid"] for m in by_number["messages"]] == [sids[0]]


def test_empty_v2010_page(backend: Backend, raw: Raw) -> None:
    page = raw("GET", f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Calls.json").json()
    assert page["calls"] == [] and page["start"] == 0 and page["end"] == 0
    assert page["next_page_uri"] is None and page["page_size"] == 50


def test_filters_stay_in_page_links(backend: Backend, raw: Raw) -> None:
    _send(raw, backend, 3)
    _send(raw, backend, 3, To="+15551230000")
    base = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    page = raw("GET", base, To="+15551230000", PageSize=2).json()
    assert [m["to"] for m in page["messages"]] == ["+15551230000"] * 2
    assert dict(parse_qsl(urlsplit(page["next_page_uri"]).query))["To"] == "+15551230000"
    rest = raw("GET", "https://api.twilio.com" + page["next_page_uri"]).json()
    assert len(rest["messages"]) == 1 and rest["next_page_uri"] is None


def test_clock_dates_records_and_updates(backend: Backend, raw: Raw) -> None:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Calls.json"
    # A call that stays live over the days the clock moves (calls have a lifecycle now).
    twiml = '<Response><Pause length="400000"/></Response>'
    data = {"To": "+15558675310", "From": "+15017122661", "Twiml": twiml}
    first = raw("POST", url, data=data).json()["sid"]
    backend.clock.advance(3 * 86400 + 61)
    second = raw("POST", url, data=data).json()["sid"]
    listed = raw("GET", url).json()["calls"]
    assert [c["sid"] for c in listed] == [second, first]
    assert listed[0]["date_created"] == "Sat, 04 Jan 2025 00:01:01 +0000"
    assert listed[1]["date_created"] == "Wed, 01 Jan 2025 00:00:00 +0000"
    backend.clock.advance(60)
    instance = url.replace("Calls.json", f"Calls/{first}.json")
    updated = raw("POST", instance, data={"Status": "completed"}).json()
    assert updated["date_updated"] == "Sat, 04 Jan 2025 00:02:01 +0000"
    assert updated["date_created"] == "Wed, 01 Jan 2025 00:00:00 +0000"
    assert updated["status"] == "completed"


def test_date_sent_filters_on_messages(backend: Backend, raw: Raw) -> None:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    # date_sent is set by the delivery lifecycle; here we seed it through a snapshot edit.
    sids = _send(raw, backend, 3)
    snap = backend.snapshot()
    for coll in snap["collections"]:
        for record in coll["records"]:
            if record.get("sid") in sids:
                record["date_sent"] = 1735689600 + sids.index(record["sid"]) * 86400
    backend.restore(snap)
    assert [m["sid"] for m in raw("GET", url, query={"DateSent<": "2025-01-02"}).json()["messages"]] == [
        sids[1],
        sids[0],
    ]
    assert [m["sid"] for m in raw("GET", url, query={"DateSent>": "2025-01-02"}).json()["messages"]] == [
        sids[2],
        sids[1],
    ]
    assert [m["sid"] for m in raw("GET", url, DateSent="2025-01-03").json()["messages"]] == [sids[2]]
    bad = raw("GET", url, query={"DateSent<": "yesterday"})
    assert bad.status == 400


def test_meta_paging_with_absolute_urls(backend: Backend, raw: Raw) -> None:
    made = [
        raw("POST", "https://verify.twilio.com/v2/Services", data={"FriendlyName": f"s{i}"}).json()
        for i in range(3)
    ]
    page = raw("GET", "https://verify.twilio.com/v2/Services", PageSize=2).json()
    assert [s["sid"] for s in page["services"]] == [made[0]["sid"], made[1]["sid"]]  # oldest first
    meta = page["meta"]
    assert meta["key"] == "services" and meta["page"] == 0 and meta["page_size"] == 2
    assert meta["first_page_url"] == "https://verify.twilio.com/v2/Services?PageSize=2&Page=0"
    assert meta["url"] == "https://verify.twilio.com/v2/Services?PageSize=2&Page=0"
    assert meta["previous_page_url"] is None
    assert (
        meta["next_page_url"]
        == f"https://verify.twilio.com/v2/Services?PageSize=2&Page=1&PageToken=PA{made[1]['sid']}"
    )
    last = raw("GET", meta["next_page_url"]).json()
    assert [s["sid"] for s in last["services"]] == [made[2]["sid"]]
    assert last["meta"]["next_page_url"] is None
    assert last["meta"]["previous_page_url"].startswith(
        "https://verify.twilio.com/v2/Services?PageSize=2&Page=0&PageToken=PB"
    )


def test_absolute_urls_follow_the_origin(backend: Backend, raw: Raw) -> None:
    raw("POST", "https://verify.twilio.com/v2/Services", data={"FriendlyName": "s"})
    request = MockRequest(
        "GET",
        "https://verify.twilio.com/v2/Services",
        {"Authorization": raw.auth},
        origin="http://127.0.0.1:4010",
    )
    payload = backend.handle(request).json()
    assert payload["meta"]["url"] == "http://127.0.0.1:4010/verify/v2/Services?PageSize=50&Page=0"
    assert payload["services"][0]["url"].startswith("http://127.0.0.1:4010/verify/v2/Services/VA")


def test_token_paging(backend: Backend, raw: Raw) -> None:
    url = "https://numbers.twilio.com/v1/Porting/PortIn/PortInRequests"
    empty = raw("GET", url, Size=2).json()
    assert {k: empty["meta"][k] for k in ("previous_token", "next_token", "next_page_url")} == {
        "previous_token": None,
        "next_token": None,
        "next_page_url": None,
    }
    made = []
    for i in range(3):
        answer = raw(
            "POST",
            "https://numbers.twilio.com/v1/Porting/PortIn",
            json_body={"notification_emails": [f"{i}@x.io"]},
        )
        assert answer.status == 202, answer.text  # as the description declares
        made.append(answer.json()["port_in_request_sid"])
    first = raw("GET", url, Size=2).json()
    assert [r["port_in_request_sid"] for r in first["port_in_requests"]] == made[:2]
    assert first["meta"]["next_token"] == f"PA{made[1]}" and first["meta"]["previous_token"] is None
    second = raw("GET", url, Size=2, Token=first["meta"]["next_token"]).json()
    assert [r["port_in_request_sid"] for r in second["port_in_requests"]] == made[2:]
    assert second["meta"]["next_token"] is None and second["meta"]["previous_token"] == f"PB{made[2]}"
    back = raw("GET", url, Size=2, Token=second["meta"]["previous_token"]).json()
    assert [r["port_in_request_sid"] for r in back["port_in_requests"]] == made[:2]


def test_token_paging_through_the_sdk(client: Client) -> None:
    porting = client.numbers.v1
    made = [
        porting.porting_port_ins.create(numbers_v1_porting_port_in_create={"notification_emails": [str(i)]})
        for i in range(5)
    ]
    listed = porting.porting_all_port_ins.list(page_size=2)
    assert [r.port_in_request_sid for r in listed] == [m.port_in_request_sid for m in made]


def test_pages_style(backend: Backend, raw: Raw) -> None:
    url = "https://numbers.twilio.com/v2/ShortCodes/Applications"
    made = [raw("POST", url, json_body={"friendly_name": str(i)}).json()["sid"] for i in range(3)]
    page = raw("GET", url, PageSize=2).json()
    assert [r["sid"] for r in page["results"]] == made[:2]
    assert page["has_next"] is True and page["has_prev"] is False and page["current_page"] == 0
    assert page["total_elements"] == 3 and page["total_pages"] == 2 and page["per_page"] == 2
    second = raw("GET", url, PageSize=2, Page=1).json()
    assert [r["sid"] for r in second["results"]] == made[2:] and second["has_next"] is False


def test_page_size_limits(backend: Backend, raw: Raw) -> None:
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    too_big = raw("GET", url, PageSize=1001)
    assert too_big.status == 400 and too_big.json()["code"] == 20007
    assert raw("GET", url, PageSize=1000).status == 200
    for bad in ("0", "-1", "ten"):
        assert raw("GET", url, PageSize=bad).status == 400
    assert raw("GET", url, Page="-1").status == 400


@pytest.mark.parametrize("page_size", [1, 2, 3, 7, 50])
def test_sdk_list_sees_every_record_once(client: Client, page_size: int) -> None:
    sids = [
        client.messages.create(to="+15558675310", from_="+15017122661", body=str(i)).sid for i in range(7)
    ]
    listed = [m.sid for m in client.messages.list(page_size=page_size)]
    assert listed == list(reversed(sids))
    assert [m.sid for m in client.messages.list(limit=3)] == list(reversed(sids))[:3]
    services = [client.verify.v2.services.create(friendly_name=str(i)).sid for i in range(5)]
    assert [s.sid for s in client.verify.v2.services.list(page_size=page_size)] == services


def test_deleted_records_leave_no_gaps(client: Client) -> None:
    sids = [
        client.messages.create(to="+15558675310", from_="+15017122661", body=str(i)).sid for i in range(6)
    ]
    client.messages(sids[2]).delete()
    client.messages(sids[4]).delete()
    remaining = [s for s in reversed(sids) if s not in (sids[2], sids[4])]
    assert [m.sid for m in client.messages.list(page_size=2)] == remaining


def test_token_pages_render_the_declared_meta_and_links_the_official_client_follows(
    backend: Backend,
) -> None:
    from twilio.rest import Client as Official

    from twilio_mock import mock

    path = "/v1/Porting/PortIn"  # where port-in requests are created, and listed from
    state = backend.snapshot()
    records = [{"port_in_request_sid": f"KW{i:032x}", "account_sid": backend.account_sid} for i in range(5)]
    item = {"account": backend.account_sid, "domain": "numbers", "version": "v1", "path": path}
    state["collections"].append({**item, "records": records})
    backend.restore(state)
    with mock(backend=backend):
        official = Official(backend.account_sid, backend.auth_token)
        listed = official.numbers.v1.porting_all_port_ins.list(page_size=2)
        assert [r.port_in_request_sid for r in listed] == [r["port_in_request_sid"] for r in records]
        client = Client(backend.account_sid, backend.auth_token, environment={})
        page = client.numbers.v1.porting_all_port_ins.page(page_size=2)
        assert {"previous_token", "next_token"} <= set(page.payload["meta"])
        assert page.payload["meta"]["next_token"] == f"PA{records[1]['port_in_request_sid']}"
        assert "Size=2" in page.next_page_url and "Token=PA" in page.next_page_url
        assert [
            r.port_in_request_sid for r in client.numbers.v1.porting_all_port_ins.stream(page_size=2)
        ] == [r["port_in_request_sid"] for r in records]
