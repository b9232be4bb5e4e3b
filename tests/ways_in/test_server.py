"""The WSGI server: URL scheme, Host mapping, absolute URLs, control plane, keep-alive."""

from __future__ import annotations

import http.client as httpclient
import json

import requests
from werkzeug.test import Client as WsgiClient

from tests.ways_in.server_helpers import auth, messages_path, raw, send
from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread


def test_product_prefix_maps_to_the_twilio_host(http: WsgiClient, app: MockServerApp) -> None:
    created = send(http, app.backend)
    assert created.status_code == 201, created.text
    sid = created.json["sid"]
    fetched = http.get(
        f"/api/2010-04-01/Accounts/{app.backend.account_sid}/Messages/{sid}.json", headers=auth(app.backend)
    )
    assert fetched.status_code == 200
    assert fetched.json["body"] == "hi"
    assert fetched.json["uri"].startswith("/2010-04-01/Accounts/")


def test_twilio_host_header_maps_straight_through(http: WsgiClient, app: MockServerApp) -> None:
    path = messages_path(app.backend).removeprefix("/api")
    headers = {**auth(app.backend), "Host": "api.twilio.com"}
    created = http.post(
        path, data={"To": "+15558675310", "From": "+15017122661", "Body": "x"}, headers=headers
    )
    assert created.status_code == 201, created.text
    listed = http.get(messages_path(app.backend), headers=auth(app.backend))
    assert [m["sid"] for m in listed.json["messages"]] == [created.json["sid"]]


def test_absolute_urls_point_back_at_the_server(http: WsgiClient, app: MockServerApp) -> None:
    created = http.post("/verify/v2/Services", data={"FriendlyName": "svc"}, headers=auth(app.backend))
    assert created.status_code == 201, created.text
    assert created.json["url"] == f"http://localhost/verify/v2/Services/{created.json['sid']}"
    assert all(link.startswith("http://localhost/verify/") for link in created.json["links"].values())
    listed = http.get("/verify/v2/Services?PageSize=1", headers=auth(app.backend))
    assert listed.json["meta"]["url"].startswith("http://localhost/verify/v2/Services")
    assert "twilio.com" not in listed.text


def test_unknown_paths_are_twilio_404s(http: WsgiClient, app: MockServerApp) -> None:
    for path in ("/api/2010-04-01/Nope.json", "/no-such-product/v1/Things", "/%00/x", "/UPPER/v1"):
        response = http.get(path, headers=auth(app.backend))
        assert response.status_code == 404, (path, response.text)
        assert response.json["code"] == 20404
    index = http.get("/")
    assert index.status_code == 200 and index.json["service"] == "twilio-mock"


def test_control_plane_health_and_errors(http: WsgiClient, app: MockServerApp) -> None:
    health = http.get("/__mock__/health")
    assert health.status_code == 200 and health.json["status"] == "ok"
    assert http.get("/__mock__/credentials").json["auth_token"] == app.backend.auth_token
    wrong = http.get("/__mock__/reset")
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "POST"
    assert http.get("/__mock__/").json["/clock/advance"] == ["POST"]
    unknown = http.post("/__mock__/nothing")
    assert unknown.status_code == 404 and unknown.json["code"] == 20404


def test_control_plane_reset_snapshot_restore(http: WsgiClient, app: MockServerApp) -> None:
    sid = send(http, app.backend, "keep me").json["sid"]
    snapshot = http.get("/__mock__/snapshot")
    assert snapshot.status_code == 200
    assert http.post("/__mock__/reset").status_code == 200
    assert http.get(messages_path(app.backend), headers=auth(app.backend)).json["messages"] == []

    restored = http.post("/__mock__/restore", data=snapshot.data, content_type="application/json")
    assert restored.status_code == 200, restored.text
    listed = http.get(messages_path(app.backend), headers=auth(app.backend)).json["messages"]
    assert [(m["sid"], m["body"]) for m in listed] == [(sid, "keep me")]

    for bad in (b"{not json", b"[1, 2]", b"\xff\xfe", b""):
        response = http.post("/__mock__/restore", data=bad, content_type="application/json")
        assert response.status_code == 400, bad
    # A broken snapshot is rejected and leaves the state alone.
    assert http.post("/__mock__/restore", data=b'{"accounts": 12}').status_code == 400
    broken = b'{"format": "twilio_mock/1", "collections": [{"account": "AC1"}]}'
    assert http.post("/__mock__/restore", data=broken).status_code == 400
    assert len(http.get(messages_path(app.backend), headers=auth(app.backend)).json["messages"]) == 1


def test_control_plane_clock(http: WsgiClient, app: MockServerApp) -> None:
    start = http.get("/__mock__/clock").json["now"]
    assert http.post("/__mock__/clock/advance", json={"seconds": 60}).json["now"] == start + 60
    assert http.post("/__mock__/clock/advance", data={"seconds": "30"}).json["now"] == start + 90
    assert http.post("/__mock__/clock/advance?seconds=10").json["now"] == start + 100
    for bad in ({"seconds": -1}, {"seconds": "soon"}, {"seconds": None}, {"seconds": 1e400}):
        assert http.post("/__mock__/clock/advance", json=bad).status_code == 400, bad
    assert http.post("/__mock__/clock/advance", data=b"{oops").status_code == 400
    assert app.backend.clock.now() == start + 100
    sent = send(http, app.backend).json
    assert sent["date_created"] == "Wed, 01 Jan 2025 00:01:40 +0000"


def test_control_plane_journal(http: WsgiClient, app: MockServerApp) -> None:
    send(http, app.backend, "one")
    http.get(messages_path(app.backend), headers=auth(app.backend))
    http.post("/verify/v2/Services", data={"FriendlyName": "svc", "Bogus": "kept"}, headers=auth(app.backend))
    everything = http.get("/__mock__/journal").json["entries"]
    assert [e["method"] for e in everything] == ["POST", "GET", "POST"]
    posts = http.get("/__mock__/journal?method=post").json["entries"]
    assert len(posts) == 2
    verify = http.get("/__mock__/journal?path=/v2/Services").json["entries"]
    assert len(verify) == 1 and ["Bogus", "kept"] in verify[0]["form"]
    assert verify[0]["status"] == 201 and verify[0]["response"]["friendly_name"] == "svc"
    assert http.get("/__mock__/journal?status=201").json["entries"][0]["method"] == "POST"
    for bad in ("abc", "\u00b2", "1.5"):
        assert http.get("/__mock__/journal", query_string={"status": bad}).status_code == 400
    assert [e["method"] for e in http.get("/__mock__/journal?limit=2").json["entries"]] == ["GET", "POST"]
    assert http.get("/__mock__/journal?limit=0").json["entries"] == []
    assert http.get("/__mock__/journal?limit=x").status_code == 400


def test_requests_over_loopback_keep_alive(live: ServerThread) -> None:
    backend: Backend = live.server.app.backend  # type: ignore[attr-defined]
    with requests.Session() as session:
        session.auth = (backend.account_sid, backend.auth_token)
        url = f"{live.url}/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
        for n in range(20):
            answer = session.post(url, data={"To": "+15558675310", "From": "+15017122661", "Body": str(n)})
            assert answer.status_code == 201
        listed = session.get(url, params={"PageSize": 5}).json()
        assert len(listed["messages"]) == 5
        assert listed["next_page_uri"].startswith(f"/2010-04-01/Accounts/{backend.account_sid}/Messages.json")
        journal = session.get(f"{live.url}/__mock__/journal", params={"method": "POST"}).json()
        assert len(journal["entries"]) >= 20
        assert json.loads(json.dumps(journal)) == journal


def test_keep_alive_reuses_one_connection(live: ServerThread) -> None:
    backend: Backend = live.server.app.backend  # type: ignore[attr-defined]
    headers = {**auth(backend), "Content-Type": "application/x-www-form-urlencoded"}
    conn = httpclient.HTTPConnection(live.host, live.port, timeout=5)
    try:
        bodies = [
            ("POST", messages_path(backend), "To=%2B15558675310&From=%2B15017122661&Body=one"),
            # The app never reads these bodies: they must be drained, not parsed as the next request.
            ("GET", "/__mock__/health", "GET /evil HTTP/1.1\r\n\r\n"),
            ("POST", "/nope/x", "x" * 5000),
            ("GET", messages_path(backend), ""),
        ]
        sockets = set()
        statuses = []
        for method, path, body in bodies:
            conn.request(method, path, body=body, headers=headers)
            sockets.add(id(conn.sock))
            answer = conn.getresponse()
            answer.read()
            statuses.append(answer.status)
            assert answer.getheader("Connection") == "keep-alive"
        assert statuses == [201, 200, 404, 200]
        assert len(sockets) == 1
        conn.request("GET", "/__mock__/health", headers={"Connection": "close"})
        answer = conn.getresponse()
        assert answer.getheader("Connection") == "close" and answer.read()
    finally:
        conn.close()


def test_http10_chunked_and_expect_continue(live: ServerThread) -> None:
    backend: Backend = live.server.app.backend  # type: ignore[attr-defined]
    old = raw(live, b"GET /__mock__/health HTTP/1.0\r\n\r\n")
    assert old.startswith(b"HTTP/1.1 200") and b"Connection: close" in old

    form = b"To=%2B15558675310&From=%2B15017122661&Body=chunky"
    basic = auth(backend)["Authorization"].encode()
    chunked = (
        b"POST "
        + messages_path(backend).encode()
        + b" HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + basic
        + b"\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(form):x}".encode()
        + b"\r\n"
        + form
        + b"\r\n0\r\n\r\n"
    )
    answer = raw(live, chunked)
    assert answer.startswith(b"HTTP/1.1 201") and b'"body":"chunky"' in answer
    broken = chunked.replace(
        b"Transfer-Encoding: chunked\r\n\r\n", b"Transfer-Encoding: chunked\r\n\r\nzz\r\n"
    )
    assert raw(live, broken).startswith(b"HTTP/1.1 400")

    expect = requests.post(
        f"{live.url}/__mock__/clock/advance",
        data=b'{"seconds": 1}',
        headers={"Expect": "100-continue", "Content-Type": "application/json"},
        timeout=5,
    )
    assert expect.status_code == 200
