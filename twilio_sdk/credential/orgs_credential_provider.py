"""The official import path of :class:`OrgsCredentialProvider`."""

from twilio_sdk.credential.provider import OrgsCredentialProvider

__all__ = ["OrgsCredentialProvider"]
