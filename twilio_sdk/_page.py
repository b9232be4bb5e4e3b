"""One page of a list, in each of Twilio's paging styles, and the way to the next one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from twilio_sdk.exceptions import TwilioException, from_response
from twilio_sdk.http.response import body_text

if TYPE_CHECKING:
    from twilio_sdk._instance import Instance
    from twilio_sdk._resource import ListResource
    from twilio_sdk.http.request import Request


class Page:
    """Records of one page, iterable; ``next_page()`` / ``previous_page()`` (and their
    ``_async`` twins) fetch the neighbours (``None`` at the ends)."""

    def __init__(self, owner: ListResource, url: str, payload: Any) -> None:
        self._owner = owner
        self.url = url
        self.payload = payload
        self._records = self._extract(payload)

    @classmethod
    def fetch(
        cls, owner: ListResource, url: str, params: dict[str, Any] | None, headers: dict[str, str]
    ) -> Page:
        requestor = owner._version.requestor
        request = requestor.prepare("GET", url, params or None, None, headers or None)
        return cls._build(owner, url, params, request, requestor.send(request))

    @classmethod
    async def fetch_async(
        cls, owner: ListResource, url: str, params: dict[str, Any] | None, headers: dict[str, str]
    ) -> Page:
        requestor = owner._version.requestor
        request = requestor.prepare("GET", url, params or None, None, headers or None)
        return cls._build(owner, url, params, request, await requestor.send_async(request))

    @classmethod
    def _build(
        cls, owner: ListResource, url: str, params: dict[str, Any] | None, request: Request, response: Any
    ) -> Page:
        text = body_text(response)
        if response.status_code != 200:
            raise from_response(response.status_code, text, "GET", request.full_url, "fetch page")
        try:
            payload = json.loads(text)
        except ValueError:
            raise TwilioException(f"the page at {request.full_url} is not JSON: {text[:200]!r}") from None
        if not isinstance(payload, (dict, list)):
            raise TwilioException(f"the page at {request.full_url} is not a JSON object")
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params, doseq=True)}"
        return cls(owner, url, payload)

    def _extract(self, payload: Any) -> list[dict[str, Any]]:
        if isinstance(payload, list):
            return payload
        res = self._owner._res
        meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else {}
        for key in (meta.get("key"), res.list_key, "Resources", "results"):
            if key and isinstance(payload.get(key), list):
                return payload[key]  # type: ignore[no-any-return]
        lists = [v for k, v in payload.items() if k != "meta" and isinstance(v, list)]
        if len(lists) == 1:
            return lists[0]  # type: ignore[no-any-return]
        raise TwilioException(f"cannot find the records in the page at {self.url}")

    # Records --------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Instance]:
        from twilio_sdk._instance import instance_class

        owner = self._owner
        version, res = owner._version, owner._res
        make = instance_class(res)
        base = owner._path if res.instance_param else None
        id_field = res.id_field
        for record in self._records:
            ident = record.get(id_field) if base is not None else None
            yield make(version, res, record, f"{base}/{ident}" if ident is not None else None)

    def __len__(self) -> int:
        return len(self._records)

    @property
    def records(self) -> list[Instance]:
        return list(self)

    # Neighbours -----------------------------------------------------------------------
    @property
    def next_page_url(self) -> str | None:
        return self._neighbour("next")

    @property
    def previous_page_url(self) -> str | None:
        return self._neighbour("previous")

    def _neighbour(self, which: str) -> str | None:
        payload = self.payload
        if not isinstance(payload, dict):
            return None
        meta = payload.get("meta") if isinstance(payload.get("meta"), dict) else None
        if meta is not None:
            if meta.get(f"{which}_page_url"):
                return str(meta[f"{which}_page_url"])
            token = meta.get(f"{which}_token") or meta.get(f"{which}Token")
            return self._with_query(self._token_param(), token) if token else None
        uri = payload.get(f"{which}_page_uri")
        if uri:
            return self._owner._version.spec.base_url + str(uri)
        if "totalResults" in payload and "startIndex" in payload:
            return self._scim_neighbour(payload, which)
        if "has_next" in payload:
            flag = payload.get("has_next" if which == "next" else "has_prev")
            current = int(payload.get("current_page") or 0)
            return self._with_query("Page", current + (1 if which == "next" else -1)) if flag else None
        return None

    def _scim_neighbour(self, payload: dict[str, Any], which: str) -> str | None:
        """SCIM lists (RFC 7644 §3.4.2) page by a 1-based ``startIndex``; ``totalResults``
        says where they end."""
        query = dict(parse_qsl(urlsplit(self.url).query))
        try:
            start = int(payload["startIndex"])
            total = int(payload["totalResults"])
            size = int(query.get("count") or query.get("PageSize") or payload.get("itemsPerPage") or 0)
        except (TypeError, ValueError):
            return None
        if size <= 0:
            return None
        if which == "next":
            return self._with_query("startIndex", start + size) if start + size <= total else None
        return self._with_query("startIndex", max(1, start - size)) if start > 1 else None

    def _token_param(self) -> str:
        op = self._owner._res.ops.get("list")
        wires = [p.wire for p in op.params] if op else []
        return next((w for w in wires if w.lower() in ("token", "pagetoken")), "PageToken")

    def _with_query(self, name: str, value: Any) -> str:
        parts = urlsplit(self.url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
        query.append((name, str(value)))
        return urlunsplit(parts._replace(query=urlencode(query)))

    def next_page(self) -> Page | None:
        url = self.next_page_url
        return Page.fetch(self._owner, url, None, {}) if url else None

    def previous_page(self) -> Page | None:
        url = self.previous_page_url
        return Page.fetch(self._owner, url, None, {}) if url else None

    async def next_page_async(self) -> Page | None:
        url = self.next_page_url
        return await Page.fetch_async(self._owner, url, None, {}) if url else None

    async def previous_page_async(self) -> Page | None:
        url = self.previous_page_url
        return await Page.fetch_async(self._owner, url, None, {}) if url else None

    def __repr__(self) -> str:
        return f"<twilio_sdk page of {self._owner._label}: {len(self)} records>"
