"""What exists without a create: an unknown SID is a 404 everywhere (read-only collections
included), only singletons and natural-key catalogues answer with a default record, and
nothing made up ever shows in a list."""

from __future__ import annotations

import pytest

from twilio_mock import Backend
from twilio_sdk import Client, RestException

UNKNOWN = "0" * 32


def _404(call: object) -> RestException:
    with pytest.raises(RestException) as info:
        call()  # type: ignore[operator]
    assert (info.value.status, info.value.code) == (404, 20404)
    return info.value


@pytest.mark.parametrize(
    "path",
    [
        ("conferences", "CF"),
        ("recordings", "RE"),
        ("notifications", "NO"),
        ("transcriptions", "TR"),
        ("queues", "QU"),
    ],
    ids=lambda p: p[0],
)
def test_an_unknown_sid_in_an_account_collection_is_404(client: Client, path: tuple[str, str]) -> None:
    name, prefix = path
    collection = getattr(client.api.v2010.account, name)
    _404(lambda: collection(prefix + UNKNOWN).fetch())
    assert collection.list() == []


def test_read_only_resources_of_other_products_are_404_and_stay_out_of_lists(client: Client) -> None:
    _404(lambda: client.monitor.v1.alerts("NO" + UNKNOWN).fetch())
    _404(lambda: client.video.v1.recordings("RT" + UNKNOWN).fetch())
    _404(lambda: client.insights.v1.calls("CA" + UNKNOWN).fetch())
    assert client.monitor.v1.alerts.list() == []
    assert client.video.v1.recordings.list() == []


def test_update_and_delete_of_an_unknown_read_only_record_are_404(client: Client) -> None:
    conference = client.api.v2010.account.conferences("CF" + UNKNOWN)
    _404(lambda: conference.update(status="completed"))
    _404(lambda: client.api.v2010.account.recordings("RE" + UNKNOWN).delete())
    assert client.api.v2010.account.conferences.list() == []


def test_singletons_exist_without_a_create(client: Client) -> None:
    summary = client.insights.v1.calls("CA" + "1" * 32).summary().fetch()
    assert summary.call_sid == "CA" + "1" * 32
    again = client.insights.v1.calls("CA" + "1" * 32).summary().fetch()
    assert again.to_dict() == summary.to_dict()  # the same record, not a new one per fetch
    assert client.api.v2010.account.balance.fetch().account_sid == client.account_sid


def test_natural_key_catalogues_answer_but_do_not_fill_lists(client: Client) -> None:
    country = client.pricing.v1.voice.countries("FR").fetch()
    assert country.iso_country == "FR"
    assert client.pricing.v1.voice.countries.list() == []


def test_a_seeded_read_only_record_is_fetched_listed_and_updated(backend: Backend, client: Client) -> None:
    sid = "CF" + "ab" * 16
    path = f"/2010-04-01/Accounts/{backend.account_sid}/Conferences"
    state = backend.snapshot()
    state["collections"].append(
        {
            "account": backend.account_sid,
            "domain": "api",
            "version": "v2010",
            "path": path,
            "records": [{"sid": sid, "friendly_name": "standup", "status": "in-progress"}],
        }
    )
    backend.restore(state)
    conference = client.api.v2010.account.conferences(sid).fetch()
    assert (conference.friendly_name, conference.status) == ("standup", "in-progress")
    assert [c.sid for c in client.api.v2010.account.conferences.list()] == [sid]
    assert conference.update(status="completed").status == "completed"
    _404(lambda: client.api.v2010.account.conferences("CF" + UNKNOWN).fetch())


def test_a_singleton_under_a_missing_service_is_404(client: Client) -> None:
    """Between the singleton and the service is another singleton (``Configuration``): the
    service still has to exist (found by the generated-request property)."""
    missing = client.conversations.v1.services("IS" + UNKNOWN).configuration.webhooks()
    _404(lambda: missing.update(post_webhook_url="https://app.test/post"))
    _404(lambda: missing.fetch())
    service = client.conversations.v1.services.create(friendly_name="chat")
    hooks = client.conversations.v1.services(service.sid).configuration.webhooks()
    assert hooks.update(post_webhook_url="https://app.test/post").post_webhook_url == "https://app.test/post"


def test_a_refused_update_of_a_singleton_stores_nothing(backend: Backend, client: Client) -> None:
    """A singleton's default record is stored by the update that succeeds, not by one refused
    after it was made up (found by the generated-request property)."""
    service = client.conversations.v1.services.create(friendly_name="chat")
    hooks = client.conversations.v1.services(service.sid).configuration.webhooks()
    before = backend.snapshot()["collections"]
    with pytest.raises(RestException) as info:
        hooks.update(filters=["notAnEvent"])
    assert (info.value.status, info.value.code) == (400, 50365)
    assert backend.snapshot()["collections"] == before
