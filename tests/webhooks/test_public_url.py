"""Rebuilding the public URL: as seen, behind trusted proxies, or from a fixed base URL."""

from __future__ import annotations

import pytest

from twilio_sdk.webhooks import asgi_url, public_url, wsgi_url

SEEN = "http://10.0.0.5:8000/sms?a=1"


def test_forwarding_headers_are_ignored_unless_trusted() -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}
    assert public_url(SEEN, headers) == SEEN
    assert public_url(SEEN, headers, trust_forwarded=False) == SEEN
    assert public_url(SEEN, headers, trust_forwarded=0) == SEEN


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example.com"},
            "https://app.example.com/sms?a=1",
        ),
        ({"x-forwarded-proto": "HTTPS"}, "https://10.0.0.5/sms?a=1"),
        ({"X-Forwarded-Proto": "http"}, SEEN),
        (
            {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example.com", "X-Forwarded-Port": "8443"},
            "https://app.example.com:8443/sms?a=1",
        ),
        (
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "app.example.com:443",
                "X-Forwarded-Port": "443",
            },
            "https://app.example.com/sms?a=1",
        ),
        ({"X-Forwarded-Host": "app.example.com:9000"}, "http://app.example.com:9000/sms?a=1"),
        ({"Forwarded": 'for=1.2.3.4;proto=https;host="app.example.com"'}, "https://app.example.com/sms?a=1"),
        ({}, SEEN),
    ],
)
def test_one_trusted_proxy(headers: dict[str, str], expected: str) -> None:
    assert public_url(SEEN, headers, trust_forwarded=True) == expected


def test_proxy_count_picks_the_value_its_proxy_set() -> None:
    # a client sent a forged value first; the two proxies appended theirs
    headers = {
        "X-Forwarded-Proto": "http, https, http",
        "X-Forwarded-Host": "forged.example, app.example.com, lb",
    }
    assert public_url(SEEN, headers, trust_forwarded=2) == "https://app.example.com/sms?a=1"
    assert public_url(SEEN, headers, trust_forwarded=True) == "http://lb/sms?a=1"
    # fewer values than trusted proxies: the header is not believed
    assert public_url(SEEN, {"X-Forwarded-Proto": "https"}, trust_forwarded=2) == SEEN


def test_base_url_replaces_scheme_and_host() -> None:
    headers = {"X-Forwarded-Host": "ignored"}
    assert public_url(SEEN, headers, base_url="https://app.example.com/") == "https://app.example.com/sms?a=1"
    assert (
        public_url(SEEN, headers, True, base_url="https://app.example.com")
        == "https://app.example.com/sms?a=1"
    )


def test_wsgi_url_prefers_the_raw_request_uri() -> None:
    environ = {
        "wsgi.url_scheme": "http",
        "HTTP_HOST": "localhost:5000",
        "PATH_INFO": "/caf\xc3\xa9 x",  # WSGI strings are latin-1 decoded bytes
        "QUERY_STRING": "q=%7E",
    }
    assert wsgi_url(environ) == "http://localhost:5000/caf%C3%A9%20x?q=%7E"
    environ["REQUEST_URI"] = "/caf%c3%a9%20x?q=%7E"
    assert wsgi_url(environ) == "http://localhost:5000/caf%c3%a9%20x?q=%7E"
    bare = {
        "wsgi.url_scheme": "https",
        "SERVER_NAME": "h",
        "SERVER_PORT": "443",
        "PATH_INFO": "",
        "SCRIPT_NAME": "",
    }
    assert wsgi_url(bare) == "https://h/"


def test_asgi_url_prefers_raw_path() -> None:
    scope = {
        "scheme": "https",
        "headers": [(b"host", b"app.example.com")],
        "path": "/a b",
        "raw_path": b"/a%20b",
        "query_string": b"x=1",
    }
    assert asgi_url(scope) == "https://app.example.com/a%20b?x=1"
    del scope["raw_path"]
    scope["headers"] = []
    scope["server"] = ("10.0.0.1", 8000)
    assert asgi_url(scope) == "https://10.0.0.1:8000/a%20b?x=1"
