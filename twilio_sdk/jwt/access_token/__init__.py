"""Access tokens for Twilio's client SDKs (Voice, Video, Conversations, Sync, TaskRouter, Live)."""

from __future__ import annotations

from typing import Any

from twilio_sdk.jwt.access_token.grants import (
    AccessTokenGrant,
    ChatGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from twilio_sdk.jwt.base import GENERATE, Jwt

__all__ = [
    "AccessToken",
    "AccessTokenGrant",
    "ChatGrant",
    "PlaybackGrant",
    "SyncGrant",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
]

#: Content type of an access token ("first-party authentication", version 1).
CONTENT_TYPE = "twilio-fpa;v=1"


class AccessToken(Jwt):
    """An HS256 token signed with an API key secret: ``iss`` is the key SID, ``sub`` the
    account SID; ``region`` adds the ``twr`` header. One grant per product: adding a
    second grant of the same kind replaces the first."""

    def __init__(
        self,
        account_sid: str,
        signing_key_sid: str,
        secret: str,
        identity: str | None = None,
        ttl: int = 3600,
        nbf: Any = GENERATE,
        valid_until: float | None = None,
        region: str | None = None,
        grants: list[AccessTokenGrant] | None = None,
    ) -> None:
        super().__init__(secret, signing_key_sid, account_sid, nbf=nbf, ttl=ttl, valid_until=valid_until)
        self.account_sid = account_sid
        self.signing_key_sid = signing_key_sid
        self.identity = identity
        self.region = region
        self.grants: list[AccessTokenGrant] = []
        for grant in grants or []:
            self.add_grant(grant)

    def add_grant(self, grant: AccessTokenGrant) -> AccessToken:
        """Add ``grant``; returns the token so calls chain."""
        if not isinstance(grant, AccessTokenGrant):
            raise ValueError(f"a grant must be an AccessTokenGrant, not {type(grant).__name__}")
        self.grants.append(grant)
        return self

    def _generate_headers(self) -> dict[str, Any]:
        headers: dict[str, Any] = {"cty": CONTENT_TYPE}
        if self.region:
            headers["twr"] = self.region
        return headers

    def _generate_payload(self, now: int) -> dict[str, Any]:
        grants: dict[str, Any] = {grant.key: grant.to_payload() for grant in self.grants}
        if self.identity:
            grants["identity"] = self.identity
        return {"jti": f"{self.signing_key_sid}-{now}", "grants": grants}

    def __repr__(self) -> str:
        kinds = ", ".join(grant.key for grant in self.grants) or "no grants"
        return f"<AccessToken {self.signing_key_sid} identity={self.identity!r} ({kinds})>"
