"""The interceptor for ``aiohttp`` (the official package's ``AsyncTwilioHttpClient`` and ours), built on
``aioresponses``: every request to a Twilio host goes to a handler that answers as the mock
(or, for the network guard, refuses). Other hosts go on to whatever ``aiohttp`` did before
(the real network, or an outer mock)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from twilio_mock.core.wire import MockRequest, MockResponse

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def available() -> bool:
    """Whether aiohttp and aioresponses are installed (the official package brings aiohttp)."""
    try:
        import aiohttp  # noqa: F401
        import aioresponses  # noqa: F401
    except ImportError:
        return False
    return True


class AiohttpLayer:
    """While started, ``aiohttp`` requests whose URL matches ``pattern`` get ``handle``'s answer.

    Layers stack (the network guard under a test's mock): aioresponses cannot patch over
    itself, so one patch serves every started layer and the most recent matching layer answers.
    """

    def __init__(self, pattern: re.Pattern[str], handle: Callable[[MockRequest], MockResponse]) -> None:
        self.pattern = pattern
        self.handle = handle

    def start(self) -> None:
        _LAYERS.append(self)
        _refresh()

    def stop(self) -> None:
        if self in _LAYERS:
            _LAYERS.remove(self)
            _refresh()


_LAYERS: list[AiohttpLayer] = []
_PATCH: list[Any] = []  # the one aioresponses patch, while any layer is started


def _refresh() -> None:
    """Make the patch answer exactly the URLs the started layers claim."""
    if not _LAYERS:
        if _PATCH:
            _PATCH.pop().stop()
        return
    if not _PATCH:
        from aioresponses import aioresponses

        patch = aioresponses(passthrough_unmatched=True)  # other URLs: what aiohttp did before
        patch.start()
        _PATCH.append(patch)
    patch = _PATCH[0]
    patch.clear()
    # One pattern for all (named groups dropped: the layers' patterns may share names).
    claimed = re.compile(
        "|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(?:', la.pattern.pattern)})" for la in _LAYERS),
        re.IGNORECASE,
    )
    for method in METHODS:
        patch.add(claimed, method=method, callback=_answer(method), repeat=True)


def _answer(method: str) -> Callable[..., Any]:
    def answer(url: Any, **kwargs: Any) -> Any:
        from aioresponses import CallbackResult

        text = str(url)
        layer = next(la for la in reversed(_LAYERS) if la.pattern.match(text))
        response = layer.handle(to_mock_request(method, text, kwargs))
        if response.fault is not None:
            raise network_error(response.fault)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return CallbackResult(
            status=response.status, body=response.body, headers=headers, response_class=_response_class()
        )

    return answer


def network_error(fault: str) -> Exception:
    """What aiohttp raises when a scripted fault drops the connection (``ClientOSError``, a
    ``ClientConnectionError``, for a reset) or never answers (``ServerTimeoutError``, also an
    ``asyncio.TimeoutError``)."""
    import aiohttp

    if fault == "timeout":
        return aiohttp.ServerTimeoutError("Timeout on reading data from socket (twilio-mock fault)")
    return aiohttp.ClientOSError(104, "Connection reset by peer (twilio-mock fault)")


def _response_class() -> Any:
    """aiohttp's ``ClientResponse``, built the way aioresponses builds it on every aiohttp
    release: aiohttp 3.14 added a required ``stream_writer`` that aioresponses 0.7.9 does not
    pass (with no writer, the response only reads its ``output_size``)."""
    global _RESPONSE
    if _RESPONSE is None:
        import inspect

        from aiohttp import ClientResponse

        if "stream_writer" not in inspect.signature(ClientResponse.__init__).parameters:
            _RESPONSE = ClientResponse
        else:

            class Response(ClientResponse):
                def __init__(self, method: str, url: Any, **kwargs: Any) -> None:
                    kwargs.setdefault("stream_writer", _Sent())
                    super().__init__(method, url, **kwargs)

            _RESPONSE = Response
    return _RESPONSE


class _Sent:
    output_size = 0


_RESPONSE: Any = None


def to_mock_request(method: str, url: str, kwargs: dict[str, Any]) -> MockRequest:
    """An aiohttp request's keyword arguments (as aioresponses hands them over) as a MockRequest."""
    headers = {str(k): str(v) for k, v in (kwargs.get("headers") or {}).items()}
    auth = kwargs.get("auth")
    if auth is not None and not any(k.lower() == "authorization" for k in headers):
        pair = f"{getattr(auth, 'login', '')}:{getattr(auth, 'password', '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    data, body = kwargs.get("data"), b""
    if kwargs.get("json") is not None:
        import json

        body = json.dumps(kwargs["json"]).encode()
        headers.setdefault("Content-Type", "application/json")
    elif isinstance(data, dict):
        pairs = [(k, v) for k, v in data.items() if v is not None]
        body = urlencode(
            [(k, i) for k, v in pairs for i in (v if isinstance(v, (list, tuple)) else [v])], doseq=False
        ).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif isinstance(data, str):
        body = data.encode()
    elif isinstance(data, (bytes, bytearray)):
        body = bytes(data)
    return MockRequest(method.upper(), url, headers, body)
