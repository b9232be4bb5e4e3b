"""Shared helpers for the mock tests: raw requests to a backend, and minimal valid
parameters generated from the description."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from twilio_mock import Backend, MockRequest, MockResponse
from twilio_sdk import spec as _spec
from twilio_sdk.spec import Operation, Param

FORM = "application/x-www-form-urlencoded"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Raw:
    """Sends requests straight to ``backend.handle`` with the given credentials."""

    def __init__(self, backend: Backend, user: str | None = None, password: str | None = None) -> None:
        self.backend = backend
        self.auth = basic(user or backend.account_sid, password or backend.auth_token)

    def __call__(
        self,
        method: str,
        url: str,
        data: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        auth: str | None = None,
        query: Mapping[str, Any] | None = None,
        **params: Any,
    ) -> MockResponse:
        headers = {"Authorization": auth if auth is not None else self.auth}
        body = b""
        if json_body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(json_body).encode()
        elif data is not None:
            headers["Content-Type"] = FORM
            body = urlencode(data, doseq=True).encode()
        query = {**(query or {}), **params}
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query, doseq=True)
        return self.backend.handle(MockRequest(method, url, headers, body))


def sample(param: Param, enums: dict[str, list[Any]]) -> Any:
    """A valid value for a parameter of the description."""
    return sample_type(param.type, enums)


def sample_type(type_: str, enums: dict[str, list[Any]]) -> Any:
    if type_.startswith("array:"):
        return [sample_type(type_[len("array:") :], enums)]
    if type_.startswith("enum:"):
        values = [v for v in enums.get(type_[len("enum:") :], []) if isinstance(v, str)]
        return values[0] if values else "x"
    return {
        "string:phone-number": "+15005550006",
        "string:endpoint": "+15005550006",
        "string:uri": "https://example.com/cb",
        "string:date-time": "2025-01-02T00:00:00Z",
        "string:date": "2025-01-02",
        "integer": "1",
        "integer:int32": "1",
        "number": "1.5",
        "boolean": "true",
        "string:email": "a@example.com",
        "string:iso-country-code": "US",
        "any": "{}",
        "object": "{}",
    }.get(type_, "x")


def minimal_params(op: Operation, enums: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    """Required parameters plus the first member of each conditional group."""
    wanted = set(op.required)
    for group in op.conditional:
        present = [p for p in op.params if p.name in group or p.name.rstrip("_") in group]
        if present:
            wanted.add(present[0].name)
    out = []
    for p in op.params:
        if (p.name in wanted or p.name.rstrip("_") in wanted) and p.location in ("form", "query"):
            out.append((p.wire, sample(p, enums)))
    return out


def fill(template: str, value: str = "TestValue") -> list[str]:
    return [value if s.startswith("{") else s for s in template.split("/") if s]


def url_for(domain: str, version: str, segs: list[str], json_suffix: bool) -> str:
    vspec = _spec.version_spec(domain, version)
    path = vspec.prefix + ("/" + "/".join(quote(s, safe="") for s in segs) if segs else "")
    return vspec.base_url + path + (".json" if json_suffix else "")
