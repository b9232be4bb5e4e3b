"""Hypothesis strategies and a faker provider for testing Twilio code (issue 12).

``sids``, ``phone_numbers``, ``message_bodies``, ``operations``/``params``/``invalid_params``,
``api_requests`` (whole requests with the path ids of stored records),
``status_callbacks``/``inbound_messages``/``inbound_calls`` and ``TwilioProvider``, all read from
the project's API description. Names load lazily; hypothesis (and faker, for the provider)
come with the ``mock`` extra.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - the dev and mock installs have it
    raise ImportError(
        "twilio_mock.strategies needs hypothesis: pip install 'twilio-toolkit[mock]' (or pip install hypothesis)"
    ) from exc

if TYPE_CHECKING:
    from twilio_mock.core.provider import TwilioProvider
    from twilio_mock.strategies.bodies import message_bodies
    from twilio_mock.strategies.identifiers import known_prefixes, sids
    from twilio_mock.strategies.parameters import (
        Invalid,
        OperationRef,
        arguments,
        invalid_params,
        operation,
        operations,
        params,
        rules,
    )
    from twilio_mock.strategies.phones import NUMBER_TYPES, phone_numbers
    from twilio_mock.strategies.traffic import ApiRequest, api_requests
    from twilio_mock.strategies.webhooks import Webhook, inbound_calls, inbound_messages, status_callbacks

_WHERE = {
    "sids": "identifiers",
    "known_prefixes": "identifiers",
    "phone_numbers": "phones",
    "NUMBER_TYPES": "phones",
    "message_bodies": "bodies",
    "OperationRef": "parameters",
    "Invalid": "parameters",
    "operations": "parameters",
    "operation": "parameters",
    "params": "parameters",
    "invalid_params": "parameters",
    "arguments": "parameters",
    "rules": "parameters",
    "ApiRequest": "traffic",
    "api_requests": "traffic",
    "Webhook": "webhooks",
    "status_callbacks": "webhooks",
    "inbound_messages": "webhooks",
    "inbound_calls": "webhooks",
    "TwilioProvider": "twilio_mock.core.provider",
}
__all__ = [
    "ApiRequest",
    "Invalid",
    "NUMBER_TYPES",
    "OperationRef",
    "TwilioProvider",
    "Webhook",
    "api_requests",
    "arguments",
    "inbound_calls",
    "inbound_messages",
    "invalid_params",
    "known_prefixes",
    "message_bodies",
    "operation",
    "operations",
    "params",
    "phone_numbers",
    "rules",
    "sids",
    "status_callbacks",
]


if not TYPE_CHECKING:  # type checkers see the imports above: a misspelled name is an error

    def __getattr__(name: str) -> Any:
        module = _WHERE.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module if "." in module else f"{__name__}.{module}"), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return __all__
