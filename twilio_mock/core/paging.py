"""List pages in each of Twilio's styles (reference/twilio-facts.md §3).

- ``v2010``: top-level ``first_page_uri``, ``next_page_uri``, ``previous_page_uri``, ``uri``,
  ``page``, ``page_size``, ``start``, ``end`` and the list key; relative URIs.
- ``meta``: a ``meta`` object with absolute ``*_page_url``s and ``key``.
- ``token``: ``meta`` with ``key``, ``pageSize``, ``nextToken``, ``previousToken``.
- ``pages``: ``results`` with ``has_next``/``has_prev``/``current_page``; ``scim``: ``Resources``.

Page tokens are ``PA``/``PB`` + the id of the record the page starts after / ends before,
found through the collection's index, so page k costs what page 0 costs; a filtered list
reads from the collection's secondary indexes (:mod:`twilio_mock.core.index`) the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from twilio_mock.core import dates, errors
from twilio_mock.core.index import Sorted, Window, rank
from twilio_mock.core.store import Collection
from twilio_mock.core.validation import Filter, norm

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
Record = dict[str, Any]


@dataclass
class Listing:
    """What a list request asks for and how to answer it."""

    style: str
    key: str | None
    coll: Collection | None
    desc: bool  # 2010-04-01 lists are newest first
    pred: Callable[[Record], bool] | None  # every filter (and visibility), or None
    window: Window | None  # candidates from an index (None: every live record)
    exact: bool  # every record of ``window`` passes ``pred``
    filters: list[tuple[str, str]]  # the declared filters as sent, kept in page URIs
    query: dict[str, str]
    list_path: str  # with the version prefix, without .json
    json_suffix: str
    base: str  # absolute origin for meta URLs
    render: Callable[[Record], dict[str, Any]]
    meta_keys: tuple[str, ...] = ()  # token style: the ``meta`` keys the API declares
    token_param: str = ""  # token style: the operation's token and page size parameters
    size_param: str = ""


def _int(query: dict[str, str], name: str, default: int, minimum: int) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text.strip())
    except ValueError:
        raise errors.MockError(400, 20001, f"Invalid parameter {name}: {errors.short(text)!r}") from None
    if value < minimum:
        raise errors.MockError(400, 20001, f"Invalid parameter {name}: {value} (minimum {minimum})")
    return value


def _size(query: dict[str, str], *names: str) -> int:
    for name in names:
        if name in query:
            size = _int(query, name, DEFAULT_PAGE_SIZE, 1)
            if size > MAX_PAGE_SIZE:
                raise errors.page_size_too_large(size)
            return size
    return DEFAULT_PAGE_SIZE


def narrow(coll: Collection, tests: list[Filter], value_of: Callable[[str, Record], Any]) -> Window | None:
    """The smallest index window holding every record that can pass ``tests`` (``None``: no
    index can answer, scan everything). ``value_of(field, record)`` is the value a filter sees."""
    best: Window | None = None
    for test in tests:
        field = test.field
        found: Window | None = None
        if test.equals is not None:
            found = coll.equality_index(field, _keys_of(field, value_of)).window(test.equals)
        elif test.span is not None:
            found = coll.date_index(field, _seconds_of(field, value_of)).window(*test.span)
        if found is not None and (best is None or found[2] - found[1] < best[2] - best[1]):
            best = found
    return best


def _keys_of(field: str, value_of: Callable[[str, Record], Any]) -> Callable[[Record], tuple[str, ...]]:
    def keys(record: Record) -> tuple[str, ...]:
        value = norm(value_of(field, record))
        if isinstance(value, list):
            return tuple(dict.fromkeys(v for v in value if isinstance(v, str)))
        return (value,) if isinstance(value, str) else ()

    return keys


def _seconds_of(field: str, value_of: Callable[[str, Record], Any]) -> Callable[[Record], float | None]:
    def seconds(record: Record) -> float | None:
        return dates.parse(value_of(field, record))

    return seconds


def select(lst: Listing, page: int, size: int, token: str | None) -> tuple[list[Record], bool]:
    """The records of one page and whether more follow.

    The page is read from a window of sorted raw positions: the collection's live records,
    or an index's answer for the filters. An exact window (one indexed filter, nothing else
    to check) is sliced directly; otherwise the window is scanned with the predicate.
    """
    coll = lst.coll
    if coll is None:
        return [], False
    seq: Sorted
    if lst.window is None:
        seq, lo, hi = coll.order, 0, len(coll.order)
    else:
        seq, lo, hi = lst.window
    n = hi - lo
    desc, pred = lst.desc, None if lst.exact else lst.pred
    items = coll.items

    def at(view: int) -> Record:
        record = items[seq[lo + (n - 1 - view if desc else view)]]
        assert record is not None
        return record

    start = end = None  # views: first after the anchor, and one past the last before it
    if token and len(token) > 2 and token[:2] in ("PA", "PB"):
        raw = coll.pos.get(token[2:])
        if raw is not None:
            c = min(max(rank(seq, raw), lo), hi) - lo
            present = c < n and seq[lo + c] == raw
            if desc:
                start, end = n - c, (n - 1 - c if present else n - c)
            else:
                start, end = (c + 1 if present else c), c
    if token and token[:2] == "PB" and end is not None:
        out: list[Record] = []
        view = end - 1
        while view >= 0 and len(out) < size:
            record = at(view)
            if pred is None or pred(record):
                out.append(record)
            view -= 1
        out.reverse()
        return out, True
    skip = 0 if start is not None else page * size
    start = start or 0
    if pred is None:
        start += skip
        stop = min(n, start + size)
        return [at(v) for v in range(start, stop)], stop < n
    out = []
    for view in range(start, n):
        record = at(view)
        if pred(record):
            if skip:
                skip -= 1
                continue
            if len(out) == size:
                return out, True
            out.append(record)
    return out, False


def respond(lst: Listing) -> Any:
    """The list response body for ``lst`` in its paging style."""
    style, query = lst.style, lst.query
    if style == "token":
        return _tokened(lst)
    if style == "scim":
        size = _size(query, "count", "PageSize")
        start = _int(query, "startIndex", 1, 1)
        records, _ = select(lst, 0, size + start - 1, None)
        window = records[start - 1 :]
        return {
            "Resources": [lst.render(r) for r in window],
            "totalResults": _total(lst) if _total(lst) is not None else len(records),
            "startIndex": start,
            "itemsPerPage": len(window),
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        }
    if style == "pages":
        size = _size(query, "PageSize", "Size")
        page = _int(query, "Page", 0, 0)
        records, more = select(lst, page, size, None)
        total = _total(lst)
        return {
            lst.key or "results": [lst.render(r) for r in records],
            "total_elements": total,
            "total_pages": None if total is None else (total + size - 1) // size,
            "current_page": page,
            "per_page": size,
            "has_next": more,
            "has_prev": page > 0,
        }
    if style == "none":
        records, _ = select(lst, 0, MAX_PAGE_SIZE, None)
        rendered = [lst.render(r) for r in records]
        if lst.key is None:
            return rendered
        out: dict[str, Any] = {lst.key: rendered}
        if lst.json_suffix:
            out["uri"] = lst.list_path + lst.json_suffix
        return out
    return _numbered(lst)


def _tokened(lst: Listing) -> dict[str, Any]:
    """Token pages: the ``meta`` keys the API declares (``next_token`` or ``nextToken``...),
    plus the page URLs the official clients follow (``next_page_url``), built with the
    operation's own token and size parameters."""
    query = lst.query
    token_name, size_name = lst.token_param or "PageToken", lst.size_param or "PageSize"
    size = _size(query, size_name, "PageSize", "Size")
    token = query.get(token_name) or query.get("PageToken") or None
    records, more = select(lst, 0, size, token)
    ids = [lst.coll.ident(r) for r in records] if lst.coll else []
    tokens = {
        "next": f"PA{ids[-1]}" if more and ids else None,
        "previous": f"PB{ids[0]}" if ids and token else None,
    }
    base = lst.base + lst.list_path

    def link(tok: str | None) -> str:
        pairs: list[tuple[str, Any]] = [*lst.filters, (size_name, size)]
        return f"{base}?{urlencode([*pairs, (token_name, tok)] if tok else pairs)}"

    declared = {
        "next_token": tokens["next"],
        "nextToken": tokens["next"],
        "previous_token": tokens["previous"],
        "previousToken": tokens["previous"],
        "page_size": size,
        "pageSize": size,
        "key": lst.key,
    }
    meta: dict[str, Any] = {k: declared.get(k) for k in lst.meta_keys} or {
        "key": lst.key,
        "pageSize": size,
        "nextToken": tokens["next"],
        "previousToken": tokens["previous"],
    }
    meta.update(
        {
            "key": lst.key,
            "page_size": size,
            "first_page_url": link(None),
            "previous_page_url": link(tokens["previous"]) if tokens["previous"] else None,
            "url": link(token),
            "next_page_url": link(tokens["next"]) if tokens["next"] else None,
        }
    )
    return {lst.key or "results": [lst.render(r) for r in records], "meta": meta}


def _total(lst: Listing) -> int | None:
    """How many records the list holds, when that is known without a scan."""
    if lst.coll is None:
        return 0
    if lst.pred is None:
        return len(lst.coll)
    if lst.exact and lst.window is not None:
        return lst.window[2] - lst.window[1]
    return None


def _numbered(lst: Listing) -> dict[str, Any]:
    """``v2010`` and ``meta`` pages: numbered, with PA/PB tokens in the neighbour links."""
    query = lst.query
    size = _size(query, "PageSize")
    page = _int(query, "Page", 0, 0)
    token = query.get("PageToken") or None
    records, more = select(lst, page, size, token)
    ids = [lst.coll.ident(r) for r in records] if lst.coll else []
    v2010 = lst.style == "v2010"
    base = lst.list_path + lst.json_suffix if v2010 else lst.base + lst.list_path

    def link(number: int, tok: str | None = None) -> str:
        pairs: list[tuple[str, Any]] = [*lst.filters, ("PageSize", size), ("Page", number)]
        if tok:
            pairs.append(("PageToken", tok))
        return f"{base}?{urlencode(pairs)}"

    next_link = link(page + 1, f"PA{ids[-1]}") if more and ids else None
    prev_link = None
    if page > 0:
        prev_link = link(page - 1, f"PB{ids[0]}") if ids else link(page - 1)
    rendered = [lst.render(r) for r in records]
    key = lst.key or "results"
    if v2010:
        start = page * size if records else 0
        return {
            key: rendered,
            "first_page_uri": link(0),
            "next_page_uri": next_link,
            "previous_page_uri": prev_link,
            "uri": link(page, token),
            "page": page,
            "page_size": size,
            "start": start,
            "end": start + len(records) - 1 if records else 0,
        }
    meta = {
        "page": page,
        "page_size": size,
        "first_page_url": link(0),
        "previous_page_url": prev_link,
        "url": link(page, token),
        "next_page_url": next_link,
        "key": key,
    }
    return {key: rendered, "meta": meta}
