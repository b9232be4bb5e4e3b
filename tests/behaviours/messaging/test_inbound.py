"""Inbound SMS (ref §10, §18.2): stored as received, posted to the number's ``sms_url`` (or its
Messaging Service's inbound URL) with Twilio's fields, signed (checked with the official
validator); the TwiML the app answers is carried out: ``<Message>`` replies, ``<Redirect>``,
an empty ``<Response/>``, and the fallback URL when the app fails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, OTHER, App, service_with
from twilio_mock import Backend

SMS = f"{APP}/sms"


@pytest.fixture
def owned(client: Any) -> str:
    return str(client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS).sid)


def test_an_inbound_sms_reaches_the_app_with_twilios_fields(
    client: Any, backend: Backend, app: App, owned: str
) -> None:
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "Hello there")
    message = client.messages(result.sid).fetch()
    assert (message.direction, message.status, message.from_, message.to) == (
        "inbound",
        "received",
        CUSTOMER,
        NUMBER,
    )
    assert result.sid.startswith("SM") and message.body == "Hello there" and message.num_segments == "1"
    assert result.message["sid"] == result.sid and result.message["direction"] == "inbound"
    (seen,) = app.at("/sms")
    assert seen.method == "POST" and seen.valid
    expected = {
        "MessageSid": result.sid,
        "SmsMessageSid": result.sid,
        "SmsSid": result.sid,
        "AccountSid": backend.account_sid,
        "From": CUSTOMER,
        "To": NUMBER,
        "Body": "Hello there",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
        "FromCountry": "US",
        "ToCountry": "US",
    }
    assert {k: seen.form[k] for k in expected} == expected
    geo = {f"{side}{part}" for side in ("From", "To") for part in ("City", "State", "Zip", "Country")}
    assert geo <= set(seen.form) and "MessagingServiceSid" not in seen.form and "OptOutType" not in seen.form
    assert [d.event for d in result.deliveries] == ["message.inbound"] and result.replies == []


def test_media_arrive_as_media_urls(client: Any, backend: Backend, app: App, owned: str) -> None:
    result = backend.messaging.inbound_sms(
        CUSTOMER,
        NUMBER,
        "",
        ["https://cdn.test/a.png", "https://cdn.test/b"],
        media_types=[None, "video/mp4"],
    )
    assert result.sid.startswith("MM")
    form = app.at("/sms")[0].form
    media = client.messages(result.sid).media.list()
    by_type = {m.content_type: m.sid for m in media}
    base = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages/{result.sid}/Media"
    assert form["NumMedia"] == "2"
    assert (form["MediaUrl0"], form["MediaContentType0"]) == (f"{base}/{by_type['image/png']}", "image/png")
    assert (form["MediaUrl1"], form["MediaContentType1"]) == (f"{base}/{by_type['video/mp4']}", "video/mp4")


def test_message_replies_go_back_to_the_sender(client: Any, backend: Backend, app: App, owned: str) -> None:
    client.incoming_phone_numbers.create(phone_number=OTHER)
    app.answers["/sms"] = (
        "<Response><Message>Thanks!</Message>"
        f'<Message to="+15558675311" from="{OTHER}" action="/reply-status">'
        "<Body>Hi</Body><Body> there</Body><Media>https://cdn.test/a.png</Media></Message></Response>"
    )
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hello")
    first, second = (client.messages(sid).fetch() for sid in result.replies)
    assert (first.from_, first.to, first.body, first.direction) == (
        NUMBER,
        CUSTOMER,
        "Thanks!",
        "outbound-reply",
    )
    assert (second.from_, second.to, second.body, second.num_media) == (
        OTHER,
        "+15558675311",
        "Hi there",
        "1",
    )
    assert first.status == "queued" and result.errors == []
    backend.advance(10)
    assert [s.form["MessageStatus"] for s in app.at("/reply-status")] == ["sending", "sent", "delivered"]
    assert {s.form["MessageSid"] for s in app.at("/reply-status")} == {second.sid}


def test_an_empty_response_sends_nothing(client: Any, backend: Backend, app: App, owned: str) -> None:
    for answer in ("<Response/>", "", "<Response></Response>"):
        app.answers["/sms"] = answer
        result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
        assert result.replies == [] and result.errors == []
    assert [m.direction for m in client.messages.list()] == ["inbound"] * 3


def test_redirects_are_followed(client: Any, backend: Backend, app: App, owned: str) -> None:
    app.answers["/sms"] = (
        '<Response><Redirect method="GET">next?step=2</Redirect><Message>never</Message></Response>'
    )
    app.answers["/next"] = f"<Response><Redirect>{APP}/last</Redirect></Response>"
    app.answers["/last"] = "<Response><Message>from the last document</Message></Response>"
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert [(s.method, s.path) for s in app.seen] == [("POST", "/sms"), ("GET", "/next"), ("POST", "/last")]
    assert "step=2" in app.seen[1].url and "MessageSid=" in app.seen[1].url  # GET: the fields in the query
    assert app.seen[2].form["MessageSid"] == result.sid
    assert [client.messages(s).fetch().body for s in result.replies] == ["from the last document"]


def test_redirect_loops_stop(backend: Backend, app: App, owned: str) -> None:
    app.answers["/sms"] = "<Response><Redirect>/sms</Redirect></Response>"
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert len(app.seen) == 11 and result.errors[-1].startswith("11215")


def test_the_fallback_url_when_the_app_fails(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS, sms_fallback_url=f"{APP}/fallback")
    app.answers["/sms"] = ("oops", 500)
    app.answers["/fallback"] = "<Response><Message>Sorry, try later</Message></Response>"
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert [d.status for d in result.deliveries] == [500, 200]
    assert result.deliveries[0].extra["error_code"] == 11200
    fallback = app.at("/fallback")[0].form
    assert (fallback["ErrorCode"], fallback["ErrorUrl"], fallback["MessageSid"]) == ("11200", SMS, result.sid)
    assert [client.messages(s).fetch().body for s in result.replies] == ["Sorry, try later"]


def test_twiml_that_does_not_parse_is_12100(backend: Backend, app: App, owned: str) -> None:
    app.answers["/sms"] = "<Response><Message>unclosed"
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert result.replies == [] and result.deliveries[0].extra["error_code"] == 12100
    assert result.errors and result.errors[0].startswith("12100")


def test_a_refused_reply_is_reported(backend: Backend, app: App, owned: str) -> None:
    app.answers["/sms"] = '<Response><Message to="+1555">x</Message><Message>ok</Message></Response>'
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert len(result.replies) == 1 and "21211" in result.errors[0]


def test_sms_method_get(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS, sms_method="GET")
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "a b&c")
    (seen,) = app.seen
    assert seen.method == "GET" and "Body=a+b%26c" in seen.url and seen.valid


def test_a_service_takes_inbound_messages_unless_it_defers_to_the_number(
    client: Any, backend: Backend, app: App, owned: str
) -> None:
    sid = service_with(client, NUMBER, inbound_request_url=f"{APP}/service-inbound")
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")
    assert app.at("/sms") == [] and app.at("/service-inbound")[0].form["MessagingServiceSid"] == sid
    assert client.messages(result.sid).fetch().messaging_service_sid == sid
    client.messaging.v1.services(sid).update(use_inbound_webhook_on_number=True)
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "again")
    assert app.at("/sms")[0].form["MessagingServiceSid"] == sid


def test_a_number_without_a_url_only_stores(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER)
    result = backend.messaging.inbound_sms(CUSTOMER, "+1 501 712 2671", "hi")
    assert result.deliveries == [] and client.messages(result.sid).fetch().to == NUMBER


def test_an_unknown_number_is_a_clear_error(backend: Backend) -> None:
    with pytest.raises(LookupError, match=r"no account owns \+15017122671: .*incoming_phone_numbers.create"):
        backend.messaging.inbound_sms(CUSTOMER, NUMBER, "hi")


def test_the_owner_of_the_number_receives_it(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS)
    sub = client.api.v2010.accounts.create(friendly_name="sub")
    client.api.v2010.accounts(sub.sid).incoming_phone_numbers.create(phone_number=OTHER, sms_url=SMS)
    app.token = sub.auth_token  # the app checks signatures with the subaccount's own auth token
    result = backend.messaging.inbound_sms(CUSTOMER, OTHER, "hi")
    assert result.message["account_sid"] == sub.sid and app.seen[0].form["AccountSid"] == sub.sid
    assert app.seen[0].valid and sub.auth_token != backend.auth_token
