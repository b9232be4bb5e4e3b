"""OAuth credentials for :class:`~twilio_sdk.Client`: providers, token managers, auth strategies."""

from __future__ import annotations

from twilio_sdk.credential.auth_strategy import AuthStrategy, NoAuthStrategy, TokenAuthStrategy, TokenManager
from twilio_sdk.credential.provider import (
    ClientCredentialProvider,
    CredentialProvider,
    OrgsCredentialProvider,
)
from twilio_sdk.credential.token_manager import ClientTokenManager, OAuthTokenManager, OrgTokenManager

__all__ = [
    "AuthStrategy",
    "ClientCredentialProvider",
    "ClientTokenManager",
    "CredentialProvider",
    "NoAuthStrategy",
    "OAuthTokenManager",
    "OrgTokenManager",
    "OrgsCredentialProvider",
    "TokenAuthStrategy",
    "TokenManager",
]
