"""twilio_sdk: a Twilio SDK in the official package's dialect.

Importing this package loads no API description and does not import ``requests``;
names are resolved on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Client",
    "RestException",
    "TransportError",
    "TwilioException",
    "TwilioRestException",
    "TwilioServiceException",
    "__version__",
]

if TYPE_CHECKING:
    from twilio_sdk._client import Client
    from twilio_sdk.exceptions import (
        RestException,
        TransportError,
        TwilioException,
        TwilioRestException,
        TwilioServiceException,
    )

_LAZY = {
    "Client": "twilio_sdk._client",
    "RestException": "twilio_sdk.exceptions",
    "TransportError": "twilio_sdk.exceptions",
    "TwilioException": "twilio_sdk.exceptions",
    "TwilioRestException": "twilio_sdk.exceptions",
    "TwilioServiceException": "twilio_sdk.exceptions",
}


if not TYPE_CHECKING:  # type checkers see the imports above: a misspelled name is an error

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'twilio_sdk' has no attribute {name!r}")
        import importlib

        return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
