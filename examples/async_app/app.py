"""An async FastAPI app that texts reminders and reports on them, using the ``*_async`` API: the
app whose test suite (``test_app.py`` beside it) runs offline against the ``twilio_mock`` fixture,
through the official ``twilio`` package's ``AsyncTwilioHttpClient`` and through ``twilio_sdk``'s.

- ``POST /reminders`` (JSON ``phone``, ``time``): texts a reminder (with a status callback when
  the app knows its public URL); 201 with the SID, 409 when the customer has opted out (21610);
- ``POST /broadcast`` (JSON ``phones``, ``body``): one text each, sent concurrently;
- ``GET /messages?to=&limit=``: the newest messages, streamed page by page (``stream_async``);
- ``GET /messages/{sid}``: one message (``fetch_async``), 404 for an unknown SID, and the
  statuses its callbacks reported;
- ``POST /status`` and ``POST /sms`` (Twilio-signed): status callbacks, and inbound texts answered
  with TwiML.

One Twilio client serves the whole app: made when the app starts (its lifespan) and closed when
it stops, so no aiohttp session is left open. Switching SDKs is the ``client_factory``:
``twilio_sdk.Client(http_client=twilio_sdk.http.async_http_client.AsyncTwilioHttpClient())`` by
default, ``twilio.rest.Client(http_client=twilio.http.async_http_client.AsyncTwilioHttpClient())``
works the same way. Run it against the offline Twilio: ``twilio-mock serve``, export the three
variables it prints, then ``PUBLIC_URL=http://127.0.0.1:8000 uvicorn examples.async_app.app:app``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from twilio_sdk.twiml import MessagingResponse
from twilio_sdk.webhooks.starlette import TwilioSignature

OPTED_OUT = 21610  # Twilio's code for a send to a recipient who replied STOP
NOT_FOUND = 20404


def default_client() -> Any:
    from twilio_sdk import Client
    from twilio_sdk.http.async_http_client import AsyncTwilioHttpClient

    return Client(http_client=AsyncTwilioHttpClient())  # credentials from the environment


def create_app(
    client_factory: Callable[[], Any] = default_client,
    sender: str | None = None,
    public_url: str | None = None,
) -> FastAPI:
    """The app; ``client_factory()`` makes its one async Twilio client when the app starts."""
    sender = sender or os.environ.get("TWILIO_FROM", "+15017122661")
    public_url = (public_url or os.environ.get("PUBLIC_URL") or "").rstrip("/")
    statuses: dict[str, list[str]] = {}
    opted_out: set[str] = set()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.twilio = client_factory()
        try:
            yield
        finally:
            await app.state.twilio.http_client.close()  # both SDKs' async clients have close()

    app = FastAPI(lifespan=lifespan)
    app.state.statuses = statuses
    app.state.opted_out = opted_out
    signed = [Depends(TwilioSignature())]

    async def send(request: Request, to: str, body: str) -> Any:
        callback = {"status_callback": f"{public_url}/status"} if public_url else {}
        message = await request.app.state.twilio.messages.create_async(
            to=to, from_=sender, body=body, **callback
        )
        statuses[message.sid] = [message.status]
        return message

    @app.post("/reminders", status_code=201)
    async def remind(request: Request) -> Any:
        data = await request.json()
        phone, when = data.get("phone"), data.get("time")
        if not phone or not when:
            return JSONResponse({"error": "phone and time are required"}, status_code=400)
        try:
            message = await send(request, phone, f"Reminder: your appointment is at {when}. Reply CONFIRM.")
        except Exception as exc:  # the official TwilioRestException or twilio_sdk's RestException
            if getattr(exc, "code", None) == OPTED_OUT:
                return JSONResponse({"error": f"{phone} has opted out of texts"}, status_code=409)
            raise
        return {"sid": message.sid, "status": message.status}

    @app.post("/broadcast", status_code=201)
    async def broadcast(request: Request) -> Any:
        data = await request.json()
        sent = await asyncio.gather(*(send(request, phone, data["body"]) for phone in data["phones"]))
        return {"sids": [m.sid for m in sent]}

    @app.get("/messages")
    async def recent(request: Request, to: str | None = None, limit: int = 20) -> Any:
        twilio = request.app.state.twilio
        filters = {"to": to} if to else {}
        stream = await twilio.messages.stream_async(limit=limit, page_size=min(limit, 50), **filters)
        return [{"sid": m.sid, "to": m.to, "body": m.body, "status": m.status} async for m in stream]

    @app.get("/messages/{sid}")
    async def one(request: Request, sid: str) -> Any:
        try:
            message = await request.app.state.twilio.messages(sid).fetch_async()
        except Exception as exc:
            if getattr(exc, "code", None) == NOT_FOUND:
                return JSONResponse({"error": "unknown message"}, status_code=404)
            raise
        return {"sid": message.sid, "status": message.status, "callbacks": statuses.get(sid, [])}

    @app.post("/status", status_code=204, dependencies=signed)
    async def status(request: Request) -> None:
        form = await request.form()
        statuses.setdefault(str(form["MessageSid"]), []).append(str(form["MessageStatus"]))

    @app.post("/sms", dependencies=signed)
    async def inbound(request: Request) -> Response:
        form = await request.form()
        customer, opt_out = str(form.get("From", "")), str(form.get("OptOutType", ""))
        reply = MessagingResponse()
        if opt_out == "STOP":
            opted_out.add(customer)  # Twilio has answered and blocks later texts: say nothing
        elif opt_out == "START":
            opted_out.discard(customer)
        elif str(form.get("Body", "")).strip().upper() == "CONFIRM":
            reply.message("Thanks, see you then!")
        elif not opt_out:
            reply.message("Reply CONFIRM to confirm your appointment.")
        return Response(str(reply), media_type="text/xml")

    return app


app = create_app()
