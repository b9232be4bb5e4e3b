"""Token managers: fetch an OAuth access token (client credentials grant) from Twilio.

The token request goes through a :class:`~twilio_sdk.Client` of its own that sends no
Basic auth (the client secret travels in the form), but uses the same transport,
``api_base``, region and edge as the client it serves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_sdk.credential.auth_strategy import NoAuthStrategy
from twilio_sdk.exceptions import TwilioException
from twilio_sdk.http.response import Response

if TYPE_CHECKING:
    from twilio_sdk._client import Client

__all__ = ["ClientTokenManager", "NoAuthHttpClient", "OAuthTokenManager", "OrgTokenManager"]


class NoAuthHttpClient:
    """Wraps a transport and strips every credential (``auth`` and ``Authorization``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        clean = {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}
        response: Response = self.inner.request(
            method,
            url,
            params=params,
            data=data,
            headers=clean,
            auth=None,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )
        return response


class _NoAuthProvider:
    def to_auth_strategy(self) -> NoAuthStrategy:
        return NoAuthStrategy()


class OAuthTokenManager:
    """Fetches tokens with ``grant_type=client_credentials`` from the endpoint ``domain.version.token``.

    ``http_client``, ``api_base``, ``region``, ``edge`` and ``timeout`` configure the token
    request; :meth:`bind` takes the ones not given from the :class:`Client` being served.
    ``extra`` form fields (``audience``, ``scope``, ...) are sent as given.
    """

    domain = "oauth"
    version = "v2"

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        grant_type: str = "client_credentials",
        http_client: Any = None,
        api_base: str | None = None,
        region: str | None = None,
        edge: str | None = None,
        timeout: float | None = None,
        **extra: Any,
    ) -> None:
        if not client_id or not client_secret:
            raise TwilioException("OAuth needs both a client id and a client secret")
        self.client_id = client_id
        self.client_secret = client_secret
        self.grant_type = grant_type
        self.extra = extra
        self._settings: dict[str, Any] = {
            "http_client": http_client,
            "api_base": api_base,
            "region": region,
            "edge": edge,
            "timeout": timeout,
        }
        self._served: Client | None = None
        self._token_client: Client | None = None

    def bind(self, client: Client) -> None:
        """Fetch tokens the way ``client`` sends requests (its transport, api_base, region, edge)."""
        self._served = client
        self._token_client = None

    def _setting(self, name: str) -> Any:
        value = self._settings[name]
        if value is None and self._served is not None:
            value = self._served.http_client if name == "http_client" else getattr(self._served, name)
        return value

    @property
    def token_client(self) -> Client:
        """The unauthenticated client the token requests go through."""
        if self._token_client is None:
            from twilio_sdk._client import Client

            inner = self._setting("http_client")
            if getattr(inner, "is_async", False):
                # Tokens are fetched synchronously (as in the official package): a client on an
                # async transport gets its tokens through the default one, once per token.
                inner = None
            if inner is None:
                from twilio_sdk.http.http_client import TwilioHttpClient

                inner = TwilioHttpClient(timeout=self._setting("timeout") or 30.0)
            self._token_client = Client(
                credential_provider=_NoAuthProvider(),
                http_client=NoAuthHttpClient(inner),
                region=self._setting("region"),
                edge=self._setting("edge"),
                api_base=self._setting("api_base"),
                timeout=self._setting("timeout"),
            )
        return self._token_client

    def fetch_access_token(self) -> str:
        """A new access token; a refusal raises :class:`~twilio_sdk.RestException` with Twilio's code."""
        endpoint = getattr(getattr(self.token_client, self.domain), self.version).token
        token = endpoint.create(
            grant_type=self.grant_type,
            client_id=self.client_id,
            client_secret=self.client_secret,
            **self.extra,
        )
        access_token = getattr(token, "access_token", None)
        if not access_token:
            raise TwilioException(
                f"the token endpoint of {self.domain}.{self.version} returned no access_token"
            )
        return str(access_token)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.client_id} via {self.domain}.{self.version}.token>"


class ClientTokenManager(OAuthTokenManager):
    """Tokens for the REST APIs, from ``POST https://oauth.twilio.com/v2/token``."""


class OrgTokenManager(OAuthTokenManager):
    """Tokens for the Organizations API, from ``POST https://preview-iam.twilio.com/v1/token``."""

    domain = "preview_iam"
    version = "v1"
