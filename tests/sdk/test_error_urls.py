"""A RestException names the URL that was really requested: after region, edge and
``api_base`` rewriting, with the query string that went out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.sdk.recording import Recorder, Sent
from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client, RestException
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
DENIED = json.dumps({"code": 20003, "message": "Authenticate", "status": 401})
NEXT = f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=2&Page=1"

VERBS: dict[str, Callable[[Client], Any]] = {
    "create": lambda c: c.messages.create(to="+1", from_="+2", body="x"),
    "fetch": lambda c: c.messages("SM1").fetch(),
    "update": lambda c: c.messages("SM1").update(body=""),
    "delete": lambda c: c.messages("SM1").delete(),
    "list": lambda c: c.messages.list(to="+1"),
    "page": lambda c: c.messages.page(page_size=2),
    "stream": lambda c: next(c.messages.stream(page_size=2)),
    "get_page": lambda c: c.messages.get_page(NEXT),
    "next_page": lambda c: c.messages.page(page_size=2).next_page(),
    "verify fetch": lambda c: c.verify.v2.services("VA1").fetch(),
}


def first_page_then_denied(sent: Sent) -> Response:
    if "Page=1" in sent.url:
        return Response(401, DENIED)
    return Response(200, json.dumps({"messages": [], "next_page_uri": NEXT.split(".com", 1)[1]}))


@pytest.mark.parametrize(
    "settings",
    [
        {"api_base": "http://127.0.0.1:4010"},
        {"region": "au1", "edge": "sydney"},
    ],
    ids=["api_base", "region-edge"],
)
@pytest.mark.parametrize("verb", list(VERBS))
def test_every_verb_names_the_url_it_sent(verb: str, settings: dict[str, str]) -> None:
    reply = first_page_then_denied if verb == "next_page" else (lambda sent: Response(401, DENIED))
    rec = Recorder(reply=reply)
    client = Client(ACCOUNT, "t", http_client=rec, environment={}, **settings)
    with pytest.raises(RestException) as info:
        VERBS[verb](client)
    last = rec.last
    sent = last.url + ("?" + urlencode(last.params) if last.params else "")
    assert info.value.uri == sent
    assert sent in str(info.value)
    for canonical in ("://api.twilio.com/", "://verify.twilio.com/"):
        assert canonical not in sent and canonical not in str(info.value)


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    live = ServerThread(MockServerApp(Backend(seed=11)))
    try:
        yield live
    finally:
        live.stop()


def test_a_401_from_the_mock_server_names_the_mock_url(server: ServerThread) -> None:
    client = Client(ACCOUNT, "wrong-token", api_base=server.url, environment={})
    for call in (lambda: client.messages("SM1").fetch(), lambda: client.messages.list(limit=5)):
        with pytest.raises(RestException) as info:
            call()
        assert info.value.status == 401
        assert info.value.uri.startswith(f"{server.url}/api/2010-04-01/Accounts/{ACCOUNT}/Messages")
        assert "https://api.twilio.com" not in str(info.value)
