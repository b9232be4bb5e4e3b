"""Credentials, headers, the custom-transport interface, instances and errors on every verb."""

from __future__ import annotations

import datetime as dt
import json
import platform

import pytest

from tests.sdk.recording import Recorder, json_reply
from twilio_sdk import Client, RestException, TwilioException, TwilioRestException, TwilioServiceException
from twilio_sdk.http.response import Response

ACCOUNT = "AC" + "a" * 32
KEY = "SK" + "b" * 32
MESSAGE = {
    "sid": "SM" + "1" * 32,
    "account_sid": ACCOUNT,
    "from": "+15005550006",
    "to": "+15005550001",
    "body": "hi",
    "status": "queued",
    "num_segments": "1",
    "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
    "date_sent": None,
    "subresource_uris": {"media": "/x"},
}


def test_credentials_from_arguments_keywords_and_environment() -> None:
    assert Client(ACCOUNT, "t", environment={}).auth == (ACCOUNT, "t")
    assert Client(account_sid=ACCOUNT, auth_token="t", environment={}).auth == (ACCOUNT, "t")
    env = {"TWILIO_ACCOUNT_SID": ACCOUNT, "TWILIO_AUTH_TOKEN": "e"}
    client = Client(environment=env)
    assert client.auth == (ACCOUNT, "e") and client.account_sid == ACCOUNT
    keyed = Client(KEY, "secret", ACCOUNT, environment={})
    assert keyed.auth == (KEY, "secret") and keyed.account_sid == ACCOUNT
    keyed = Client(api_key=KEY, api_secret="s", account_sid=ACCOUNT, environment={})
    assert keyed.auth == (KEY, "s")
    env_key = {"TWILIO_API_KEY": KEY, "TWILIO_API_SECRET": "s", "TWILIO_ACCOUNT_SID": ACCOUNT}
    assert Client(environment=env_key).auth == (KEY, "s")


def test_missing_credentials_are_a_clear_error() -> None:
    with pytest.raises(TwilioException, match="TWILIO_ACCOUNT_SID"):
        Client(environment={})
    with pytest.raises(TwilioException, match="account_sid"):
        Client(KEY, "secret", environment={})


def test_api_key_requests_use_the_account_in_paths_and_the_key_for_auth() -> None:
    rec = Recorder(reply=json_reply(200, MESSAGE))
    Client(KEY, "secret", ACCOUNT, http_client=rec, environment={}).messages("SM1").fetch()
    assert rec.last.auth == (KEY, "secret")
    assert f"/Accounts/{ACCOUNT}/Messages/SM1.json" in rec.last.url


def test_headers_and_custom_transport_arguments() -> None:
    rec = Recorder(reply=json_reply(201, MESSAGE))
    client = Client(
        ACCOUNT, "t", http_client=rec, environment={}, user_agent_extensions=["my-app/1.0"], timeout=5
    )
    client.messages.create(
        to="+15005550001", from_="+15005550006", body="hi", media_url=["a", "b"], send_as_mms=True
    )
    sent = rec.last
    ua = sent.headers["User-Agent"]
    assert ua.startswith("twilio-sdk-python/") and f"Python/{platform.python_version()}" in ua
    assert ua.endswith(" my-app/1.0")
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.headers["Accept-Charset"] == "utf-8"
    assert sent.data == {
        "To": "+15005550001",
        "From": "+15005550006",
        "Body": "hi",
        "MediaUrl": ["a", "b"],
        "SendAsMms": "true",
    }
    assert sent.timeout == 5
    assert client.last_request is not None and client.last_request.method == "POST"
    assert client.last_response is not None and client.last_response.status_code == 201


def test_none_means_omit_and_dates_are_serialized() -> None:
    rec = Recorder(reply=json_reply(200, {"messages": [], "next_page_uri": None}))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    client.messages.list(to=None, date_sent_after=dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc))
    assert rec.last.params == {"DateSent>": "2030-01-02T03:04:05Z"}


def test_unknown_keyword_names_the_closest_valid_ones() -> None:
    client = Client(ACCOUNT, "t", http_client=Recorder(), environment={})
    with pytest.raises(TypeError, match="from_"):
        client.messages.create(to="+1", fromm="+2", body="x")
    with pytest.raises(TypeError, match="missing required"):
        client.messages.create(from_="+2", body="x")
    with pytest.raises(AttributeError, match="messages"):
        client.api.v2010.account.mesages  # noqa: B018


def test_instance_attributes_lazy_dates_dict_view_and_repr() -> None:
    rec = Recorder(reply=json_reply(200, MESSAGE))
    msg = Client(ACCOUNT, "t", http_client=rec, environment={}).messages("SM1").fetch()
    assert msg.from_ == "+15005550006" and msg.num_segments == "1"
    assert "date_created" not in (msg._converted or {})  # nothing parsed until asked
    assert msg.date_created == dt.datetime(2015, 7, 30, 20, 12, 31, tzinfo=dt.timezone.utc)
    assert msg.date_created is msg.date_created  # parsed once, then kept
    assert msg.date_sent is None and msg.error_code is None  # declared, absent or null
    assert msg.to_dict()["from"] == "+15005550006"
    assert "SM1111" in repr(msg) and "queued" in repr(msg)
    with pytest.raises(AttributeError):
        msg.no_such_field  # noqa: B018


def test_instance_actions_go_to_its_own_path() -> None:
    rec = Recorder(reply=json_reply(201, MESSAGE))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    msg = client.messages.create(to="+1", from_="+2", body="x")
    rec.reply = json_reply(200, {**MESSAGE, "body": ""})
    assert msg.update(body="").body == ""
    assert rec.last.url.endswith(f"/Messages/{MESSAGE['sid']}.json")
    rec.reply = lambda sent: Response(204, "", {})
    assert msg.delete() is True and rec.last.method == "DELETE"
    rec.reply = json_reply(200, {"media_list": [], "next_page_uri": None})
    msg.media.list()
    assert rec.last.url.endswith(f"/Messages/{MESSAGE['sid']}/Media.json")


ERROR = {
    "code": 21211,
    "message": "The 'To' number is not valid.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


@pytest.mark.parametrize("verb", ["create", "fetch", "update", "delete", "list", "page", "stream"])
def test_every_verb_raises_rest_exception_with_twilios_fields(verb: str) -> None:
    rec = Recorder(reply=json_reply(400, ERROR))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    calls = {
        "create": lambda: client.messages.create(to="+1", from_="+2", body="x"),
        "fetch": lambda: client.messages("SM1").fetch(),
        "update": lambda: client.messages("SM1").update(body=""),
        "delete": lambda: client.messages("SM1").delete(),
        "list": lambda: client.messages.list(),
        "page": lambda: client.messages.page(),
        "stream": lambda: next(client.messages.stream()),
    }
    with pytest.raises(RestException) as info:
        calls[verb]()
    exc = info.value
    assert isinstance(exc, TwilioRestException)
    assert (exc.status, exc.code, exc.method) == (400, 21211, rec.last.method)
    assert "not valid" in exc.message and exc.more_info.endswith("21211")
    assert exc.uri.startswith("https://api.twilio.com/2010-04-01/")


def test_rfc9457_errors_are_their_own_subclass() -> None:
    problem = {
        "type": "https://www.twilio.com/docs/errors/20404",
        "title": "Not Found",
        "status": 404,
        "code": 20404,
        "detail": "no such thing",
        "instance": "/x",
        "errors": [{"detail": "d", "pointer": "/p"}],
    }
    client = Client(ACCOUNT, "t", http_client=Recorder(reply=json_reply(404, problem)), environment={})
    with pytest.raises(TwilioServiceException) as info:
        client.verify.v2.services("VA1").fetch()
    assert info.value.title == "Not Found" and info.value.errors[0]["pointer"] == "/p"
    assert info.value.code == 20404 and isinstance(info.value, RestException)


def test_non_json_error_bodies_keep_the_status_as_code() -> None:
    client = Client(
        ACCOUNT,
        "t",
        http_client=Recorder(reply=lambda s: Response(502, "<html>bad gateway", {})),
        environment={},
    )
    with pytest.raises(RestException) as info:
        client.messages("SM1").fetch()
    assert info.value.code == 502


def test_json_body_operations_send_json() -> None:
    rec = Recorder(reply=json_reply(201, {"sid": "HX1"}))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    client.content.v1.contents.create(content_create_request={"friendly_name": "x", "types": {}})
    assert rec.last.headers["Content-Type"] == "application/json"
    assert json.loads(rec.last.data) == {"friendly_name": "x", "types": {}}


def test_shortcuts_follow_a_reassigned_default_account() -> None:
    rec = Recorder(reply=json_reply(200, MESSAGE))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    client.messages("SM1").fetch()
    assert f"/Accounts/{ACCOUNT}/" in rec.last.url
    other = "AC" + "c" * 32
    client.api.v2010.account = client.api.v2010.accounts(other)
    client.messages("SM1").fetch()
    assert f"/Accounts/{other}/" in rec.last.url


def test_custom_headers_override_defaults() -> None:
    rec = Recorder(reply=json_reply(200, MESSAGE))
    client = Client(ACCOUNT, "t", http_client=rec, environment={})
    client.request(
        "POST", "https://api.twilio.com/x", headers={"Content-Type": "application/json", "X-Extra": "1"}
    )
    assert rec.last.headers["Content-Type"] == "application/json" and rec.last.headers["X-Extra"] == "1"
    assert rec.last.headers["Accept"] == "application/json"
    client.request("DELETE", "https://api.twilio.com/x")
    assert "Accept" not in rec.last.headers and "Content-Type" not in rec.last.headers


def test_a_success_status_with_a_non_json_body_is_a_twilio_exception() -> None:
    client = Client(
        ACCOUNT,
        "t",
        http_client=Recorder(reply=lambda s: Response(200, "<html>ok</html>", {})),
        environment={},
    )
    with pytest.raises(TwilioException, match="not JSON"):
        client.messages("SM1").fetch()
    with pytest.raises(TwilioException, match="not JSON"):
        client.messages.list()


UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu, 30 Jul 2015 20:12:31 +0000", dt.datetime(2015, 7, 30, 20, 12, 31, tzinfo=UTC)),
        ("Thu, 30 Jul 2015 15:12:31 -0500", dt.datetime(2015, 7, 30, 20, 12, 31, tzinfo=UTC)),
        ("Thu, 2 Jul 2015 20:12:31 +0000", dt.datetime(2015, 7, 2, 20, 12, 31, tzinfo=UTC)),
        ("Thu, 30 Foo 2015 20:12:31 +0000", "Thu, 30 Foo 2015 20:12:31 +0000"),
        ("not a date", "not a date"),
        ("", ""),
    ],
)
def test_rfc2822_dates_parse_or_come_back_unchanged(text: str, expected: object) -> None:
    rec = Recorder(reply=json_reply(200, {**MESSAGE, "date_created": text}))
    got = Client(ACCOUNT, "t", http_client=rec, environment={}).messages("SM1").fetch().date_created
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-07-30T20:12:31Z", dt.datetime(2015, 7, 30, 20, 12, 31, tzinfo=UTC)),
        ("2015-07-30T22:12:31+02:00", dt.datetime(2015, 7, 30, 20, 12, 31, tzinfo=UTC)),
        ("2015-07-30T20:12:31.250Z", dt.datetime(2015, 7, 30, 20, 12, 31, 250000, tzinfo=UTC)),
        ("yesterday", "yesterday"),
    ],
)
def test_iso_dates_parse_or_come_back_unchanged(text: str, expected: object) -> None:
    rec = Recorder(reply=json_reply(200, {"sid": "VA1", "date_created": text}))
    got = Client(ACCOUNT, "t", http_client=rec, environment={}).verify.v2.services("VA1").fetch().date_created
    assert got == expected and type(got) is type(expected)


def test_date_only_fields_are_dates() -> None:
    page = {"usage_records": [{"start_date": "2024-01-01", "end_date": "bad"}], "next_page_uri": None}
    rec = Recorder(reply=json_reply(200, page))
    record = Client(ACCOUNT, "t", http_client=rec, environment={}).usage.records.list()[0]
    assert record.start_date == dt.date(2024, 1, 1) and record.end_date == "bad"


def test_ids_by_keyword_and_the_official_positional_order() -> None:
    """A context's ids may be named (``phone_number=``); positionally they go in the official
    package's order, which for Lookups overrides is not the path's: ``(field, phone_number)``."""
    from tests.sdk.recording import Recorder

    recorder = Recorder()
    client = Client("AC" + "1" * 32, "token", http_client=recorder, environment={})
    overrides = client.lookups.v2.lookup_overrides
    overrides("line_type", "+15005550006").fetch()
    overrides(phone_number="+15005550006", field="line_type").fetch()
    overrides(field="line_type", phone_number="+15005550006").fetch()
    want = "https://lookups.twilio.com/v2/PhoneNumbers/+15005550006/Overrides/line_type"
    assert [sent.url for sent in recorder.sent] == [want] * 3
    bucket = client.lookups.v2.bucket
    bucket("f", "b").fetch()
    bucket(bucket="b", field="f").fetch()
    assert (
        recorder.sent[-1].url
        == recorder.sent[-2].url
        == "https://lookups.twilio.com/v2/RateLimits/Fields/f/Bucket/b"
    )
    calls = client.api.v2010.accounts("AC" + "2" * 32).calls
    calls(sid="CA" + "3" * 32).fetch()
    assert recorder.sent[-1].url.endswith("/Accounts/AC" + "2" * 32 + "/Calls/CA" + "3" * 32 + ".json")
