"""Which recorded interaction answers a request, and why none does.

Requests are compared in their scrubbed form (the test's accounts already turned into the
placeholders the cassette holds, secrets all equal), on the fields of ``match_on``:

- ``method``;
- ``host``, canonical: region and edge labels ignored (``api.dublin.ie1.twilio.com`` is
  ``api.twilio.com``);
- ``path``, percent-decoded;
- ``query``, a mapping: order-insensitive, a repeated parameter's values too;
- ``body``: form fields as a mapping (order-insensitive), JSON as parsed, other text as is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

from twilio_mock.cassettes.scrubber import normalize
from twilio_mock.ways_in.interceptor import TWILIO_URL

__all__ = ["DEFAULT_MATCH_ON", "MATCH_FIELDS", "Matcher", "canonical", "describe"]

MATCH_FIELDS = ("method", "host", "path", "query", "body")
DEFAULT_MATCH_ON = MATCH_FIELDS
_WEIGHT = {"method": 4, "host": 4, "path": 8, "query": 1, "body": 1}  # for "nearest"


def canonical_host(url: str) -> str:
    match = TWILIO_URL.match(url)
    if match:
        return f"{match['product'].lower()}.twilio.com"
    return (urlsplit(url).hostname or "").lower()


def _multi(mapping: Any) -> dict[str, list[str]]:
    if not isinstance(mapping, dict):
        return {}
    out = {}
    for key, value in mapping.items():
        values = value if isinstance(value, list) else [value]
        out[str(key)] = sorted(str(v) for v in values)
    return out


def canonical(request: dict[str, Any]) -> dict[str, Any]:
    """The comparable form of a stored or scrubbed request."""
    request = normalize(request)
    url = str(request.get("url", ""))
    body: Any = None
    if "form" in request:
        body = ("form", _multi(request["form"]))
    elif "json" in request:
        body = ("json", request["json"])
    elif "body" in request or "body_base64" in request:
        body = ("text", request.get("body", request.get("body_base64")))
    return {
        "method": str(request.get("method", "")).upper(),
        "host": canonical_host(url),
        "path": unquote(urlsplit(url).path),
        "query": _multi(request.get("query")),
        "body": body,
    }


def _show(value: Any) -> str:
    if value is None:
        return "(absent)"
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return json.dumps(value, ensure_ascii=False)[:200]


def describe(request: dict[str, Any]) -> str:
    """One line for a stored or scrubbed request: method, URL with its query, body fields."""
    line = f"{request.get('method')} {request.get('url')}"
    query = request.get("query")
    if query:
        line += "?" + "&".join(f"{k}={v}" for k, values in _multi(query).items() for v in values)
    for kind in ("form", "json", "body"):
        if kind in request:
            line += f"  {kind}: {json.dumps(request[kind], ensure_ascii=False)[:300]}"
    return line


class Matcher:
    """Compares requests on the fields of ``match_on``."""

    def __init__(self, match_on: Iterable[str] = DEFAULT_MATCH_ON) -> None:
        fields = tuple(match_on)
        unknown = [f for f in fields if f not in MATCH_FIELDS]
        if unknown:
            raise ValueError(f"match_on: unknown field {unknown[0]!r}; choose from {', '.join(MATCH_FIELDS)}")
        self.fields = fields

    def matches(self, recorded: dict[str, Any], sent: dict[str, Any]) -> bool:
        return all(recorded[f] == sent[f] for f in self.fields)

    def differences(self, recorded: dict[str, Any], sent: dict[str, Any]) -> list[tuple[str, str, str]]:
        """(field, recorded, sent) for each difference, mappings compared key by key."""
        out: list[tuple[str, str, str]] = []
        for field in self.fields:
            mine, theirs = recorded[field], sent[field]
            if mine == theirs:
                continue
            if field == "query":
                out.extend(_by_key("query", mine, theirs))
            elif field == "body" and _mappings(mine, theirs):
                out.extend(_by_key("body", mine[1], theirs[1]))
            elif field == "body":
                out.append(("body", _show_body(mine), _show_body(theirs)))
            else:
                out.append((field, _show(mine), _show(theirs)))
        return out

    def nearest(self, recorded: list[dict[str, Any]], sent: dict[str, Any]) -> int | None:
        """The index of the recorded request closest to ``sent`` (first of the closest)."""
        best, best_score = None, None
        for index, candidate in enumerate(recorded):
            score = 0
            for field in MATCH_FIELDS:  # every field counts here, so "nearest" means something
                if candidate[field] == sent[field]:
                    continue
                if field in ("query", "body"):
                    score += max(1, len(_by_key(field, _as_map(candidate[field]), _as_map(sent[field]))))
                else:
                    score += _WEIGHT[field]
            if best_score is None or score < best_score:
                best, best_score = index, score
        return best


def _mappings(mine: Any, theirs: Any) -> bool:
    """Both bodies are forms, or both JSON objects: compared field by field."""
    if not (mine and theirs and mine[0] == theirs[0]):
        return False
    return mine[0] == "form" or (isinstance(mine[1], dict) and isinstance(theirs[1], dict))


def _as_map(value: Any) -> dict[str, Any]:
    if isinstance(value, tuple):
        value = value[1]
    return value if isinstance(value, dict) else {"": value}


def _by_key(prefix: str, mine: dict[str, Any], theirs: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for key in sorted(set(mine) | set(theirs)):
        if mine.get(key) != theirs.get(key):
            out.append((f"{prefix}.{key}", _show(mine.get(key)), _show(theirs.get(key))))
    return out


def _show_body(body: Any) -> str:
    if body is None:
        return "(none)"
    kind, value = body
    return f"{kind} {json.dumps(value, ensure_ascii=False)[:200]}"
