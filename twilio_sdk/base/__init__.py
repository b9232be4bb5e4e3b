"""The official package's ``twilio.base`` import paths (``twilio_sdk.base.exceptions``)."""

__all__: list[str] = []
