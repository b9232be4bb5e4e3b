"""Region, edge and api_base rules (reference/twilio-facts.md §6)."""

from __future__ import annotations

import re

import pytest

from tests.sdk.recording import Recorder
from twilio_sdk import Client, TwilioException
from twilio_sdk._hosts import rewrite

ACCOUNT = "AC" + "a" * 32


@pytest.mark.parametrize(
    ("region", "edge", "url", "expected"),
    [
        (None, None, "https://api.twilio.com/x", "https://api.twilio.com/x"),
        ("au1", None, "https://api.twilio.com/x", "https://api.au1.twilio.com/x"),
        (None, "sydney", "https://api.twilio.com/x", "https://api.sydney.us1.twilio.com/x"),
        ("au1", "sydney", "https://api.twilio.com/x", "https://api.sydney.au1.twilio.com/x"),
        ("au1", "sydney", "https://api.dublin.ie1.twilio.com/x", "https://api.sydney.au1.twilio.com/x"),
        ("au1", None, "https://api.dublin.ie1.twilio.com/x", "https://api.dublin.au1.twilio.com/x"),
        ("au1", None, "https://example.com/x", "https://example.com/x"),
        (
            None,
            "sydney",
            "https://verify.twilio.com/v2/Services?a=1",
            "https://verify.sydney.us1.twilio.com/v2/Services?a=1",
        ),
    ],
)
def test_region_and_edge(region, edge, url, expected) -> None:
    assert rewrite(url, region, edge) == expected


def test_api_base_sends_every_domain_to_one_base() -> None:
    base = "http://127.0.0.1:4010"
    assert (
        rewrite("https://api.twilio.com/2010-04-01/A.json?x=1", None, None, base)
        == f"{base}/api/2010-04-01/A.json?x=1"
    )
    assert (
        rewrite("https://flex-api.twilio.com/v1/Flex", "au1", None, base + "/") == f"{base}/flex-api/v1/Flex"
    )


def test_client_applies_region_edge_from_arguments_environment_and_assignment() -> None:
    rec = Recorder()
    client = Client(
        ACCOUNT, "t", http_client=rec, environment={"TWILIO_REGION": "ie1", "TWILIO_EDGE": "dublin"}
    )
    client.messages("SM1").fetch()
    assert rec.last.url.startswith("https://api.dublin.ie1.twilio.com/")
    client.region, client.edge = "au1", "sydney"
    client.verify.v2.services("VA1").fetch()
    assert rec.last.url == "https://verify.sydney.au1.twilio.com/v2/Services/VA1"
    client = Client(ACCOUNT, "t", http_client=rec, environment={"TWILIO_API_BASE": "http://127.0.0.1:9"})
    client.messages("SM1").fetch()
    assert rec.last.url == f"http://127.0.0.1:9/api/2010-04-01/Accounts/{ACCOUNT}/Messages/SM1.json"


@pytest.mark.parametrize(
    ("base", "problem"),
    [
        ("127.0.0.1:4010", "scheme"),
        ("localhost:4010", "scheme"),
        ("ftp://127.0.0.1", "scheme"),
        ("http://", "no host"),
        ("http://127.0.0.1:port", "Port"),
        ("http://[::1", "IPv6"),
        ("http://127.0.0.1:4010?x=1", "query"),
        ("http://exa mple.com", "whitespace"),
    ],
)
def test_a_bad_api_base_is_refused_at_construction_naming_the_setting(base: str, problem: str) -> None:
    with pytest.raises(TwilioException, match=rf"api_base={re.escape(repr(base))} .*{problem}"):
        Client(ACCOUNT, "t", api_base=base, environment={})
    with pytest.raises(TwilioException, match=rf"TWILIO_API_BASE={re.escape(repr(base))} .*{problem}"):
        Client(ACCOUNT, "t", environment={"TWILIO_API_BASE": base})
    client = Client(ACCOUNT, "t", http_client=Recorder(), environment={})
    with pytest.raises(TwilioException, match=r"api_base="):
        client.api_base = base
    assert client.api_base is None


def test_good_api_bases_are_kept() -> None:
    for base in ("http://127.0.0.1:4010", "https://mock.example.com/twilio/", "HTTP://LOCALHOST:9"):
        assert Client(ACCOUNT, "t", api_base=base, environment={}).api_base == base
    client = Client(ACCOUNT, "t", http_client=Recorder(), environment={"TWILIO_API_BASE": "http://a:1"})
    client.api_base = None
    client.messages("SM1").fetch()
    assert client.http_client.last.url.startswith("https://api.twilio.com/")


def test_region_and_edge_keep_an_explicit_port() -> None:
    rec = Recorder()
    client = Client(ACCOUNT, "t", http_client=rec, environment={}, region="au1", edge="sydney")
    client.request("GET", "https://api.twilio.com:8443/2010-04-01/Accounts.json?x=1")
    assert rec.last.url == "https://api.sydney.au1.twilio.com:8443/2010-04-01/Accounts.json?x=1"
    assert rewrite("https://verify.dublin.ie1.twilio.com:444/v2/S", "au1", None) == (
        "https://verify.dublin.au1.twilio.com:444/v2/S"
    )
