"""The FastAPI dependency, the Starlette decorator and the FastAPI example app."""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import pytest

pytest.importorskip("starlette")
fastapi = pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from starlette.routing import Route  # noqa: E402

with warnings.catch_warnings():  # Starlette 1.x deprecates httpx in favour of httpx2 for its TestClient
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from tests.webhooks.framework_cases import (  # noqa: E402
    BASE,
    CASES,
    FORM,
    SHARED_KEY_ID,
    SHARED_SECRET,
    TOKEN,
    Send,
    post_form,
)
from twilio_sdk.twiml import MessagingResponse  # noqa: E402
from twilio_sdk.webhooks import sign_webhook  # noqa: E402
from twilio_sdk.webhooks.starlette import TwilioSignature, validate_twilio_request  # noqa: E402

OPTIONS: dict[str, dict[str, Any]] = {
    "/sms": {"auth_token": TOKEN},
    "/env": {},
    "/proxied": {"auth_token": TOKEN, "trust_forwarded": True},
    "/shared": {"auth_token": TOKEN, "shared_key_secret": {SHARED_KEY_ID: SHARED_SECRET}},
    "/json": {"auth_token": TOKEN},
    "/get": {"auth_token": TOKEN},
}


async def reply(request: Request) -> Response:
    body = request.query_params.get("Body")
    if body is None and request.method == "POST" and "json" not in request.headers.get("content-type", ""):
        body = (await request.form()).get("Body")
    response = MessagingResponse()
    response.message(f"You said: {body or ''}")
    return Response(str(response), media_type="text/xml")


def fastapi_app() -> Any:
    app = fastapi.FastAPI()
    for route, options in OPTIONS.items():
        method = "GET" if route == "/get" else "POST"
        app.add_api_route(
            route, reply, methods=[method], dependencies=[fastapi.Depends(TwilioSignature(**options))]
        )
    return app


def starlette_app() -> Starlette:
    routes = [
        Route(
            route, validate_twilio_request(**options)(reply), methods=["GET" if route == "/get" else "POST"]
        )
        for route, options in OPTIONS.items()
    ]
    return Starlette(routes=routes)


def sender(app: Any) -> Send:
    client = TestClient(app, base_url=BASE)

    def send(method: str, url: str, headers: dict[str, str], body: bytes | None, content_type: str | None):
        if content_type:
            headers = {**headers, "Content-Type": content_type}
        response = client.request(method, url, headers=headers, content=body)
        return response.status_code, response.text

    return send


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    "make_app", [fastapi_app, starlette_app], ids=["fastapi-dependency", "starlette-decorator"]
)
def test_helpers(make_app: Any, case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    send = sender(make_app())
    if case == "token_from_environment":
        CASES[case](send, monkeypatch)
    else:
        CASES[case](send)


def test_fastapi_endpoint_with_form_parameters() -> None:
    pytest.importorskip("multipart")
    app = fastapi.FastAPI()

    @app.post("/sms", dependencies=[fastapi.Depends(TwilioSignature(auth_token=TOKEN))])
    async def sms(
        Body: Annotated[str, fastapi.Form()], From: Annotated[str, fastapi.Form()]
    ) -> dict[str, str]:  # noqa: N803
        return {"body": Body, "from": From}

    send = sender(app)
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    assert post_form(send, signed.url, signed.headers) == (200, '{"body":"Hi & bye","from":"+15005550006"}')
    assert post_form(send, signed.url, signed.headers, {**FORM, "Body": "x"})[0] == 403


def test_fastapi_rejection_body() -> None:
    status, text = post_form(sender(fastapi_app()), f"{BASE}/sms", {})
    assert status == 403 and text == '{"detail":"Twilio request validation failed"}'


def test_bare_starlette_decorator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    app = Starlette(routes=[Route("/sms", validate_twilio_request(reply), methods=["POST"])])
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    assert post_form(sender(app), signed.url, signed.headers)[0] == 200


def test_example_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    from examples.webhooks.fastapi_app import app

    send = sender(app)
    signed = sign_webhook(f"{BASE}/sms", TOKEN, FORM)
    status, text = post_form(send, signed.url, signed.headers)
    assert status == 200 and "<Message>You said: Hi &amp; bye</Message>" in text
    assert post_form(send, f"{BASE}/sms", {})[0] == 403

    call = {"CallSid": "CA" + "0" * 32}
    signed = sign_webhook(f"{BASE}/voice", TOKEN, call)
    status, text = post_form(send, signed.url, signed.headers, call)
    assert status == 200 and "<Dial><Number>+15005550006</Number></Dial>" in text

    body = '{"type": "test"}'
    signed = sign_webhook(f"{BASE}/events", TOKEN, body=body)
    assert send("POST", signed.url, signed.headers, body.encode(), "application/json")[0] == 204
    assert send("POST", signed.url, signed.headers, b'{"type": "tampered"}', "application/json")[0] == 403
