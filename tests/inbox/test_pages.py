"""The inbox's views over HTTP (werkzeug's test client, no sockets): what each shows, escaping,
paging, accounts, search, and the control plane's guard."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from werkzeug.test import Client as WsgiClient
from werkzeug.test import TestResponse

from tests.inbox.helpers import APP, CUSTOMER, client, wire
from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_sdk.exceptions import RestException

HTML = {"Accept": "text/html"}


@pytest.fixture
def backend() -> Backend:
    return Backend(seed=1)


@pytest.fixture
def http(backend: Backend) -> WsgiClient:
    return WsgiClient(MockServerApp(backend))


def page(http: WsgiClient, path: str, **headers: str) -> str:
    answer = http.get(path, headers=headers)
    assert answer.status_code == 200, answer.data[:500]
    assert answer.content_type == "text/html; charset=utf-8"
    return answer.get_data(as_text=True)


def twilio_error(answer: TestResponse, status: int) -> dict[str, object]:
    assert answer.status_code == status, answer.data[:500]
    body = json.loads(answer.data)
    assert set(body) == {"code", "message", "more_info", "status"} and body["status"] == status
    return dict(body)


def text(html: str) -> str:
    """The page's text: tags removed, entities left as they are."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# The page at the root ---------------------------------------------------------------------
def test_a_browser_gets_the_inbox_at_the_root_and_a_client_the_json_index(http: WsgiClient) -> None:
    html = page(http, "/", **HTML)
    assert "<title>twilio-mock inbox</title>" in html and 'id="live"' in html
    index = http.get("/")
    assert index.content_type == "application/json"
    assert index.json is not None and index.json["inbox"].endswith("/")


def test_every_page_has_a_strict_content_security_policy(http: WsgiClient) -> None:
    answer = http.get("/__inbox__/threads")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and answer.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in answer.get_data(as_text=True)  # no inline script


def test_the_static_files_are_served(http: WsgiClient) -> None:
    script = http.get("/__inbox__/static/inbox.js")
    assert script.status_code == 200 and script.content_type.startswith("text/javascript")
    assert b"EventSource" in script.data
    assert http.get("/__inbox__/static/inbox.css").content_type.startswith("text/css")
    twilio_error(http.get("/__inbox__/static/../page.py"), 404)


# Threads -----------------------------------------------------------------------------------
def test_threads_group_messages_by_number_pair_newest_first(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    me = backend.phone_number
    sdk.messages.create(to=CUSTOMER, from_=me, body="first to A")
    sdk.messages.create(to="+15558675311", from_=me, body="only to B")
    backend.messaging.inbound_sms(CUSTOMER, me, "A answers")
    html = page(http, "/__inbox__/threads")
    assert re.findall(r'<li data-thread="([^"]+)"', html) == [
        f"{me} {CUSTOMER}",  # A answered last
        f"{me} +15558675311",
    ]
    assert "Threads <small>2</small>" in html
    # The newest thread is open: its messages, newest first.
    thread = html.split('class="thread"', 1)[1]
    assert thread.index("A answers") < thread.index("first to A") and "only to B" not in thread
    other = page(http, "/__inbox__/threads?" + urlencode({"thread": f"{me} +15558675311"}))
    assert "only to B" in other.split('class="thread"', 1)[1]


def test_a_message_shows_its_status_history_segments_price_and_error(
    backend: Backend, http: WsgiClient
) -> None:
    sdk = client(backend)
    backend.messaging.fail("+15558675311", error_code=30003)
    sdk.messages.create(to="+15558675311", from_=backend.phone_number, body="Ünïcode ☺ " * 10)
    backend.advance(30)
    html = page(http, "/__inbox__/threads")
    words = text(html)
    assert re.search(
        r"queued 2025-01-01 00:00:00 .*sending 2025-01-01 00:00:\d\d .*sent .*undelivered 2025-01-01 00:00:\d\d",
        words,
    ), words
    assert "2 × UCS-2" in words  # 100 UTF-16 units: two segments of 67
    assert "UCS-2 forced by ï (U+00EF), ☺ (U+263A) " in words  # Ü and é are GSM-7
    assert "30003: Unreachable destination handset" in words
    assert re.search(r"-0\.\d+ USD", words)


def test_media_thumbnails_link_only_to_web_urls(backend: Backend, http: WsgiClient) -> None:
    backend.messaging.inbound_sms(
        CUSTOMER, backend.phone_number, "a picture", ["https://example.com/owl.png"]
    )
    html = page(http, "/__inbox__/threads")
    assert '<img src="https://example.com/owl.png"' in html


def test_threads_are_paged(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    for n in range(25):
        sdk.messages.create(to=f"+1555867{n:04d}", from_=backend.phone_number, body=f"hello {n}")
    first, second = page(http, "/__inbox__/threads"), page(http, "/__inbox__/threads?page=1")
    assert (
        len(re.findall(r'<li data-thread="', first)) == 20
        and len(re.findall(r'<li data-thread="', second)) == 5
    )
    assert "+15558670024" in first and "+15558670004" not in first.split('class="thread"')[0]
    assert "+15558670004" in second and "+15558670000" in second and "older →" in first
    assert "older →" not in second


def test_the_thread_index_reads_only_what_was_added_and_follows_deletes_and_resets(
    backend: Backend, http: WsgiClient
) -> None:
    sdk = client(backend)
    sent = [sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body=f"m{n}") for n in range(3)]
    page(http, "/__inbox__/threads")
    app = http.application
    assert isinstance(app, MockServerApp)
    index = app.inbox.inboxes.index(backend, backend.account_sid)
    assert index._seen == 3 and len(index) == 1
    sdk.messages(sent[-1].sid).delete()  # the last one: its position is reused by the next create
    sdk.messages.create(to="+15558675311", from_=backend.phone_number, body="new")
    html = page(http, "/__inbox__/threads")
    assert "m2" not in html and "new" in html
    assert "m1" in page(
        http, "/__inbox__/threads?" + urlencode({"thread": f"{backend.phone_number} {CUSTOMER}"})
    )
    backend.reset()
    assert "Threads <small>0</small>" in page(http, "/__inbox__/threads")


def test_a_messaging_service_has_its_own_thread(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    service = sdk.messaging.v1.services.create(friendly_name="alerts")
    service.phone_numbers.create(phone_number_sid=sdk.incoming_phone_numbers.list()[0].sid)
    sdk.messages.create(to=CUSTOMER, messaging_service_sid=service.sid, body="from the service")
    sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body="from the number")
    html = page(http, "/__inbox__/threads")
    assert f"<b>{service.sid}</b> ⇄ <b>{CUSTOMER}</b>" in html
    assert f"<b>{backend.phone_number}</b> ⇄ <b>{CUSTOMER}</b>" in html


# Escaping ----------------------------------------------------------------------------------
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_text_from_messages_and_webhooks_is_escaped_everywhere(backend: Backend, http: WsgiClient) -> None:
    sdk = wire(backend)
    sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body=XSS, status_callback=f"{APP}/broken")
    backend.messaging.inbound_sms(CUSTOMER, backend.phone_number, XSS)
    backend.advance(30)
    for view in ("threads", "webhooks", "requests", "search?q=script", "calls"):
        html = page(http, f"/__inbox__/{view}")
        assert "<script>alert" not in html and "<img src=x" not in html, view
        assert "<script>boom" not in html, view
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page(http, "/__inbox__/threads")
    assert "&lt;script&gt;boom()&lt;/script&gt;" in page(http, "/__inbox__/webhooks")


def test_a_javascript_media_url_is_not_a_link(backend: Backend, http: WsgiClient) -> None:
    from twilio_mock.ways_in.inbox.views import safe_url

    assert (
        safe_url("javascript:alert(1)") is None and safe_url("HTTPS://x.test/a.png") == "HTTPS://x.test/a.png"
    )


# Calls -------------------------------------------------------------------------------------
def test_calls_show_history_transcript_gather_input_dial_legs_and_durations(
    backend: Backend, http: WsgiClient
) -> None:
    sdk = wire(backend)
    backend.voice.answer("+15558675399", after=2, talk=30)
    call = sdk.calls.create(to=CUSTOMER, from_=backend.phone_number, url=f"{APP}/voice")
    backend.advance(5)
    live = text(page(http, "/__inbox__/calls"))
    assert "Answer the waiting Gather" in live and "in-progress" in live
    backend.voice.press(call.sid, "7")
    backend.advance(60)
    words = text(page(http, "/__inbox__/calls"))
    assert re.search(r"queued 2025-01-01 00:00:00 .*ringing .*in-progress .*completed", words), words
    steps = words.replace("&lt;", "<").replace("&gt;", ">")
    assert "<Say> text Press 1 in Gather" in steps and "<Gather> input dtmf digits 7 result input" in steps
    assert "<Say> text You pressed 7" in steps and "<Dial> to +15558675399 status completed" in steps
    assert f"leg of {call.sid}" in words and "30 s" in words


# Webhooks, Verify, requests ----------------------------------------------------------------
def test_webhooks_show_each_delivery_and_highlight_failures(backend: Backend, http: WsgiClient) -> None:
    sdk = wire(backend)
    sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body="x", status_callback=f"{APP}/broken")
    backend.messaging.inbound_sms(CUSTOMER, backend.phone_number, "hello")
    backend.advance(30)
    html = page(http, "/__inbox__/webhooks")
    failed = re.findall(r'<article class="delivery failed" data-seq="(\d+)">', html)
    good = re.findall(r'<article class="delivery" data-seq="(\d+)">', html)
    assert len(failed) == 3 and len(good) == 1  # sending, sent, delivered answered 500; the SMS 200
    assert "signature valid" in html and f"{APP}/sms" in html and "You said hello" in html
    assert "<th>MessageStatus</th><td>delivered</td>" in html
    only = page(http, "/__inbox__/webhooks?failed=1")
    assert f"{APP}/sms" not in only and only.count('class="delivery failed"') == 3


def test_verify_shows_the_pending_codes(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    service = sdk.verify.v2.services.create(friendly_name="login")
    sdk.verify.v2.services(service.sid).verifications.create(to=CUSTOMER, channel="sms")
    code = backend.verify.code(CUSTOMER)
    html = page(http, "/__inbox__/verify")
    assert f'<td class="code"><b>{code}</b></td>' in html and CUSTOMER in html


def test_requests_are_filtered_by_method_path_status_and_account(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body="x")
    with pytest.raises(RestException):
        sdk.messages.create(to=CUSTOMER, from_=CUSTOMER, body="same")
    sdk.calls.list()

    def rows(html: str) -> list[tuple[str, str, str]]:
        return re.findall(r"<td>(GET|POST|DELETE)</td><td><code>([^<]+)</code></td><td>(\d+)</td>", html)

    everything = rows(page(http, "/__inbox__/requests"))
    assert len(everything) >= 3
    assert {r[0] for r in rows(page(http, "/__inbox__/requests?method=post"))} == {"POST"}
    assert [r[2] for r in rows(page(http, "/__inbox__/requests?status=400"))] == ["400"]
    assert all("/Calls" in r[1] for r in rows(page(http, "/__inbox__/requests?path=/Calls")))
    sub = sdk.api.v2010.accounts.create(friendly_name="team")
    assert rows(page(http, f"/__inbox__/requests?account={sub.sid}")) == []


# Search and accounts -----------------------------------------------------------------------
def test_search_finds_numbers_text_sids_statuses_and_error_codes(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    backend.messaging.fail("+15558675311", error_code=30005)
    kept = sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body="pizza tonight")
    lost = sdk.messages.create(to="+15558675311", from_=backend.phone_number, body="never seen")
    backend.advance(30)

    def found(q: str) -> set[str]:
        html = page(http, f"/__inbox__/search?q={q}")
        return set(re.findall(r'<article class="message[^"]*" data-sid="(\w+)"', html))

    assert found("PIZZA") == {kept.sid}
    assert found(kept.sid) == {kept.sid}
    assert found("%2B15558675311") == {lost.sid}
    assert found("undelivered") == {lost.sid}
    assert found("30005") == {lost.sid}
    assert found("nothing-like-this") == set()


def test_each_account_has_its_own_inbox(backend: Backend, http: WsgiClient) -> None:
    sdk = client(backend)
    sub = sdk.api.v2010.accounts.create(friendly_name="team a")
    from twilio_mock.ways_in.transport import MockTransport
    from twilio_sdk import Client

    sub_client = Client(sub.sid, sub.auth_token, http_client=MockTransport(backend), environment={})
    number = sub_client.incoming_phone_numbers.create(phone_number="+14155550100")
    sub_client.messages.create(to=CUSTOMER, from_=number.phone_number, body="from the subaccount")
    sdk.messages.create(to=CUSTOMER, from_=backend.phone_number, body="from the main account")
    main, other = page(http, "/__inbox__/threads"), page(http, f"/__inbox__/threads?account={sub.sid}")
    assert "from the main account" in main and "from the subaccount" not in main
    assert "from the subaccount" in other and "from the main account" not in other
    assert f'<option value="{sub.sid}" selected>team a' in other
    assert "<option>+14155550100</option>" in other  # the phone texts the subaccount's numbers


# Bad input and the guard -------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/__inbox__/threads?page=x",
        "/__inbox__/threads?page=-1",
        "/__inbox__/requests?status=abc",
        "/__inbox__/calls?account=AC00000000000000000000000000000000",
    ],
)
def test_bad_input_is_a_twilio_shaped_400(http: WsgiClient, path: str) -> None:
    twilio_error(http.get(path), 400)


def test_unknown_pages_and_other_methods_are_twilio_errors(http: WsgiClient) -> None:
    assert "known: /__inbox__/threads" in str(twilio_error(http.get("/__inbox__/nope"), 404)["message"])
    answer = http.post("/__inbox__/threads")
    twilio_error(answer, 405)
    assert answer.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "headers",
    [{"Host": "attacker.example"}, {"Origin": "http://attacker.example"}, {"Sec-Fetch-Site": "cross-site"}],
)
@pytest.mark.parametrize(
    "path", ["/", "/__inbox__/threads", "/__inbox__/events", "/__inbox__/static/inbox.js"]
)
def test_the_inbox_obeys_the_control_planes_guard(
    http: WsgiClient, path: str, headers: dict[str, str]
) -> None:
    twilio_error(http.get(path, headers={**HTML, **headers}), 403)


def test_the_page_acts_only_through_the_control_plane(http: WsgiClient) -> None:
    """Each form of the phone names a control-plane endpoint, and the script posts to those."""
    html = page(http, "/__inbox__/threads")
    endpoints = re.findall(r'data-endpoint="([^"]+)"', html)
    assert len(endpoints) == 5
    script = http.get("/__inbox__/static/inbox.js").get_data(as_text=True)
    posted = set(re.findall(r'post\("(/__mock__/[^"]+)"', script))
    assert posted == {*endpoints, "/__mock__/calls/"}  # + the call SID + "/digits"
    app = http.application
    assert isinstance(app, MockServerApp)
    assert {e.removeprefix("/__mock__") for e in endpoints} <= set(app.control.routes)


def test_the_banner_prints_the_inbox_url() -> None:
    from twilio_mock.ways_in.cli import _banner

    assert "  Inbox: http://127.0.0.1:4010/ in a browser" in _banner(
        "http://127.0.0.1:4010", Backend(seed=1), None
    )


def test_importing_the_mock_and_its_server_loads_no_template_engine() -> None:
    import subprocess
    import sys

    code = (
        "import sys, twilio_mock, twilio_mock.ways_in.server, twilio_mock.ways_in.serving\n"
        "assert 'jinja2' not in sys.modules and 'playwright' not in sys.modules, 'loaded'\n"
        "assert 'twilio_mock.ways_in.inbox' not in sys.modules, 'the inbox is made on first use'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
