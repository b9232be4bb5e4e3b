"""Fixtures for the voice tests: the messaging tests' backend, clients of both SDKs and the
app that checks every webhook's signature with the official ``RequestValidator``."""

from __future__ import annotations

from tests.behaviours.messaging.conftest import app, backend, test_client

__all__ = ["app", "backend", "test_client"]
