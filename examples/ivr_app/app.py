"""A small Flask IVR: a caller hears a menu, presses 1 to be put through to an agent or 2 to leave
a voicemail; the app's own test suite (``test_app.py`` beside it) drives it through the offline
Twilio of the ``twilio_mock`` fixture.

- ``POST /voice`` (the number's VoiceUrl, Twilio-signed): the menu, a ``<Gather>`` of one digit;
- ``POST /menu``: 1 → ``<Dial>`` the agent (``AGENT_NUMBER``), 2 → ``<Record>`` a voicemail,
  anything else → the menu again;
- ``POST /dialed``: the agent did not answer → voicemail; else goodbye;
- ``POST /voicemail`` (the ``<Record>`` action) and ``POST /recording`` (its status callback):
  the voicemails kept, listed at ``GET /voicemails``;
- ``POST /calls`` with ``phone``: click-to-call, the customer is called and hears the menu.

Run it against the offline Twilio: ``twilio-mock serve``, export the variables it prints, then
``PUBLIC_URL=http://127.0.0.1:5000 flask --app examples/ivr_app/app.py run``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify, request

from twilio_sdk.twiml import VoiceResponse
from twilio_sdk.webhooks.flask import validate_twilio_request

MENU = "Thanks for calling. Press 1 to speak to an agent, or 2 to leave a message."


def create_app(
    client_factory: Callable[[], Any] | None = None,
    agent: str | None = None,
    public_url: str | None = None,
) -> Flask:
    """The IVR; ``client_factory()`` makes the Twilio client (credentials from the environment),
    ``agent`` is the number calls are put through to, ``public_url`` where Twilio reaches the app."""
    if client_factory is None:
        from twilio_sdk import Client

        client_factory = Client
    app = Flask(__name__)
    agent = agent or os.environ.get("AGENT_NUMBER", "+15558675399")
    public_url = (public_url or os.environ.get("PUBLIC_URL") or "").rstrip("/")
    voicemails: dict[str, dict[str, str]] = {}
    app.config.update(VOICEMAILS=voicemails)

    def twiml(response: VoiceResponse) -> Response:
        return Response(str(response), mimetype="text/xml")

    def voicemail(response: VoiceResponse) -> VoiceResponse:
        response.say("Please leave a message after the beep. Press the pound key when done.")
        response.record(
            action="/voicemail", max_length=120, finish_on_key="#", recording_status_callback="/recording"
        )
        return response

    @app.post("/voice")
    @validate_twilio_request()
    def menu() -> Response:
        response = VoiceResponse()
        gather = response.gather(num_digits=1, action="/menu", timeout=5)
        gather.say(MENU)
        response.say("We did not get your choice.")
        response.redirect("/voice")
        return twiml(response)

    @app.post("/menu")
    @validate_twilio_request()
    def choice() -> Response:
        response = VoiceResponse()
        digits = request.form.get("Digits", "")
        if digits == "1":
            response.say("Connecting you to an agent.")
            dial = response.dial(action="/dialed", timeout=20)
            dial.number(agent)
        elif digits == "2":
            voicemail(response)
        else:
            response.say("Sorry, that is not an option.")
            response.redirect("/voice")
        return twiml(response)

    @app.post("/dialed")
    @validate_twilio_request()
    def dialed() -> Response:
        response = VoiceResponse()
        if request.form.get("DialCallStatus") != "completed":
            response.say("Our agent is not available.")
            return twiml(voicemail(response))
        response.say("Thanks for calling. Goodbye.")
        response.hangup()
        return twiml(response)

    @app.post("/voicemail")
    @validate_twilio_request()
    def recorded() -> Response:
        sid = request.form["RecordingSid"]
        voicemails.setdefault(sid, {}).update(
            call_sid=request.form["CallSid"],
            caller=request.form.get("From", ""),
            url=request.form["RecordingUrl"],
            duration=request.form["RecordingDuration"],
        )
        response = VoiceResponse()
        response.say("Thank you, we will call you back. Goodbye.")
        response.hangup()
        return twiml(response)

    @app.post("/recording")
    @validate_twilio_request()
    def recording_status() -> Any:
        voicemails.setdefault(request.form["RecordingSid"], {})["status"] = request.form["RecordingStatus"]
        return "", 204

    @app.get("/voicemails")
    def listed() -> Any:
        return jsonify(voicemails=[{"sid": sid, **seen} for sid, seen in voicemails.items()])

    @app.post("/calls")
    def click_to_call() -> Any:
        phone = request.form.get("phone", "")
        if not phone:
            return jsonify(error="phone is required"), 400
        call = client_factory().calls.create(
            to=phone,
            from_=os.environ.get("TWILIO_FROM", "+15017122661"),
            url=f"{public_url}/voice",
            status_callback=f"{public_url}/call-status",
        )
        return jsonify(sid=call.sid, status=call.status), 201

    @app.post("/call-status")
    @validate_twilio_request()
    def call_status() -> Any:
        app.config.setdefault("CALL_STATUSES", []).append(request.form["CallStatus"])
        return "", 204

    return app


app = create_app()
