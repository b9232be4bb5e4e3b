"""Fixtures for the cassette tests: a real mock server to record against (the "real Twilio" of
these tests), a network that refuses every connection for replays, and no ``TWILIO_*``
variables leaking in from the environment (the scrubber reads them)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread
from twilio_sdk import Client

SEED = 11
TO, FROM = "+15558675310", "+15017122661"


@dataclass
class Server:
    """A ``twilio-mock serve`` in a thread: its base URL and the backend behind it."""

    url: str
    backend: Backend
    thread: ServerThread

    @property
    def account_sid(self) -> str:
        return self.backend.account_sid

    @property
    def auth_token(self) -> str:
        return self.backend.auth_token

    def client(self, **options: Any) -> Client:
        """An SDK client with this server's credentials, addressing Twilio's own hosts."""
        return Client(self.account_sid, self.auth_token, environment={}, **options)

    def hits(self) -> int:
        """Requests the server answered (control plane aside)."""
        return len(self.backend.journal)


def start_server(seed: int = SEED) -> Server:
    backend = Backend(seed=seed)
    thread = ServerThread(MockServerApp(backend))
    return Server(thread.url, backend, thread)


@pytest.fixture(autouse=True)
def _no_twilio_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("TWILIO_"):
            monkeypatch.delenv(key)


@pytest.fixture
def server() -> Iterator[Server]:
    running = start_server()
    try:
        yield running
    finally:
        running.thread.stop()


def network_off(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """From now on every socket connection fails (and is listed): a replay must not need one."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise ConnectionRefusedError(f"the network is off in this test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    return network_off(monkeypatch)


def other_client(**options: Any) -> Client:
    """Credentials no server knows: replays must not care."""
    return Client("AC" + "f" * 32, "another-token-0000000000000000", environment={}, **options)
