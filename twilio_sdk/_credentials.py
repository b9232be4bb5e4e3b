"""Who the client is and where it sends: credentials, account, region, edge and base URL,
from the constructor's arguments or the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from twilio_sdk import _hosts as hosts
from twilio_sdk.exceptions import TwilioException


class Credentials:
    """The resolved identity and host settings of one client.

    Arguments win over the environment (``TWILIO_ACCOUNT_SID``/``TWILIO_AUTH_TOKEN``, or
    ``TWILIO_API_KEY``/``TWILIO_API_SECRET``, plus ``TWILIO_REGION``, ``TWILIO_EDGE`` and
    ``TWILIO_API_BASE``); a ``credential_provider`` replaces Basic auth.
    """

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        account_sid: str | None = None,
        region: str | None = None,
        edge: str | None = None,
        credential_provider: Any = None,
        api_base: str | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if environment is None else environment
        if not username and credential_provider is None:
            if env.get("TWILIO_API_KEY") and env.get("TWILIO_API_SECRET"):
                username, password = env["TWILIO_API_KEY"], env["TWILIO_API_SECRET"]
            else:
                username = account_sid or env.get("TWILIO_ACCOUNT_SID")
                password = password or env.get("TWILIO_AUTH_TOKEN")
        account_sid = account_sid or (username if username and username.startswith("AC") else None)
        account_sid = account_sid or env.get("TWILIO_ACCOUNT_SID")
        if credential_provider is None and not (username and password):
            raise TwilioException(
                "Credentials are required to create a Client: pass account_sid and auth_token "
                "(or an API key, secret and account_sid), or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
            )
        if username and username.startswith("SK") and not account_sid:
            raise TwilioException("An API key (SK…) needs account_sid= (or TWILIO_ACCOUNT_SID)")
        self.username = username
        self.password = password
        self.account_sid: str = account_sid or ""
        self.credential_provider = credential_provider
        self.region = region or env.get("TWILIO_REGION")
        self.edge = edge or env.get("TWILIO_EDGE")
        base = api_base or env.get("TWILIO_API_BASE") or None
        self._api_base = (
            hosts.check_base(base, "api_base" if api_base else "TWILIO_API_BASE") if base else None
        )

    @property
    def api_base(self) -> str | None:
        """One base URL for every Twilio host (``<base>/<product>/<path>``), or ``None``."""
        return self._api_base

    @api_base.setter
    def api_base(self, value: str | None) -> None:
        self._api_base = hosts.check_base(value) if value else None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.username or "", self.password or "")

    def url(self, uri: str) -> str:
        """``uri`` on the host the region, edge and base URL choose."""
        return hosts.rewrite(uri, self.region, self.edge, self._api_base)

    def secrets(self) -> tuple[str, ...]:
        """What the logs must never show: the password and its Basic-auth encoding."""
        import base64

        secrets = [self.password or ""]
        if self.password:
            raw = f"{self.username}:{self.password}".encode()
            secrets.append(base64.b64encode(raw).decode())
        return tuple(s for s in secrets if s)
