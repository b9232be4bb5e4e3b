"""A small Flask support desk on Twilio Conversations: the app whose test suite
(``test_desk.py`` beside it) shows a Conversations SMS thread tested offline.

- ``POST /tickets`` with ``phone``: opens a conversation with the customer bound to SMS through
  the desk's number, adds the agent ``desk``, greets the customer (an SMS goes out); answers the
  conversation SID;
- ``POST /events`` (Twilio-signed): Conversations post-event webhooks; a customer's message
  that asks for ``hours`` gets an automatic answer in the conversation;
- ``GET /tickets/<sid>``: the thread as (index, author, body) and whether the greeting was
  delivered.

Run it against the offline Twilio: ``twilio-mock serve``, export the variables it prints, then
``PUBLIC_URL=http://127.0.0.1:5000 flask --app examples/support_desk/desk.py run``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, jsonify, request

from twilio_sdk.webhooks.flask import validate_twilio_request

AGENT = "desk"
GREETING = "Hi! This is the support desk. How can we help?"
HOURS = "We're open 9am to 5pm, Monday to Friday."


def create_app(
    client_factory: Callable[[], Any] | None = None,
    number: str | None = None,
    public_url: str | None = None,
) -> Flask:
    """The app; ``client_factory()`` makes the Twilio client (credentials from the environment);
    ``public_url`` is where Twilio reaches ``/events``."""
    if client_factory is None:
        from twilio_sdk import Client

        client_factory = Client
    app = Flask(__name__)
    number = number or os.environ.get("TWILIO_FROM", "+15017122661")
    public_url = (public_url or os.environ.get("PUBLIC_URL") or "").rstrip("/")
    app.config["EVENTS"] = events = []

    def conversations() -> Any:
        return client_factory().conversations.v1

    @app.post("/tickets")
    def open_ticket() -> Any:
        phone = request.form.get("phone", "")
        if not phone:
            return jsonify(error="phone is required"), 400
        api = conversations()
        if public_url:
            api.configuration.webhooks().update(
                post_webhook_url=f"{public_url}/events", filters=["onMessageAdded"]
            )
        conv = api.conversations.create(friendly_name=f"Ticket for {phone}")
        thread = api.conversations(conv.sid)
        try:
            thread.participants.create(
                messaging_binding_address=phone, messaging_binding_proxy_address=number
            )
        except Exception as exc:  # 50416: the customer already has an open ticket on this number
            thread.delete()
            return jsonify(error=str(getattr(exc, "msg", exc)), code=getattr(exc, "code", None)), 409
        thread.participants.create(identity=AGENT)
        thread.messages.create(author=AGENT, body=GREETING)
        return jsonify(sid=conv.sid), 201

    @app.post("/events")
    @validate_twilio_request()
    def event() -> Any:
        form = request.form
        events.append(form.to_dict())
        asks = "hours" in form.get("Body", "").lower()
        if form.get("EventType") == "onMessageAdded" and form.get("Source") == "SMS" and asks:
            conversations().conversations(form["ConversationSid"]).messages.create(author=AGENT, body=HOURS)
        return "", 200

    @app.get("/tickets/<sid>")
    def ticket(sid: str) -> Any:
        thread = conversations().conversations(sid)
        messages = thread.messages.list()
        greeting = (messages[0].delivery if messages else None) or {}
        return jsonify(
            thread=[[m.index, m.author, m.body] for m in messages],
            greeting_delivered=greeting.get("delivered") == "all",
        )

    return app


app = create_app()
