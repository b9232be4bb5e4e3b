"""An inbound-webhook Flask app: Twilio-signed requests only, answered with TwiML.

Run: ``TWILIO_AUTH_TOKEN=... flask --app examples/webhooks/flask_app.py run`` and point a number's
SMS and Voice webhooks at ``https://<public host>/sms`` and ``/voice``. Behind one proxy or tunnel
(ngrok, a load balancer) set ``TRUST_PROXY=1`` so the public URL is rebuilt from
``X-Forwarded-*``.
"""

from __future__ import annotations

import os

from flask import Flask, Response, request

from twilio_sdk.twiml import MessagingResponse, VoiceResponse
from twilio_sdk.webhooks.flask import validate_twilio_request

app = Flask(__name__)
TRUST_PROXY = int(os.environ.get("TRUST_PROXY", "0"))


def twiml(document: object) -> Response:
    return Response(str(document), mimetype="text/xml")


@app.post("/sms")
@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def sms() -> Response:
    reply = MessagingResponse()
    reply.message(f"You said: {request.form.get('Body', '')}")
    return twiml(reply)


@app.post("/voice")
@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def voice() -> Response:
    response = VoiceResponse()
    with response.gather(num_digits=1, action="/voice/menu") as gather:
        gather.say("Press 1 for sales, 2 for support.", voice="alice")
    response.redirect("/voice")
    return twiml(response)


@app.post("/voice/menu")
@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def menu() -> Response:
    response = VoiceResponse()
    if request.form.get("Digits") == "1":
        response.dial("+15005550006")
    else:
        response.say("Goodbye.")
        response.hangup()
    return twiml(response)


@app.post("/events")
@validate_twilio_request(trust_forwarded=TRUST_PROXY)
def events() -> tuple[str, int]:
    """A JSON webhook (``bodySHA256`` in the URL): the raw body is checked against its hash."""
    payload = request.get_json(force=True)
    app.logger.info("event %s", payload.get("type"))
    return "", 204
