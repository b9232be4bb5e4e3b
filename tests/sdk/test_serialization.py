"""Nested dicts go out as the official package sends them: a prefixed collapsible map is
flattened (``AddOns.a.b=1``), any other dict parameter becomes JSON. Both SDKs are called
with the same arguments and their requests compared."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from twilio.http import HttpClient as OfficialHttpClient
from twilio.http.response import Response as OfficialResponse
from twilio.rest import Client as OfficialClient

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client

ACCOUNT = "AC" + "a" * 32
NESTED = {"payfone": {"Right": {"Date": "20160101", "Depth": 3}}, "plain": True, "n": 1.5}


class OfficialRecorder(OfficialHttpClient):  # type: ignore[misc]
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(logging.getLogger("test"), False)
        self.answer = OfficialResponse(status, json.dumps(body))
        self.params: Any = None
        self.data: Any = None

    def request(self, method: str, url: str, params: Any = None, data: Any = None, **kwargs: Any) -> Any:
        self.params, self.data = params, data
        return self.answer


def both(status: int, body: dict[str, Any], call: Callable[[Any], Any]) -> tuple[Recorder, OfficialRecorder]:
    ours = Recorder(reply=json_reply(status, body))
    call(Client(ACCOUNT, "t", http_client=ours, environment={}))
    theirs = OfficialRecorder(status, body)
    call(OfficialClient(ACCOUNT, "t", http_client=theirs))
    return ours, theirs


def test_a_nested_collapsible_map_is_flattened_like_the_official_package() -> None:
    ours, theirs = both(
        200,
        {"phone_number": "+15005550006"},
        lambda c: c.lookups.v1.phone_numbers("+15005550006").fetch(add_ons=["payfone"], add_ons_data=NESTED),
    )
    assert ours.last.params is not None
    flat = {k: v for k, v in ours.last.params.items() if k != "AddOns"}
    assert flat == {
        "AddOns.payfone.Right.Date": "20160101",
        "AddOns.payfone.Right.Depth": "3",
        "AddOns.plain": "true",  # Twilio's spelling; the official package leaves Python's True
        "AddOns.n": "1.5",
    }
    official = {k: v for k, v in theirs.params.items() if k != "AddOns"}
    assert set(flat) == set(official)
    assert all(flat[k] == str(v) for k, v in official.items() if not isinstance(v, bool))


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("object", lambda c, v: c.video.v1.rooms.create(transcriptions_configuration=v)),
        (
            "any",
            lambda c, v: c.events.v1.sinks.create(description="d", sink_configuration=v, sink_type="kinesis"),
        ),
    ],
)
def test_a_nested_dict_parameter_is_json_like_the_official_package(
    name: str, call: Callable[[Any, Any], Any]
) -> None:
    value = {"a": {"b": [1, {"c": None}]}, "d": "é"}
    ours, theirs = both(201, {"sid": "RM1"}, lambda c: call(c, value))
    (key, sent), *rest = [
        (k, v) for k, v in ours.last.data.items() if isinstance(v, str) and v.startswith("{")
    ]
    assert not rest and json.loads(sent) == value == json.loads(theirs.data[key])
    assert sent == json.dumps(value, separators=(",", ":"))
