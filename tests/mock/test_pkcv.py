"""Public Key Client Validation in the mock: keys uploaded through the API, the requirement per
account, and each of Twilio's failure codes for a missing or wrong Twilio-Client-Validation."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import pytest

from twilio_mock import Backend, MockRequest, MockTransport
from twilio_mock.ways_in.transport import encode
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException
from twilio_sdk.http.response import Response
from twilio_sdk.http.validation_client import ValidationClient
from twilio_sdk.jwt.validation import generate_key_pair

TO, FROM = "+15558675310", "+15017122661"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    return generate_key_pair()


@pytest.fixture(scope="module")
def other_keys() -> tuple[str, str]:
    return generate_key_pair()


class Setup:
    """A backend whose main account requires PKCV, with an API key and an uploaded public key."""

    def __init__(self, backend: Backend, keys: tuple[str, str]) -> None:
        self.backend = backend
        admin = Client(
            backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
        )
        self.key = admin.new_keys.create(friendly_name="pkcv")
        self.credential = admin.accounts.v1.credentials.public_key.create(
            public_key=keys[1], friendly_name="ci"
        )
        self.private = keys[0]
        self.admin = admin
        backend.require_pkcv(backend.account_sid)

    def signing(self, private: str | None = None, inner: Any = None, **options: Any) -> ValidationClient:
        values = {
            "account_sid": self.backend.account_sid,
            "api_key_sid": self.key.sid,
            "credential_sid": self.credential.sid,
            "private_key": private or self.private,
            **options,
        }
        return ValidationClient(http_client=inner or MockTransport(self.backend), **values)

    def client(self, transport: Any, **options: Any) -> Client:
        return Client(
            self.key.sid,
            self.key.secret,
            self.backend.account_sid,
            http_client=transport,
            environment={},
            **options,
        )


@pytest.fixture
def setup(backend: Backend, keys: tuple[str, str]) -> Setup:
    return Setup(backend, keys)


def _code(action: Any) -> tuple[int, int]:
    with pytest.raises(RestException) as info:
        action()
    return info.value.status, info.value.code


def _signed_request(setup: Setup, **options: Any) -> MockRequest:
    """A signed message create, captured before it reaches the backend."""
    transport = MockTransport(setup.backend)
    setup.client(setup.signing(inner=transport, **options)).messages.create(to=TO, from_=FROM, body="hi")
    assert transport.last_request is not None
    return transport.last_request


def test_upload_keeps_the_key_private(setup: Setup) -> None:
    assert setup.credential.sid.startswith("CR")
    assert setup.credential.account_sid == setup.backend.account_sid
    signed = setup.client(setup.signing())
    fetched = signed.accounts.v1.credentials.public_key(setup.credential.sid).fetch()
    assert fetched.friendly_name == "ci" and "public_key" not in fetched.to_dict()


def test_signed_requests_succeed(setup: Setup) -> None:
    client = setup.client(setup.signing())
    sent = client.messages.create(to=TO, from_=FROM, body="héllo & more")
    assert sent.body == "héllo & more"
    listed = client.messages.list(to=TO, page_size=5)
    assert [m.sid for m in listed] == [sent.sid]
    assert client.messages(sent.sid).fetch().sid == sent.sid
    assert client.verify.v2.services.create(friendly_name="svc").sid.startswith("VA")


def test_missing_header_is_70052(setup: Setup) -> None:
    plain = setup.client(MockTransport(setup.backend))
    assert _code(lambda: plain.messages.create(to=TO, from_=FROM, body="x")) == (401, 70052)
    # The main account's own credentials are held to it too, and unknown paths learn nothing.
    assert _code(setup.admin.messages.list) == (401, 70052)
    answer = setup.backend.handle(
        MockRequest("GET", "https://api.twilio.com/nope", {"Authorization": _basic(setup)})
    )
    assert answer.status == 401 and answer.json()["code"] == 70052
    assert answer.json()["message"] == "Public Key Client Validation Required For Account"


def _basic(setup: Setup) -> str:
    return "Basic " + base64.b64encode(f"{setup.key.sid}:{setup.key.secret}".encode()).decode()


def test_tampered_body_is_70156(setup: Setup) -> None:
    request = _signed_request(setup)
    setup.backend.require_pkcv(setup.backend.account_sid)
    assert setup.backend.handle(request).status == 201  # replaying it untouched is fine
    tampered = replace(request, body=request.body.replace(b"Body=hi", b"Body=ho"))
    answer = setup.backend.handle(tampered)
    assert (answer.status, answer.json()["code"]) == (401, 70156)


def test_tampered_query_is_70156(setup: Setup) -> None:
    transport = MockTransport(setup.backend)
    setup.client(setup.signing(inner=transport)).messages.list(to=TO, page_size=5)
    request = transport.last_request
    assert request is not None and "PageSize=5" in request.url
    assert setup.backend.handle(request).status == 200
    answer = setup.backend.handle(replace(request, url=request.url.replace("PageSize=5", "PageSize=6")))
    assert (answer.status, answer.json()["code"]) == (401, 70156)
    answer = setup.backend.handle(replace(request, url=request.url + "&Extra=1"))
    assert answer.json()["code"] == 70156


def test_tampered_auth_header_is_70156(setup: Setup) -> None:
    setup.backend.require_pkcv(setup.backend.account_sid, False)
    other = setup.admin.new_keys.create(friendly_name="other")  # valid credentials, not the signed ones
    setup.backend.require_pkcv(setup.backend.account_sid)
    request = _signed_request(setup)
    swapped = "Basic " + base64.b64encode(f"{other.sid}:{other.secret}".encode()).decode()
    answer = setup.backend.handle(replace(request, headers={**request.headers, "Authorization": swapped}))
    assert (answer.status, answer.json()["code"]) == (401, 70156)


def test_unsigned_required_headers_are_70155(setup: Setup) -> None:
    client = setup.client(setup.signing(signed_headers=("host",)))
    assert _code(lambda: client.messages.create(to=TO, from_=FROM, body="x")) == (401, 70155)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        # a well-formed JWT with the wrong content type and algorithm
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJTSyIsInN1YiI6IkFDIn0.c2ln",
    ],
)
def test_bad_jwt_header_is_20152(setup: Setup, token: str) -> None:
    request = _signed_request(setup)
    answer = setup.backend.handle(
        replace(request, headers={**request.headers, "Twilio-Client-Validation": token})
    )
    assert (answer.status, answer.json()["code"]) == (401, 20152)


def test_wrong_key_and_unknown_credential_are_20151(setup: Setup, other_keys: tuple[str, str]) -> None:
    wrong_key = setup.client(setup.signing(private=other_keys[0]))
    assert _code(lambda: wrong_key.messages.create(to=TO, from_=FROM, body="x")) == (401, 20151)
    unknown = setup.client(setup.signing(credential_sid="CR" + "0" * 32))
    assert _code(unknown.messages.list) == (401, 20151)
    setup.backend.require_pkcv(setup.backend.account_sid, False)
    setup.admin.accounts.v1.credentials.public_key(setup.credential.sid).delete()
    setup.backend.require_pkcv(setup.backend.account_sid)
    assert _code(setup.client(setup.signing()).messages.list) == (401, 20151)  # a deleted key


def test_expired_token_is_20156(setup: Setup) -> None:
    expired = setup.client(setup.signing(ttl=-5))
    assert _code(lambda: expired.messages.create(to=TO, from_=FROM, body="x")) == (401, 20156)


def test_replayed_token_expires_by_the_virtual_clock(keys: tuple[str, str]) -> None:
    backend = Backend(seed=0, start=None)  # a clock that follows real time
    backend.pkcv_clock = backend.clock.now
    setup = Setup(backend, keys)
    request = _signed_request(setup)
    backend.clock.advance(290)  # the token lives 300 s; 10 s of slack for a slow machine's real time
    assert backend.handle(request).status == 201
    backend.clock.advance(20)
    answer = backend.handle(request)
    assert (answer.status, answer.json()["code"]) == (401, 20156)


def test_issuer_and_subject_must_be_the_callers_key_and_account(setup: Setup) -> None:
    sub = setup.client(setup.signing()).api.v2010.accounts.create(friendly_name="sub")
    wrong_subject = setup.client(setup.signing(account_sid=sub.sid))
    assert _code(wrong_subject.messages.list) == (401, 20153)
    wrong_issuer = setup.client(setup.signing(api_key_sid="SK" + "0" * 32))
    assert _code(wrong_issuer.messages.list) == (401, 20153)


def test_not_required_means_the_header_is_ignored(backend: Backend, keys: tuple[str, str]) -> None:
    setup = Setup(backend, keys)
    backend.require_pkcv(backend.account_sid, False)
    assert setup.admin.messages.list() == []
    request = _signed_request(setup)
    garbage = replace(request, headers={**request.headers, "Twilio-Client-Validation": "garbage"})
    assert backend.handle(garbage).status == 201
    with pytest.raises(KeyError):
        backend.require_pkcv("AC" + "0" * 32)  # only existing accounts


def test_subaccounts_are_not_bound_by_their_parent(setup: Setup) -> None:
    sub = setup.client(setup.signing()).api.v2010.accounts.create(friendly_name="free")
    free = Client(sub.sid, sub.auth_token, http_client=MockTransport(setup.backend), environment={})
    assert free.messages.list() == []


def test_requirement_survives_snapshots(setup: Setup) -> None:
    state = json.loads(json.dumps(setup.backend.snapshot()))
    assert state["auth"]["pkcv_required"] == [setup.backend.account_sid]
    restored = Backend(seed=3)
    restored.restore(state)
    key_client = Client(
        setup.key.sid,
        setup.key.secret,
        setup.backend.account_sid,
        http_client=MockTransport(restored),
        environment={},
    )
    assert _code(key_client.messages.list) == (401, 70052)
    signed = setup.client(setup.signing(inner=MockTransport(restored)))
    assert signed.messages.list() == []
    state["auth"]["pkcv_required"] = []
    restored.restore(state)
    assert key_client.messages.list() == []


class ServerLike:
    """What the HTTP server does: ``http://127.0.0.1:4010/<product>/<path>`` in, the canonical
    Twilio URL out, and the URL as received kept in ``received_url`` (when ``keep`` is set)."""

    def __init__(self, backend: Backend, keep: bool) -> None:
        self.backend, self.keep = backend, keep

    def request(
        self,
        method: str,
        url: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = False,
    ) -> Response:
        if params:
            url += ("&" if "?" in url else "?") + urlencode(params)
        base = "http://127.0.0.1:4010/"
        product, _, rest = url[len(base) :].partition("/")
        canonical = f"https://{product}.twilio.com/{rest}"
        body = data.encode() if isinstance(data, str) else (encode(data).encode() if data else b"")
        request = MockRequest(
            method,
            canonical,
            dict(headers or {}),
            body,
            base + product,
            received_url=url if self.keep else None,
        )
        answer = self.backend.handle(request)
        return Response(answer.status, answer.text, answer.headers)


def test_hash_is_over_the_url_as_received(setup: Setup) -> None:
    for keep, status in ((True, None), (False, 70156)):
        client = setup.client(
            setup.signing(inner=ServerLike(setup.backend, keep)), api_base="http://127.0.0.1:4010"
        )
        if status is None:
            assert client.messages.create(to=TO, from_=FROM, body="via server").status == "queued"
        else:
            assert _code(client.messages.list) == (401, status)
