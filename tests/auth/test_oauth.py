"""OAuth client credentials: token fetch, caching, refresh before expiry, threads, errors,
and the Client sending ``Authorization: Bearer`` (REST and Organizations APIs)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import jwt as pyjwt
import pytest

from tests.sdk.recording import Recorder, Sent
from twilio_sdk import Client, RestException, TwilioException
from twilio_sdk.credential import (
    ClientCredentialProvider,
    ClientTokenManager,
    OrgsCredentialProvider,
    TokenAuthStrategy,
)
from twilio_sdk.http.response import Response

AC = "AC" + "a" * 32
ORG = "OR" + "b" * 32
ISSUER_KEY = "token-endpoint-signing-key-" + "k" * 40


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class TokenEndpoint:
    """A stub transport: the token endpoints mint JWTs, everything else answers ``api_reply``."""

    clock: FakeClock = field(default_factory=FakeClock)
    expires_in: int = 3600
    minted: int = 0
    failure: tuple[int, dict] | None = None
    delay: float = 0.0
    token_format: str = "jwt"
    api_reply: dict = field(default_factory=lambda: {"sid": "SM" + "c" * 32, "status": "queued"})
    recorder: Recorder = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.recorder = Recorder(reply=self._reply)

    def request(self, *args, **kwargs) -> Response:
        return self.recorder.request(*args, **kwargs)

    @property
    def token_requests(self) -> list[Sent]:
        return [s for s in self.recorder.sent if urlsplit(s.url).path.endswith("/token")]

    @property
    def api_requests(self) -> list[Sent]:
        return [s for s in self.recorder.sent if not urlsplit(s.url).path.endswith("/token")]

    def _reply(self, sent: Sent) -> Response:
        if not urlsplit(sent.url).path.endswith("/token"):
            return Response(200 if sent.method == "GET" else 201, json.dumps(self.api_reply))
        if self.delay:
            time.sleep(self.delay)
        if self.failure is not None:
            return Response(self.failure[0], json.dumps(self.failure[1]))
        with self._lock:
            self.minted += 1
            serial = self.minted
        claims = {"sub": sent.data["client_id"], "n": serial, "exp": int(self.clock() + self.expires_in)}
        if self.token_format == "no-exp":
            del claims["exp"]
        token = pyjwt.encode(claims, ISSUER_KEY) if self.token_format != "opaque" else f"opaque-{serial}"
        body = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "id_token": None,
        }
        return Response(200, json.dumps(body))


def serial_of(authorization: str) -> int:
    scheme, token = authorization.split(" ", 1)
    assert scheme == "Bearer"
    return pyjwt.decode(token, ISSUER_KEY, algorithms=["HS256"], options={"verify_exp": False})["n"]


@pytest.fixture
def endpoint() -> TokenEndpoint:
    return TokenEndpoint()


def make_client(endpoint: TokenEndpoint, **provider_kwargs) -> Client:
    provider = ClientCredentialProvider(
        "client-id", "client-secret", http_client=endpoint, clock=endpoint.clock, **provider_kwargs
    )
    return Client(credential_provider=provider, account_sid=AC, http_client=endpoint, environment={})


def send_message(client: Client) -> None:
    client.messages.create(to="+15005550006", from_="+15005550001", body="hi")


def test_client_sends_bearer_and_no_basic_auth(endpoint):
    client = make_client(endpoint)
    send_message(client)
    (token_request,) = endpoint.token_requests
    assert token_request.method == "POST" and token_request.url == "https://oauth.twilio.com/v2/token"
    assert token_request.data == {
        "grant_type": "client_credentials",
        "client_id": "client-id",
        "client_secret": "client-secret",
    }
    assert token_request.auth is None and "Authorization" not in token_request.headers
    (api_request,) = endpoint.api_requests
    assert api_request.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.json"
    assert api_request.auth is None
    assert serial_of(api_request.headers["Authorization"]) == 1


def test_token_is_cached_between_requests(endpoint):
    client = make_client(endpoint)
    for _ in range(3):
        send_message(client)
    assert endpoint.minted == 1
    assert {serial_of(s.headers["Authorization"]) for s in endpoint.api_requests} == {1}


@pytest.mark.parametrize(("advance", "fetches"), [(3600 - 31, 1), (3600 - 29, 2), (3600 + 5, 2)])
def test_token_refreshed_within_margin_or_after_expiry(endpoint, advance, fetches):
    client = make_client(endpoint)
    send_message(client)
    endpoint.clock.now += advance
    send_message(client)
    assert endpoint.minted == fetches
    assert serial_of(endpoint.api_requests[-1].headers["Authorization"]) == fetches


def test_refresh_margin_is_configurable(endpoint):
    client = make_client(endpoint, refresh_margin=0)
    send_message(client)
    endpoint.clock.now += 3599
    send_message(client)
    assert endpoint.minted == 1


@pytest.mark.parametrize("token_format", ["opaque", "no-exp"])
def test_tokens_without_readable_exp_are_refetched(endpoint, token_format):
    endpoint.token_format = token_format
    client = make_client(endpoint)
    send_message(client)
    send_message(client)
    assert endpoint.minted == 2


def test_concurrent_requests_fetch_once(endpoint):
    endpoint.delay = 0.05
    client = make_client(endpoint)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=5)
            send_message(client)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert not errors
    assert endpoint.minted == 1
    assert len(endpoint.api_requests) == 8


def test_token_failure_raises_rest_exception_with_twilio_code(endpoint):
    endpoint.failure = (401, {"code": 20003, "message": "Authenticate", "status": 401})
    client = make_client(endpoint)
    with pytest.raises(RestException) as info:
        send_message(client)
    assert (info.value.status, info.value.code) == (401, 20003)
    assert endpoint.api_requests == []
    # Nothing was cached: once the endpoint recovers the next request fetches a token.
    endpoint.failure = None
    send_message(client)
    assert endpoint.minted == 1 and len(endpoint.api_requests) == 1


def test_invalidate_forces_a_new_token(endpoint):
    client = make_client(endpoint)
    send_message(client)
    strategy = client.credential_provider.to_auth_strategy()
    assert isinstance(strategy, TokenAuthStrategy) and strategy.requires_authentication()
    strategy.invalidate()
    send_message(client)
    assert endpoint.minted == 2


def test_orgs_provider_uses_preview_iam_token_and_bearer(endpoint):
    endpoint.api_reply = {
        "content": [{"account_sid": AC, "friendly_name": "Main", "status": "active"}],
        "meta": {"key": "content", "next_page_url": None, "page_size": 50},
    }
    provider = OrgsCredentialProvider("org-client", "org-secret", http_client=endpoint, clock=endpoint.clock)
    client = Client(credential_provider=provider, account_sid=AC, http_client=endpoint, environment={})
    accounts = client.preview_iam.organization(ORG).accounts.list()
    assert [a.friendly_name for a in accounts] == ["Main"]
    (token_request,) = endpoint.token_requests
    assert token_request.url == "https://preview-iam.twilio.com/v1/token"
    assert token_request.data["client_id"] == "org-client" and token_request.auth is None
    (api_request,) = endpoint.api_requests
    assert api_request.url == f"https://preview-iam.twilio.com/Organizations/{ORG}/Accounts"
    assert serial_of(api_request.headers["Authorization"]) == 1


def test_bound_provider_uses_the_clients_transport_and_api_base(endpoint):
    provider = ClientCredentialProvider("client-id", "client-secret", clock=endpoint.clock)
    client = Client(
        credential_provider=provider,
        account_sid=AC,
        http_client=endpoint,
        api_base="http://127.0.0.1:4010",
        environment={},
    )
    provider.bind(client)
    send_message(client)
    assert [s.url for s in endpoint.recorder.sent] == [
        "http://127.0.0.1:4010/oauth/v2/token",
        f"http://127.0.0.1:4010/api/2010-04-01/Accounts/{AC}/Messages.json",
    ]


def test_token_manager_alone(endpoint):
    manager = ClientTokenManager("id", "secret", http_client=endpoint, audience="https://api.twilio.com")
    token = manager.fetch_access_token()
    assert pyjwt.decode(token, ISSUER_KEY, algorithms=["HS256"], options={"verify_exp": False})["sub"] == "id"
    assert endpoint.token_requests[0].data["audience"] == "https://api.twilio.com"


@pytest.mark.parametrize(("client_id", "secret"), [("", "s"), ("id", ""), (None, "s")])
def test_id_and_secret_are_mandatory(client_id, secret):
    with pytest.raises(TwilioException, match="mandatory"):
        ClientCredentialProvider(client_id, secret)
