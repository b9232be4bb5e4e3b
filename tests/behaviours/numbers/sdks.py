"""Clients of both SDKs for one backend, and the (status, code) of what either one raises."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from twilio_mock import Backend, MockTransport


@dataclass
class Sdk:
    """``ours``: ``twilio_sdk`` over ``MockTransport``; ``official``: the ``twilio`` package,
    reaching the backend through an active ``twilio_mock.mock()``."""

    name: str
    backend: Backend

    def make(self, username: str, password: str, account_sid: str | None = None) -> Any:
        if self.name == "official":
            from twilio.rest import Client as Official

            return Official(username, password, account_sid, environment={})
        from twilio_sdk import Client

        return Client(
            username, password, account_sid, http_client=MockTransport(self.backend), environment={}
        )

    @property
    def client(self) -> Any:
        return self.make(self.backend.account_sid, self.backend.auth_token)

    @property
    def test_client(self) -> Any:
        """A client with the test credentials."""
        return self.make(self.backend.test_account_sid, self.backend.test_auth_token)


def failure(action: Callable[[], Any]) -> tuple[int, int | None]:
    """Run ``action``, which must raise either SDK's error; its HTTP status and Twilio code."""
    from twilio.base.exceptions import TwilioException

    from twilio_sdk import RestException

    try:
        action()
    except RestException as exc:
        return exc.status, exc.code
    except TwilioException as exc:
        status = getattr(exc, "status", None)
        if status is not None:
            return int(status), exc.code  # type: ignore[attr-defined]
        response = exc.args[1]  # a failed list page: TwilioException("Unable to fetch page", response)
        return int(response.status_code), json.loads(response.text).get("code")
    raise AssertionError(f"{action} raised nothing")


def fields(instance: Any) -> dict[str, Any]:
    """The JSON fields of an instance of either SDK."""
    to_dict = getattr(instance, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    return {k: v for k, v in vars(instance).items() if not k.startswith("_")}
