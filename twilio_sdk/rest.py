"""``from twilio_sdk.rest import Client``: the official package's import path."""

from twilio_sdk._client import Client

__all__ = ["Client"]
