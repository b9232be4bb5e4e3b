"""Decimal fields (``price``, ``latitude``, ...) come back as ``decimal.Decimal``, as the
official package returns them: both SDKs read the same payloads and must agree."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from twilio.http import HttpClient as OfficialHttpClient
from twilio.http.response import Response as OfficialResponse
from twilio.rest import Client as OfficialClient

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client
from twilio_sdk.naming import attr_name

ACCOUNT = "AC" + "a" * 32
USAGE = {
    "account_sid": ACCOUNT,
    "api_version": "2010-04-01",
    "as_of": "2024-02-01T00:00:00+00:00",
    "category": "sms",
    "count": "10",
    "count_unit": "messages",
    "description": "SMS Messages",
    "end_date": "2024-01-31",
    "price": "12.34500",
    "price_unit": "usd",
    "start_date": "2024-01-01",
    "subresource_uris": {},
    "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Usage/Records/Monthly.json",
    "usage": "10",
    "usage_unit": "messages",
}
NUMBER = {
    "friendly_name": "(415) 555-0100",
    "phone_number": "+14155550100",
    "lata": "722",
    "locality": "San Francisco",
    "rate_center": "SNFC",
    "latitude": "37.780000",
    "longitude": "-122.400000",
    "region": "CA",
    "postal_code": "94103",
    "iso_country": "US",
    "address_requirements": "none",
    "beta": False,
    "capabilities": {"voice": True, "SMS": True, "MMS": True},
}
RECORDING = {
    "sid": "RE" + "1" * 32,
    "account_sid": ACCOUNT,
    "call_sid": "CA" + "1" * 32,
    "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
    "duration": "15",
    "price": "-0.00250",
    "price_unit": "USD",
    "status": "completed",
    "channels": 1,
}
SIM_USAGE = {
    "account_sid": ACCOUNT,
    "sim_sid": "HS" + "1" * 32,
    "data_upload": 1000,
    "data_download": 2000,
    "data_total": 3000,
    "data_total_billed": 0.75,
    "billed_unit": "USD",
    "period": {},
}


class OfficialStub(OfficialHttpClient):  # type: ignore[misc]
    def __init__(self, body: str) -> None:
        super().__init__(logging.getLogger("test"), False)
        self.body = body

    def request(self, *args: Any, **kwargs: Any) -> OfficialResponse:
        return OfficialResponse(200, self.body)


Lister = Callable[[Any], list[Any]]
CASES: list[tuple[str, str, dict[str, Any], Lister]] = [
    ("usage_records", "usage_records", USAGE, lambda c: c.api.v2010.account.usage.records.monthly.list()),
    (
        "available_local",
        "available_phone_numbers",
        NUMBER,
        lambda c: c.api.v2010.account.available_phone_numbers("US").local.list(),
    ),
    (
        "call_recordings",
        "recordings",
        RECORDING,
        lambda c: c.api.v2010.account.calls("CA1").recordings.list(),
    ),
    ("supersim_usage", "usage_records", SIM_USAGE, lambda c: c.supersim.v1.usage_records.list()),
]


@pytest.mark.parametrize(("name", "key", "record", "lister"), CASES, ids=[c[0] for c in CASES])
def test_every_field_matches_the_official_package(
    name: str, key: str, record: dict[str, Any], lister: Lister
) -> None:
    second = {**record, **{f: "1.5" for f in ("price", "latitude") if f in record}}
    body = json.dumps({key: [record, second], "meta": {"key": key}, "next_page_uri": None})
    official = lister(OfficialClient(ACCOUNT, "t", http_client=OfficialStub(body)))
    ours = lister(
        Client(ACCOUNT, "t", http_client=Recorder(reply=json_reply(200, json.loads(body))), environment={})
    )
    assert len(ours) == len(official) == 2
    compared = set()
    for mine, theirs in zip(ours, official, strict=True):
        for field in record:
            attr = attr_name(field)
            if not hasattr(theirs, attr):
                continue
            got, want = getattr(mine, attr), getattr(theirs, attr)
            assert (type(got), got) == (type(want), want), f"{name}.{attr}"
            compared.add(attr)
    decimals = {"price", "latitude", "longitude", "data_total_billed"} & set(record)
    assert decimals <= compared and all(isinstance(getattr(ours[0], f), Decimal) for f in decimals)


def test_usage_prices_sum_exactly() -> None:
    prices = ["0.00750", "12.34500", "0.10000"]
    page = {"usage_records": [{**USAGE, "price": p} for p in prices], "next_page_uri": None}
    client = Client(ACCOUNT, "t", http_client=Recorder(reply=json_reply(200, page)), environment={})
    records = client.api.v2010.account.usage.records.list()
    assert sum(r.price for r in records) == Decimal("12.45250")


def test_unparseable_or_empty_decimals_come_back_as_given() -> None:
    page = {"usage_records": [{**USAGE, "price": "n/a"}, {**USAGE, "price": ""}, {**USAGE, "price": None}]}
    client = Client(ACCOUNT, "t", http_client=Recorder(reply=json_reply(200, page)), environment={})
    assert [r.price for r in client.api.v2010.account.usage.records.list()] == ["n/a", "", None]
