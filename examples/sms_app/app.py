"""A small Flask app that sends SMS and answers inbound SMS with TwiML: the app whose test suite
(``test_app.py`` beside it) shows the ``twilio_mock`` fixture at work.

- ``POST /appointments`` with ``phone`` and ``time``: texts a reminder, answers the message SID;
- ``POST /sms`` (the number's inbound webhook, Twilio-signed): ``CONFIRM`` gets a thank-you,
  anything else the instructions.

Run it against the offline Twilio: ``twilio-mock serve``, export the three variables it prints,
then ``TWILIO_FROM=+15017122661 flask --app examples/sms_app/app.py run``. The Twilio client is
whatever ``client_factory`` makes: ``twilio_sdk.Client`` by default, the official
``twilio.rest.Client`` works the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from twilio_sdk.twiml import MessagingResponse
from twilio_sdk.webhooks.flask import validate_twilio_request


def create_app(client_factory: Callable[[], Any] | None = None, sender: str | None = None) -> Flask:
    """The app; ``client_factory()`` makes the Twilio client (credentials from the environment)."""
    if client_factory is None:
        from twilio_sdk import Client

        client_factory = Client
    app = Flask(__name__)
    sender = sender or os.environ.get("TWILIO_FROM", "+15017122661")

    @app.post("/appointments")
    def remind() -> Any:
        phone, when = request.form.get("phone", ""), request.form.get("time", "")
        if not phone or not when:
            return jsonify(error="phone and time are required"), 400
        body = f"Reminder: your appointment is at {when}. Reply CONFIRM to confirm."
        message = client_factory().messages.create(to=phone, from_=sender, body=body)
        return jsonify(sid=message.sid, status=message.status), 201

    @app.post("/sms")
    @validate_twilio_request()
    def inbound() -> Response:
        reply = MessagingResponse()
        if request.form.get("Body", "").strip().upper() == "CONFIRM":
            reply.message("Thanks, see you then!")
        else:
            reply.message("Reply CONFIRM to confirm your appointment.")
        return Response(str(reply), mimetype="text/xml")

    return app


app = create_app()
