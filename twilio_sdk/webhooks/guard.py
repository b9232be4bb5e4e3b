"""``WebhookGuard``: the framework-neutral core of the Flask, Django and Starlette helpers."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar, overload

from twilio_sdk.exceptions import TwilioException
from twilio_sdk.webhooks.public_url import public_url
from twilio_sdk.webhooks.signature import BODY_HASH_PARAM, Params
from twilio_sdk.webhooks.validator import Verdict, validate_request

__all__ = ["ViewDecorator", "WebhookGuard", "view_decorator"]

F = TypeVar("F", bound=Callable[..., Any])

logger = logging.getLogger("twilio_sdk.webhooks")


class WebhookGuard:
    """Settings for validating a framework's requests, and the check itself.

    ``auth_token`` defaults to ``TWILIO_AUTH_TOKEN`` (read per request, so it may be set after
    import). ``trust_forwarded`` is ``True`` for one proxy or the number of proxies whose
    ``X-Forwarded-*`` headers to believe; ``base_url`` fixes the public scheme and host instead.
    ``shared_key_secret`` is the Webhooks SharedKey secret (or ``{key_id: secret}``).
    """

    def __init__(
        self,
        auth_token: str | None = None,
        *,
        trust_forwarded: bool | int = False,
        base_url: str | None = None,
        shared_key_secret: str | Mapping[str, str] | None = None,
        environment: Mapping[str, str] | None = None,
    ) -> None:
        if isinstance(trust_forwarded, int) and trust_forwarded < 0:
            raise ValueError("trust_forwarded must be True/False or a number of proxies >= 0")
        self._auth_token = auth_token
        self.trust_forwarded = trust_forwarded
        self.base_url = base_url
        self.shared_key_secret = shared_key_secret
        self._environment = environment

    @property
    def auth_token(self) -> str:
        env = os.environ if self._environment is None else self._environment
        token = self._auth_token or env.get("TWILIO_AUTH_TOKEN")
        if not token:
            raise TwilioException(
                "no Twilio auth token to validate webhooks: pass auth_token= or set TWILIO_AUTH_TOKEN"
            )
        return token

    def url(self, seen_url: str, headers: Mapping[str, Any] | Any) -> str:
        """The public URL to validate against."""
        return public_url(seen_url, headers, self.trust_forwarded, self.base_url)

    @staticmethod
    def needs_body(url: str) -> bool:
        """Whether the request is a JSON webhook whose raw body must be checked."""
        query = url.partition("?")[2]
        return any(part.partition("=")[0] == BODY_HASH_PARAM for part in query.split("&"))

    def check(
        self,
        url: str,
        headers: Mapping[str, Any] | Any,
        params: Params = None,
        body: str | bytes | None = None,
    ) -> Verdict:
        """Validate a request at the public ``url``; failures are logged with their reason."""
        verdict = validate_request(
            url, headers, params, body, auth_token=self.auth_token, shared_key_secret=self.shared_key_secret
        )
        if not verdict:
            hint = ""
            if not self.trust_forwarded and not self.base_url and _forwarded(headers):
                hint = " (the request came through a proxy: consider trust_forwarded=True or base_url=)"
            logger.warning("rejected Twilio webhook to %s: %s%s", url, verdict.reason, hint)
        return verdict


def _forwarded(headers: Mapping[str, Any] | Any) -> bool:
    names = {str(name).lower() for name in headers.keys()}  # noqa: SIM118 (Werkzeug headers iterate pairs)
    return bool(names & {"x-forwarded-proto", "x-forwarded-host", "forwarded"})


class ViewDecorator(Protocol):
    """``@validate_twilio_request`` bare, or ``@validate_twilio_request(**options)``."""

    @overload
    def __call__(self, view: F) -> F: ...

    @overload
    def __call__(
        self,
        view: None = None,
        *,
        auth_token: str | None = None,
        trust_forwarded: bool | int = False,
        base_url: str | None = None,
        shared_key_secret: str | Mapping[str, str] | None = None,
    ) -> Callable[[F], F]: ...


def view_decorator(wrap: Callable[[WebhookGuard, Callable[..., Any]], Callable[..., Any]]) -> ViewDecorator:
    """A framework's ``validate_twilio_request`` from ``wrap(guard, view) -> guarded view``;
    the options are :class:`WebhookGuard`'s."""

    def validate_twilio_request(view: Any = None, **options: Any) -> Any:
        guard = WebhookGuard(options.pop("auth_token", None), **options)

        def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
            return functools.wraps(func)(wrap(guard, func))

        return decorate(view) if view is not None else decorate

    return validate_twilio_request  # type: ignore[return-value]
