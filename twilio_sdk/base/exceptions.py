"""``from twilio_sdk.base.exceptions import TwilioRestException``: the official import path."""

from twilio_sdk.exceptions import (
    RestException,
    TransportError,
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)

__all__ = [
    "RestException",
    "TransportError",
    "TwilioException",
    "TwilioRestException",
    "TwilioServiceException",
]
