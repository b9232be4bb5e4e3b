"""The cassette file: one YAML format for recording and replaying, readable in review.

::

    format: twilio_mock.cassette/1
    interactions:
    - request:
        method: POST
        url: https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json
        headers:
          Content-Type: application/x-www-form-urlencoded
        form:
          Body: Hi
          To: '+15558675310'
      response:
        status: 201
        headers:
          Content-Type: application/json
        json:
          sid: SM...
      recorded_at: '2025-01-01T00:00:00Z'

``url`` holds no query string: the query is the ``query`` mapping. Bodies are decoded: a JSON
body as ``json``, a form body as ``form`` (fields sorted, a repeated field as a list of its
values in the order sent), other text as ``body``, bytes that are not UTF-8 as ``body_base64``.
JSON keys are sorted, so the same session writes the same bytes (``recorded_at`` aside).

Headers are kept by name from an allow-list, never by a deny-list, since no list can know every
secret a header may carry: requests keep ``Content-Type`` (it says how the body was encoded);
responses keep ``Content-Type`` and ``Retry-After`` (429 replays need it). ``Authorization``,
``Cookie``/``Set-Cookie``, ``X-Twilio-Signature``, ``Twilio-Client-Validation``, ``User-Agent``
and the ``Accept`` family, ``Date`` and request ids are never written.
"""

from __future__ import annotations

import base64
import contextlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import yaml

from twilio_mock.cassettes.errors import CassetteError

__all__ = [
    "FORMAT",
    "REQUEST_HEADERS",
    "RESPONSE_HEADERS",
    "Interaction",
    "decode_request",
    "decode_response",
    "dumps",
    "encode_response",
    "load",
    "loads",
    "write",
]

FORMAT = "twilio_mock.cassette/1"
REQUEST_HEADERS = ("Content-Type",)
RESPONSE_HEADERS = ("Content-Type", "Retry-After")
BODY_KEYS = ("json", "form", "body", "body_base64")

Interaction = dict[str, Any]  # {"request": {...}, "response": {...}, "recorded_at": "..."}


def header(headers: dict[str, str], name: str) -> str | None:
    lowered = name.lower()
    return next((str(v) for k, v in headers.items() if k.lower() == lowered), None)


def pairs_to_mapping(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Form or query pairs as a mapping with sorted keys; a repeated key holds a list."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {k: (v[0] if len(v) == 1 else v) for k, v in sorted(grouped.items())}


def mapping_to_pairs(mapping: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in mapping.items():
        for item in value if isinstance(value, list) else [value]:
            out.append((str(key), str(item)))
    return out


def sort_json(value: Any) -> Any:
    """``value`` with every object's keys sorted (Twilio promises no key order)."""
    if isinstance(value, dict):
        return {str(k): sort_json(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list):
        return [sort_json(v) for v in value]
    return value


def _body(out: dict[str, Any], content_type: str, data: bytes, form_ok: bool) -> None:
    if not data:
        return
    ctype = content_type.lower()
    if "json" in ctype:
        with contextlib.suppress(ValueError):
            out["json"] = sort_json(json.loads(data))
            return
    if form_ok and "x-www-form-urlencoded" in ctype:
        with contextlib.suppress(UnicodeDecodeError):
            out["form"] = pairs_to_mapping(parse_qsl(data.decode("utf-8"), keep_blank_values=True))
            return
    try:
        out["body"] = data.decode("utf-8")
    except UnicodeDecodeError:
        out["body_base64"] = base64.b64encode(data).decode("ascii")


def decode_request(method: str, url: str, headers: dict[str, str], data: bytes) -> dict[str, Any]:
    """A request as plain data; every header is kept (the scrubber reads and drops them)."""
    parts = urlsplit(url)
    out: dict[str, Any] = {
        "method": method.upper(),
        "url": urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", "", "")),
        "headers": dict(headers),
    }
    if parts.query:
        out["query"] = pairs_to_mapping(parse_qsl(parts.query, keep_blank_values=True))
    _body(out, header(headers, "Content-Type") or "", data, form_ok=True)
    return out


def decode_response(status: int, headers: dict[str, str], data: bytes) -> dict[str, Any]:
    out: dict[str, Any] = {"status": int(status), "headers": dict(headers)}
    _body(out, header(headers, "Content-Type") or "", data, form_ok=False)
    return out


def keep_headers(headers: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, str]:
    """The allowed headers only, under their canonical names."""
    out = {}
    for name in allowed:
        value = header(headers, name)
        if value is not None:
            out[name] = value
    return out


def encode_response(response: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    """A stored response as ``responses`` wants it: status, headers, body bytes."""
    headers = {str(k): str(v) for k, v in (response.get("headers") or {}).items()}
    if "json" in response:
        body = json.dumps(response["json"], separators=(",", ":")).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif "body_base64" in response:
        body = base64.b64decode(str(response["body_base64"]))
    else:
        body = str(response.get("body", "")).encode("utf-8")
    return int(response["status"]), headers, body


# YAML ------------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """Block style everywhere; multi-line text as a literal block, for reading diffs."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
# libyaml's loader when there is one (ten times faster; the same values); files are always
# written by the pure-Python dumper, so the bytes do not depend on the machine.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def dumps(interactions: list[Interaction]) -> str:
    document = {"format": FORMAT, "interactions": interactions}
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=4096
    )


def loads(text: str, where: str = "<cassette>") -> list[Interaction]:
    """The interactions of a cassette's text; :class:`CassetteError` naming ``where`` otherwise."""
    try:
        document = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise CassetteError(f"{where}: not YAML: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CassetteError(f"{where}: not a cassette (no 'format: {FORMAT}' header)")
    interactions = document.get("interactions") or []
    if not isinstance(interactions, list):
        raise CassetteError(f"{where}: 'interactions' must be a list")
    for i, item in enumerate(interactions):
        request = item.get("request") if isinstance(item, dict) else None
        response = item.get("response") if isinstance(item, dict) else None
        if not (
            isinstance(request, dict)
            and isinstance(response, dict)
            and isinstance(request.get("method"), str)
            and isinstance(request.get("url"), str)
            and isinstance(response.get("status"), int)
        ):
            raise CassetteError(
                f"{where}: interaction #{i + 1} needs request.method, request.url and response.status"
            )
    return interactions


def load(path: Path) -> list[Interaction]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(f"{path}: cannot read the cassette: {exc}") from None
    return loads(text, str(path))


def write(path: Path, interactions: list[Interaction]) -> None:
    """Write atomically (:func:`~twilio_mock.core.durability.write_atomic`): a temporary file
    beside ``path``, flushed, renamed over it, the directory synced."""
    from twilio_mock.core.durability import write_atomic

    text = dumps(interactions)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"), prefix=f".{path.name}.", suffix=".tmp")
