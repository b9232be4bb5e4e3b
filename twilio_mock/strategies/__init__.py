"""Hypothesis strategies and a faker provider for testing Twilio code (issue 12).

``sids``, ``phone_numbers``, ``message_bodies``, ``operations``/``params``/``invalid_params``,
``api_requests`` (whole requests with the path ids of stored records),
``status_callbacks``/``inbound_messages``/``inbound_calls`` and ``TwilioProvider``, all read from
the project's API description. Names load lazily; hypothesis (and faker, for the provider)
come with the ``mock`` extra.
"""

from __future__ import annotations

import importlib
from typing import Any

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - the dev and mock installs have it
    raise ImportError(
        "twilio_mock.strategies needs hypothesis: pip install 'twilio-toolkit[mock]' (or pip install hypothesis)"
    ) from exc

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
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module if "." in module else f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
