"""A small Flask notifier that copes with Twilio misbehaving; its test suite (``test_app.py``
beside it) makes the offline Twilio of the ``twilio_mock`` fixture answer 429s, 503s, reset the
connection and time out.

``POST /notify`` with ``phone`` and ``text`` sends one SMS through the official ``twilio``
package and answers:

- 201 ``{"sid": ...}``: sent. A 429 (20429: not processed, safe to repeat) is retried up to
  ``attempts`` times, waiting ``Retry-After`` (capped) or a short backoff;
- 503 ``{"error": ...}``: Twilio failed (5xx) or kept answering 429: try again later;
- 202 ``{"status": "unknown"}``: the connection dropped or timed out after the request went out.
  The POST is not repeated (it may have been carried out: a repeat could send the SMS twice);
  the caller can look for the message later.

Run it against the offline Twilio: ``twilio-mock serve``, export the variables it prints, then
``flask --app examples/outage_app/app.py run``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import requests
from flask import Flask, jsonify, request
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

MAX_WAIT = 2.0  # seconds: the longest Retry-After the app honours


def create_app(
    client_factory: Callable[[], Any] | None = None,
    sleep: Callable[[float], None] | None = None,
    attempts: int = 3,
    sender: str | None = None,
) -> Flask:
    """The notifier; ``client_factory()`` makes the Twilio client (credentials from the
    environment), ``sleep`` waits between retries, ``sender`` is the From number."""
    import time

    make_client = client_factory or (lambda: Client(http_client=HeadersKept(timeout=10)))
    wait = sleep or time.sleep
    app = Flask(__name__)

    @app.post("/notify")
    def notify() -> Any:
        client = make_client()
        from_ = sender or os.environ.get("TWILIO_PHONE_NUMBER", "+15017122661")
        for attempt in range(1, attempts + 1):
            try:
                sent = client.messages.create(
                    to=request.form["phone"], from_=from_, body=request.form["text"]
                )
            except TwilioRestException as exc:
                if exc.status == 429 and attempt < attempts:
                    wait(_delay(client, attempt))
                    continue
                return jsonify(error=f"Twilio answered {exc.status} ({exc.code})"), 503
            except (requests.ConnectionError, requests.Timeout):
                return jsonify(status="unknown"), 202
            return jsonify(sid=sent.sid), 201
        raise AssertionError("unreachable")  # pragma: no cover

    return app


class HeadersKept(TwilioHttpClient):
    """The official transport, keeping the last answer's headers (its exceptions carry none)."""

    last_headers: dict[str, str] = {}

    def request(self, *args: Any, **kwargs: Any) -> Any:
        response = super().request(*args, **kwargs)
        self.last_headers = dict(response.headers or {})
        return response


def _delay(client: Any, attempt: int) -> float:
    """``Retry-After`` of the last answer, capped; else 0.1, 0.2, 0.4 ... seconds."""
    header = getattr(client.http_client, "last_headers", {}).get("Retry-After")
    try:
        return min(float(header), MAX_WAIT) if header is not None else 0.1 * 2 ** (attempt - 1)
    except ValueError:
        return 0.1 * 2 ** (attempt - 1)
