"""The default requests-based transport over real loopback HTTP: keep-alive, timeouts, errors."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from twilio_sdk import Client, TransportError
from twilio_sdk.http.http_client import TwilioHttpClient

ACCOUNT = "AC" + "a" * 32


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, int, str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        Handler.seen.append((self.command, self.path, self.client_address[1], body))
        if "slow" in self.path:
            time.sleep(1.0)
        payload = json.dumps(
            {"sid": "SM" + "1" * 32, "status": "queued", "ua": self.headers["User-Agent"]}
        ).encode()
        try:
            self.send_response(201 if self.command == "POST" else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except BrokenPipeError:
            pass  # the client gave up (the timeout test)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_default_transport_reuses_one_connection(server: str) -> None:
    client = Client(ACCOUNT, "t", api_base=server, environment={})
    for _ in range(3):
        msg = client.messages.create(to="+15005550001", from_="+15005550006", body="héllo")
    assert msg.status == "queued"
    assert isinstance(client.http_client, TwilioHttpClient)
    ports = {port for _, _, port, _ in Handler.seen}
    assert len(Handler.seen) == 3 and len(ports) == 1
    method, path, _, body = Handler.seen[0]
    assert (method, path) == ("POST", f"/api/2010-04-01/Accounts/{ACCOUNT}/Messages.json")
    assert "Body=h%C3%A9llo" in body
    assert client.http_client.last_response.status_code == 201


def test_timeout_is_finite_and_raises_transport_error(server: str) -> None:
    assert TwilioHttpClient().timeout == 30.0
    client = Client(ACCOUNT, "t", http_client=TwilioHttpClient(timeout=0.2), environment={})
    with pytest.raises(TransportError) as info:
        client.request("GET", f"{server}/slow")
    assert info.value.timeout


def test_connection_refused_is_a_transport_error_marked_unsent() -> None:
    client = Client(ACCOUNT, "t", api_base="http://127.0.0.1:9", environment={})
    with pytest.raises(TransportError) as info:
        client.messages("SM1").fetch()
    assert info.value.sent is False


def test_proxy_settings_from_the_environment_still_apply(server: str, monkeypatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", server)
    monkeypatch.setenv("NO_PROXY", "")
    client = Client(ACCOUNT, "t", environment={})
    response = client.request("GET", "http://twilio-proxy-test.invalid/hello")
    assert response.status_code == 200
    method, path, _, _ = Handler.seen[-1]
    assert (method, path) == ("GET", "http://twilio-proxy-test.invalid/hello")


@pytest.mark.parametrize(
    "url", ["127.0.0.1:9/x", "api.twilio.com/x", "ftp://127.0.0.1/x", "http://[::1/x", "http:///x"]
)
def test_an_unsendable_url_is_a_transport_error_naming_it(url: str) -> None:
    client = Client(ACCOUNT, "t", environment={})
    with pytest.raises(TransportError, match=re.escape(f"cannot send GET {url}")) as info:
        client.request("GET", url)
    assert info.value.sent is False


def test_a_missing_ca_bundle_is_a_transport_error_naming_the_setting(monkeypatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.pem")
    client = Client(ACCOUNT, "t", environment={})
    with pytest.raises(TransportError, match="REQUESTS_CA_BUNDLE") as info:
        client.request("GET", "https://127.0.0.1:9/x")
    assert "/nonexistent/ca-bundle.pem" in str(info.value) and "https://127.0.0.1:9/x" in str(info.value)
