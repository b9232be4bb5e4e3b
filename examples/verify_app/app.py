"""A small Flask app with phone sign-up and two-factor login on Twilio Verify: the app whose test
suite (``test_app.py`` beside it) shows Verify on the ``twilio_mock`` fixture.

- ``POST /signup`` with ``phone``: a new account, unconfirmed; texts a code (201);
- ``POST /login`` with ``phone``: a confirmed account; texts a code (202; 404 for a stranger);
- ``POST /verify`` with ``phone`` and ``code``: checks the code. Right: the sign-up is confirmed
  (``signed_up``) or the login completes (``logged_in`` and a session token). Wrong: 401 with
  the checks left. Too many wrong codes (Twilio's 60202): 429; expired or never sent (404 from
  Twilio): 410; a phone number Twilio refuses (60200): 400; too many codes sent (60203): 429.

Run it against the offline Twilio: ``twilio-mock serve``, export the variables it prints, then
``flask --app examples/verify_app/app.py run``; read the codes at
``/__mock__/verify/codes?to=...``. The Twilio client is whatever ``client_factory`` makes:
``twilio_sdk.Client`` by default, the official ``twilio.rest.Client`` works the same way.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, jsonify, request

INVALID_PARAMETER = 60200  # Twilio Verify's codes (reference/twilio-facts.md §1.4, §12)
MAX_CHECKS = 60202
MAX_SENDS = 60203
NOT_FOUND = 20404
CHECKS_ALLOWED = 5


def create_app(client_factory: Callable[[], Any] | None = None, service_sid: str | None = None) -> Flask:
    """The app; ``client_factory()`` makes the Twilio client (credentials from the environment).
    ``service_sid`` (``VERIFY_SERVICE_SID``) is the Verify service; without one the app makes its
    own on first use."""
    if client_factory is None:
        from twilio_sdk import Client

        client_factory = Client
    app = Flask(__name__)
    users: dict[str, dict[str, Any]] = {}  # phone -> {"confirmed": bool, "wrong": int}
    sessions: dict[str, str] = {}  # token -> phone
    state = {"service": service_sid or os.environ.get("VERIFY_SERVICE_SID")}
    app.config.update(USERS=users, SESSIONS=sessions)

    def verify() -> Any:
        client = client_factory()
        service = state["service"]
        if not service:
            service = state["service"] = client.verify.v2.services.create(friendly_name="Acme").sid
        return client.verify.v2.services(service)

    def send_code(phone: str) -> tuple[Any, int] | None:
        """Text a code; an error answer for the user, or ``None`` when it went out."""
        try:
            verify().verifications.create(to=phone, channel="sms")
        except Exception as exc:  # the official TwilioRestException or twilio_sdk's RestException
            code = getattr(exc, "code", None)
            if code == INVALID_PARAMETER:
                return jsonify(error=f"{phone} is not a phone number we can text"), 400
            if code == MAX_SENDS:
                return jsonify(error="Too many codes sent. Wait 10 minutes and try again."), 429
            raise
        users[phone]["wrong"] = 0
        return None

    @app.post("/signup")
    def signup() -> Any:
        phone = request.form.get("phone", "").strip()
        if not phone:
            return jsonify(error="phone is required"), 400
        if users.get(phone, {}).get("confirmed"):
            return jsonify(error="already signed up; log in instead"), 409
        users.setdefault(phone, {"confirmed": False, "wrong": 0})
        failed = send_code(phone)
        if failed is not None:
            if not users[phone]["confirmed"] and failed[1] == 400:
                users.pop(phone)
            return failed
        return jsonify(status="code_sent"), 201

    @app.post("/login")
    def login() -> Any:
        phone = request.form.get("phone", "").strip()
        if not users.get(phone, {}).get("confirmed"):
            return jsonify(error="no account for that phone number"), 404
        return send_code(phone) or (jsonify(status="code_sent"), 202)

    @app.post("/verify")
    def check() -> Any:
        phone, code = request.form.get("phone", "").strip(), request.form.get("code", "").strip()
        user = users.get(phone)
        if user is None or not code:
            return jsonify(error="phone and code are required"), 400
        try:
            result = verify().verification_checks.create(to=phone, code=code)
        except Exception as exc:
            err = getattr(exc, "code", None)
            if err == MAX_CHECKS:
                return jsonify(error="Too many wrong codes. Ask for a new code."), 429
            if err == NOT_FOUND:
                return jsonify(error="That code has expired. Ask for a new one."), 410
            if err == INVALID_PARAMETER:
                return jsonify(error="A code is 4 to 10 digits."), 400
            raise
        if result.status != "approved":
            user["wrong"] += 1
            left = max(CHECKS_ALLOWED - user["wrong"], 0)
            return jsonify(error="Wrong code, try again.", attempts_left=left), 401
        if not user["confirmed"]:
            user["confirmed"] = True
            return jsonify(status="signed_up"), 200
        token = secrets.token_urlsafe(16)
        sessions[token] = phone
        return jsonify(status="logged_in", token=token), 200

    return app


app = create_app()
