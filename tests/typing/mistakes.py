"""Code with one typing mistake per marked line: the stubs must make each an error, in mypy and
in pyright, and nothing else here may be one (``tests/typing/test_stubs.py``)."""

from __future__ import annotations

from twilio_sdk import Client


def misspelled_imports() -> None:
    from twilio_mock import Backendd  # error: Backendd
    from twilio_mock.strategies import phone_number  # error: phone_number
    from twilio_sdk import Clinet  # error: Clinet

    print(Backendd, phone_number, Clinet)


def mistakes(client: Client) -> None:
    client.messages.creat(to="+15558675310", body="hi")  # error: creat
    client.messages.create(too="+15558675310", body="hi")  # error: too
    client.messages.create(body="no recipient")  # error: to
    client.calls.list(status="sentt")  # error: sentt
    client.messages("SM" + "0" * 32).update(status="sentt")  # error: sentt
    print(client.messages.create(to="+15558675310", body="hi").sidd)  # error: sidd
    client.messagse.list()  # error: messagse
    client.verify.v2.services("VA" + "0" * 32).verifications.create(to="+1", chanel="sms")  # error: chanel
    client.messages.create(to="+15558675310", body="hi", provide_feedback="yes")  # error: provide_feedback
    client.messages.list(limit="ten")  # error: limit
    client.api.v2010.accounts.create(friendly_name=7)  # error: friendly_name


def fine(client: Client) -> None:
    client.messages.create(to="+15558675310", from_="+15017122661", body="hi", provide_feedback=True)
    client.calls.list(status="completed", limit=3)
    client.verify.v2.services("VA" + "0" * 32).verifications.create(to="+1", channel="sms")
