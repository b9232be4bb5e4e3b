"""Fixtures for the behaviour tests: a backend that enforces sender ownership, clients of both
SDKs bound to it (``twilio_sdk`` in-process, the official ``twilio`` package through the
interceptor), and a stand-in for the user's app that checks every webhook it gets with the
official ``RequestValidator``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from twilio.request_validator import RequestValidator
from twilio.rest import Client as OfficialClient
from werkzeug.wrappers import Request, Response

from twilio_mock import Backend, MockTransport
from twilio_sdk import Client

APP = "https://app.test"
# The account's numbers in these tests, created through the API (not +15017122661, which every
# account is to own out of the box once the numbers behaviour lands).
NUMBER = "+15017122671"
OTHER = "+15017122672"
CUSTOMER = "+15558675310"


@pytest.fixture
def backend() -> Iterator[Backend]:
    """Sender ownership enforced. Every webhook it delivers must have gone to :data:`APP` (the
    routed app, which checks each signature): none went out over the network."""
    backend = Backend(seed=3)
    backend.messaging.require_owned_sender = True
    yield backend
    assert all(d.url.startswith(APP + "/") for d in backend.webhooks), [str(d) for d in backend.webhooks]


@pytest.fixture
def test_client(request: pytest.FixtureRequest, backend: Backend, client: Any) -> Any:
    """``client``'s SDK with the test credentials."""
    if isinstance(client, Client):
        transport = MockTransport(backend)
        return Client(
            backend.test_account_sid, backend.test_auth_token, http_client=transport, environment={}
        )
    return OfficialClient(backend.test_account_sid, backend.test_auth_token)


@pytest.fixture
def number(client: Any) -> str:
    """The SID of :data:`NUMBER`, which the account now owns."""
    return str(client.incoming_phone_numbers.create(phone_number=NUMBER).sid)


@dataclass
class Seen:
    method: str
    path: str
    url: str
    form: dict[str, str]
    valid: bool


Answer = str | tuple[str, int] | Callable[[Request], "str | tuple[str, int]"]


class App:
    """The user's app: answers ``answers[path]`` (TwiML, or (body, status)), ``<Response/>`` by
    default, and records every request with whether its signature is valid."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.answers: dict[str, Answer] = {}
        self.seen: list[Seen] = []

    def __call__(self, environ: Any, start_response: Any) -> Any:
        request = Request(environ)
        form = request.form.to_dict() if request.method == "POST" else {}
        signature = request.headers.get("X-Twilio-Signature", "")
        valid = RequestValidator(self.token).validate(request.url, form, signature)
        self.seen.append(Seen(request.method, request.path, request.url, form, valid))
        answer = self.answers.get(request.path, "<Response/>")
        if callable(answer):
            answer = answer(request)
        body, status = answer if isinstance(answer, tuple) else (answer, 200)
        return Response(body, status, content_type="text/xml")(environ, start_response)

    def at(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]


@pytest.fixture
def app(backend: Backend) -> Iterator[App]:
    """An app at :data:`APP`; every webhook it received must carry a valid signature."""
    found = App(backend.auth_token)
    backend.webhooks.route(APP, found)
    yield found
    assert all(s.valid for s in found.seen), [s for s in found.seen if not s.valid]


def code_of(call: Callable[[], Any]) -> tuple[int, int, str]:
    """(HTTP status, Twilio code, message) of the REST error ``call`` raises, in either SDK."""
    try:
        call()
    except Exception as exc:  # TwilioRestException (official) or RestException (ours)
        status, code = getattr(exc, "status", None), getattr(exc, "code", None)
        if status is None or code is None:
            raise
        return int(status), int(code), str(getattr(exc, "msg", exc))
    raise AssertionError("no error was raised")


def service_with(client: Any, *numbers: str, **options: Any) -> str:
    """A Messaging Service whose pool holds ``numbers`` (created for the account first)."""
    service = client.messaging.v1.services.create(friendly_name="pool", **options)
    for phone in numbers:
        found = client.incoming_phone_numbers.list(phone_number=phone)
        sid = found[0].sid if found else client.incoming_phone_numbers.create(phone_number=phone).sid
        client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=sid)
    return str(service.sid)
