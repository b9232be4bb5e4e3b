"""Hostile input never gets a 500: hypothesis against the WSGI app, raw bytes over loopback."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.test import Client as WsgiClient
from werkzeug.test import run_wsgi_app

from tests.ways_in.server_helpers import auth, raw
from twilio_mock.hypothesis_profiles import max_examples
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread

# Requests -----------------------------------------------------------------------------
METHODS = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW", ""])
SEGMENT = st.one_of(
    st.sampled_from(
        [
            "api",
            "verify",
            "2010-04-01",
            "v2",
            "Accounts",
            "Messages.json",
            "Services",
            "__mock__",
            "restore",
            "..",
        ]
    ),
    st.text(min_size=0, max_size=20),
    st.from_regex(r"\A(AC|SM|VA|MG)[0-9a-f]{0,40}\Z"),
)
PATHS = st.lists(SEGMENT, min_size=0, max_size=7).map(lambda s: "/" + "/".join(s))
HEADER_NAMES = st.sampled_from(
    ["Content-Type", "Authorization", "Host", "X-Junk", "Content-Length", "Accept"]
)
HEADERS = st.dictionaries(HEADER_NAMES, st.text(max_size=60), max_size=4)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.lists(st.tuples(st.text(max_size=12), st.text(max_size=30)), max_size=6).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")
    ),
)


def _environ(method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode("utf-8", "surrogatepass").decode("latin-1"),
        "RAW_URI": path + ("?" + query if query else ""),
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "4010",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        latin = value.encode("utf-8", "surrogatepass").decode("latin-1")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = latin
    return environ


@settings(
    max_examples=max_examples(1.5), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    method=METHODS, path=PATHS, query=st.text(max_size=40), headers=HEADERS, body=BODIES, authed=st.booleans()
)
def test_hostile_requests_never_500(
    app: MockServerApp, method: str, path: str, query: str, headers: dict[str, str], body: bytes, authed: bool
) -> None:
    if authed:
        headers = {**headers, **auth(app.backend)}
    query = query.encode("utf-8", "surrogatepass").decode("latin-1")
    environ = _environ(method, path, query, headers, body)
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    code = int(status.split(" ", 1)[0])
    assert 200 <= code < 500, (method, path, status)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    resource=st.sampled_from(
        [
            "/api/2010-04-01/Accounts/{sid}/Messages.json",
            "/api/2010-04-01/Accounts/{sid}/Calls.json",
            "/api/2010-04-01/Accounts.json",
            "/verify/v2/Services",
            "/conversations/v1/Conversations",
            "/studio/v2/Flows",
        ]
    ),
    method=st.sampled_from(["GET", "POST", "DELETE"]),
    form=st.lists(
        st.tuples(
            st.sampled_from(
                ["To", "From", "Body", "FriendlyName", "PageSize", "Page", "PageToken", "Status", "X"]
            ),
            st.one_of(st.text(max_size=30), st.integers(-(10**20), 10**20).map(str)),
        ),
        max_size=6,
    ),
)
def test_hostile_parameters_on_real_routes_never_500(
    app: MockServerApp, resource: str, method: str, form: list[tuple[str, str]]
) -> None:
    path = resource.format(sid=app.backend.account_sid)
    http = WsgiClient(app)
    if method == "POST":
        response = http.post(path, data=dict(form), headers=auth(app.backend))
    else:
        response = http.open(path, method=method, query_string=form, headers=auth(app.backend))
    assert response.status_code < 500, (method, path, form, response.text)
    if response.status_code >= 400:
        assert isinstance(response.json["code"], int)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    endpoint=st.sampled_from(
        [
            "",
            "/",
            "/health",
            "/reset",
            "/snapshot",
            "/restore",
            "/clock",
            "/clock/advance",
            "/journal",
            "/credentials",
            "/journal/",
            "/x",
        ]
    ),
    method=METHODS,
    query=st.dictionaries(
        st.sampled_from(["seconds", "method", "path", "status", "limit", "x"]), st.text(max_size=12)
    ),
    body=st.one_of(
        BODIES,
        st.sampled_from([b'{"seconds": 1e308}', b'{"seconds": "NaN"}', b"{}", b"null", b'{"format": 1}']),
    ),
    ctype=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "", "text/plain"]),
)
def test_hostile_control_plane_never_500(
    app: MockServerApp, endpoint: str, method: str, query: dict[str, str], body: bytes, ctype: str
) -> None:
    from urllib.parse import urlencode

    encoded = urlencode(query).encode("utf-8").decode("latin-1")
    headers = {"Content-Type": ctype} if ctype else {}
    environ = _environ(method, "/__mock__" + endpoint, encoded, headers, body)
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert 200 <= int(status.split(" ", 1)[0]) < 500, (method, endpoint, query, body, status)


@pytest.mark.parametrize(
    "payload",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /api/" + b"A" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n",
        b"POST /api/2010-04-01/Accounts.json HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
        b"POST /api/2010-04-01/Accounts.json HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",
        b"POST /__mock__/restore HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{{{",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ids=[
        "garbage",
        "long-path",
        "huge-header",
        "negative-length",
        "short-body",
        "bad-restore",
        "binary-path",
    ],
)
def test_malformed_http_over_loopback(live: ServerThread, payload: bytes) -> None:
    answer = raw(live, payload)
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]  # never an HTTP/0.9-style HTML page
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500 or status == 505, answer[:200]
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["status"] == status
    assert requests.get(f"{live.url}/__mock__/health", timeout=5).status_code == 200
