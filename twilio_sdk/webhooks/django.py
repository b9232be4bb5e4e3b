"""Django: ``@validate_twilio_request`` answers 403 unless the request carries Twilio's signature.

The decorated view is also exempt from CSRF checks (Twilio cannot send a CSRF token; the
signature is the protection). Django is imported when a decorated view runs::

    @validate_twilio_request
    def sms(request): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from twilio_sdk.webhooks.guard import WebhookGuard
from twilio_sdk.webhooks.validator import Verdict

__all__ = ["check_request", "request_url", "validate_twilio_request"]

F = TypeVar("F", bound=Callable[..., Any])


def request_url(request: Any) -> str:
    """The URL as the app sees it: Django's scheme and host, the raw path when the server gives it."""
    raw = request.META.get("RAW_URI") or request.META.get("REQUEST_URI")
    target = raw if isinstance(raw, str) and raw.startswith("/") else request.get_full_path()
    return f"{request.scheme}://{request.get_host()}{target}"


def check_request(guard: WebhookGuard, request: Any) -> Verdict:
    """Validate a Django ``HttpRequest``."""
    url = guard.url(request_url(request), request.headers)
    if guard.needs_body(url):
        return guard.check(url, request.headers, body=request.body)
    return guard.check(url, request.headers, request.POST)


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
    """Decorate a Django view function; see :class:`~twilio_sdk.webhooks.WebhookGuard` for the options."""
    guard = WebhookGuard(
        auth_token, trust_forwarded=trust_forwarded, base_url=base_url, shared_key_secret=shared_key_secret
    )

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not check_request(guard, request):
                from django.http import HttpResponseForbidden  # type: ignore[import-untyped, import-not-found, unused-ignore]

                return HttpResponseForbidden("Twilio request validation failed")
            return func(request, *args, **kwargs)

        wrapper.csrf_exempt = True  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate(view) if view is not None else decorate
