"""The public URL Twilio requested, from what the app sees and (when trusted) proxy headers.

Signatures cover the exact URL Twilio requested. Behind a TLS-terminating proxy or a tunnel
the app sees ``http://internal:8000/...`` instead; ``X-Forwarded-Proto``/``-Host``/``-Port``
(or RFC 7239 ``Forwarded``) say what the client asked for. They are only believed when the app
says how many proxies in front of it set them: a client can send these headers too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

from twilio_sdk.webhooks.validator import header_value

__all__ = ["asgi_url", "public_url", "wsgi_url"]

_DEFAULT_PORTS = {"http": "80", "https": "443"}
# Characters left as they are when a decoded path has to be encoded again.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def _host_with_port(host: str, port: str | None, scheme: str) -> str:
    if not port or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def wsgi_url(environ: Mapping[str, Any]) -> str:
    """The request URL as the WSGI server received it (raw path and query when available)."""
    scheme = str(environ.get("wsgi.url_scheme", "http"))
    host = environ.get("HTTP_HOST")
    if not host:
        host = _host_with_port(
            str(environ.get("SERVER_NAME", "localhost")), str(environ.get("SERVER_PORT", "")), scheme
        )
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and str(raw).startswith("/"):
        target = str(raw)
    else:
        path = (str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))).encode("latin-1")
        target = quote(path, safe=_PATH_SAFE) or "/"
        query = str(environ.get("QUERY_STRING", ""))
        if query:
            target += "?" + query
    return f"{scheme}://{host}{target}"


def asgi_url(scope: Mapping[str, Any]) -> str:
    """The request URL as the ASGI server received it (``raw_path`` when available)."""
    scheme = str(scope.get("scheme", "http"))
    host = None
    for name, value in scope.get("headers", ()):
        if name.lower() == b"host":
            host = value.decode("latin-1")
            break
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = _host_with_port(str(server[0]), None if server[1] is None else str(server[1]), scheme)
    raw_path = scope.get("raw_path")
    if raw_path:
        target = raw_path.decode("latin-1")
    else:
        path = (scope.get("root_path", "") + scope.get("path", "/")).encode("utf-8")
        target = quote(path, safe=_PATH_SAFE) or "/"
    query = scope.get("query_string", b"")
    if query:
        target += "?" + query.decode("latin-1")
    return f"{scheme}://{host}{target}"


def _pick(value: str | None, hops: int) -> str | None:
    """The value set by the ``hops``-th proxy from the app (the ``hops``-th from the right)."""
    if not value:
        return None
    items = [item.strip() for item in value.split(",")]
    if len(items) < hops:
        return None
    return items[-hops] or None


def _forwarded_element(value: str | None, hops: int) -> dict[str, str]:
    element = _pick(value, hops)
    pairs: dict[str, str] = {}
    for pair in (element or "").split(";"):
        name, _, item = pair.partition("=")
        if item:
            pairs[name.strip().lower()] = item.strip().strip('"')
    return pairs


def public_url(
    seen_url: str,
    headers: Mapping[str, Any] | Any,
    trust_forwarded: bool | int = False,
    base_url: str | None = None,
) -> str:
    """The URL Twilio requested.

    ``base_url`` (``"https://example.com"``) replaces scheme and host outright. Otherwise, when
    ``trust_forwarded`` is ``True`` (one proxy) or the number of proxies in front of the app,
    scheme, host and port come from the forwarding headers those proxies set; else the URL is
    used as seen.
    """
    parts = urlsplit(seen_url)
    target = seen_url[seen_url.find("//") + 2 + len(parts.netloc) :] if parts.netloc else seen_url
    if base_url:
        return base_url.rstrip("/") + target
    hops = int(trust_forwarded)
    if hops <= 0:
        return seen_url
    proto = _pick(header_value(headers, "X-Forwarded-Proto"), hops)
    host = _pick(header_value(headers, "X-Forwarded-Host"), hops)
    port = _pick(header_value(headers, "X-Forwarded-Port"), hops)
    if not (proto or host or port):
        forwarded = _forwarded_element(header_value(headers, "Forwarded"), hops)
        proto, host = forwarded.get("proto"), forwarded.get("host")
    scheme = (proto or parts.scheme).lower()
    netloc = host or parts.netloc
    if port:
        netloc = _host_with_port(_strip_port(netloc), port, scheme)
    elif proto and not host and scheme != parts.scheme:
        netloc = _strip_port(netloc)  # the port seen belonged to the internal hop
    return f"{scheme}://{netloc}{target}"


def _strip_port(netloc: str) -> str:
    userinfo, at, host = netloc.rpartition("@")
    host = host[: host.find("]") + 1] if host.startswith("[") else host.partition(":")[0]
    return userinfo + at + host
