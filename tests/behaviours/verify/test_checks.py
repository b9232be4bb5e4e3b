"""Checking a code (ref §12, §13): by ``To`` or ``VerificationSid``, the right code approves, a
wrong one stays pending, the sixth check after five wrong ones is 429 / 60202, no target is
400 / 60221; expired (10 virtual minutes), approved or canceled verifications are 404; and
``update(status=...)`` on the Verification."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.verify.conftest import CUSTOMER, code_of
from twilio_mock import Backend
from twilio_mock.behaviours import verify_data


@pytest.fixture
def started(service: Any) -> Any:
    return service.verifications.create(to=CUSTOMER, channel="sms")


def _wrong(code: str) -> str:
    return "0" * len(code) if code != "0" * len(code) else "1" * len(code)


def test_the_right_code_approves_by_to(service: Any, started: Any, backend: Backend) -> None:
    backend.advance(42)
    checked = service.verification_checks.create(to=CUSTOMER, code=backend.verify.code(CUSTOMER))
    assert (checked.sid, checked.status, checked.valid) == (started.sid, "approved", True)
    assert (checked.to, checked.channel, checked.service_sid) == (CUSTOMER, "sms", started.service_sid)
    assert checked.account_sid == backend.account_sid and checked.sna_attempts_error_codes == []
    assert checked.date_created == started.date_created
    assert int(checked.date_updated.timestamp()) == int(started.date_created.timestamp()) + 42
    fetched = service.verifications(started.sid).fetch()
    assert (fetched.status, fetched.valid) == ("approved", True)
    assert backend.verify.pending() == []


def test_the_right_code_approves_by_verification_sid(service: Any, started: Any, backend: Backend) -> None:
    code = backend.verify.code(CUSTOMER)
    checked = service.verification_checks.create(verification_sid=started.sid, code=code)
    assert (checked.sid, checked.status, checked.valid) == (started.sid, "approved", True)


def test_a_wrong_code_is_200_pending(service: Any, started: Any, backend: Backend) -> None:
    code = backend.verify.code(CUSTOMER)
    checked = service.verification_checks.create(to=CUSTOMER, code=_wrong(code))
    assert (checked.sid, checked.status, checked.valid) == (started.sid, "pending", False)
    assert service.verifications(started.sid).fetch().status == "pending"
    assert backend.verify.pending(CUSTOMER)[0]["checks"] == 1
    assert service.verification_checks.create(to=CUSTOMER, code=code).status == "approved"


def test_after_five_wrong_codes_the_next_check_is_429_60202(
    service: Any, started: Any, backend: Backend
) -> None:
    code = backend.verify.code(CUSTOMER)
    for _ in range(5):
        assert service.verification_checks.create(to=CUSTOMER, code=_wrong(code)).status == "pending"
    status, err, message = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))
    assert (status, err) == (429, 60202) and "Max check attempts reached" in message
    assert service.verifications(started.sid).fetch().status == "max_attempts_reached"
    status, err, _ = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))
    assert (status, err) == (404, 20404)  # it is finished: nothing pending to check


def test_a_sixth_wrong_code_is_429_60202(service: Any, started: Any, backend: Backend) -> None:
    wrong = _wrong(backend.verify.code(CUSTOMER))
    answers = []
    for _ in range(6):
        try:
            answers.append(
                service.verification_checks.create(verification_sid=started.sid, code=wrong).status
            )
        except Exception as exc:
            answers.append(getattr(exc, "code", exc))
    assert answers == ["pending"] * 5 + [60202]


def test_the_limits_are_settings(service: Any, started: Any, backend: Backend) -> None:
    backend.verify.max_checks = 1
    code = backend.verify.code(CUSTOMER)
    service.verification_checks.create(to=CUSTOMER, code=_wrong(code))
    assert code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))[:2] == (429, 60202)


def test_neither_to_nor_verification_sid_is_60221(service: Any, started: Any) -> None:
    status, err, message = code_of(lambda: service.verification_checks.create(code="123456"))
    assert (status, err) == (400, 60221) and "No target verification specified" in message
    assert service.verifications(started.sid).fetch().status == "pending"


@pytest.mark.parametrize("code", ["123", "12345678901", "12-456"])
def test_a_code_that_is_not_4_to_10_characters_is_60200_and_no_attempt(
    service: Any, started: Any, backend: Backend, code: str
) -> None:
    status, err, message = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))
    assert (status, err) == (400, 60200) and "Invalid parameter: Code" in message
    assert backend.verify.pending(CUSTOMER)[0]["checks"] == 0


def test_no_verification_to_check_is_404(service: Any) -> None:
    status, err, message = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code="123456"))
    assert (status, err) == (404, 20404) and "/VerificationCheck was not found" in message
    unknown = "VE" + "0" * 32
    status, err, _ = code_of(
        lambda: service.verification_checks.create(verification_sid=unknown, code="123456")
    )
    assert (status, err) == (404, 20404)


def test_an_approved_verification_cannot_be_checked_again(
    service: Any, started: Any, backend: Backend
) -> None:
    code = backend.verify.code(CUSTOMER)
    service.verification_checks.create(to=CUSTOMER, code=code)
    for target in ({"to": CUSTOMER}, {"verification_sid": started.sid}):
        status, err, _ = code_of(lambda t=target: service.verification_checks.create(code=code, **t))
        assert (status, err) == (404, 20404)


def test_it_expires_after_ten_virtual_minutes(service: Any, started: Any, backend: Backend) -> None:
    code = backend.verify.code(CUSTOMER)
    backend.advance(verify_data.LIFETIME - 1)
    assert service.verifications(started.sid).fetch().status == "pending"
    backend.advance(1)
    fetched = service.verifications(started.sid).fetch()  # kept, with its status (unconfirmed)
    assert (fetched.status, fetched.valid) == ("expired", False)
    for target in ({"to": CUSTOMER}, {"verification_sid": started.sid}):
        status, err, _ = code_of(lambda t=target: service.verification_checks.create(code=code, **t))
        assert (status, err) == (404, 20404)
    with pytest.raises(LookupError, match="no pending verification"):
        backend.verify.code(CUSTOMER)


def test_a_resend_does_not_extend_the_ten_minutes(service: Any, started: Any, backend: Backend) -> None:
    backend.advance(300)
    service.verifications.create(to=CUSTOMER, channel="sms")
    backend.advance(300)
    assert service.verifications(started.sid).fetch().status == "expired"


def test_the_expiry_survives_a_snapshot(service: Any, started: Any, backend: Backend) -> None:
    code = backend.verify.code(CUSTOMER)
    state = backend.snapshot()
    backend.advance(verify_data.LIFETIME)
    assert service.verifications(started.sid).fetch().status == "expired"
    backend.restore(state)
    assert backend.verify.code(CUSTOMER) == code
    backend.advance(verify_data.LIFETIME - 1)
    assert service.verification_checks.create(to=CUSTOMER, code=code).status == "approved"
    backend.restore(state)
    backend.advance(verify_data.LIFETIME)
    assert service.verifications(started.sid).fetch().status == "expired"


def test_the_lifetime_is_a_setting(service: Any, backend: Backend) -> None:
    backend.verify.lifetime = 60
    made = service.verifications.create(to=CUSTOMER, channel="sms")
    backend.advance(60)
    assert service.verifications(made.sid).fetch().status == "expired"


def test_update_canceled_ends_it(service: Any, started: Any, backend: Backend) -> None:
    code = backend.verify.code(CUSTOMER)
    canceled = service.verifications(started.sid).update(status="canceled")
    assert (canceled.sid, canceled.status, canceled.valid) == (started.sid, "canceled", False)
    status, err, _ = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))
    assert (status, err) == (404, 20404)
    status, err, _ = code_of(lambda: service.verifications(started.sid).update(status="approved"))
    assert (status, err) == (404, 20404)


def test_update_approved_approves_it(service: Any, started: Any, backend: Backend) -> None:
    approved = service.verifications(started.sid).update(status="approved")
    assert (approved.status, approved.valid) == ("approved", True)
    assert service.verifications(started.sid).fetch().status == "approved"
    status, err, _ = code_of(lambda: service.verifications(started.sid).update(status="canceled"))
    assert (status, err) == (404, 20404)


def test_update_of_an_expired_verification_is_404(service: Any, started: Any, backend: Backend) -> None:
    backend.advance(verify_data.LIFETIME)
    status, err, _ = code_of(lambda: service.verifications(started.sid).update(status="approved"))
    assert (status, err) == (404, 20404)


def test_update_to_another_status_is_60200(service: Any, started: Any) -> None:
    status, err, _ = code_of(lambda: service.verifications(started.sid).update(status="pending"))
    assert (status, err) == (400, 60200)
    assert service.verifications(started.sid).fetch().status == "pending"


def test_a_check_without_a_code_is_60200(backend: Backend, started: Any) -> None:
    from tests.mock.helpers import Raw

    url = f"https://verify.twilio.com/v2/Services/{started.service_sid}/VerificationCheck"
    answer = Raw(backend)("POST", url, data={"To": CUSTOMER})
    assert answer.status == 400 and answer.json()["code"] == 60200
    assert answer.json()["message"] == "Invalid parameter: Code"


def test_expiry_is_also_read_off_the_clock(service: Any, started: Any, backend: Backend) -> None:
    """A state restored without its schedule (a hand-written seed file) still expires on time."""
    code = backend.verify.code(CUSTOMER)
    state = backend.snapshot()
    state.pop("schedule")
    backend.restore(state)
    backend.advance(verify_data.LIFETIME)
    assert backend.verify.pending() == []  # no event ran, but it is past its time
    status, err, _ = code_of(lambda: service.verification_checks.create(to=CUSTOMER, code=code))
    assert (status, err) == (404, 20404)
    assert service.verifications(started.sid).fetch().status == "expired"


def test_a_fetch_reads_the_expiry_off_the_clock(service: Any, started: Any, backend: Backend) -> None:
    state = backend.snapshot()
    state.pop("schedule")
    backend.restore(state)
    backend.advance(verify_data.LIFETIME)
    assert service.verifications(started.sid).fetch().status == "expired"
    unknown = "VE" + "0" * 32
    assert code_of(lambda: service.verifications(unknown).fetch())[:2] == (404, 20404)


def test_reset_forgets_verifications(service: Any, started: Any, backend: Backend) -> None:
    backend.reset()
    assert backend.verify.pending() == []
