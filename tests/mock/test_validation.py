"""Validation from the description, errors in Twilio's shape, routing errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend, MockRequest
from twilio_mock.core.validation import phone_ok, uri_ok


def _url(backend: Backend, resource: str) -> str:
    return f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/{resource}.json"


def _error(answer: Any) -> tuple[int, int, str]:
    body = answer.json()
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{body['code']}"
    assert body["status"] == answer.status
    return answer.status, body["code"], body["message"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"From": "+15017122661", "Body": "x"}, (400, 21604, "A 'To' phone number is required.")),
        ({"To": "", "From": "+15017122661", "Body": "x"}, (400, 21604, "A 'To' phone number is required.")),
        ({"To": "+15558675310", "Body": "x"}, (400, 21603, "A 'From' phone number is required.")),
        ({"To": "+15558675310", "From": "+15017122661"}, (400, 21602, "Message body is required.")),
        (
            {"To": "+1555abc", "From": "+15017122661", "Body": "x"},
            (400, 21211, "The 'To' number +1555abc is not a valid phone number."),
        ),
        (
            {"To": "+15558675310", "From": "+1", "Body": "x"},
            (400, 21212, "The 'From' number +1 is not a valid phone number or shortcode."),
        ),
        (
            {"To": "+15558675310", "From": "+15017122661", "Body": "x", "StatusCallback": "not a url"},
            (400, 20001, "Invalid parameter StatusCallback: 'not a url' (not a valid URL)"),
        ),
        (
            {"To": "+15558675310", "From": "+15017122661", "Body": "x", "ValidityPeriod": "soon"},
            (400, 20001, "Invalid parameter ValidityPeriod: 'soon' (must be an integer)"),
        ),
        (
            {"To": "+15558675310", "From": "+15017122661", "Body": "x", "ForceDelivery": "maybe"},
            (400, 20001, "Invalid parameter ForceDelivery: 'maybe' (must be true or false)"),
        ),
    ],
)
def test_message_create_errors(
    backend: Backend, raw: Raw, data: dict[str, str], expected: tuple[int, int, str]
) -> None:
    assert _error(raw("POST", _url(backend, "Messages"), data=data)) == expected


def test_valid_message_variants(backend: Backend, raw: Raw) -> None:
    url = _url(backend, "Messages")
    number = raw("POST", _url(backend, "IncomingPhoneNumbers"), data={"PhoneNumber": "+15017122671"}).json()
    service = raw("POST", "https://messaging.twilio.com/v1/Services", data={"FriendlyName": "s"}).json()
    pool = f"https://messaging.twilio.com/v1/Services/{service['sid']}/PhoneNumbers"
    assert raw("POST", pool, data={"PhoneNumberSid": number["sid"]}).status in (200, 201)
    for data in (
        {"To": "whatsapp:+15558675310", "From": "whatsapp:+15017122661", "Body": "x"},
        {"To": "+15558675310", "MessagingServiceSid": service["sid"], "Body": "x"},
        {
            "To": "+15558675310",
            "From": "MyCompany",
            "MediaUrl": ["https://e.com/a.png", "https://e.com/b.png"],
        },
        {"To": "+1 (555) 867-5310", "From": "12345", "ContentSid": "HX" + "0" * 32},
    ):
        answer = raw("POST", url, data=data)
        assert answer.status == 201, (data, answer.text)


def test_generic_missing_and_enum_errors(backend: Backend, raw: Raw) -> None:
    missing = raw("POST", "https://conversations.twilio.com/v1/Services", data={})
    assert _error(missing) == (400, 20001, "Missing required parameter FriendlyName in the post body")
    bad_enum = raw("POST", "https://conversations.twilio.com/v1/Credentials", data={"Type": "carrier-pigeon"})
    status, code, message = _error(bad_enum)
    assert (status, code) == (400, 20001) and message.startswith("Invalid parameter Type: 'carrier-pigeon'")
    ok = raw(
        "POST", "https://conversations.twilio.com/v1/Credentials", data={"Type": "APN", "Sandbox": "TRUE"}
    )
    assert ok.status == 201 and ok.json()["type"] == "apn" and ok.json()["sandbox"] is True


def test_verify_uses_its_own_invalid_code(backend: Backend, raw: Raw) -> None:
    answer = raw(
        "POST", "https://verify.twilio.com/v2/Services", data={"FriendlyName": "v", "CodeLength": "six"}
    )
    assert _error(answer) == (400, 60200, "Invalid parameter: CodeLength")


def test_dotted_parameters_fill_nested_objects(backend: Backend, raw: Raw) -> None:
    data = {"FriendlyName": "v", "Push.IncludeDate": "true", "Totp.Issuer": "Acme", "Totp.CodeLength": "8"}
    created = raw("POST", "https://verify.twilio.com/v2/Services", data=data).json()
    assert created["push"] == {"include_date": True}
    assert created["totp"] == {"issuer": "Acme", "code_length": 8}
    url = f"https://verify.twilio.com/v2/Services/{created['sid']}"
    updated = raw("POST", url, data={"Totp.Skew": "2"}).json()
    assert updated["totp"] == {"issuer": "Acme", "code_length": 8, "skew": 2}


def test_values_are_typed_and_unknown_parameters_ignored(backend: Backend, raw: Raw) -> None:
    answer = raw(
        "POST", _url(backend, "Queues"), data={"FriendlyName": "q", "MaxSize": "12", "Colour": "blue"}
    )
    assert answer.status == 201
    body = answer.json()
    assert body["max_size"] == 12 and "colour" not in body and "Colour" not in body
    entry = backend.journal.last()
    assert entry is not None and entry.params["Colour"] == "blue"


def test_update_merges(backend: Backend, raw: Raw) -> None:
    created = raw("POST", _url(backend, "Queues"), data={"FriendlyName": "q", "MaxSize": "12"}).json()
    url = _url(backend, f"Queues/{created['sid']}")
    updated = raw("POST", url, data={"FriendlyName": "renamed"}).json()
    assert updated["friendly_name"] == "renamed" and updated["max_size"] == 12
    assert raw("GET", url).json() == updated


def test_unknown_paths_and_hosts(backend: Backend, raw: Raw) -> None:
    for url, path in [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Nothing.json",
            "/2010-04-01/Accounts/AC1/Nothing.json",
        ),
        ("https://api.twilio.com/1999-01-01/Accounts.json", "/1999-01-01/Accounts.json"),
        ("https://verify.twilio.com/v2", "/v2"),
        ("https://nosuchproduct.twilio.com/v1/Things", "/v1/Things"),
        ("https://example.com/v1/Things", "/v1/Things"),
    ]:
        status, code, message = _error(raw("GET", url))
        assert (status, code) == (404, 20404)
        assert message.startswith(f"The requested resource {path} was not found")  # then hints


def test_unknown_paths_name_the_nearest_routes(backend: Backend, raw: Raw) -> None:
    answer = raw("GET", _url(backend, "Message"))
    assert answer.status == 404
    assert "/2010-04-01/Accounts/{AccountSid}/Messages" in answer.headers["X-Mock-Nearest-Routes"]


def test_wrong_method_is_405(backend: Backend, raw: Raw) -> None:
    for method in ("PUT", "PATCH", "BREW"):
        answer = raw(method, _url(backend, "Messages"))
        status, code, _ = _error(answer)
        assert (status, code) == (405, 20004)
    assert raw("DELETE", "https://verify.twilio.com/v2/Services").status == 405


def test_regions_and_edges_reach_the_same_backend(backend: Backend, raw: Raw) -> None:
    created = raw(
        "POST", "https://verify.sydney.au1.twilio.com/v2/Services", data={"FriendlyName": "x"}
    ).json()
    assert created["url"].startswith("https://verify.twilio.com/v2/Services/VA")  # one canonical host
    assert raw("GET", f"https://verify.twilio.com/v2/Services/{created['sid']}").status == 200
    assert raw("GET", f"https://verify.ie1.twilio.com/v2/Services/{created['sid']}").status == 200


def test_json_bodies(backend: Backend, raw: Raw) -> None:
    answer = raw(
        "POST",
        "https://content.twilio.com/v1/Content",
        json_body={"friendly_name": "promo", "language": "en"},
    )
    assert answer.status == 201
    assert answer.json()["friendly_name"] == "promo" and answer.json()["sid"].startswith("HX")
    bad = backend.handle(
        MockRequest(
            "POST",
            "https://content.twilio.com/v1/Content",
            {"Authorization": raw.auth, "Content-Type": "application/json"},
            b"{not json",
        )
    )
    assert bad.status == 400 and bad.json()["code"] == 20001


@pytest.mark.parametrize(
    ("value", "sender", "ok"),
    [
        ("+15558675310", False, True),
        ("+44 20 7946 0958", False, True),
        ("whatsapp:+15558675310", False, True),
        ("client:alice", False, True),
        ("sip:alice@example.com", False, True),
        ("12345", False, True),
        ("MyCompany", True, True),
        ("MyCompany", False, False),
        ("+1", False, False),
        ("", False, False),
        ("+1555abc", False, False),
        ("++15558675310", False, False),
        ("TooLongSenderName", True, False),
        ("whatsapp:", False, False),
    ],
)
def test_phone_format(value: str, sender: bool, ok: bool) -> None:
    assert phone_ok(value, sender) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.com/a?b=c", True),
        ("http://127.0.0.1:8000/x", True),
        ("", True),
        ("example.com", False),
        ("/relative", False),
        ("http://[bad", False),
    ],
)
def test_url_format(value: str, ok: bool) -> None:
    assert uri_ok(value) is ok


@pytest.mark.parametrize("to", [" 15558675310", "15558675310", "+1555867531a", "+15558675310 "])
def test_a_number_mangled_in_transit_is_rejected_as_twilio_does(backend: Backend, raw: Raw, to: str) -> None:
    """``curl -d To=+1555…`` sends a space where the ``+`` was; nothing is stored."""
    answer = raw("POST", _url(backend, "Messages"), data={"To": to, "From": "+15017122661", "Body": "x"})
    assert _error(answer)[:2] == (400, 21211)
    call = raw(
        "POST", _url(backend, "Calls"), data={"To": to, "From": "+15017122661", "Url": "https://e.com/x"}
    )
    assert _error(call)[:2] == (400, 21217)
    assert raw("GET", _url(backend, "Messages")).json()["messages"] == []


def test_numbers_short_codes_and_channel_addresses_are_accepted(backend: Backend, raw: Raw) -> None:
    for to in ("+15558675310", "+1 (555) 867-5310", "whatsapp:+15558675310", "12345"):
        answer = raw("POST", _url(backend, "Messages"), data={"To": to, "From": "+15017122661", "Body": "x"})
        assert answer.status == 201, (to, answer.text)
    call = raw(
        "POST",
        _url(backend, "Calls"),
        data={"To": "client:alice", "From": "+15017122661", "Url": "https://e.com/x"},
    )
    assert call.status == 201
