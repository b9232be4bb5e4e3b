"""Running one operation: keyword arguments -> wire request -> instance, page or error."""

from __future__ import annotations

import difflib
import json
from collections.abc import Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from twilio_sdk._serialize import flatten, wire_value
from twilio_sdk.exceptions import TwilioException, from_response
from twilio_sdk.http.response import body_text
from twilio_sdk.spec import Operation

if TYPE_CHECKING:
    from twilio_sdk._instance import Instance
    from twilio_sdk._page import Page
    from twilio_sdk._resource import Context, ListResource
    from twilio_sdk.http.request import Request

ACTIONS = {
    "create": "create record",
    "fetch": "fetch record",
    "update": "update record",
    "patch": "update record",
    "delete": "delete record",
    "list": "fetch page",
}
MAX_PAGE_SIZE = 1000
F = TypeVar("F", bound=Callable[..., Any])
COLLAPSIBLE = "prefixed-collapsible-map"


def encode(
    op: Operation, args: tuple[Any, ...], kwargs: dict[str, Any], owner: str
) -> tuple[dict[str, Any], Any, dict[str, str]]:
    """Map Python arguments onto query params, body and headers, by the description."""
    if args:
        if len(args) > len(op.required):
            raise TypeError(f"{owner}.{op.verb}() takes at most {len(op.required)} positional arguments")
        for name, value in zip(op.required, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{owner}.{op.verb}() got multiple values for {name!r}")
            kwargs[name] = value
    query: dict[str, Any] = {}
    form: dict[str, Any] = {}
    headers: dict[str, str] = {}
    body: Any = None
    for name, value in kwargs.items():
        param = op.by_name.get(name)
        if param is None:
            near = difflib.get_close_matches(name, list(op.by_name), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise TypeError(f"{owner}.{op.verb}() got an unexpected keyword argument {name!r}{hint}")
        if value is None:
            continue
        where = param.location
        if isinstance(value, dict) and COLLAPSIBLE in param.type and where in ("query", "form"):
            # ``AddOnsData={"a": {"b": 1}}`` goes out as ``AddOns.a.b=1``: the prefix is the
            # type's suffix, as in the official package, not the parameter's wire name.
            prefix = param.type.split(COLLAPSIBLE, 1)[1].lstrip("-") or param.wire
            flat = {k: wire_value(v, "string") for k, v in flatten(prefix, value).items()}
            (query if where == "query" else form).update(flat)
        elif where == "query":
            query[param.wire] = wire_value(value, param.type)
        elif where == "header":
            headers[param.wire] = str(wire_value(value, param.type))
        elif where == "body":
            body = value.to_dict() if hasattr(value, "to_dict") else value
        else:
            form[param.wire] = wire_value(value, param.type)
    missing = [n for n in op.required if kwargs.get(n) is None]
    if missing:
        raise TypeError(f"{owner}.{op.verb}() missing required argument(s): {', '.join(missing)}")
    if body is not None:
        headers["Content-Type"] = "application/json"
        return query, json.dumps(body), headers
    return query, form, headers


def bind(node: ListResource | Context, op: Operation) -> Callable[..., Any]:
    """The method for a create/fetch/update/delete/patch operation on ``node``."""

    def call(*args: Any, **kwargs: Any) -> Any:
        request = _request(node, op, args, kwargs)
        return _result(node, op, request, node._version.requestor.send(request))

    return _named(call, node, op.verb, f"{op.method} {op.path}")


def bind_async(node: ListResource | Context, op: Operation) -> Callable[..., Awaitable[Any]]:
    """``<verb>_async``: the same operation through an asynchronous transport."""

    async def call(*args: Any, **kwargs: Any) -> Any:
        request = _request(node, op, args, kwargs)
        return _result(node, op, request, await node._version.requestor.send_async(request))

    return _named(call, node, f"{op.verb}_async", f"{op.method} {op.path} (awaitable)")


def _named(call: F, node: ListResource | Context, name: str, doc: str) -> F:
    call.__name__ = name
    call.__qualname__ = f"{node._label}.{name}"
    call.__doc__ = doc
    return call


def _request(
    node: ListResource | Context, op: Operation, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Request:
    query, data, headers = encode(op, args, kwargs, node._label)
    version = node._version
    return version.requestor.prepare(op.method, version.url(node._uri), query or None, data or None, headers)


def _result(node: ListResource | Context, op: Operation, request: Request, response: Any) -> Any:
    """What the operation returns for ``response``: an instance, ``True`` for an empty
    delete, or the mapped error."""
    from twilio_sdk._instance import instance_class

    status = response.status_code
    text = body_text(response)
    ok = 200 <= status < (400 if op.verb == "fetch" else 300)
    if not ok:
        raise from_response(status, text, op.method, request.full_url, ACTIONS[op.verb])
    if op.verb == "delete" and not text.strip():
        return True
    try:
        payload = json.loads(text) if text.strip() else {}
    except ValueError:
        raise TwilioException(
            f"{op.method} {request.full_url} answered {status} with a body that is not JSON: {text[:200]!r}"
        ) from None
    if not isinstance(payload, dict):
        return payload
    res = node._res
    version = node._version
    if op.on == "instance" or res.singleton:
        path = node._path if op.on == "instance" else None
    else:
        ident = payload.get(res.id_field)
        path = f"{node._path}/{ident}" if ident is not None and res.instance_param else None
    return instance_class(res)(version, res, payload, path)


# List verbs, bound onto ListResource by attribute lookup. --------------------------------
def _page_args(
    self: ListResource,
    page_token: str | None,
    page_number: int | None,
    page_size: int | None,
    kwargs: dict[str, Any],
) -> tuple[str, dict[str, Any], dict[str, str]]:
    op = self._res.ops["list"]
    query, _, headers = encode(op, (), kwargs, self._label)
    for wire, value in (("PageToken", page_token), ("Page", page_number), ("PageSize", page_size)):
        if value is not None:
            query[wire] = value
    return self._version.url(self._uri), query, headers


def page(
    self: ListResource,
    page_token: str | None = None,
    page_number: int | None = None,
    page_size: int | None = None,
    **kwargs: Any,
) -> Page:
    """One page of records (``PageToken``, ``Page``, ``PageSize`` as given)."""
    from twilio_sdk._page import Page

    return Page.fetch(self, *_page_args(self, page_token, page_number, page_size, kwargs))


async def page_async(
    self: ListResource,
    page_token: str | None = None,
    page_number: int | None = None,
    page_size: int | None = None,
    **kwargs: Any,
) -> Page:
    """:func:`page`, awaited."""
    from twilio_sdk._page import Page

    return await Page.fetch_async(self, *_page_args(self, page_token, page_number, page_size, kwargs))


def get_page(self: ListResource, target_url: str) -> Page:
    """The page at an absolute URL (as found in ``next_page_url``)."""
    from twilio_sdk._page import Page

    return Page.fetch(self, target_url, None, {})


async def get_page_async(self: ListResource, target_url: str) -> Page:
    """:func:`get_page`, awaited."""
    from twilio_sdk._page import Page

    return await Page.fetch_async(self, target_url, None, {})


def _limits(limit: int | None, page_size: int | None) -> int | None:
    """The first page's size for ``limit`` / ``page_size`` (checked)."""
    if limit is not None and limit <= 0:
        raise ValueError("limit must be positive")
    if page_size is None and limit is not None:
        page_size = min(limit, MAX_PAGE_SIZE)
    if page_size is not None and page_size <= 0:
        raise ValueError("page_size must be positive")
    return page_size


def stream(
    self: ListResource, limit: int | None = None, page_size: int | None = None, **kwargs: Any
) -> Iterator[Instance]:
    """Records one by one, fetching each page only when it is needed."""
    current: Page | None = page(self, page_size=_limits(limit, page_size), **kwargs)
    count = 0
    while current is not None:
        for record in current:
            yield record
            count += 1
            if limit is not None and count >= limit:
                return
        current = current.next_page()


def list_(
    self: ListResource, limit: int | None = None, page_size: int | None = None, **kwargs: Any
) -> list[Instance]:
    """All records (up to ``limit``) as a list."""
    return list(stream(self, limit=limit, page_size=page_size, **kwargs))


def stream_async(
    self: ListResource, limit: int | None = None, page_size: int | None = None, **kwargs: Any
) -> AsyncStream:
    """Records one by one, each page fetched only when reached: ``async for r in
    stream_async()``, or, as in the official package, ``async for r in await stream_async()``."""
    size = _limits(limit, page_size)
    return AsyncStream(lambda: page_async(self, page_size=size, **kwargs), limit)


async def list_async(
    self: ListResource, limit: int | None = None, page_size: int | None = None, **kwargs: Any
) -> list[Instance]:
    """All records (up to ``limit``) as a list, awaited."""
    return [record async for record in stream_async(self, limit=limit, page_size=page_size, **kwargs)]


class AsyncStream:
    """The records of a list, page after page, for ``async for``. Awaiting it fetches the
    first page and gives the stream back (the official ``await stream_async()`` form)."""

    def __init__(self, first: Callable[[], Awaitable[Page]], limit: int | None) -> None:
        self._first: Callable[[], Awaitable[Page]] | None = first
        self._page: Page | None = None
        self._records: Iterator[Instance] = iter(())
        self._limit = limit
        self._count = 0

    async def _start(self) -> None:
        if self._first is not None:
            first, self._first = self._first, None
            self._page = await first()
            self._records = iter(self._page)

    def __await__(self) -> Generator[Any, None, AsyncStream]:
        yield from self._start().__await__()
        return self

    def __aiter__(self) -> AsyncStream:
        return self

    async def __anext__(self) -> Instance:
        await self._start()
        if self._limit is not None and self._count >= self._limit:
            raise StopAsyncIteration
        while True:
            record = next(self._records, None)
            if record is not None:
                self._count += 1
                return record
            current = self._page
            self._page = await current.next_page_async() if current is not None else None
            if self._page is None:
                raise StopAsyncIteration
            self._records = iter(self._page)


LIST_METHODS: dict[str, Callable[..., Any]] = {
    "list": list_,
    "stream": stream,
    "page": page,
    "get_page": get_page,
    "list_async": list_async,
    "stream_async": stream_async,
    "page_async": page_async,
    "get_page_async": get_page_async,
}
