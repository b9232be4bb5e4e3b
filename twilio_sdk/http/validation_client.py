"""A transport that signs every request for Public Key Client Validation (PKCV).

It encodes the query and body itself, signs exactly those bytes (plus ``Authorization``
and ``Host``) into a ``Twilio-Client-Validation`` token, and hands the finished request to
the wrapped transport, so what is signed is what goes on the wire.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from twilio_sdk.exceptions import TwilioException
from twilio_sdk.http import HttpClient
from twilio_sdk.http.request import Request
from twilio_sdk.http.response import Response
from twilio_sdk.jwt.validation import (
    DEFAULT_TTL,
    HEADER_NAME,
    SIGNED_HEADERS,
    ClientValidationJwt,
    ValidationRequest,
    load_private_key,
)

__all__ = ["ValidationClient", "encode_form", "with_query"]

# Characters ``requests`` leaves alone when it re-quotes a URL.
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _pairs(values: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    items = values.items() if isinstance(values, Mapping) else values
    pairs: list[tuple[str, Any]] = []
    for name, value in items:
        many = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, v) for v in many if v is not None)
    return pairs


def encode_form(data: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str:
    """Form-encode like ``requests``: list values repeat the key, ``None`` values are dropped."""
    return urlencode(_pairs(data))


def with_query(url: str, params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> str:
    """``url`` with ``params`` appended to its query, re-quoted the way ``requests`` sends it."""
    parts = urlsplit(url)
    query = parts.query
    extra = encode_form(params) if params else ""
    if extra:
        query = f"{query}&{extra}" if query else extra
    path = quote(parts.path or "/", safe=_URL_SAFE)
    return urlunsplit((parts.scheme, parts.netloc, path, quote(query, safe=_URL_SAFE), ""))


def _basic(auth: tuple[str, str]) -> str:
    raw = f"{auth[0]}:{auth[1]}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


class ValidationClient(HttpClient):
    """Official-interface transport adding ``Twilio-Client-Validation`` to every request.

    ``private_key`` is the PEM text (or a ``cryptography`` key) whose public half was uploaded
    as the credential ``credential_sid``; use it with an API key:
    ``Client(api_key_sid, api_key_secret, account_sid, http_client=ValidationClient(...))``.
    ``http_client`` is the transport that actually sends (default: the ``requests`` one).
    """

    def __init__(
        self,
        account_sid: str,
        api_key_sid: str,
        credential_sid: str,
        private_key: Any,
        http_client: Any = None,
        *,
        ttl: int = DEFAULT_TTL,
        signed_headers: Iterable[str] = SIGNED_HEADERS,
        timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=timeout)
        self.account_sid = account_sid
        self.api_key_sid = api_key_sid
        self.credential_sid = credential_sid
        self.private_key = load_private_key(private_key)
        self.ttl = ttl
        self.signed_headers = tuple(signed_headers)
        self._http_client = http_client

    @property
    def http_client(self) -> Any:
        """The wrapped transport (the ``requests``-based default is made on first use)."""
        if self._http_client is None:
            from twilio_sdk.http.http_client import TwilioHttpClient

            self._http_client = TwilioHttpClient(timeout=self.timeout or 30.0)
        return self._http_client

    def sign(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Request:
        """The request as it will be sent: final URL, encoded body, headers incl. the token."""
        method = method.upper()
        url = with_query(url, params)
        all_headers = dict(headers or {})
        lower = {name.lower(): name for name in all_headers}
        body: str | bytes | None
        if data is None or isinstance(data, (str, bytes)):
            body = data
        elif isinstance(data, (Mapping, list, tuple)):
            body = encode_form(data)
            if "content-type" not in lower:
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            raise TypeError(f"cannot sign a {type(data).__name__} body; pass str, bytes or a form mapping")
        if auth is not None:
            all_headers.pop(lower.get("authorization", "Authorization"), None)
            all_headers["Authorization"] = _basic(auth)
        if "host" not in lower:
            all_headers["Host"] = urlsplit(url).netloc
        request = ValidationRequest.from_url(method, url, all_headers, body)
        try:
            token = ClientValidationJwt(
                self.account_sid,
                self.api_key_sid,
                self.credential_sid,
                self.private_key,
                request,
                ttl=self.ttl,
                signed_headers=self.signed_headers,
            ).to_jwt()
        except KeyError as exc:
            raise TwilioException(f"cannot sign the request for PKCV: {exc.args[0]}") from None
        all_headers[HEADER_NAME] = token
        return Request(method, url, None, body, all_headers, None)

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
        signed = self.sign(method, url, params, data, headers, auth)
        self.last_request = signed
        response: Response = self.http_client.request(
            signed.method,
            signed.url,
            params=None,
            data=signed.data,
            headers=signed.headers,
            auth=None,
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )
        self.last_response = response
        return response
