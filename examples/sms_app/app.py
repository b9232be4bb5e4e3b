"""A small Flask app that texts appointment reminders and talks with the customer by SMS: the app
whose test suite (``test_app.py`` beside it) shows the ``twilio_mock`` fixture at work.

- ``POST /appointments`` with ``phone`` and ``time``: texts a reminder (with a status callback
  when the app knows its public URL), answers the message SID; 409 when the customer has opted
  out (Twilio's 21610);
- ``POST /status`` (Twilio-signed): the reminder's status callbacks, kept per message;
- ``GET /messages/<sid>``: the statuses seen for a reminder, and its error code if it failed;
- ``POST /sms`` (the number's inbound webhook, Twilio-signed): ``CONFIRM`` gets a thank-you,
  ``STOP``/``START`` are noted (Twilio itself answers them), anything else gets the instructions.

Run it against the offline Twilio: ``twilio-mock serve``, export the three variables it prints,
then ``PUBLIC_URL=http://127.0.0.1:5000 flask --app examples/sms_app/app.py run``; the mock posts
the callbacks to it over HTTP. The Twilio client is whatever ``client_factory`` makes:
``twilio_sdk.Client`` by default, the official ``twilio.rest.Client`` works the same way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from twilio_sdk.twiml import MessagingResponse
from twilio_sdk.webhooks.flask import validate_twilio_request

OPTED_OUT = 21610  # Twilio's code for a send to a recipient who replied STOP


def create_app(
    client_factory: Callable[[], Any] | None = None,
    sender: str | None = None,
    public_url: str | None = None,
) -> Flask:
    """The app; ``client_factory()`` makes the Twilio client (credentials from the environment),
    ``public_url`` is where Twilio reaches the app (``PUBLIC_URL``; no status callbacks without)."""
    if client_factory is None:
        from twilio_sdk import Client

        client_factory = Client
    app = Flask(__name__)
    sender = sender or os.environ.get("TWILIO_FROM", "+15017122661")
    public_url = (public_url or os.environ.get("PUBLIC_URL") or "").rstrip("/")
    statuses: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    opted_out: set[str] = set()
    app.config.update(STATUSES=statuses, OPTED_OUT=opted_out)

    @app.post("/appointments")
    def remind() -> Any:
        phone, when = request.form.get("phone", ""), request.form.get("time", "")
        if not phone or not when:
            return jsonify(error="phone and time are required"), 400
        body = f"Reminder: your appointment is at {when}. Reply CONFIRM to confirm."
        callback = f"{public_url}/status" if public_url else None  # None: not sent
        try:
            message = client_factory().messages.create(
                to=phone, from_=sender, body=body, status_callback=callback
            )
        except Exception as exc:  # the official TwilioRestException or twilio_sdk's RestException
            if getattr(exc, "code", None) == OPTED_OUT:
                return jsonify(error=f"{phone} has opted out of texts"), 409
            raise
        statuses[message.sid] = [str(message.status)]
        return jsonify(sid=message.sid, status=message.status), 201

    @app.post("/status")
    @validate_twilio_request()
    def status() -> Any:
        sid = request.form["MessageSid"]
        statuses.setdefault(sid, []).append(request.form["MessageStatus"])
        if request.form.get("ErrorCode"):
            errors[sid] = request.form["ErrorCode"]
        return "", 204

    @app.get("/messages/<sid>")
    def seen(sid: str) -> Any:
        if sid not in statuses:
            return jsonify(error="unknown message"), 404
        return jsonify(sid=sid, statuses=statuses[sid], error_code=errors.get(sid))

    @app.post("/sms")
    @validate_twilio_request()
    def inbound() -> Response:
        reply = MessagingResponse()
        customer = request.form.get("From", "")
        opt_out = request.form.get("OptOutType", "")
        if opt_out == "STOP":
            opted_out.add(customer)  # Twilio has answered and blocks later texts: say nothing
        elif opt_out == "START":
            opted_out.discard(customer)
        elif request.form.get("Body", "").strip().upper() == "CONFIRM":
            reply.message("Thanks, see you then!")
        elif not opt_out:
            reply.message("Reply CONFIRM to confirm your appointment.")
        return Response(str(reply), mimetype="text/xml")

    return app


app = create_app()
