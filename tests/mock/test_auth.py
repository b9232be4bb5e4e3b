"""Credentials: accounts, subaccounts, API keys, test credentials, bearer tokens."""

from __future__ import annotations

import pytest

from tests.mock.helpers import Raw, basic
from twilio_mock import Backend, MockRequest, MockTransport
from twilio_sdk import Client
from twilio_sdk.exceptions import RestException

AUTH_BODY = {
    "code": 20003,
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}


def _messages(account: str) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{account}/Messages.json"


def _client(backend: Backend, user: str, password: str, account: str | None = None) -> Client:
    return Client(user, password, account, http_client=MockTransport(backend), environment={})


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic",
        "Basic !!!",
        "Basic " + "e30=",
        "Bearer nope",
        "Digest abc",
        basic("AC" + "0" * 32, "x"),
    ],
)
def test_bad_credentials_are_401(backend: Backend, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    answer = backend.handle(MockRequest("GET", _messages(backend.account_sid), headers))
    assert answer.status == 401
    assert answer.json() == AUTH_BODY


def test_wrong_token_for_a_real_account(backend: Backend, raw: Raw) -> None:
    answer = raw("GET", _messages(backend.account_sid), auth=basic(backend.account_sid, "wrong"))
    assert answer.status == 401 and answer.json()["code"] == 20003


def test_configured_credentials() -> None:
    sid, token = "AC" + "1" * 32, "t" * 32
    backend = Backend(seed=3, account_sid=sid, auth_token=token)
    assert (backend.account_sid, backend.auth_token) == (sid, token)
    assert _client(backend, sid, token).messages.list() == []


def test_subaccounts_are_isolated(backend: Backend, client: Client) -> None:
    sub_a = client.api.v2010.accounts.create(friendly_name="a")
    sub_b = client.api.v2010.accounts.create(friendly_name="b")
    assert sub_a.owner_account_sid == backend.account_sid and sub_a.auth_token != backend.auth_token
    assert sub_a.status == "active" and sub_a.uri == f"/2010-04-01/Accounts/{sub_a.sid}.json"
    a = _client(backend, sub_a.sid, sub_a.auth_token)
    b = _client(backend, sub_b.sid, sub_b.auth_token)
    own = a.incoming_phone_numbers.list()[0].phone_number  # every account owns a number
    in_a = a.messages.create(to="+15558675310", from_=own, body="a")
    main_message = client.messages.create(to="+15558675310", from_="+15017122661", body="main")
    # The parent reaches its subaccount's records through the subaccount's path.
    assert [m.sid for m in client.api.v2010.accounts(sub_a.sid).messages.list()] == [in_a.sid]
    assert client.api.v2010.accounts(sub_a.sid).messages(in_a.sid).fetch().body == "a"
    # Each account sees only its own messages.
    assert [m.sid for m in client.messages.list()] == [main_message.sid]
    assert [m.sid for m in a.messages.list()] == [in_a.sid]
    assert b.messages.list() == []
    # A subaccount cannot reach its parent or a sibling.
    for other, target in ((a, backend.account_sid), (b, sub_a.sid)):
        with pytest.raises(RestException) as info:
            other.api.v2010.accounts(target).messages.list()
        assert info.value.status == 401 and info.value.code == 20003
    # Accounts.json lists the caller and its subaccounts; a subaccount sees itself only.
    assert {x.sid for x in client.api.v2010.accounts.list()} == {backend.account_sid, sub_a.sid, sub_b.sid}
    assert [x.sid for x in a.api.v2010.accounts.list()] == [sub_a.sid]
    with pytest.raises(RestException):
        a.api.v2010.accounts.create(friendly_name="grandchild")
    with pytest.raises(RestException) as info:
        a.api.v2010.accounts(sub_b.sid).fetch()
    assert info.value.status == 401


def test_non_v2010_records_belong_to_the_caller(backend: Backend, client: Client) -> None:
    sub = client.api.v2010.accounts.create(friendly_name="s")
    sub_client = _client(backend, sub.sid, sub.auth_token)
    mine = client.verify.v2.services.create(friendly_name="main")
    theirs = sub_client.verify.v2.services.create(friendly_name="sub")
    assert theirs.account_sid == sub.sid
    assert [s.sid for s in client.verify.v2.services.list()] == [mine.sid]
    with pytest.raises(RestException) as info:
        sub_client.verify.v2.services(mine.sid).fetch()
    assert info.value.status == 404


def test_closed_subaccount_cannot_authenticate(backend: Backend, client: Client) -> None:
    sub = client.api.v2010.accounts.create(friendly_name="s")
    client.api.v2010.accounts(sub.sid).update(status="closed")
    with pytest.raises(RestException) as info:
        _client(backend, sub.sid, sub.auth_token).messages.list()
    assert info.value.status == 401


def test_api_keys(backend: Backend, client: Client) -> None:
    key = client.new_keys.create(friendly_name="ci")
    assert key.sid.startswith("SK") and len(key.secret) == 32
    keyed = _client(backend, key.sid, key.secret, backend.account_sid)
    sent = keyed.messages.create(to="+15558675310", from_="+15017122661", body="via key")
    assert sent.account_sid == backend.account_sid
    fetched = client.keys(key.sid).fetch()
    assert fetched.friendly_name == "ci" and "secret" not in fetched.to_dict()
    assert "secret" not in client.keys.list()[0].to_dict()
    with pytest.raises(RestException):
        _client(backend, key.sid, "wrong-secret", backend.account_sid).messages.list()
    client.keys(key.sid).delete()
    with pytest.raises(RestException) as info:
        keyed.messages.list()
    assert info.value.status == 401


def test_iam_keys_share_the_accounts_keys(backend: Backend, client: Client) -> None:
    created = client.iam.v1.new_api_key.create(account_sid=backend.account_sid, friendly_name="iam")
    assert created.secret
    assert [k.sid for k in client.keys.list()] == [created.sid]
    listed = client.iam.v1.get_api_keys.list(account_sid=backend.account_sid)
    assert [k.sid for k in listed] == [created.sid]
    keyed = _client(backend, created.sid, created.secret, backend.account_sid)
    assert keyed.messages.list() == []


def test_test_credentials(backend: Backend) -> None:
    test = _client(backend, backend.test_account_sid, backend.test_auth_token)
    message = test.messages.create(to="+15558675310", from_="+15005550006", body="hi")
    assert message.account_sid == backend.test_account_sid and message.sid.startswith("SM")
    call = test.calls.create(to="+15558675310", from_="+15005550006", url="https://example.com/t")
    assert call.status == "queued"
    number = test.incoming_phone_numbers.create(phone_number="+15005550006")
    assert number.sid.startswith("PN")
    for action in (test.messages.list, lambda: test.messages(message.sid).fetch(), test.queues.list):
        with pytest.raises(RestException) as info:
            action()
        assert (info.value.status, info.value.code) == (403, 20008)
    with pytest.raises(RestException) as info:
        test.verify.v2.services.create(friendly_name="x")
    assert info.value.code == 20008
    # Test credentials never change state.
    assert backend.store.count() == 2  # only the main account record and its phone number
    # ...and cannot reach the live account.
    with pytest.raises(RestException) as info:
        test.api.v2010.accounts(backend.account_sid).messages.create(
            to="+15558675310", from_="+15005550006", body="x"
        )
    assert info.value.status == 401


def test_path_account_must_be_reachable(backend: Backend, raw: Raw) -> None:
    stranger = "AC" + "f" * 32
    answer = raw(
        "POST", _messages(stranger), data={"To": "+15558675310", "From": "+15005550006", "Body": "x"}
    )
    assert answer.status == 401 and answer.json() == AUTH_BODY


def test_auto_accounts() -> None:
    backend = Backend(seed=0, auto_accounts=True)
    sid = "AC" + "2" * 32
    client = _client(backend, sid, "anything")
    # An adopted account owns no number until it buys one.
    own = client.incoming_phone_numbers.create(phone_number="+14155550199").phone_number
    assert client.messages.create(to="+15558675310", from_=own, body="x").account_sid == sid
    with pytest.raises(RestException):
        _client(backend, sid, "another token").messages.list()


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("https://oauth.twilio.com/v1/token", ("GrantType", "ClientId", "ClientSecret")),
        ("https://iam.twilio.com/v1/token", ("grant_type", "client_id", "client_secret")),
    ],
)
def test_oauth_bearer_tokens(backend: Backend, raw: Raw, url: str, names: tuple[str, str, str]) -> None:
    values = ("client_credentials", backend.account_sid, backend.auth_token)
    token = raw("POST", url, data=dict(zip(names, values, strict=True)), auth="")
    assert token.status == 201, token.text
    access = token.json()["access_token"]
    assert token.json()["token_type"] == "Bearer"
    listed = raw("GET", "https://verify.twilio.com/v2/Services", auth=f"Bearer {access}")
    assert listed.status == 200
    assert raw("GET", "https://verify.twilio.com/v2/Services", auth="Bearer forged").status == 401


def test_test_credentials_reach_lookups_v2_only(backend: Backend) -> None:
    test = _client(backend, backend.test_account_sid, backend.test_auth_token)
    assert test.lookups.v2.phone_numbers("+15558675310").fetch().phone_number == "+15558675310"
    with pytest.raises(RestException) as info:
        test.lookups.v1.phone_numbers("+15558675310").fetch()
    assert (info.value.status, info.value.code) == (403, 20008)


def test_every_test_credentials_route_names_a_real_operation() -> None:
    from twilio_mock.core.router import walk_resources
    from twilio_mock.identity.credentials import TEST_ROUTES
    from twilio_sdk import spec

    real = {
        (domain, version, key.split("#")[0], verb)
        for domain, version, key in walk_resources()
        for verb in spec.version_spec(domain, version).resource(key).ops
    }
    assert real >= TEST_ROUTES, sorted(TEST_ROUTES - real)
