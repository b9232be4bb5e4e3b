"""Where a request goes: region and edge host rules, and ``api_base`` redirection."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from twilio_sdk.exceptions import TwilioException


def check_base(value: str, setting: str = "api_base") -> str:
    """``value`` if it can stand for every Twilio host (``http(s)://host[:port][/prefix]``),
    else a :class:`TwilioException` naming ``setting`` and the value."""
    problem = _base_problem(value)
    if problem:
        raise TwilioException(
            f"{setting}={value!r} is not a base URL such as http://127.0.0.1:4010: {problem}"
        )
    return value


def _base_problem(value: str) -> str | None:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "it needs an http:// or https:// scheme"
    if not parts.hostname:
        return "it has no host"
    if parts.query or parts.fragment:
        return "it may not carry a query or a fragment"
    if any(c.isspace() for c in value):
        return "it contains whitespace"
    return None


def rewrite(url: str, region: str | None, edge: str | None, api_base: str | None = None) -> str:
    """Apply the official region/edge rules to a ``*.twilio.com`` URL, or send it to
    ``api_base`` as ``<base>/<product>/<path>``. Other hosts are left alone."""
    if not (region or edge or api_base):
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.endswith(".twilio.com"):
        return url
    pieces = host[: -len(".twilio.com")].split(".")
    product = pieces[0]
    if api_base:
        base = api_base.rstrip("/")
        query = f"?{parts.query}" if parts.query else ""
        return f"{base}/{product}{parts.path}{query}"
    if not region and not edge:
        return url
    url_edge = url_region = None
    if len(pieces) == 3:
        url_edge, url_region = pieces[1], pieces[2]
    elif len(pieces) == 2:
        url_region = pieces[1]
    new_edge = edge or url_edge
    new_region = region or url_region or ("us1" if new_edge else None)
    labels = [product] + [p for p in (new_edge, new_region) if p]
    netloc = ".".join(labels) + ".twilio.com"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
