"""A 404 for a path nothing routes helps: its message names the routes the request probably
meant (Twilio's code and the start of Twilio's message stay as they are)."""

from __future__ import annotations

import pytest

from tests.mock.helpers import Raw
from twilio_mock import Backend
from twilio_mock.ways_in.server import MockServerApp
from twilio_mock.ways_in.serving import ServerThread


def _message(raw: Raw, url: str) -> str:
    answer = raw("GET", url)
    body = answer.json()
    assert (answer.status, body["code"]) == (404, 20404)
    assert body["message"].startswith("The requested resource ")
    return str(body["message"])


@pytest.mark.parametrize(
    ("url", "meant"),
    [
        ("https://verify.twilio.com/v1/Services", "https://verify.twilio.com/v2/Services"),
        ("https://verfy.twilio.com/v2/Services", "https://verify.twilio.com/v2/Services"),
        (
            "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages",
            "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json",
        ),
        (
            "https://api.twilio.com/2010-04-01/Accounts/{sid}/Mesages.json",
            "https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json",
        ),
        (
            "https://2010-04-01.twilio.com/Accounts/{sid}/Calls.json",
            "https://api.twilio.com/2010-04-01/Accounts/{sid}/Calls.json",
        ),
    ],
    ids=["wrong-version", "mistyped-product", "missing-json", "mistyped-resource", "missing-product"],
)
def test_a_404_names_the_nearest_routes(backend: Backend, raw: Raw, url: str, meant: str) -> None:
    sid = backend.account_sid
    message = _message(raw, url.replace("{sid}", sid))
    first = message.split("Nearest routes: ", 1)[1].split(", ")[0]
    assert first == meant.replace("{sid}", sid)


def test_the_server_names_its_own_urls_and_the_missing_product_prefix(backend: Backend) -> None:
    import requests

    with ServerThread(MockServerApp(backend)) as server:
        sid, token = backend.account_sid, backend.auth_token
        answer = requests.get(
            f"{server.url}/2010-04-01/Accounts/{sid}/Messages.json", auth=(sid, token), timeout=5
        )
        assert answer.status_code == 404
        assert (
            f"Nearest routes: {server.url}/api/2010-04-01/Accounts/{sid}/Messages.json"
            in answer.json()["message"]
        )
        assert answer.headers["X-Mock-Nearest-Routes"].startswith(f"{server.url}/api/2010-04-01/")


def test_a_known_path_keeps_twilio_s_exact_message(backend: Backend, raw: Raw) -> None:
    missing = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/Messages/SM{'0' * 32}.json"
    assert raw("GET", missing).json()["message"] == (
        f"The requested resource /2010-04-01/Accounts/{backend.account_sid}/Messages/SM{'0' * 32}.json was not found"
    )
