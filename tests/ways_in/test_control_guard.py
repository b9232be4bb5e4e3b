"""The control plane answers only requests addressed to this server, never a cross-site page
(CSRF) or a page on a rebound DNS name (DNS rebinding); the Twilio routes take any Host."""

from __future__ import annotations

import http.client as httpclient
import json
import socket

import pytest
from werkzeug.test import Client as WsgiClient
from werkzeug.test import TestResponse

from tests.ways_in.process import run
from tests.ways_in.server_helpers import auth, messages_path, send
from twilio_mock.backend import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread


def _refused(response: TestResponse | httpclient.HTTPResponse) -> None:
    if isinstance(response, TestResponse):
        status, body = response.status_code, json.loads(response.data)
    else:
        status, body = response.status, json.loads(response.read())
    assert status == 403, body
    assert set(body) == {"code", "message", "more_info", "status"} and body["status"] == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Host": "attacker.example"},
        {"Host": "attacker.example:80"},
        {"Host": "localhost:8080"},  # another port: another origin
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:3000"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ],
)
def test_foreign_requests_to_the_control_plane_are_403(
    http: WsgiClient, app: MockServerApp, headers: dict[str, str]
) -> None:
    send(http, app.backend, "keep me")
    for method, path in (("POST", "/__mock__/reset"), ("GET", "/__mock__/credentials")):
        _refused(http.open(path, method=method, headers=headers))
    _refused(http.post("/__mock__/restore", data=b'{"collections": []}', headers=headers))
    _refused(http.post("/__mock__/clock/advance", data={"seconds": "60"}, headers=headers))
    assert len(http.get(messages_path(app.backend), headers=auth(app.backend)).json["messages"]) == 1


def test_own_origin_and_twilio_hosts_are_served(http: WsgiClient, app: MockServerApp) -> None:
    for headers in (
        {},
        {"Origin": "http://localhost"},
        {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ):
        assert http.get("/__mock__/health", headers=headers).status_code == 200, headers
    # The Twilio routes keep accepting the Twilio host, and pages elsewhere may call them.
    path = messages_path(app.backend).removeprefix("/api")
    form = {"To": "+15558675310", "From": "+15017122661", "Body": "x"}
    headers = {**auth(app.backend), "Host": "api.twilio.com", "Origin": "http://attacker.example"}
    assert http.post(path, data=form, headers=headers).status_code == 201


def _get(live: ServerThread, path: str, headers: dict[str, str]) -> httpclient.HTTPResponse:
    conn = httpclient.HTTPConnection(live.host, live.port, timeout=5)
    conn.request("GET", path, headers=headers)
    return conn.getresponse()


def test_host_must_name_the_served_address_over_loopback(live: ServerThread) -> None:
    port = live.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        answer = _get(live, "/__mock__/health", {"Host": host})
        assert answer.status == 200, (host, answer.read())
    for host in (
        f"rebound.attacker.example:{port}",
        f"127.0.0.1:{port + 1}",
        "127.0.0.1",
        f"127.0.0.1:{port}@x",
    ):
        _refused(_get(live, "/__mock__/credentials", {"Host": host}))
    _refused(_get(live, "/__mock__/snapshot", {"Origin": f"http://attacker.example:{port}"}))
    assert _get(live, "/__mock__/health", {"Origin": f"http://localhost:{port}"}).status == 200


def test_an_extra_served_name_is_accepted() -> None:
    with ServerThread(MockServerApp(Backend(seed=1), hosts=["mock.internal"])) as live:
        assert _get(live, "/__mock__/health", {"Host": f"mock.internal:{live.port}"}).status == 200
        _refused(_get(live, "/__mock__/health", {"Host": f"other.internal:{live.port}"}))


def test_serving_beyond_loopback_warns_on_stderr() -> None:
    # 192.0.2.1 (TEST-NET-1) is not on this machine: the warning comes, then the bind fails.
    done = run("serve", "--host", "192.0.2.1", "--port", "0")
    assert done.returncode == 2
    assert "WARNING" in done.stderr and "not a loopback address" in done.stderr
    assert "control plane" in done.stderr
    with socket.socket() as taken:  # a port in use: the server stops at once, without a warning
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        quiet = run("serve", "--host", "localhost", "--port", str(taken.getsockname()[1]))
    assert quiet.returncode == 2 and "WARNING" not in quiet.stderr
