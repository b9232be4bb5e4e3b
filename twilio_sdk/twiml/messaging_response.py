"""``from twilio_sdk.twiml.messaging_response import MessagingResponse, ...``: the official import path."""

from typing import Any

from twilio_sdk.twiml import messaging as _messaging
from twilio_sdk.twiml.messaging import MessagingResponse

__all__ = ["MessagingResponse"]


def __getattr__(name: str) -> Any:
    return getattr(_messaging, name)
