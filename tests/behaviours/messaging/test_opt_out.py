"""Opt-out keywords (ref §18.1): an exact STOP (and the other opt-out words) blocks sends from that
number, or from any sender of its Messaging Service, to the sender with 400/21610 until START;
the inbound message still reaches the app with ``OptOutType``; Twilio's automatic reply goes out
(free); HELP gets the help reply."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, OTHER, App, code_of, service_with
from twilio_mock import Backend
from twilio_mock.behaviours import messaging_data

SMS = f"{APP}/sms"


@pytest.fixture
def owned(client: Any) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS)
    client.incoming_phone_numbers.create(phone_number=OTHER)


def _send(client: Any, from_: str = NUMBER, **params: Any) -> Any:
    return client.messages.create(to=CUSTOMER, from_=from_, body="deal of the day", **params)


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize("word", [*messaging_data.OPT_OUT, "stop", "  Stop \n"])
def test_each_opt_out_word_blocks_that_number(client: Any, backend: Backend, app: App, word: str) -> None:
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, word)
    assert app.at("/sms")[0].form["OptOutType"] == "STOP" and app.at("/sms")[0].form["Body"] == word
    status, code, _ = code_of(lambda: _send(client))
    assert (status, code) == (400, 21610)
    assert _send(client, from_=OTHER).status == "queued"  # a standalone number's block is its own
    (reply,) = result.replies
    confirmation = client.messages(reply).fetch()
    assert (confirmation.from_, confirmation.to) == (NUMBER, CUSTOMER)
    assert confirmation.body == messaging_data.DEFAULT_REPLIES["opt_out"]
    assert backend.messaging.opt_outs == [
        {"account": backend.account_sid, "sender": NUMBER, "recipient": CUSTOMER}
    ]


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize("word", ["STOP PLEASE", "please cancel", "stopp", "STOP."])
def test_only_an_exact_keyword_counts(client: Any, backend: Backend, app: App, word: str) -> None:
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, word)
    assert "OptOutType" not in app.at("/sms")[0].form and result.replies == []
    assert _send(client).status == "queued"


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize("word", messaging_data.OPT_IN)
def test_start_resubscribes(client: Any, backend: Backend, app: App, word: str) -> None:
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "STOP")
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, word.lower())
    assert app.at("/sms")[-1].form["OptOutType"] == "START"
    assert client.messages(result.replies[0]).fetch().body == messaging_data.DEFAULT_REPLIES["opt_in"]
    assert _send(client).status == "queued" and backend.messaging.opt_outs == []


@pytest.mark.usefixtures("owned")
@pytest.mark.parametrize("word", messaging_data.HELP)
def test_help_gets_the_help_reply(client: Any, backend: Backend, app: App, word: str) -> None:
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, word)
    assert app.at("/sms")[0].form["OptOutType"] == "HELP"
    assert client.messages(result.replies[0]).fetch().body == messaging_data.DEFAULT_REPLIES["help"]
    assert _send(client).status == "queued"


@pytest.mark.usefixtures("owned")
def test_auto_replies_are_free_and_the_apps_reply_is_blocked(client: Any, backend: Backend, app: App) -> None:
    app.answers["/sms"] = "<Response><Message>We will miss you</Message></Response>"
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "STOP")
    assert len(result.replies) == 1 and "21610" in result.errors[0]  # the block came first
    backend.advance(10)
    confirmation = client.messages(result.replies[0]).fetch()
    assert (confirmation.status, confirmation.price) == ("delivered", "0.00000")


def test_a_services_opt_out_covers_its_whole_pool(client: Any, backend: Backend, app: App) -> None:
    client.incoming_phone_numbers.create(phone_number=NUMBER, sms_url=SMS)
    sid = service_with(client, NUMBER, OTHER, use_inbound_webhook_on_number=True)
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "STOP")
    assert app.at("/sms")[0].form["MessagingServiceSid"] == sid
    for sender in ({"from_": OTHER}, {"from_": NUMBER}, {"messaging_service_sid": sid}):
        params = {"to": CUSTOMER, "body": "x", **sender}
        assert code_of(lambda p=params: client.messages.create(**p))[:2] == (400, 21610)  # type: ignore[misc]
    assert client.messages.create(to="+15558675311", from_=OTHER, body="x").status == "queued"
    assert backend.messaging.opt_outs[0]["sender"] == sid


@pytest.mark.usefixtures("owned")
def test_snapshots_keep_opt_outs(client: Any, backend: Backend) -> None:
    backend.messaging.inbound_sms(CUSTOMER, NUMBER, "STOP")
    other = Backend(seed=4)
    other.restore(backend.snapshot())
    assert other.messaging.opt_outs == backend.messaging.opt_outs != []
    backend.reset()
    assert backend.messaging.opt_outs == []
