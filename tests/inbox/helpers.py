"""A backend with traffic for the inbox tests, and an app that answers its webhooks."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from twilio_mock.backend import Backend
from twilio_mock.ways_in.transport import MockTransport
from twilio_sdk import Client

APP = "https://myapp.test"
CUSTOMER = "+15558675310"


def app(environ: dict[str, Any], start_response: Any) -> Any:
    """Answers texts with an echo, calls with a one-digit menu; ``/broken`` fails."""
    request = Request(environ)
    if request.path == "/sms":
        twiml = f"<Response><Message>You said {request.form.get('Body', '')}</Message></Response>"
    elif request.path == "/voice":
        twiml = '<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather></Response>'
    elif request.path == "/speech":
        twiml = (
            '<Response><Gather input="speech" action="/heard"><Say>Say something</Say></Gather></Response>'
        )
    elif request.path == "/heard":
        twiml = f"<Response><Say>You said {request.form.get('SpeechResult')}</Say></Response>"
    elif request.path == "/menu":
        digits = request.form.get("Digits")
        twiml = f"<Response><Say>You pressed {digits}</Say><Dial>+15558675399</Dial></Response>"
    elif request.path == "/broken":
        return Response("<script>boom()</script>", 500)(environ, start_response)
    else:
        twiml = "<Response/>"
    return Response(twiml, content_type="text/xml")(environ, start_response)


def client(backend: Backend) -> Client:
    return Client(backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={})


def wire(backend: Backend, sdk: Client | None = None) -> Client:
    """Route webhooks under :data:`APP` into :func:`app` and point the main number at it."""
    sdk = sdk or client(backend)
    backend.webhooks.route(APP, app)
    number = sdk.incoming_phone_numbers.list(phone_number=backend.phone_number)[0]
    number.update(sms_url=f"{APP}/sms", voice_url=f"{APP}/voice")
    return sdk
