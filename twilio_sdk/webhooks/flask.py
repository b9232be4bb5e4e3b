"""Flask: ``@validate_twilio_request`` answers 403 unless the request carries Twilio's signature.

Flask is imported when a decorated view runs, so this module imports without it::

    @app.post("/sms")
    @validate_twilio_request(trust_forwarded=True)
    def sms(): ...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twilio_sdk.webhooks.guard import WebhookGuard, view_decorator
from twilio_sdk.webhooks.public_url import wsgi_url
from twilio_sdk.webhooks.validator import Verdict

__all__ = ["check_request", "validate_twilio_request"]


def check_request(guard: WebhookGuard, request: Any = None) -> Verdict:
    """Validate a Flask/Werkzeug request (the current one by default)."""
    if request is None:
        from flask import request as current  # type: ignore[import-not-found, unused-ignore]

        request = current
    url = guard.url(wsgi_url(request.environ), request.headers)
    if guard.needs_body(url):
        return guard.check(url, request.headers, body=request.get_data(cache=True))
    return guard.check(url, request.headers, request.form)


def _guarded(guard: WebhookGuard, view: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not check_request(guard):
            from flask import abort  # type: ignore[import-not-found, unused-ignore]

            abort(403)
        return view(*args, **kwargs)

    return wrapper


#: Decorate a Flask view; see :class:`~twilio_sdk.webhooks.WebhookGuard` for the options.
validate_twilio_request = view_decorator(_guarded)
