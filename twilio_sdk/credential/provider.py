"""Credential providers: ``Client(credential_provider=...)`` authenticates with OAuth bearer tokens."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from twilio_sdk.credential.auth_strategy import DEFAULT_REFRESH_MARGIN, TokenAuthStrategy, TokenManager
from twilio_sdk.credential.token_manager import ClientTokenManager, OAuthTokenManager, OrgTokenManager
from twilio_sdk.exceptions import TwilioException

if TYPE_CHECKING:
    from twilio_sdk._client import Client

__all__ = ["ClientCredentialProvider", "CredentialProvider", "OrgsCredentialProvider"]


class CredentialProvider:
    """Base class: :meth:`to_auth_strategy` gives what the client sends as ``Authorization``."""

    auth_type = "token"

    def __init__(
        self,
        token_manager: TokenManager,
        *,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token_manager = token_manager
        self._strategy = TokenAuthStrategy(token_manager, refresh_margin=refresh_margin, clock=clock)

    def to_auth_strategy(self) -> TokenAuthStrategy:
        """The (shared, caching) strategy; the client asks for it on every request."""
        return self._strategy

    def bind(self, client: Client) -> CredentialProvider:
        """Fetch tokens through ``client``'s transport, ``api_base``, region and edge
        (settings given to the provider explicitly win)."""
        bind = getattr(self.token_manager, "bind", None)
        if bind is not None:
            bind(client)
        return self


class _OAuthProvider(CredentialProvider):
    manager_class: type[OAuthTokenManager] = ClientTokenManager

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_manager: TokenManager | None = None,
        *,
        http_client: Any = None,
        api_base: str | None = None,
        region: str | None = None,
        edge: str | None = None,
        timeout: float | None = None,
        refresh_margin: float = DEFAULT_REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not client_id or not client_secret:
            raise TwilioException("Client id and Client secret are mandatory")
        self.client_id = client_id
        self.client_secret = client_secret
        manager = token_manager or self.manager_class(
            client_id,
            client_secret,
            http_client=http_client,
            api_base=api_base,
            region=region,
            edge=edge,
            timeout=timeout,
        )
        super().__init__(manager, refresh_margin=refresh_margin, clock=clock)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client_id}>"


class ClientCredentialProvider(_OAuthProvider):
    """OAuth client credentials for the REST APIs (token from ``oauth.twilio.com/v2/token``).

    ``Client(credential_provider=ClientCredentialProvider(id, secret), account_sid="AC…")``
    sends ``Authorization: Bearer <token>``; the token is cached and refreshed
    ``refresh_margin`` seconds before it expires. ``http_client``/``api_base``/``region``/``edge``
    configure the token request (by default those of the client, once bound).
    """

    manager_class = ClientTokenManager


class OrgsCredentialProvider(_OAuthProvider):
    """OAuth client credentials for the Organizations API (``client.preview_iam.organization(...)``),
    with tokens from ``preview-iam.twilio.com/v1/token``."""

    manager_class = OrgTokenManager
