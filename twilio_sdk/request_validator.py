"""``from twilio_sdk.request_validator import RequestValidator``: the official import path."""

from twilio_sdk.webhooks.validator import RequestValidator

__all__ = ["RequestValidator"]
