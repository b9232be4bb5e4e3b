"""Calls create (ref §1.4, §2, §11, §17.1): the document's source, the caller ID, E.164 checks and
the test credentials' magic numbers, through our SDK and the official package."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, code_of
from twilio_mock import Backend

MAIN = "+15017122661"
OK = "+15005550006"
HANGUP = "<Response><Hangup/></Response>"


@pytest.mark.parametrize(
    ("from_", "to", "code"),
    [
        ("+15005550001", CUSTOMER, 21212),
        (MAIN, CUSTOMER, 21210),  # any other From, the live account's own number included
        ("+15005550005", CUSTOMER, 21210),
        (OK, "+15005550001", 21217),
        (OK, "+15005550002", 21214),
        (OK, "+15005550003", 21215),
        (OK, "+15005550004", 21216),
        ("+15005550001", "+15005550002", 21212),  # From is looked at first
    ],
)
def test_magic_numbers_with_test_credentials(
    test_client: Any, backend: Backend, from_: str, to: str, code: int
) -> None:
    status, got, _ = code_of(lambda: test_client.calls.create(to=to, from_=from_, url=f"{APP}/voice"))
    assert (status, got) == (400, code)


def test_magic_success_keeps_nothing_and_calls_back_never(
    test_client: Any, backend: Backend, app: Any
) -> None:
    call = test_client.calls.create(
        to=CUSTOMER, from_=OK, url=f"{APP}/voice", status_callback=f"{APP}/status"
    )
    assert call.sid.startswith("CA") and call.status == "queued"
    assert call.from_formatted == "(500) 555-0006"
    backend.advance(120)
    assert app.seen == [] and len(backend.webhooks) == 0


def test_url_twiml_or_application_is_needed(client: Any) -> None:
    status, code, message = code_of(lambda: client.calls.create(to=CUSTOMER, from_=MAIN))
    assert (status, code) == (400, 20001)
    assert "Url" in message and "Twiml" in message and "ApplicationSid" in message


def test_an_unknown_application_is_refused(client: Any) -> None:
    missing = "AP" + "0" * 32
    assert code_of(lambda: client.calls.create(to=CUSTOMER, from_=MAIN, application_sid=missing))[:2] == (
        400,
        21218,
    )


def test_inline_twiml_is_at_most_4000_characters(client: Any) -> None:
    long = "<Response><Say>" + "a" * 4000 + "</Say></Response>"
    assert code_of(lambda: client.calls.create(to=CUSTOMER, from_=MAIN, twiml=long))[:2] == (400, 32018)


def test_url_wins_over_twiml(client: Any, backend: Backend, app: Any) -> None:
    app.answers["/voice"] = "<Response><Say>from the url</Say></Response>"
    call = client.calls.create(
        to=CUSTOMER, from_=MAIN, url=f"{APP}/voice", twiml="<Response><Say>inline</Say></Response>"
    )
    backend.advance(30)
    said = [s["text"] for s in backend.voice.transcript(call.sid) if s.get("verb") == "Say"]
    assert said == ["from the url"]


def test_application_sid_runs_its_voice_url(client: Any, backend: Backend, app: Any) -> None:
    application = client.applications.create(voice_url=f"{APP}/app", friendly_name="ivr")
    app.answers["/app"] = "<Response><Say>app</Say></Response>"
    call = client.calls.create(to=CUSTOMER, from_=MAIN, application_sid=application.sid)
    backend.advance(30)
    assert [s.path for s in app.seen] == ["/app"]
    assert client.calls(call.sid).fetch().status == "completed"


def test_caller_id_must_be_the_accounts(client: Any, backend: Backend) -> None:
    status, code, message = code_of(
        lambda: client.calls.create(to=CUSTOMER, from_="+14155550100", twiml=HANGUP)
    )
    assert (status, code) == (400, 21210)
    assert "+14155550100" in message and "verify_caller_id" in message
    client.incoming_phone_numbers.create(phone_number="+14155550100")
    assert client.calls.create(to=CUSTOMER, from_="+14155550100", twiml=HANGUP).status == "queued"


def test_a_verified_caller_id_may_call(client: Any, backend: Backend) -> None:
    sid = backend.voice.verify_caller_id("+14155550199")
    assert [c.sid for c in client.outgoing_caller_ids.list()] == [sid]
    call = client.calls.create(to=CUSTOMER, from_="+14155550199", twiml=HANGUP)
    assert call.from_formatted == "(415) 555-0199" and call.status == "queued"


def test_the_switch_lifts_the_caller_id_check(client: Any, backend: Backend) -> None:
    backend.voice.require_owned_caller_id = False
    assert client.calls.create(to=CUSTOMER, from_="+14155550100", twiml=HANGUP).status == "queued"


@pytest.mark.parametrize(("to", "from_", "code"), [("+1555", MAIN, 21217), (CUSTOMER, "+1415", 21212)])
def test_impossible_numbers(client: Any, to: str, from_: str, code: int) -> None:
    assert code_of(lambda: client.calls.create(to=to, from_=from_, twiml=HANGUP))[:2] == (400, code)


def test_missing_to_is_21201(client: Any) -> None:
    import requests

    from twilio_mock import mock

    backend = Backend(seed=2)
    with mock(backend=backend):
        url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Calls.json"
        answer = requests.post(
            url, data={"From": MAIN, "Twiml": HANGUP}, auth=(backend.account_sid, backend.auth_token)
        )
    assert answer.status_code == 400 and answer.json()["code"] == 21201


def test_a_refused_create_keeps_nothing(client: Any, backend: Backend) -> None:
    code_of(lambda: client.calls.create(to=CUSTOMER, from_="+14155550100", twiml=HANGUP))
    assert client.calls.list() == [] and len(backend.scheduler) == 0
