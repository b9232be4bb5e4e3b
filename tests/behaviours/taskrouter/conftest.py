"""The messaging behaviour tests' fixtures (a backend whose webhooks all go to the routed app,
both SDKs, the app that checks every signature with the official validator), reused."""

from __future__ import annotations

from tests.behaviours.messaging.conftest import app, backend, number

__all__ = ["app", "backend", "number"]
