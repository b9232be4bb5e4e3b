"""OAuth in the mock: the token endpoints issue signed JWTs, the APIs accept them as bearer
tokens until they expire by the virtual clock, and refuse forged, expired or revoked ones."""

from __future__ import annotations

import jwt as pyjwt
import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend, MockRequest, MockTransport
from twilio_sdk import Client
from twilio_sdk.credential import ClientCredentialProvider, OrgsCredentialProvider
from twilio_sdk.exceptions import RestException

V2_TOKEN = "https://oauth.twilio.com/v2/token"
V1_TOKEN = "https://oauth.twilio.com/v1/token"
SNAKE = ("grant_type", "client_id", "client_secret")
PASCAL = ("GrantType", "ClientId", "ClientSecret")
ORG = "OR" + "1" * 32
AUTH_BODY = {
    "code": 20003,
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}


def _app(client: Client, **fields: object) -> tuple[str, str]:
    app = client.iam.v1.o_auth_apps.create({"type": "client_credentials", "friendly_name": "ci", **fields})
    return app.sid, app.secret


def _token(
    raw: Raw, client_id: str, secret: str, url: str = V2_TOKEN, names=SNAKE, grant="client_credentials"
):
    data = {k: v for k, v in zip(names, (grant, client_id, secret), strict=True) if v is not None}
    return raw("POST", url, data=data, auth="")


def _bearer(backend: Backend, token: str, url: str | None = None) -> int:
    url = url or f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    return backend.handle(MockRequest("GET", url, {"Authorization": f"Bearer {token}"})).status


def _oauth_client(backend: Backend, transport: MockTransport, client_id: str, secret: str) -> Client:
    provider = ClientCredentialProvider(client_id, secret, clock=backend.clock.now)
    return Client(
        credential_provider=provider,
        account_sid=backend.account_sid,
        http_client=transport,
        environment={},
    )


def _token_requests(backend: Backend) -> list[str]:
    return [e.url for e in backend.journal if e.path.endswith("/token")]


def test_sdk_fetches_reuses_and_refreshes_tokens(backend: Backend, client: Client) -> None:
    app_sid, secret = _app(client)
    transport = MockTransport(backend)
    oauth = _oauth_client(backend, transport, app_sid, secret)

    sent = oauth.messages.create(to="+15558675310", from_="+15017122661", body="via oauth")
    assert sent.account_sid == backend.account_sid
    header = transport.last_request.header("Authorization")
    assert header.startswith("Bearer ")
    first = header.split(" ", 1)[1]
    claims = pyjwt.decode(first, options={"verify_signature": False})
    now = backend.clock.seconds()
    assert claims["sub"] == backend.account_sid and claims["client_id"] == app_sid
    assert claims["iss"] == "https://oauth.twilio.com"
    assert (claims["iat"], claims["exp"]) == (now, now + 3600)
    assert claims["jti"]
    assert pyjwt.get_unverified_header(first)["alg"] == "HS256"

    assert [m.sid for m in oauth.messages.list()] == [sent.sid]
    oauth.messages(sent.sid).fetch()
    assert _token_requests(backend) == [V2_TOKEN]  # one token for three calls

    backend.clock.advance(3600)
    assert _bearer(backend, first) == 401  # the old token has expired by the virtual clock
    assert [m.sid for m in oauth.messages.list()] == [sent.sid]
    second = transport.last_request.header("Authorization").split(" ", 1)[1]
    assert second != first
    assert _token_requests(backend) == [V2_TOKEN, V2_TOKEN]
    assert pyjwt.decode(second, options={"verify_signature": False})["exp"] == now + 7200


def test_expired_token_answer(backend: Backend, raw: Raw) -> None:
    token = _token(raw, backend.account_sid, backend.auth_token).json()["access_token"]
    backend.clock.advance(3599)
    assert _bearer(backend, token) == 200
    backend.clock.advance(1)
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    answer = raw("GET", url, auth=f"Bearer {token}")
    assert answer.status == 401
    assert answer.json() == {**AUTH_BODY, "detail": "The access token has expired"}


def test_sdk_sees_expiry_as_rest_exception(backend: Backend, client: Client) -> None:
    app_sid, secret = _app(client)
    # A provider judging freshness by the wall clock keeps the token the mock's clock expires.
    provider = ClientCredentialProvider(app_sid, secret, clock=lambda: float(backend.clock.seconds()) - 7200)
    oauth = Client(
        credential_provider=provider,
        account_sid=backend.account_sid,
        http_client=MockTransport(backend),
        environment={},
    )
    oauth.messages.list()
    backend.clock.advance(4000)
    with pytest.raises(RestException) as info:
        oauth.messages.list()
    assert (info.value.status, info.value.code) == (401, 20003)


@pytest.mark.parametrize(
    ("url", "names", "status"),
    [
        (V2_TOKEN, SNAKE, 200),
        (V1_TOKEN, PASCAL, 201),
        ("https://iam.twilio.com/v1/token", SNAKE, 201),
        ("https://preview-iam.twilio.com/v1/token", SNAKE, 201),
    ],
)
def test_token_endpoints_answer_twilios_shape(
    backend: Backend, raw: Raw, url: str, names: tuple[str, str, str], status: int
) -> None:
    answer = _token(raw, backend.account_sid, backend.auth_token, url, names)
    assert answer.status == status, answer.text
    body = answer.json()
    assert list(body) == ["access_token", "id_token", "token_type", "expires_in", "refresh_token"]
    assert body["id_token"] is None and body["refresh_token"] is None
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    claims = pyjwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["iss"] == url.rsplit("/", 2)[0] and claims["sub"] == backend.account_sid
    assert _bearer(backend, body["access_token"]) == 200


def test_token_ids_are_unique(backend: Backend, raw: Raw) -> None:
    tokens = {_token(raw, backend.account_sid, backend.auth_token).json()["access_token"] for _ in range(5)}
    assert len(tokens) == 5
    assert len({pyjwt.decode(t, options={"verify_signature": False})["jti"] for t in tokens}) == 5


@pytest.mark.parametrize(
    ("grant", "client_id", "secret", "status", "code"),
    [
        (None, "main", "token", 400, 321403),
        ("password", "main", "token", 400, 321403),
        ("client_credentials", "", "token", 400, 321402),
        ("client_credentials", None, "token", 400, 321402),
        ("client_credentials", "main", "", 400, 321405),
        ("client_credentials", "main", "wrong", 401, 321401),
        ("client_credentials", "OQ" + "0" * 32, "token", 401, 321401),
        ("client_credentials", "SK" + "0" * 32, "token", 401, 321401),
        ("client_credentials", "nobody", "token", 401, 321401),
        ("client_credentials", "test", "test", 401, 321401),
    ],
)
def test_token_errors(
    backend: Backend, raw: Raw, grant: str | None, client_id: str | None, secret: str, status: int, code: int
) -> None:
    names = {"main": backend.account_sid, "test": backend.test_account_sid}
    secrets = {"token": backend.auth_token, "test": backend.test_auth_token}
    client_id = names.get(client_id or "", client_id)
    data = {"grant_type": grant, "client_id": client_id, "client_secret": secrets.get(secret, secret)}
    answer = raw("POST", V2_TOKEN, data={k: v for k, v in data.items() if v is not None}, auth="")
    assert answer.status == status
    assert answer.json()["code"] == code
    assert answer.json()["more_info"] == f"https://www.twilio.com/docs/errors/{code}"


def test_v1_keeps_its_required_parameters(backend: Backend, raw: Raw) -> None:
    answer = raw("POST", V1_TOKEN, data={"GrantType": "client_credentials"}, auth="")
    assert (answer.status, answer.json()["code"]) == (400, 321402)
    snake = _token(raw, backend.account_sid, backend.auth_token, V1_TOKEN, SNAKE)
    assert (snake.status, snake.json()["code"]) == (400, 321403)  # v1 reads GrantType, not grant_type


@pytest.mark.parametrize(
    "forge",
    [
        lambda claims: pyjwt.encode(claims, "not-the-mock-key-" + "k" * 32, algorithm="HS256"),
        lambda claims: pyjwt.encode(claims, None, algorithm="none"),
        lambda claims: "eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        lambda claims: "garbage",
        lambda claims: "",
    ],
)
def test_forged_tokens_are_refused(backend: Backend, raw: Raw, forge) -> None:
    real = _token(raw, backend.account_sid, backend.auth_token).json()["access_token"]
    claims = pyjwt.decode(real, options={"verify_signature": False})
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages.json"
    answer = raw("GET", url, auth=f"Bearer {forge(claims)}")
    assert (answer.status, answer.json()) == (401, AUTH_BODY)


def test_tampered_claims_are_refused(backend: Backend, raw: Raw) -> None:
    real = _token(raw, backend.account_sid, backend.auth_token).json()["access_token"]
    head, payload, signature = real.split(".")
    other = pyjwt.encode({"sub": "AC" + "f" * 32, "exp": 2**40}, "k" * 32).split(".")[1]
    assert _bearer(backend, f"{head}.{other}.{signature}") == 401
    assert _bearer(backend, f"{head}.{payload}.{signature[:-4]}AAAA") == 401
    assert _bearer(backend, real) == 200


def test_tokens_belong_to_their_backend(backend: Backend, raw: Raw) -> None:
    token = _token(raw, backend.account_sid, backend.auth_token).json()["access_token"]
    other = Backend(seed=1, account_sid=backend.account_sid, auth_token=backend.auth_token)
    assert _bearer(other, token) == 401
    restored = Backend(seed=5)
    restored.restore(backend.snapshot())
    assert _bearer(restored, token) == 200  # self-contained: the snapshot keeps the signing seed


def test_bearer_tokens_work_on_every_api(backend: Backend, raw: Raw) -> None:
    token = _token(raw, backend.account_sid, backend.auth_token).json()["access_token"]
    urls = [
        f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}.json",
        "https://verify.twilio.com/v2/Services",
        "https://messaging.twilio.com/v1/Services",
        "https://conversations.twilio.com/v1/Conversations",
        "https://accounts.twilio.com/v1/Credentials/PublicKeys",
        "https://lookups.twilio.com/v2/PhoneNumbers/+15558675310",
        "https://serverless.twilio.com/v1/Services",
        f"https://preview-iam.twilio.com/Organizations/{ORG}/Accounts",
    ]
    for url in urls:
        assert _bearer(backend, token, url) == 200, url


def test_api_key_and_app_clients_are_revocable(backend: Backend, client: Client, raw: Raw) -> None:
    key = client.new_keys.create(friendly_name="oauth")
    app_sid, app_secret = _app(client)
    by_key = _token(raw, key.sid, key.secret).json()["access_token"]
    by_app = _token(raw, app_sid, app_secret).json()["access_token"]
    assert _bearer(backend, by_key) == 200 and _bearer(backend, by_app) == 200
    client.keys(key.sid).delete()
    client.iam.v1.o_auth_apps(app_sid).delete()
    assert _bearer(backend, by_key) == 401 and _bearer(backend, by_app) == 401
    assert _token(raw, key.sid, key.secret).json()["code"] == 321401
    assert _token(raw, app_sid, app_secret).json()["code"] == 321401


def test_app_ttl_sets_the_lifetime(backend: Backend, client: Client, raw: Raw) -> None:
    app_sid, secret = _app(client, access_token_ttl=600)
    body = _token(raw, app_sid, secret).json()
    assert body["expires_in"] == 600
    backend.clock.advance(600)
    assert _bearer(backend, body["access_token"]) == 401


def test_account_sid_parameter_and_closed_accounts(backend: Backend, client: Client, raw: Raw) -> None:
    sub = client.api.v2010.accounts.create(friendly_name="sub")
    url = f"{V2_TOKEN}?account_sid={sub.sid}"
    token = _token(raw, backend.account_sid, backend.auth_token, url).json()["access_token"]
    assert pyjwt.decode(token, options={"verify_signature": False})["sub"] == sub.sid
    sub_messages = f"https://api.twilio.com/2010-04-01/Accounts/{sub.sid}/Messages.json"
    assert _bearer(backend, token, sub_messages) == 200
    assert _bearer(backend, token) == 401  # a subaccount's token cannot reach its parent
    # A subaccount's client cannot ask for its parent, nor anyone for a stranger.
    upward = _token(raw, sub.sid, sub.auth_token, f"{V2_TOKEN}?account_sid={backend.account_sid}")
    assert (upward.status, upward.json()["code"]) == (401, 321401)
    stranger = _token(raw, backend.account_sid, backend.auth_token, f"{V2_TOKEN}?account_sid=AC{'e' * 32}")
    assert stranger.status == 401
    client.api.v2010.accounts(sub.sid).update(status="closed")
    assert _bearer(backend, token, sub_messages) == 401


def test_orgs_api_with_orgs_credential_provider(backend: Backend, client: Client) -> None:
    sub = client.api.v2010.accounts.create(friendly_name="Staging")
    app_sid, secret = _app(client)
    transport = MockTransport(backend)
    provider = OrgsCredentialProvider(app_sid, secret, clock=backend.clock.now)
    orgs = Client(credential_provider=provider, http_client=transport, environment={})
    organization = orgs.preview_iam.organization(ORG)
    listed = organization.accounts.list()
    assert {a.account_sid: a.friendly_name for a in listed} == {
        backend.account_sid: "My first Twilio account",
        sub.sid: "Staging",
    }
    assert all(a.status == "active" and a.date_created for a in listed)
    assert organization.accounts(sub.sid).fetch().friendly_name == "Staging"
    assert transport.last_request.header("Authorization").startswith("Bearer ")
    assert _token_requests(backend) == ["https://preview-iam.twilio.com/v1/token"]
    with pytest.raises(RestException) as info:
        organization.accounts("AC" + "e" * 32).fetch()
    assert info.value.status == 404


def test_snapshots_keep_apps_and_no_tokens(backend: Backend, client: Client, raw: Raw) -> None:
    app_sid, secret = _app(client)
    _token(raw, app_sid, secret)
    state = backend.snapshot()
    assert "bearers" not in state["auth"]
    assert state["auth"]["oauth_apps"] == {app_sid: {"account_sid": backend.account_sid, "secret": secret}}
    restored = Backend(seed=9)
    restored.restore(state)
    assert _token(Raw(restored), app_sid, secret).status == 200
    legacy = {**state, "auth": {**state["auth"], "bearers": {"eyMockold": backend.account_sid}}}
    restored.restore(legacy)  # older snapshots with opaque tokens still load
    assert _bearer(restored, "eyMockold") == 401
