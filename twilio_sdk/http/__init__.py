"""Transports. The abstract :class:`HttpClient` and :class:`AsyncHttpClient` have the official
interface; importing this package imports neither ``requests`` nor ``aiohttp`` (the default
transports live in ``http_client`` and ``async_http_client``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_sdk.exceptions import TwilioException
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response

if TYPE_CHECKING:
    import logging

__all__ = ["AsyncHttpClient", "HttpClient", "Request", "Response"]


class HttpClient:
    """Base class for custom transports: implement :meth:`request`."""

    is_async = False

    def __init__(
        self, logger: logging.Logger | None = None, is_async: bool = False, timeout: float | None = None
    ) -> None:
        if timeout is not None and timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        if logger is None:
            import logging

            logger = logging.getLogger("twilio_sdk.http_client")
        self.logger = logger
        self.is_async = is_async
        self.timeout = timeout
        self.last_request: Request | None = None
        self.last_response: Response | None = None

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        raise TwilioException("HttpClient is abstract: implement request()")


class AsyncHttpClient(HttpClient):
    """Base class for custom asynchronous transports: implement ``async def request``."""

    is_async = True

    def __init__(
        self, logger: logging.Logger | None = None, is_async: bool = True, timeout: float | None = None
    ) -> None:
        super().__init__(logger, is_async, timeout)

    async def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, Any] | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        raise TwilioException("AsyncHttpClient is abstract: implement async request()")
