"""Helpers for the server tests (their fixtures, ``app``, ``http`` and ``live``, are in conftest.py)."""

from __future__ import annotations

import base64
import socket
from typing import Any

from werkzeug.test import Client as WsgiClient

from twilio_mock.backend import Backend
from twilio_mock.ways_in.serving import ServerThread


def auth(backend: Backend) -> dict[str, str]:
    raw = f"{backend.account_sid}:{backend.auth_token}".encode()
    return {"Authorization": "Basic " + base64.b64encode(raw).decode()}


def messages_path(backend: Backend) -> str:
    return f"/api/2010-04-01/Accounts/{backend.account_sid}/Messages.json"


def send(http: WsgiClient, backend: Backend, body: str = "hi") -> Any:
    data = {"To": "+15558675310", "From": "+15017122661", "Body": body}
    return http.post(messages_path(backend), data=data, headers=auth(backend))


def raw(live: ServerThread, payload: bytes) -> bytes:
    """Send raw bytes, half-close, and read everything the server answers."""
    with socket.create_connection((live.host, live.port), timeout=5) as sock:
        sock.sendall(payload)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)
