"""An inbound-webhook FastAPI app: a dependency rejects requests without Twilio's signature.

Run: ``TWILIO_AUTH_TOKEN=... uvicorn examples.webhooks.fastapi_app:app``. Behind one proxy or
tunnel set ``TRUST_PROXY=1`` so the public URL is rebuilt from ``X-Forwarded-*``.
"""

from __future__ import annotations

import os

from fastapi import Depends, FastAPI, Request, Response

from twilio_sdk.twiml import MessagingResponse, VoiceResponse
from twilio_sdk.webhooks.starlette import TwilioSignature

twilio_only = Depends(TwilioSignature(trust_forwarded=int(os.environ.get("TRUST_PROXY", "0"))))
app = FastAPI(dependencies=[twilio_only])


def twiml(document: object) -> Response:
    return Response(str(document), media_type="text/xml")


@app.post("/sms")
async def sms(request: Request) -> Response:
    form = await request.form()
    reply = MessagingResponse()
    reply.message(f"You said: {form.get('Body', '')}")
    return twiml(reply)


@app.post("/voice")
async def voice() -> Response:
    response = VoiceResponse()
    response.say("Thanks for calling.", voice="alice")
    response.dial().number("+15005550006")
    return twiml(response)


@app.post("/events", status_code=204)
async def events(request: Request) -> None:
    """A JSON webhook (``bodySHA256`` in the URL): the raw body is checked against its hash."""
    await request.json()
