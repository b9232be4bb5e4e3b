"""TaskRouter capability tokens: a list of URL policies for one channel (worker, queue, workspace)."""

from __future__ import annotations

from typing import Any

from twilio_sdk.jwt.base import Jwt

__all__ = ["TaskRouterCapabilityToken"]

TASKROUTER_BASE_URL = "https://taskrouter.twilio.com"
EVENTS_BASE_URL = "https://event-bridge.twilio.com/v1/wschannels"
TASKROUTER_VERSION = "v1"

#: Keyword options every token understands, with their defaults.
BASE_OPTIONS = {
    "allow_web_sockets": True,
    "allow_fetch_self": True,
    "allow_update_self": False,
    "allow_delete_self": False,
    "allow_fetch_subresources": False,
    "allow_update_subresources": False,
    "allow_delete_subresources": False,
}


def _check_prefix(what: str, value: Any, prefixes: tuple[str, ...]) -> None:
    if not isinstance(value, str) or not value.startswith(prefixes):
        raise ValueError(f"Invalid {what} provided {value}: it must start with {' or '.join(prefixes)}")


class TaskRouterCapabilityToken(Jwt):
    """Base of the worker, task queue and workspace tokens (HS256 with the Auth Token,
    ``iss`` = account SID). Subclasses set ``channel_prefix``, the resource URL and extra claims.

    Keyword options (defaults in ``BASE_OPTIONS``) add the default policies; the
    ``allow_*`` methods add more, in call order.
    """

    channel_prefix: tuple[str, ...] = ("WK", "WQ", "WS")
    options: dict[str, bool] = BASE_OPTIONS

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        workspace_sid: str,
        channel_id: str,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        _check_prefix("account sid", account_sid, ("AC",))
        _check_prefix("workspace sid", workspace_sid, ("WS",))
        _check_prefix("channel id", channel_id, self.channel_prefix)
        unknown = set(kwargs) - set(self.options)
        if unknown:
            raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
        super().__init__(auth_token, account_sid, ttl=ttl)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.workspace_sid = workspace_sid
        self.channel_id = channel_id
        self.workspace_url = f"{TASKROUTER_BASE_URL}/{TASKROUTER_VERSION}/Workspaces/{workspace_sid}"
        self.policies: list[dict[str, Any]] = []
        self._apply_options({**self.options, **kwargs})

    @property
    def resource_url(self) -> str:
        """The URL of the token's own resource (worker, task queue or workspace)."""
        return self.workspace_url

    def _apply_options(self, options: dict[str, Any]) -> None:
        steps = [
            ("allow_web_sockets", self.allow_web_sockets),
            ("allow_fetch_self", self.allow_fetch_self),
            ("allow_update_self", self.allow_update_self),
            ("allow_delete_self", self.allow_delete_self),
            ("allow_fetch_subresources", self.allow_fetch_subresources),
            ("allow_delete_subresources", self.allow_delete_subresources),
            ("allow_update_subresources", self.allow_update_subresources),
        ]
        for name, step in steps:
            if options.get(name):
                step()

    # Policies --------------------------------------------------------------------------
    def add_policy(
        self,
        url: str,
        method: str,
        allow: bool = True,
        query_filter: dict[str, Any] | None = None,
        post_filter: dict[str, Any] | None = None,
    ) -> TaskRouterCapabilityToken:
        """Append one policy; returns the token so calls chain."""
        self.policies.append(
            {
                "url": url,
                "method": method.upper(),
                "allow": allow,
                "query_filter": dict(query_filter or {}),
                "post_filter": dict(post_filter or {}),
            }
        )
        return self

    def allow_web_sockets(self, channel_id: str | None = None) -> TaskRouterCapabilityToken:
        """Allow the event-bridge websocket for ``channel_id`` (default: this token's channel)."""
        url = f"{EVENTS_BASE_URL}/{self.account_sid}/{channel_id or self.channel_id}"
        return self.add_policy(url, "GET").add_policy(url, "POST")

    def allow_fetch_self(self) -> TaskRouterCapabilityToken:
        return self.add_policy(self.resource_url, "GET")

    def allow_update_self(self) -> TaskRouterCapabilityToken:
        return self.add_policy(self.resource_url, "POST")

    def allow_delete_self(self) -> TaskRouterCapabilityToken:
        return self.add_policy(self.resource_url, "DELETE")

    def allow_fetch_subresources(self) -> TaskRouterCapabilityToken:
        return self.add_policy(f"{self.resource_url}/**", "GET")

    def allow_update_subresources(self) -> TaskRouterCapabilityToken:
        return self.add_policy(f"{self.resource_url}/**", "POST")

    def allow_delete_subresources(self) -> TaskRouterCapabilityToken:
        return self.add_policy(f"{self.resource_url}/**", "DELETE")

    # Claims ----------------------------------------------------------------------------
    def _extra_claims(self) -> dict[str, Any]:
        return {}

    def _generate_payload(self, now: int) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "workspace_sid": self.workspace_sid,
            "channel": self.channel_id,
            "version": TASKROUTER_VERSION,
            "friendly_name": self.channel_id,
            "policies": [dict(policy) for policy in self.policies],
            **self._extra_claims(),
        }

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.channel_id} ({len(self.policies)} policies)>"
