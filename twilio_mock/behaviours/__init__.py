"""Behaviours: what Twilio does beyond storing records, one module per product resource, each
registering hooks, providers and scheduled events on the core (:mod:`twilio_mock.core.contract`)
through its ``install(backend)``. ``REGISTRY`` is the one list of them, in installation order.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

REGISTRY = (
    "twilio_mock.behaviours.fields",
    "twilio_mock.behaviours.numbers",
    "twilio_mock.behaviours.available",
    "twilio_mock.behaviours.lookups",
    "twilio_mock.behaviours.messages",
    "twilio_mock.behaviours.message_lifecycle",
    "twilio_mock.behaviours.messaging_services",
    "twilio_mock.behaviours.calls",
    "twilio_mock.behaviours.call_engine",
    "twilio_mock.behaviours.call_rooms",
    "twilio_mock.behaviours.verifications",
    "twilio_mock.behaviours.conversations",
    "twilio_mock.behaviours.taskrouter",
)


def install(core: Core) -> None:
    """Install every behaviour of :data:`REGISTRY` on ``core``."""
    for name in REGISTRY:
        import_module(name).install(core)
