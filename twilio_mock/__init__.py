"""An in-memory fake Twilio: one core (:class:`Backend`), reached several ways.

Names are imported on first use, so ``import twilio_mock`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from twilio_mock.backend import Backend
    from twilio_mock.core.journal import Entry, Journal
    from twilio_mock.core.wire import MockRequest, MockResponse
    from twilio_mock.state_machine import TwilioStateMachine
    from twilio_mock.ways_in.interceptor import TwilioMock, mock
    from twilio_mock.ways_in.transport import AsyncMockTransport, MockTransport

_EXPORTS = {
    "Backend": "twilio_mock.backend",
    "MockRequest": "twilio_mock.core.wire",
    "MockResponse": "twilio_mock.core.wire",
    "MockTransport": "twilio_mock.ways_in.transport",
    "AsyncMockTransport": "twilio_mock.ways_in.transport",
    "Journal": "twilio_mock.core.journal",
    "Entry": "twilio_mock.core.journal",
    "mock": "twilio_mock.ways_in.interceptor",
    "TwilioMock": "twilio_mock.ways_in.interceptor",
    "TwilioStateMachine": "twilio_mock.state_machine",  # needs hypothesis
}

__all__ = [
    "AsyncMockTransport",
    "Backend",
    "Entry",
    "Journal",
    "MockRequest",
    "MockResponse",
    "MockTransport",
    "TwilioMock",
    "TwilioStateMachine",
    "mock",
]


if not TYPE_CHECKING:  # type checkers see the imports above: a misspelled name is an error

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'twilio_mock' has no attribute {name!r}")
        value = getattr(import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
