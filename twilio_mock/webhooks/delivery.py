"""Webhooks out: requests from the fake Twilio to the user's app, signed exactly as Twilio signs
them (``twilio_sdk.webhooks.sign_webhook`` with the account's auth token: the mock has no
signing code of its own), and the record of every delivery.

A delivery goes straight into a WSGI or ASGI app registered for a base URL
(``webhooks.route("https://myapp.test", app)``: tests, no sockets), else over real HTTP
(``urllib3``, which the interceptors do not patch, so a mock in a test never answers its own
webhooks). Twilio's defaults (reference/twilio-facts.md §19): POST, form-encoded, a connect
timeout of 5 s tried twice, 15 s for the whole answer; a ``#key=value`` connection-override
fragment is never sent. A failing or unreachable app is recorded, never an exception. A
scripted fault naming the webhook's host (``backend.faults.add(host="app.test", timeout=True)``)
applies to the delivery: ``extra["fault"]`` says which fired, ``extra["error_code"]`` the code
Twilio logs for a timeout or a reset.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from twilio_mock.core.faults import Fault, Faults
from twilio_mock.core.minter import Minter

BODY_KEPT = 64 * 1024  # of the app's answer (Twilio logs 11750 past 64 kB)
USER_AGENT = "TwilioProxy/1.1"  # unconfirmed: Twilio's own, from memory (reference §19)
CONNECT_TIMEOUT = 5.0
TOTAL_TIMEOUT = 15.0
TIMEOUT_CODE = 11205  # no answer within 15 s (reference §17.2)
RESET_CODE = 11200  # the catch-all for network trouble (§17.2); for a reset: unconfirmed
App = Callable[..., Any]


@dataclass
class Delivery:
    """One webhook request and what the app answered (``status`` ``None``: no answer)."""

    seq: int
    time: float
    event: str  # what sent it: "message.status", "message.inbound", ...
    account_sid: str
    method: str
    url: str  # as signed: the URL the app was configured with, fragment removed
    params: list[tuple[str, str]]
    headers: dict[str, str]
    status: int | None = None
    body: str = ""
    latency_ms: float = 0.0
    error: str | None = None
    # The signature checked as the app would, with ``twilio_sdk.webhooks.RequestValidator`` and
    # the account's auth token at delivery time (``None``: the account is unknown).
    signature_valid: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def form(self) -> dict[str, str]:
        """The parameters, first value of each name."""
        out: dict[str, str] = {}
        for key, value in self.params:
            out.setdefault(key, value)
        return out

    def __str__(self) -> str:
        answer = self.status if self.status is not None else f"no answer ({self.error})"
        return f"#{self.seq} {self.event} {self.method} {self.url} -> {answer}"


class Webhooks:
    """Routes, delivery and the log of deliveries (the newest ``keep`` of them).

    Iterating gives every delivery, oldest first; calling filters them
    (``webhooks(event="message.status", MessageStatus="delivered")``). ``token_of`` gives an
    account's current auth token, against which each delivery's signature is checked.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        keep: int = 10_000,
        token_of: Callable[[str], str | None] | None = None,
        minter: Minter | None = None,
    ) -> None:
        self._clock = clock
        self._minter = minter or Minter(None)  # idempotency tokens: seeded when the backend is
        self._token_of = token_of
        self._routes: list[tuple[str, App]] = []
        self._log: deque[Delivery] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._seq = 0
        self._http: Any = None
        self.faults: Faults | None = None  # the backend's scripted faults (those naming a host)

    # Routing -------------------------------------------------------------------------
    def route(self, base_url: str, app: App) -> None:
        """Deliver every webhook whose URL starts with ``base_url`` into ``app`` (WSGI, or ASGI:
        an ``async`` callable), in process."""
        base = base_url.rstrip("/")
        self._routes = [(b, a) for b, a in self._routes if b != base] + [(base, app)]
        self._routes.sort(key=lambda r: -len(r[0]))  # the longest base wins

    def unroute(self, base_url: str) -> None:
        base = base_url.rstrip("/")
        self._routes = [(b, a) for b, a in self._routes if b != base]

    def clear(self) -> None:
        """Forget the deliveries (routes stay)."""
        with self._lock:
            self._log.clear()

    def __iter__(self) -> Iterator[Delivery]:
        with self._lock:
            return iter(list(self._log))

    def __len__(self) -> int:
        return len(self._log)

    def __call__(
        self,
        event: str | None = None,
        url_contains: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> list[Delivery]:
        """Deliveries, oldest first, matching every filter given: ``event``, a substring of the
        URL, the app's ``status`` and parameters by wire name (``MessageStatus="sent"``)."""
        return [
            d
            for d in self
            if (event is None or d.event == event)
            and (url_contains is None or url_contains in d.url)
            and (status is None or d.status == status)
            and all(d.form.get(k) == str(v) for k, v in params.items())
        ]

    # Delivery ------------------------------------------------------------------------
    def deliver(
        self,
        url: str,
        params: list[tuple[str, str]] | dict[str, str],
        auth_token: str,
        *,
        account_sid: str = "",
        method: str = "POST",
        event: str = "",
    ) -> Delivery:
        """Sign and send one webhook; returns the recorded :class:`Delivery` (never raises)."""
        from twilio_sdk.webhooks import sign_webhook

        pairs = list(params.items()) if isinstance(params, dict) else list(params)
        target = url.split("#", 1)[0]  # connection overrides are read by Twilio, never sent
        method = method.upper() if method.upper() in ("GET", "POST") else "POST"
        if method == "GET":
            joiner = "&" if urlsplit(target).query else "?"
            target = f"{target}{joiner}{urlencode(pairs)}" if pairs else target
            signed = sign_webhook(target, auth_token)
        else:
            signed = sign_webhook(target, auth_token, pairs)
        with self._lock:
            self._seq += 1
            seq = self._seq
        with self._minter.keyed(f"webhook|{seq}") as fake:
            token = str(fake.secret())  # unique per attempt, the same for the same seed and attempt
        headers = {**signed.headers, "I-Twilio-Idempotency-Token": token, "User-Agent": USER_AGENT}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        delivery = Delivery(seq, self._clock(), event, account_sid, method, target, pairs, headers)
        delivery.signature_valid = self._check(delivery)
        faults = self.faults
        fault = None
        if faults is not None and faults.active:
            parts = urlsplit(target)
            fault = faults.match(method, (parts.hostname or "").lower(), parts.path or "/", webhook=True)
        started = time.perf_counter()
        if fault is not None and fault.action != "latency" and not fault.processed:
            _faulted(delivery, fault)
        else:
            self._send(delivery, target, method, headers, pairs)
            if fault is not None:
                _faulted(delivery, fault)
        delivery.latency_ms = round((time.perf_counter() - started) * 1000, 3)
        if fault is not None and delivery.extra.get("error_code") == TIMEOUT_CODE:
            delivery.latency_ms = TOTAL_TIMEOUT * 1000  # Twilio waited it out
        elif fault is not None:
            delivery.latency_ms += fault.latency * 1000
        with self._lock:
            self._log.append(delivery)
        return delivery

    def _send(
        self,
        delivery: Delivery,
        target: str,
        method: str,
        headers: dict[str, str],
        pairs: list[tuple[str, str]],
    ) -> None:
        """Into the routed app or over HTTP; the answer or the failure lands in ``delivery``."""
        try:
            app = next(
                (
                    a
                    for base, a in self._routes
                    if target == base or target.startswith(base + "/") or target.startswith(base + "?")
                ),
                None,
            )
            body = urlencode(pairs).encode() if method == "POST" else b""
            if app is not None:
                delivery.status, text = _in_process(app, method, target, headers, body)
            else:
                delivery.status, text = self._over_http(method, target, headers, body)
            delivery.body = text[:BODY_KEPT]
        except Exception as exc:  # noqa: BLE001 - the app's failure is recorded, never raised
            delivery.error = f"{type(exc).__name__}: {exc}"
            if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
                delivery.extra["error_code"] = TIMEOUT_CODE

    def _check(self, delivery: Delivery) -> bool | None:
        from twilio_sdk.webhooks import RequestValidator

        token = self._token_of(delivery.account_sid) if self._token_of is not None else None
        if token is None:
            return None
        params = delivery.params if delivery.method == "POST" else []
        signature = delivery.headers.get("X-Twilio-Signature", "")
        return bool(RequestValidator(token).validate(delivery.url, params, signature))

    def _over_http(self, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
        import urllib3

        if self._http is None:
            self._http = urllib3.PoolManager(
                timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT, total=TOTAL_TIMEOUT),
                retries=urllib3.Retry(connect=1, read=0, redirect=0, status=0),
            )
        answer = self._http.request(method, url, body=body or None, headers=headers, redirect=False)
        return int(answer.status), answer.data.decode("utf-8", "replace")


def _faulted(delivery: Delivery, fault: Fault) -> None:
    """What a scripted fault makes of a delivery: the app's status replaced, no answer within
    15 s (11205), a reset connection (11200), or a late answer (a latency of 15 s or more is a
    timeout: Twilio stops waiting)."""
    delivery.extra["fault"] = fault.firing()
    if fault.action == "latency" and fault.latency < TOTAL_TIMEOUT:
        return
    delivery.body = ""
    if fault.status is not None:
        delivery.status, delivery.error = fault.status, None
    elif fault.connection_reset:
        delivery.status = None
        delivery.error = f"ConnectionResetError: connection reset by peer (twilio-mock fault {fault.id})"
        delivery.extra["error_code"] = RESET_CODE
    else:
        delivery.status = None
        delivery.error = f"TimeoutError: no answer within {TOTAL_TIMEOUT:g} s (twilio-mock fault {fault.id})"
        delivery.extra["error_code"] = TIMEOUT_CODE


def _in_process(app: App, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    import inspect

    asgi = inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__)
    if asgi:
        return _asgi(app, method, url, headers, body)
    from werkzeug.test import Client

    parts = urlsplit(url)
    answer = Client(app).open(
        parts.path or "/",
        base_url=f"{parts.scheme}://{parts.netloc}",
        method=method,
        query_string=parts.query,
        headers=headers,
        data=body,
    )
    return int(answer.status_code), answer.get_data(as_text=True)


def _asgi(app: App, method: str, url: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    import asyncio

    import httpx

    async def send() -> tuple[int, str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport) as client:
            answer = await client.request(method, url, headers=headers, content=body or None)
            return answer.status_code, answer.text

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(send())
    result: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def run() -> None:  # inside a running loop (an async test): a loop of its own, on a thread
        try:
            result.append(asyncio.run(send()))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
    return result[0]


def query_pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)
