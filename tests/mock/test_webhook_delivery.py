"""Webhooks out: signed as Twilio signs them (checked with the official package's validator),
delivered into a WSGI or ASGI app or over real HTTP, every delivery recorded, failures never
raised."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi import Request as FastRequest
from twilio.request_validator import RequestValidator
from werkzeug.wrappers import Request, Response

from twilio_mock import Backend
from twilio_mock.ways_in.serving import make_http_server

TOKEN = "12345"
PARAMS = [
    ("MessageSid", "SM" + "1" * 32),
    ("MessageStatus", "sent"),
    ("To", "+15558675310"),
    ("Body", "a b&c"),
]


class Recorder:
    """A WSGI app that checks each request's signature with the official validator."""

    def __init__(self, status: int = 200, body: str = "<Response/>") -> None:
        self.seen: list[dict[str, Any]] = []
        self.status, self.body = status, body

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        url = request.url
        params = request.form.to_dict() if request.method == "POST" else {}
        valid = RequestValidator(TOKEN).validate(url, params, request.headers.get("X-Twilio-Signature", ""))
        self.seen.append(
            {
                "method": request.method,
                "url": url,
                "form": request.form.to_dict(),
                "valid": valid,
                "headers": dict(request.headers),
            }
        )
        return Response(self.body, self.status, content_type="text/xml")(environ, start_response)


def test_into_a_wsgi_app_signed_as_twilio_signs(backend: Backend) -> None:
    app = Recorder()
    backend.webhooks.route("https://myapp.test", app)
    delivery = backend.webhooks.deliver(
        "https://myapp.test/status?x=1", PARAMS, TOKEN, account_sid="AC1", event="test"
    )
    assert app.seen[0]["valid"] is True
    assert app.seen[0]["form"]["Body"] == "a b&c" and app.seen[0]["url"] == "https://myapp.test/status?x=1"
    assert app.seen[0]["headers"]["User-Agent"] == "TwilioProxy/1.1"
    assert app.seen[0]["headers"]["I-Twilio-Idempotency-Token"]
    assert (delivery.status, delivery.body, delivery.ok) == (200, "<Response/>", True)
    assert list(backend.webhooks) == [delivery] and delivery.form["MessageStatus"] == "sent"


def test_a_get_webhook_is_signed_over_its_query(backend: Backend) -> None:
    app = Recorder()
    backend.webhooks.route("https://myapp.test", app)
    backend.webhooks.deliver("https://myapp.test/sms", PARAMS, TOKEN, method="GET")
    seen = app.seen[0]
    assert seen["method"] == "GET" and "MessageStatus=sent" in seen["url"]
    assert RequestValidator(TOKEN).validate(seen["url"], {}, seen["headers"]["X-Twilio-Signature"])


def test_a_connection_override_fragment_is_never_sent(backend: Backend) -> None:
    app = Recorder()
    backend.webhooks.route("https://myapp.test", app)
    delivery = backend.webhooks.deliver("https://myapp.test/cb#rc=2&ct=1000", PARAMS, TOKEN)
    assert app.seen[0]["url"] == "https://myapp.test/cb" and app.seen[0]["valid"]
    assert delivery.url == "https://myapp.test/cb"


def test_into_an_asgi_app(backend: Backend) -> None:
    api = FastAPI()
    got: list[dict[str, str]] = []

    @api.post("/sms")
    async def sms(request: FastRequest) -> Any:
        form = await request.form()
        got.append({k: str(v) for k, v in form.items()})
        valid = RequestValidator(TOKEN).validate(
            str(request.url), dict(form), request.headers["X-Twilio-Signature"]
        )
        return {"valid": valid}

    backend.webhooks.route("https://asgi.test", api)
    delivery = backend.webhooks.deliver("https://asgi.test/sms", PARAMS, TOKEN)
    assert got[0]["To"] == "+15558675310"
    assert delivery.status == 200 and '"valid":true' in delivery.body


def test_over_real_http_to_a_loopback_app(backend: Backend) -> None:
    app = Recorder()
    server = make_http_server(app, "127.0.0.1", 0)
    import threading

    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/status"
        delivery = backend.webhooks.deliver(url, PARAMS, TOKEN)
    finally:
        server.shutdown()
        server.server_close()
    assert delivery.status == 200 and app.seen[0]["valid"] and delivery.latency_ms > 0


@pytest.mark.parametrize("how", ["error-status", "raises", "unreachable"])
def test_a_failing_app_is_recorded_never_raised(backend: Backend, how: str) -> None:
    if how == "error-status":
        backend.webhooks.route("https://myapp.test", Recorder(status=500, body="boom"))
        url = "https://myapp.test/cb"
    elif how == "raises":

        def broken(environ: Any, start_response: Any) -> Any:
            raise RuntimeError("the app crashed")

        backend.webhooks.route("https://myapp.test", broken)
        url = "https://myapp.test/cb"
    else:
        url = "http://127.0.0.1:9/cb"  # nothing listens on the discard port
    delivery = backend.webhooks.deliver(url, PARAMS, TOKEN)
    assert delivery.ok is False
    if how == "error-status":
        assert (delivery.status, delivery.body) == (500, "boom")
    else:
        assert delivery.status is None and delivery.error
