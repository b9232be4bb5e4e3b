"""Capability tokens for the legacy Twilio Client (JS 1.x): scope URIs in one HS256 token."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from twilio_sdk.jwt.base import GENERATE, Jwt

__all__ = ["ClientCapabilityToken", "ScopeURI"]

EVENTS_PATH = "/2010-04-01/Events"


class ScopeURI:
    """``scope:<service>:<privilege>?<params sorted by name, form-encoded>``."""

    def __init__(self, service: str, privilege: str, params: dict[str, Any] | None = None) -> None:
        self.service = service
        self.privilege = privilege
        self.params = dict(params or {})

    def to_payload(self) -> str:
        uri = f"scope:{self.service}:{self.privilege}"
        if self.params:
            uri += "?" + urlencode(sorted(self.params.items()))
        return uri

    __str__ = to_payload

    def __repr__(self) -> str:
        return f"<ScopeURI {self.to_payload()}>"


class ClientCapabilityToken(Jwt):
    """A capability token signed with the Auth Token; ``iss`` is the account SID.

    The constructor also takes the three capabilities as keyword arguments, e.g.
    ``allow_client_outgoing={"application_sid": "AP…", "foo": "bar"}``,
    ``allow_client_incoming={"client_name": "alice"}``, ``allow_event_stream={}``.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        nbf: Any = GENERATE,
        ttl: int = 3600,
        valid_until: float | None = None,
        **kwargs: dict[str, Any],
    ) -> None:
        super().__init__(auth_token, account_sid, nbf=nbf, ttl=ttl, valid_until=valid_until)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.client_name: str | None = None
        # Keyed by capability, in the order they were first granted (the scope keeps that order).
        self.capabilities: dict[str, ScopeURI] = {}
        for name in ("allow_client_outgoing", "allow_client_incoming", "allow_event_stream"):
            if name in kwargs:
                getattr(self, name)(**kwargs.pop(name))
        if kwargs:
            raise TypeError(f"unexpected keyword argument(s): {', '.join(kwargs)}")

    def allow_client_outgoing(self, application_sid: str, **params: Any) -> ClientCapabilityToken:
        """Allow outgoing calls through the TwiML app ``application_sid``; ``params`` reach it."""
        scope: dict[str, Any] = {"appSid": application_sid}
        if params:
            scope["appParams"] = urlencode(params)
        self.capabilities["outgoing"] = ScopeURI("client", "outgoing", scope)
        return self

    def allow_client_incoming(self, client_name: str) -> ClientCapabilityToken:
        """Allow incoming calls to ``client_name`` (outgoing calls then carry it too)."""
        self.client_name = client_name
        self.capabilities["incoming"] = ScopeURI("client", "incoming", {"clientName": client_name})
        return self

    def allow_event_stream(self, **filters: Any) -> ClientCapabilityToken:
        """Allow subscribing to the account's event stream, optionally filtered."""
        scope: dict[str, Any] = {"path": EVENTS_PATH}
        if filters:
            scope["params"] = urlencode(filters)
        self.capabilities["events"] = ScopeURI("stream", "subscribe", scope)
        return self

    def _generate_payload(self, now: int) -> dict[str, Any]:
        scopes = []
        for kind, scope in self.capabilities.items():
            if kind == "outgoing" and self.client_name is not None:
                scope = ScopeURI(
                    scope.service, scope.privilege, {**scope.params, "clientName": self.client_name}
                )
            scopes.append(scope.to_payload())
        return {"scope": " ".join(scopes)}

    def __repr__(self) -> str:
        return (
            f"<ClientCapabilityToken {self.account_sid} {', '.join(self.capabilities) or 'no capabilities'}>"
        )
