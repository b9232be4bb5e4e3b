"""Starlette and FastAPI: a dependency and an endpoint decorator answering 403 on bad signatures.

Starlette is imported when these are created, so this module imports without it::

    # FastAPI
    @app.post("/sms", dependencies=[Depends(TwilioSignature(trust_forwarded=True))])
    async def sms(): ...

    # Starlette
    @validate_twilio_request
    async def sms(request): ...
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from twilio_sdk.webhooks.guard import WebhookGuard
from twilio_sdk.webhooks.public_url import asgi_url
from twilio_sdk.webhooks.validator import Verdict

__all__ = ["TwilioSignature", "check_request", "validate_twilio_request"]

Endpoint = Callable[..., Awaitable[Any]]


async def check_request(guard: WebhookGuard, request: Any) -> Verdict:
    """Validate a Starlette ``Request`` (the body is cached by Starlette for the endpoint)."""
    url = guard.url(asgi_url(request.scope), request.headers)
    if guard.needs_body(url):
        return guard.check(url, request.headers, body=await request.body())
    if request.headers.get("content-type", "").startswith("multipart/"):
        return guard.check(url, request.headers, await request.form())
    # Twilio posts urlencoded forms: parse them here so python-multipart stays optional.
    try:
        body = await request.body()
    except RuntimeError:  # already parsed as a form (FastAPI ``Form()`` parameters): use that
        return guard.check(url, request.headers, await request.form())
    return guard.check(
        url, request.headers, parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    )


class TwilioSignature:
    """A FastAPI dependency: ``Depends(TwilioSignature(...))`` raises ``HTTPException(403)``.

    Options are those of :class:`~twilio_sdk.webhooks.WebhookGuard`.
    """

    def __init__(
        self,
        auth_token: str | None = None,
        *,
        trust_forwarded: bool | int = False,
        base_url: str | None = None,
        shared_key_secret: str | Mapping[str, str] | None = None,
    ) -> None:
        from starlette.requests import Request  # type: ignore[import-not-found, unused-ignore]

        self.guard = WebhookGuard(
            auth_token,
            trust_forwarded=trust_forwarded,
            base_url=base_url,
            shared_key_secret=shared_key_secret,
        )
        # FastAPI reads the signature to inject the request; Starlette may be absent at import time.
        parameter = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
        self.__signature__ = inspect.Signature([parameter], return_annotation=None)

    async def __call__(self, request: Any) -> None:
        verdict = await check_request(self.guard, request)
        if not verdict:
            from starlette.exceptions import HTTPException  # type: ignore[import-not-found, unused-ignore]

            raise HTTPException(status_code=403, detail="Twilio request validation failed")


def validate_twilio_request(
    endpoint: Endpoint | None = None,
    *,
    auth_token: str | None = None,
    trust_forwarded: bool | int = False,
    base_url: str | None = None,
    shared_key_secret: str | Mapping[str, str] | None = None,
) -> Any:
    """Decorate a Starlette endpoint ``async def endpoint(request)``; 403 on a bad signature."""
    guard = WebhookGuard(
        auth_token, trust_forwarded=trust_forwarded, base_url=base_url, shared_key_secret=shared_key_secret
    )

    def decorate(func: Endpoint) -> Endpoint:
        @functools.wraps(func)
        async def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not await check_request(guard, request):
                from starlette.responses import PlainTextResponse  # type: ignore[import-not-found, unused-ignore]

                return PlainTextResponse("Twilio request validation failed", status_code=403)
            return await func(request, *args, **kwargs)

        return wrapper

    return decorate(endpoint) if endpoint is not None else decorate
