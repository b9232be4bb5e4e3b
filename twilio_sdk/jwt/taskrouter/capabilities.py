"""The three TaskRouter capability tokens: worker, task queue, workspace."""

from __future__ import annotations

from typing import Any

from twilio_sdk.jwt.taskrouter import BASE_OPTIONS, TaskRouterCapabilityToken

__all__ = ["TaskQueueCapabilityToken", "WorkerCapabilityToken", "WorkspaceCapabilityToken"]

WORKER_OPTIONS = {
    **BASE_OPTIONS,
    "allow_fetch_activities": True,
    "allow_fetch_reservations": True,
    "allow_fetch_worker_reservations": True,
    "allow_update_activities": False,
    "allow_update_reservations": False,
}


class WorkerCapabilityToken(TaskRouterCapabilityToken):
    """For a worker's browser: by default its websocket, reading itself, the workspace's
    activities, tasks and its own reservations. ``allow_update_activities`` lets it change
    its activity; ``allow_update_reservations`` lets it accept/reject reservations."""

    channel_prefix = ("WK",)
    options = WORKER_OPTIONS

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        workspace_sid: str,
        worker_sid: str,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        self.worker_sid = worker_sid
        super().__init__(account_sid, auth_token, workspace_sid, worker_sid, ttl=ttl, **kwargs)

    @property
    def resource_url(self) -> str:
        return f"{self.workspace_url}/Workers/{self.worker_sid}"

    def _apply_options(self, options: dict[str, Any]) -> None:
        super()._apply_options(options)
        steps = [
            ("allow_fetch_activities", self.allow_fetch_activities),
            ("allow_fetch_reservations", self.allow_fetch_reservations),
            ("allow_fetch_worker_reservations", self.allow_fetch_worker_reservations),
            ("allow_update_activities", self.allow_update_activities),
            ("allow_update_reservations", self.allow_update_reservations),
        ]
        for name, step in steps:
            if options.get(name):
                step()

    def allow_fetch_activities(self) -> WorkerCapabilityToken:
        self.add_policy(f"{self.workspace_url}/Activities", "GET")
        return self

    def allow_fetch_reservations(self) -> WorkerCapabilityToken:
        """Read the workspace's tasks (where reservations hang), as the official helper does."""
        self.add_policy(f"{self.workspace_url}/Tasks/**", "GET")
        return self

    def allow_fetch_worker_reservations(self) -> WorkerCapabilityToken:
        self.add_policy(f"{self.resource_url}/Reservations/**", "GET")
        return self

    def allow_update_activities(self) -> WorkerCapabilityToken:
        """Change the worker's activity (a POST on the worker that must carry ``ActivitySid``)."""
        self.add_policy(self.resource_url, "POST", post_filter={"ActivitySid": {"required": True}})
        return self

    def allow_update_reservations(self) -> WorkerCapabilityToken:
        self.add_policy(f"{self.workspace_url}/Tasks/**", "POST")
        self.add_policy(f"{self.resource_url}/Reservations/**", "POST")
        return self

    def _extra_claims(self) -> dict[str, Any]:
        return {"worker_sid": self.worker_sid}


class TaskQueueCapabilityToken(TaskRouterCapabilityToken):
    """For a task queue dashboard: its websocket and reading the queue."""

    channel_prefix = ("WQ",)

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        workspace_sid: str,
        task_queue_sid: str,
        ttl: int = 3600,
        **kwargs: Any,
    ) -> None:
        self.task_queue_sid = task_queue_sid
        super().__init__(account_sid, auth_token, workspace_sid, task_queue_sid, ttl=ttl, **kwargs)

    @property
    def resource_url(self) -> str:
        return f"{self.workspace_url}/TaskQueues/{self.task_queue_sid}"

    def _extra_claims(self) -> dict[str, Any]:
        return {"taskqueue_sid": self.task_queue_sid}


class WorkspaceCapabilityToken(TaskRouterCapabilityToken):
    """For a workspace dashboard: its websocket and reading the workspace."""

    channel_prefix = ("WS",)

    def __init__(
        self, account_sid: str, auth_token: str, workspace_sid: str, ttl: int = 3600, **kwargs: Any
    ) -> None:
        super().__init__(account_sid, auth_token, workspace_sid, workspace_sid, ttl=ttl, **kwargs)
