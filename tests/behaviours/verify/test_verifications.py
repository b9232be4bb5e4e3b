"""Starting a verification (ref §12): the channels and what ``To`` must be for each (60200), the
service (20404), the code (the service's length, seeded; ``CustomCode``), the SMS an ``sms``
verification really sends through the messaging behaviour, and resends (same SID, one more
attempt, 429 / 60203 past five sends)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.verify.conftest import CUSTOMER, EMAIL, code_of
from twilio_mock import Backend, MockTransport
from twilio_mock.behaviours import verify_data
from twilio_sdk import Client


def test_an_sms_verification_is_pending_and_sends_the_code(
    client: Any, service: Any, backend: Backend
) -> None:
    made = service.verifications.create(to=CUSTOMER, channel="sms")
    assert made.sid.startswith("VE") and len(made.sid) == 34
    assert (made.to, made.channel, made.status, made.valid) == (CUSTOMER, "sms", "pending", False)
    assert made.service_sid == client.verify.v2.services.list()[0].sid
    assert made.account_sid == backend.account_sid and made.lookup == {} and made.sna is None
    [attempt] = made.send_code_attempts
    assert attempt["channel"] == "SMS" and attempt["attempt_sid"].startswith("VL")
    assert attempt["time"] == "2025-01-01T00:00:00Z"
    code = backend.verify.code(CUSTOMER)
    assert len(code) == 6 and code.isdigit()
    [sms] = client.messages.list(to=CUSTOMER)
    assert sms.body == f"Your Acme verification code is: {code}"
    assert sms.from_ == verify_data.SMS_SENDER and sms.status == "queued"
    backend.advance(10)  # the message lifecycle runs: the code is delivered
    assert client.messages(sms.sid).fetch().status == "delivered"
    [entry] = backend.journal.find(method="POST", path_contains="/Verifications")
    assert entry.status == 201 and entry.params == {"To": CUSTOMER, "Channel": "sms"}


def test_custom_friendly_name_goes_into_the_text(client: Any, service: Any, backend: Backend) -> None:
    service.verifications.create(to=CUSTOMER, channel="sms", custom_friendly_name="Ada's Bakery")
    [sms] = client.messages.list(to=CUSTOMER)
    assert sms.body == f"Your Ada's Bakery verification code is: {backend.verify.code(CUSTOMER)}"


@pytest.mark.parametrize(("channel", "to"), [("call", CUSTOMER), ("whatsapp", CUSTOMER), ("email", EMAIL)])
def test_other_channels_record_the_attempt_and_send_no_message(
    client: Any, service: Any, backend: Backend, channel: str, to: str
) -> None:
    made = service.verifications.create(to=to, channel=channel)
    assert (made.to, made.channel, made.status) == (to, channel, "pending")
    assert [a["channel"] for a in made.send_code_attempts] == [channel.upper()]
    assert len(backend.verify.code(to)) == 6
    assert client.messages.list() == []


def test_sna_is_a_channel(service: Any, backend: Backend) -> None:
    made = service.verifications.create(to=CUSTOMER, channel="sna")
    assert made.channel == "sna" and made.status == "pending"
    assert backend.verify.pending(CUSTOMER)[0]["channel"] == "sna"


def test_an_unknown_channel_is_60200(client: Any, service: Any, backend: Backend) -> None:
    status, code, message = code_of(lambda: service.verifications.create(to=CUSTOMER, channel="pigeon"))
    assert (status, code) == (400, 60200) and "Invalid parameter: Channel" in message
    assert backend.verify.pending() == [] and client.messages.list() == []


@pytest.mark.parametrize(
    ("channel", "to"),
    [
        ("sms", "5558675310"),  # not E.164
        ("sms", "+1 555 867 5310"),  # formatted
        ("sms", "+1555"),  # not a possible number
        ("call", EMAIL),
        ("whatsapp", "whatsapp:+15558675310"),
        ("email", CUSTOMER),
        ("email", "ada@"),
    ],
)
def test_a_to_that_does_not_fit_the_channel_is_60200(
    service: Any, backend: Backend, channel: str, to: str
) -> None:
    status, code, message = code_of(lambda: service.verifications.create(to=to, channel=channel))
    assert (status, code) == (400, 60200) and "Invalid parameter: To" in message
    assert backend.verify.pending() == []


def test_missing_to_or_channel_is_60200(backend: Backend) -> None:
    from tests.mock.helpers import Raw

    raw = Raw(backend)
    service = raw("POST", "https://verify.twilio.com/v2/Services", data={"FriendlyName": "x"}).json()
    url = f"https://verify.twilio.com/v2/Services/{service['sid']}/Verifications"
    for form, name in (({"Channel": "sms"}, "To"), ({"To": CUSTOMER}, "Channel")):
        answer = raw("POST", url, data=form)
        assert answer.status == 400
        assert answer.json() == {
            "code": 60200,
            "message": f"Invalid parameter: {name}",
            "more_info": "https://www.twilio.com/docs/errors/60200",
            "status": 400,
        }


def test_the_service_must_exist(client: Any, backend: Backend) -> None:
    missing = "VA" + "0" * 32
    status, code, message = code_of(
        lambda: client.verify.v2.services(missing).verifications.create(to=CUSTOMER, channel="sms")
    )
    assert (status, code) == (404, 20404) and f"/v2/Services/{missing}/Verifications" in message
    assert client.messages.list() == []


@pytest.mark.parametrize("length", [4, 8, 10])
def test_the_code_has_the_services_length(client: Any, backend: Backend, length: int) -> None:
    made = client.verify.v2.services.create(friendly_name="Short", code_length=length)
    client.verify.v2.services(made.sid).verifications.create(to=CUSTOMER, channel="sms")
    code = backend.verify.code(CUSTOMER)
    assert len(code) == length and code.isdigit()


@pytest.mark.parametrize("length", [3, 11])
def test_a_code_length_outside_4_to_10_is_60200(client: Any, length: int) -> None:
    status, code, _ = code_of(lambda: client.verify.v2.services.create(friendly_name="x", code_length=length))
    assert (status, code) == (400, 60200)


def _first_code(seed: int) -> str:
    backend = Backend(seed=seed)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    sid = client.verify.v2.services.create(friendly_name="Acme").sid
    client.verify.v2.services(sid).verifications.create(to=CUSTOMER, channel="sms")
    return backend.verify.code(CUSTOMER)


def test_a_seed_reproduces_the_code() -> None:
    assert _first_code(11) == _first_code(11)
    assert len({_first_code(seed) for seed in range(5)}) > 1


def test_custom_code_is_honoured(client: Any, service: Any, backend: Backend) -> None:
    service.verifications.create(to=CUSTOMER, channel="sms", custom_code="867530")
    assert backend.verify.code(CUSTOMER) == "867530"
    assert client.messages.list(to=CUSTOMER)[0].body.endswith(": 867530")
    checked = service.verification_checks.create(to=CUSTOMER, code="867530")
    assert (checked.status, checked.valid) == ("approved", True)


@pytest.mark.parametrize("custom", ["123", "12345678901", "12 34"])
def test_a_custom_code_outside_4_to_10_characters_is_60200(
    service: Any, backend: Backend, custom: str
) -> None:
    status, code, message = code_of(
        lambda: service.verifications.create(to=CUSTOMER, channel="sms", custom_code=custom)
    )
    assert (status, code) == (400, 60200) and "CustomCode" in message
    assert backend.verify.pending() == []


def test_a_resend_reuses_the_pending_verification(client: Any, service: Any, backend: Backend) -> None:
    first = service.verifications.create(to=CUSTOMER, channel="sms")
    code = backend.verify.code(CUSTOMER)
    backend.advance(30)
    again = service.verifications.create(to=CUSTOMER, channel="call")
    assert again.sid == first.sid and again.status == "pending" and again.channel == "call"
    assert [a["channel"] for a in again.send_code_attempts] == ["SMS", "CALL"]
    assert again.send_code_attempts[1]["time"] == "2025-01-01T00:00:30Z"
    assert again.send_code_attempts[0]["attempt_sid"] != again.send_code_attempts[1]["attempt_sid"]
    assert backend.verify.code(CUSTOMER) == code  # the same code is sent again
    assert len(service.verifications.create(to=CUSTOMER, channel="sms").send_code_attempts) == 3
    assert [m.body for m in client.messages.list(to=CUSTOMER)] == [
        f"Your Acme verification code is: {code}"
    ] * 2
    other = service.verifications.create(to="+15558675311", channel="sms")
    assert other.sid != first.sid and len(backend.verify.pending()) == 2


def test_a_sixth_send_is_429_60203_and_changes_nothing(client: Any, service: Any, backend: Backend) -> None:
    for _ in range(5):
        made = service.verifications.create(to=CUSTOMER, channel="sms")
    assert len(made.send_code_attempts) == 5
    status, code, message = code_of(lambda: service.verifications.create(to=CUSTOMER, channel="sms"))
    assert (status, code) == (429, 60203) and "Max send attempts reached" in message
    assert len(service.verifications(made.sid).fetch().send_code_attempts) == 5
    assert len(client.messages.list(to=CUSTOMER)) == 5
    backend.advance(verify_data.LIFETIME)  # once it expired, a new verification can start
    fresh = service.verifications.create(to=CUSTOMER, channel="sms")
    assert fresh.sid != made.sid and len(fresh.send_code_attempts) == 1


def test_a_new_verification_starts_once_the_last_one_is_approved(service: Any, backend: Backend) -> None:
    first = service.verifications.create(to=CUSTOMER, channel="sms")
    service.verification_checks.create(to=CUSTOMER, code=backend.verify.code(CUSTOMER))
    second = service.verifications.create(to=CUSTOMER, channel="sms")
    assert second.sid != first.sid and second.status == "pending"


def test_services_keep_their_own_verifications(client: Any, backend: Backend) -> None:
    one = client.verify.v2.services.create(friendly_name="One").sid
    two = client.verify.v2.services.create(friendly_name="Two").sid
    a = client.verify.v2.services(one).verifications.create(to=CUSTOMER, channel="sms")
    b = client.verify.v2.services(two).verifications.create(to=CUSTOMER, channel="sms")
    assert a.sid != b.sid
    bodies = sorted(m.body.split(" verification")[0] for m in client.messages.list(to=CUSTOMER))
    assert bodies == ["Your One", "Your Two"]


def test_delivery_rules_apply_to_the_verification_sms(client: Any, service: Any, backend: Backend) -> None:
    backend.messaging.fail(CUSTOMER, error_code=30003)
    service.verifications.create(to=CUSTOMER, channel="sms")
    backend.advance(10)
    [sms] = client.messages.list(to=CUSTOMER)
    assert (sms.status, sms.error_code) == ("undelivered", 30003)
    assert len(backend.verify.code(CUSTOMER)) == 6  # the verification itself is still pending


def test_test_credentials_cannot_use_verify(backend: Backend, client: Any) -> None:
    from twilio.rest import Client as OfficialClient

    from twilio_sdk import Client as SdkClient

    if isinstance(client, SdkClient):
        test = SdkClient(
            backend.test_account_sid,
            backend.test_auth_token,
            http_client=MockTransport(backend),
            environment={},
        )
    else:
        test = OfficialClient(backend.test_account_sid, backend.test_auth_token)
    status, code, _ = code_of(
        lambda: test.verify.v2.services("VA" + "0" * 32).verifications.create(to=CUSTOMER, channel="sms")
    )
    assert (status, code) == (403, 20008)


def test_an_sms_to_a_landline_is_403_60205(client: Any, service: Any, backend: Backend) -> None:
    landline = "+442071838750"  # a London fixed line, as phonenumbers knows it
    status, code, message = code_of(lambda: service.verifications.create(to=landline, channel="sms"))
    assert (status, code) == (403, 60205) and "SMS is not supported by landline phone number" in message
    assert backend.verify.pending() == [] and client.messages.list() == []
    assert service.verifications.create(to=landline, channel="call").status == "pending"
