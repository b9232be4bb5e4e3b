"""Flask: ``@validate_twilio_request`` answers 403 unless the request carries Twilio's signature.

Flask is imported when a decorated view runs, so this module imports without it::

    @app.post("/sms")
    @validate_twilio_request(trust_forwarded=True)
    def sms(): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from twilio_sdk.webhooks.guard import WebhookGuard
from twilio_sdk.webhooks.public_url import wsgi_url
from twilio_sdk.webhooks.validator import Verdict

__all__ = ["check_request", "validate_twilio_request"]

F = TypeVar("F", bound=Callable[..., Any])


def check_request(guard: WebhookGuard, request: Any = None) -> Verdict:
    """Validate a Flask/Werkzeug request (the current one by default)."""
    if request is None:
        from flask import request as current  # type: ignore[import-not-found, unused-ignore]

        request = current
    url = guard.url(wsgi_url(request.environ), request.headers)
    if guard.needs_body(url):
        return guard.check(url, request.headers, body=request.get_data(cache=True))
    return guard.check(url, request.headers, request.form)


@overload
def validate_twilio_request(view: F) -> F: ...


@overload
def validate_twilio_request(
    view: None = None,
    *,
    auth_token: str | None = None,
    trust_forwarded: bool | int = False,
    base_url: str | None = None,
    shared_key_secret: str | Mapping[str, str] | None = None,
) -> Callable[[F], F]: ...


def validate_twilio_request(
    view: Any = None,
    *,
    auth_token: str | None = None,
    trust_forwarded: bool | int = False,
    base_url: str | None = None,
    shared_key_secret: str | Mapping[str, str] | None = None,
) -> Any:
    """Decorate a Flask view; see :class:`~twilio_sdk.webhooks.WebhookGuard` for the options."""
    guard = WebhookGuard(
        auth_token, trust_forwarded=trust_forwarded, base_url=base_url, shared_key_secret=shared_key_secret
    )

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not check_request(guard):
                from flask import abort  # type: ignore[import-not-found, unused-ignore]

                abort(403)
            return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate
