"""The grants an :class:`~twilio_sdk.jwt.access_token.AccessToken` can carry, one per product."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessTokenGrant",
    "ChatGrant",
    "PlaybackGrant",
    "SyncGrant",
    "TaskRouterGrant",
    "VideoGrant",
    "VoiceGrant",
]


class AccessTokenGrant:
    """Base class: ``key`` names the grant in the token's ``grants`` claim."""

    key = ""

    def to_payload(self) -> Any:
        """The grant's value in the ``grants`` claim."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.to_payload()!r}>"


def _present(**fields: Any) -> dict[str, Any]:
    """The fields that were given (falsy ones are left out, as Twilio's helpers do)."""
    return {name: value for name, value in fields.items() if value}


class VoiceGrant(AccessTokenGrant):
    """Programmable Voice: incoming calls to the identity, outgoing calls through a TwiML app."""

    key = "voice"

    def __init__(
        self,
        incoming_allow: bool | None = None,
        outgoing_application_sid: str | None = None,
        outgoing_application_params: dict[str, Any] | None = None,
        push_credential_sid: str | None = None,
        endpoint_id: str | None = None,
    ) -> None:
        self.incoming_allow = incoming_allow
        self.outgoing_application_sid = outgoing_application_sid
        self.outgoing_application_params = outgoing_application_params
        self.push_credential_sid = push_credential_sid
        self.endpoint_id = endpoint_id

    def to_payload(self) -> dict[str, Any]:
        grant: dict[str, Any] = {}
        if self.incoming_allow is True:
            grant["incoming"] = {"allow": True}
        if self.outgoing_application_sid:
            outgoing: dict[str, Any] = {"application_sid": self.outgoing_application_sid}
            if self.outgoing_application_params:
                outgoing["params"] = self.outgoing_application_params
            grant["outgoing"] = outgoing
        grant.update(_present(push_credential_sid=self.push_credential_sid, endpoint_id=self.endpoint_id))
        return grant


class VideoGrant(AccessTokenGrant):
    """Programmable Video: optionally limited to one room (name or SID)."""

    key = "video"

    def __init__(self, room: str | None = None) -> None:
        self.room = room

    def to_payload(self) -> dict[str, Any]:
        return _present(room=self.room)


class ChatGrant(AccessTokenGrant):
    """Conversations / Programmable Chat."""

    key = "chat"

    def __init__(
        self,
        service_sid: str | None = None,
        endpoint_id: str | None = None,
        deployment_role_sid: str | None = None,
        push_credential_sid: str | None = None,
    ) -> None:
        self.service_sid = service_sid
        self.endpoint_id = endpoint_id
        self.deployment_role_sid = deployment_role_sid
        self.push_credential_sid = push_credential_sid

    def to_payload(self) -> dict[str, Any]:
        return _present(
            service_sid=self.service_sid,
            endpoint_id=self.endpoint_id,
            deployment_role_sid=self.deployment_role_sid,
            push_credential_sid=self.push_credential_sid,
        )


class SyncGrant(AccessTokenGrant):
    """Sync (the claim is named ``data_sync``)."""

    key = "data_sync"

    def __init__(self, service_sid: str | None = None, endpoint_id: str | None = None) -> None:
        self.service_sid = service_sid
        self.endpoint_id = endpoint_id

    def to_payload(self) -> dict[str, Any]:
        return _present(service_sid=self.service_sid, endpoint_id=self.endpoint_id)


class TaskRouterGrant(AccessTokenGrant):
    """TaskRouter (the claim is named ``task_router``)."""

    key = "task_router"

    def __init__(
        self, workspace_sid: str | None = None, worker_sid: str | None = None, role: str | None = None
    ) -> None:
        self.workspace_sid = workspace_sid
        self.worker_sid = worker_sid
        self.role = role

    def to_payload(self) -> dict[str, Any]:
        return _present(workspace_sid=self.workspace_sid, worker_sid=self.worker_sid, role=self.role)


class PlaybackGrant(AccessTokenGrant):
    """Live player: ``grant`` is the object the PlaybackGrant API returned, carried as is
    (``None`` gives a ``null`` claim, as the official helper does)."""

    key = "player"

    def __init__(self, grant: dict[str, Any] | None = None) -> None:
        self.grant = grant

    def to_payload(self) -> dict[str, Any] | None:
        return self.grant
