"""What ``http.server`` refuses before the app runs is answered in Twilio's JSON error shape."""

from __future__ import annotations

import json

import pytest
import requests

from tests.ways_in.server_helpers import raw
from twilio_mock.ways_in.serving import ServerThread

MANY_HEADERS = b"".join(b"X-H%d: v\r\n" % i for i in range(101))
BIG_HEADERS = b"".join(b"X-Big%d: %s\r\n" % (i, b"b" * 30000) for i in range(3))  # 90 kB together


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"GET /api/" + b"A" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + MANY_HEADERS + b"\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 70000 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + BIG_HEADERS + b"\r\n", 431),
        (b"POST /api/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n" + BIG_HEADERS + b"\r\n", 431),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/1.1 extra\r\n\r\n", 400),
        (b"GET / HTTP/x.y\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ],
    ids=[
        "long-request-line",
        "101-headers",
        "long-header-line",
        "90kB-of-headers",
        "90kB-of-headers-expecting-100",
        "garbage",
        "four-words",
        "bad-version",
        "http2",
    ],
)
def test_refused_requests_get_twilio_json_errors(live: ServerThread, payload: bytes, status: int) -> None:
    answer = raw(live, payload)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), answer[:300]
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)
    assert set(error) == {"code", "message", "more_info", "status"}
    assert error["status"] == status and isinstance(error["code"], int)
    assert error["more_info"] == f"https://www.twilio.com/docs/errors/{error['code']}"
    assert 0 < len(error["message"]) <= 200
    assert requests.get(f"{live.url}/__mock__/health", timeout=5).status_code == 200
