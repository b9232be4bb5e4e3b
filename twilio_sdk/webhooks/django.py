"""Django: ``@validate_twilio_request`` answers 403 unless the request carries Twilio's signature.

The decorated view is also exempt from CSRF checks (Twilio cannot send a CSRF token; the
signature is the protection). Django is imported when a decorated view runs::

    @validate_twilio_request
    def sms(request): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twilio_sdk.webhooks.guard import WebhookGuard, view_decorator
from twilio_sdk.webhooks.validator import Verdict

__all__ = ["check_request", "request_url", "validate_twilio_request"]


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


def _guarded(guard: WebhookGuard, view: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not check_request(guard, request):
            from django.http import HttpResponseForbidden  # type: ignore[import-untyped, import-not-found, unused-ignore]

            return HttpResponseForbidden("Twilio request validation failed")
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


#: Decorate a Django view function; see :class:`~twilio_sdk.webhooks.WebhookGuard` for the options.
validate_twilio_request = view_decorator(_guarded)
