"""List and fetch providers (``core.lists`` / ``core.fetches``): computed records, paged like
stored ones, for resources whether or not they declare an id field."""

from __future__ import annotations

from typing import Any

from tests.mock.helpers import Raw
from twilio_mock import Backend

# AvailablePhoneNumbers Local declares no id field (``sid`` is only the fallback name).
LOCAL = "Accounts/{AccountSid}/AvailablePhoneNumbers/{CountryCode}/Local"


def _provide(call: Any) -> list[dict[str, Any]]:
    return [{"phone_number": f"+1415555010{n}", "friendly_name": f"number {n}"} for n in range(5)]


def test_records_without_an_id_field_stay_apart_and_page() -> None:
    backend = Backend(seed=0)
    backend.lists[("api", LOCAL)] = _provide
    url = f"https://api.twilio.com/2010-04-01/Accounts/{backend.account_sid}/AvailablePhoneNumbers/US/Local.json"
    raw = Raw(backend)
    whole = raw("GET", url).json()["available_phone_numbers"]
    assert [r["phone_number"] for r in whole] == [f"+1415555010{n}" for n in range(5)]  # the provider's order
    seen, page = [], raw("GET", url, PageSize=2).json()
    while True:
        seen += [r["phone_number"] for r in page["available_phone_numbers"]]
        if not page["next_page_uri"]:
            break
        page = raw("GET", "https://api.twilio.com" + page["next_page_uri"]).json()
    assert seen == [r["phone_number"] for r in whole]


def test_a_fetch_provider_answers_the_fetch() -> None:
    backend = Backend(seed=0)
    backend.fetches[("lookups", "PhoneNumbers")] = lambda call: {
        "phone_number": call.route.ident,
        "valid": True,
    }
    found = Raw(backend)("GET", "https://lookups.twilio.com/v2/PhoneNumbers/+14155550100").json()
    assert (found["phone_number"], found["valid"]) == ("+14155550100", True)
    assert found["url"] == "https://lookups.twilio.com/v2/PhoneNumbers/+14155550100"
