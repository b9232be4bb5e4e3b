"""The official import path of :class:`ClientCredentialProvider`."""

from twilio_sdk.credential.provider import ClientCredentialProvider

__all__ = ["ClientCredentialProvider"]
