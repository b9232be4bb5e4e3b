"""``twilio_mock.mock()``: hosts it catches, hosts it leaves alone, decorator and client()."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import requests

from twilio_mock.backend import Backend
from twilio_mock.ways_in.interceptor import TWILIO_URL, TwilioMock, mock
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client

TO, FROM = "+15558675310", "+15017122661"


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twilio.com/2010-04-01/Accounts.json",
        "https://verify.twilio.com/v2/Services",
        "https://flex-api.twilio.com/v1/Configuration",
        "https://preview-iam.twilio.com/v1/Tokens",
        "https://api.ie1.twilio.com/2010-04-01/Accounts.json",
        "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json",
        "http://API.TWILIO.COM:443/2010-04-01",
        "https://api.twilio.com",
    ],
)
def test_twilio_hosts_match(url: str) -> None:
    assert TWILIO_URL.match(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://twilio.com/docs",
        "https://api.twilio.com.evil.example/2010-04-01",
        "https://example.com/?next=https://api.twilio.com/",
        "https://a.b.c.d.twilio.com/x",
        "https://api.twilio.community/",
    ],
)
def test_other_hosts_do_not_match(url: str) -> None:
    assert not TWILIO_URL.match(url)


def test_plain_requests_with_region_and_edge_hosts() -> None:
    with mock(seed=2) as twilio:
        auth = (twilio.account_sid, twilio.auth_token)
        data = {"To": TO, "From": FROM, "Body": "regional"}
        path = f"/2010-04-01/Accounts/{twilio.account_sid}/Messages.json"
        created = requests.post(f"https://api.dublin.ie1.twilio.com{path}", data=data, auth=auth, timeout=5)
        assert created.status_code == 201
        assert created.headers["Content-Type"].startswith("application/json")
        listed = requests.get(f"https://api.twilio.com{path}", auth=auth, timeout=5).json()
        assert [m["sid"] for m in listed["messages"]] == [created.json()["sid"]]
        unauthorised = requests.get(f"https://api.twilio.com{path}", timeout=5)
        assert unauthorised.status_code == 401 and unauthorised.json()["code"] == 20003
        assert len(twilio.http_calls) == 3
    assert len(twilio.backend.journal) == 3


def test_other_hosts_raise_unless_passed_through() -> None:
    server = ServerThread(MockServerApp(Backend(seed=1)))
    try:
        with mock(), pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{server.url}/__mock__/health", timeout=5)
        with mock(passthrough=True):
            assert requests.get(f"{server.url}/__mock__/health", timeout=5).status_code == 200
        with mock(passthrough=[server.url]):
            assert requests.get(f"{server.url}/__mock__/health", timeout=5).status_code == 200
    finally:
        server.stop()


def test_inside_a_users_own_responses_mock() -> None:
    import responses

    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://example.com/weather", json={"sky": "blue"})
        with mock(seed=5) as twilio:
            assert requests.get("https://example.com/weather", timeout=5).json() == {"sky": "blue"}
            url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio.account_sid}.json"
            assert (
                requests.get(url, auth=(twilio.account_sid, twilio.auth_token), timeout=5).status_code == 200
            )
            with pytest.raises(requests.exceptions.ConnectionError):
                requests.get("https://example.com/unregistered", timeout=5)
        assert requests.get("https://example.com/weather", timeout=5).ok  # the outer mock is still on


def test_stops_cleanly_and_nests() -> None:
    twilio = TwilioMock(Backend(seed=1))
    url = f"https://api.twilio.com/2010-04-01/Accounts/{twilio.account_sid}.json"
    with twilio:
        with twilio:
            assert requests.get(url, auth=(twilio.account_sid, twilio.auth_token), timeout=5).ok
        assert twilio.active
        assert requests.get(url, auth=(twilio.account_sid, twilio.auth_token), timeout=5).ok
    assert not twilio.active
    # Stopped: requests reach the real socket layer again (nothing listens on port 9).
    with pytest.raises(requests.exceptions.ConnectionError) as excinfo:
        requests.get("http://127.0.0.1:9/", timeout=2)
    assert "Responses" not in str(excinfo.value)


def test_decorator_forms() -> None:
    backend = Backend(seed=4)

    @mock(backend=backend)
    def send(body: str) -> str:
        from twilio_sdk import Client

        client = Client(backend.account_sid, backend.auth_token, environment={})
        return str(client.messages.create(to=TO, from_=FROM, body=body).sid)

    first, second = send("a"), send("b")
    assert first != second
    assert {e.status for e in backend.journal} == {201}

    @mock
    def fresh_each_time() -> int:
        return _count_messages_after_one_create()

    @mock(seed=3)
    def seeded_fresh_each_time() -> int:
        return _count_messages_after_one_create(seed=3)

    assert [fresh_each_time(), fresh_each_time()] == [1, 1]
    assert [seeded_fresh_each_time(), seeded_fresh_each_time()] == [1, 1]

    @mock(backend=backend)
    async def send_async() -> int:
        auth = (backend.account_sid, backend.auth_token)
        path = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
        return len(requests.get(path, auth=auth, timeout=5).json()["messages"])

    assert asyncio.run(send_async()) == 2


def _count_messages_after_one_create(**options: Any) -> int:
    """Through the official package, so the decorator must be what intercepts."""
    from twilio.rest import Client

    backend = Backend(**options)  # same options, so the same main-account credentials as the mock
    client = Client(backend.account_sid, backend.auth_token)
    client.messages.create(to=TO, from_=FROM, body="x")
    return len(client.messages.list())


def test_client_uses_the_in_process_transport() -> None:
    twilio = mock(seed=9)
    client = twilio.client()
    message = client.messages.create(to=TO, from_=FROM, body="no sockets")
    assert not twilio.active  # no interception needed
    assert twilio.backend.journal.last().path.endswith("/Messages.json")
    assert client.messages(message.sid).fetch().body == "no sockets"


def test_official_package_unchanged() -> None:
    from twilio.rest import Client

    with mock(seed=11) as twilio:
        client = Client(twilio.account_sid, twilio.auth_token)
        message = client.messages.create(to=TO, from_=FROM, body="official")
        assert message.sid.startswith("SM")
        assert [m.body for m in client.messages.list(limit=5)] == ["official"]
        service = client.verify.v2.services.create(friendly_name="otp")
        assert client.verify.v2.services(service.sid).fetch().friendly_name == "otp"
    assert [e.method for e in twilio.backend.journal] == ["POST", "GET", "POST", "GET"]


def test_backend_and_options_conflict() -> None:
    with pytest.raises(TypeError):
        TwilioMock(Backend(seed=1), seed=2)


def test_the_interceptor_wins_over_an_exported_api_base(monkeypatch: pytest.MonkeyPatch) -> None:
    """TWILIO_API_BASE still exported from running ``twilio-mock serve``: the SDK sends to it,
    and the interceptor answers anyway (nothing listens there)."""
    monkeypatch.setenv("TWILIO_API_BASE", "http://127.0.0.1:9")
    with mock(seed=1) as twilio:
        client = Client(twilio.account_sid, twilio.auth_token)
        sent = client.messages.create(to=TO, from_=FROM, body="past the base")
        service = client.verify.v2.services.create(friendly_name="paged")
        assert client.messages(sent.sid).fetch().body == "past the base"
        for n in range(3):
            client.verify.v2.services.create(friendly_name=f"more {n}")
        assert len(list(client.verify.v2.services.stream(page_size=2))) == 4
        assert service.url == f"https://verify.twilio.com/v2/Services/{service.sid}"
