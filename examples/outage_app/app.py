"""A small Flask app that texts notifications and keeps working when Twilio misbehaves: the app
whose test suite (``test_app.py`` beside it) shows the mock's scripted faults and 429s.

- ``POST /notify`` with ``phone``, ``text`` and ``ref`` (the caller's id for this notification)
  texts it exactly once, whatever Twilio does:
  - 429 / 20429 (too many concurrent requests; never carried out): sent again after a backoff;
  - the connection drops or times out during the send: Twilio may have sent it or not, so the
    app looks for it among the recent messages to that phone (by its ``ref``) before sending
    again — never twice;
  - any other error: answered 502 with Twilio's status and code.
- ``POST /status``: Twilio's status callbacks; ``GET /notifications/<ref>`` shows what
  the app knows (the message SID, how it got there, the statuses reported).

Run it against the offline Twilio: ``twilio-mock serve``, export the variables it prints, then
``flask --app examples/outage_app/app.py run``; script faults with
``curl -X POST http://127.0.0.1:4010/__mock__/faults -d '{"method": "POST", "status": 429}'``.
The Twilio client is whatever ``client_factory`` makes (credentials from the environment):
``twilio_sdk.Client`` by default, the official ``twilio.rest.Client`` works the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, jsonify, request

TOO_MANY_REQUESTS = 20429
ATTEMPTS = 5


def lost_answer(exc: Exception) -> bool:
    """The request went out and no answer came back: a dropped connection or a timeout
    (``twilio_sdk.TransportError``; ``requests``' errors under the official package)."""
    from requests.exceptions import ConnectionError, Timeout

    from twilio_sdk import TransportError

    return isinstance(exc, (TransportError, ConnectionError, Timeout))


def create_app(
    client_factory: Callable[[], Any] | None = None,
    from_: str = "+15017122661",
    public_url: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Flask:
    """The app; ``from_`` is the number it texts from, ``public_url`` where Twilio reaches it
    (status callbacks go to ``<public_url>/status``), ``sleep`` how it waits between tries."""
    if client_factory is None:
        from twilio_sdk import Client

        def client_factory() -> Any:
            return Client(auto_retry=True)  # twilio_sdk retries 20429s itself

    app = Flask(__name__)
    notes: dict[str, dict[str, Any]] = {}  # ref -> {"sid", "how", "statuses"}
    by_sid: dict[str, str] = {}
    app.config.update(NOTES=notes)

    def sent_already(client: Any, phone: str, ref: str) -> Any:
        for message in client.messages.list(to=phone, limit=50):
            if message.body.endswith(f"[{ref}]"):
                return message
        return None

    def send(phone: str, text: str, ref: str) -> tuple[Any, str]:
        client = client_factory()
        options: dict[str, Any] = {"to": phone, "from_": from_, "body": f"{text} [{ref}]"}
        if public_url:
            options["status_callback"] = f"{public_url}/status"
        how = "sent"
        for attempt in range(ATTEMPTS):
            try:
                return client.messages.create(**options), how
            except Exception as exc:
                if lost_answer(exc):  # did it go out? look before sending again
                    found = sent_already(client, phone, ref)
                    if found is not None:
                        return found, "found after a lost answer"
                    how = "sent again after a lost answer"
                elif getattr(exc, "code", None) == TOO_MANY_REQUESTS:
                    how = "sent after 20429"
                else:
                    raise
                sleep(min(2.0, 0.1 * 2**attempt))
        raise RuntimeError(f"Twilio did not take notification {ref} in {ATTEMPTS} tries")

    @app.post("/notify")
    def notify() -> Any:
        phone, text, ref = (request.form.get(k, "") for k in ("phone", "text", "ref"))
        if not (phone and text and ref):
            return jsonify(error="phone, text and ref are required"), 400
        if ref in notes:  # the caller retried: the notification exists already
            return jsonify(ref=ref, **notes[ref])
        try:
            message, how = send(phone, text, ref)
        except Exception as exc:
            status, code = getattr(exc, "status", None), getattr(exc, "code", None)
            return jsonify(error=str(exc), twilio_status=status, twilio_code=code), 502
        notes[ref] = {"sid": message.sid, "how": how, "statuses": [message.status]}
        by_sid[message.sid] = ref
        return jsonify(ref=ref, **notes[ref]), 201

    @app.post("/status")
    def status() -> Any:
        ref = by_sid.get(request.form.get("MessageSid", ""))
        if ref is not None:
            notes[ref]["statuses"].append(request.form.get("MessageStatus"))
        return "", 204

    @app.get("/notifications/<ref>")
    def show(ref: str) -> Any:
        if ref not in notes:
            abort(404)
        return jsonify(ref=ref, **notes[ref])

    return app
