"""Create / fetch / update / list / delete across many domains, through ``twilio_sdk`` with
the in-process transport and through ``Backend.handle`` directly."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.mock.helpers import Raw, minimal_params, url_for
from twilio_mock import Backend, MockTransport
from twilio_sdk import Client
from twilio_sdk import spec as _spec
from twilio_sdk.exceptions import RestException

# (domain, version, resource key, SDK navigation from the client)
SCENARIOS: list[tuple[str, str, str, Callable[[Client], Any]]] = [
    ("api", "v2010", "Accounts/{AccountSid}/Queues", lambda c: c.api.v2010.account.queues),
    ("api", "v2010", "Accounts/{AccountSid}/Applications", lambda c: c.applications),
    ("verify", "v2", "Services", lambda c: c.verify.v2.services),
    ("messaging", "v1", "Services", lambda c: c.messaging.v1.services),
    ("conversations", "v1", "Conversations", lambda c: c.conversations.v1.conversations),
    ("sync", "v1", "Services", lambda c: c.sync.v1.services),
    ("chat", "v2", "Services", lambda c: c.chat.v2.services),
    ("notify", "v1", "Services", lambda c: c.notify.v1.services),
    ("taskrouter", "v1", "Workspaces", lambda c: c.taskrouter.v1.workspaces),
    ("proxy", "v1", "Services", lambda c: c.proxy.v1.services),
    ("serverless", "v1", "Services", lambda c: c.serverless.v1.services),
    ("trunking", "v1", "Trunks", lambda c: c.trunking.v1.trunks),
    ("voice", "v1", "ByocTrunks", lambda c: c.voice.v1.byoc_trunks),
    ("video", "v1", "Rooms", lambda c: c.video.v1.rooms),
    ("flex_api", "v1", "FlexFlows#flex_flow", lambda c: c.flex_api.v1.flex_flow),
]
IDS = [f"{d}-{k.split('#')[0]}" for d, _, k, _ in SCENARIOS]


def _kwargs(domain: str, version: str, key: str, verb: str) -> dict[str, Any]:
    vspec = _spec.version_spec(domain, version)
    op = vspec.resource(key).ops[verb]
    by_wire = {p.wire: p.name for p in op.params}
    return {by_wire[w]: v for w, v in minimal_params(op, vspec.enums)}


def _rename_param(domain: str, version: str, key: str) -> str | None:
    op = _spec.version_spec(domain, version).resource(key).ops.get("update")
    names = [p.name for p in op.params] if op else []
    return next((n for n in ("friendly_name", "unique_name") if n in names), None)


@pytest.mark.parametrize(("domain", "version", "key", "nav"), SCENARIOS, ids=IDS)
def test_crud_through_the_sdk(
    client: Client, domain: str, version: str, key: str, nav: Callable[[Client], Any]
) -> None:
    res = _spec.version_spec(domain, version).resource(key)
    resources = nav(client)
    created = resources.create(**_kwargs(domain, version, key, "create"))
    sid = created.sid
    assert sid.startswith(res.sid_prefix) and len(sid) == 34
    assert created.account_sid == client.account_sid
    fetched = resources(sid).fetch()
    assert fetched.sid == sid
    assert fetched.date_created == created.date_created
    rename = _rename_param(domain, version, key)
    if rename:
        updated = resources(sid).update(**{rename: "renamed"})
        assert getattr(updated, rename) == "renamed"
        assert getattr(resources(sid).fetch(), rename) == "renamed"
    assert sid in [r.sid for r in resources.list()]
    if "delete" in res.ops:
        assert resources(sid).delete() is True
        with pytest.raises(RestException) as info:
            resources(sid).fetch()
        assert info.value.status == 404 and info.value.code == 20404
        assert sid not in [r.sid for r in resources.list()]


@pytest.mark.parametrize(("domain", "version", "key", "nav"), SCENARIOS, ids=IDS)
def test_crud_through_handle(
    backend: Backend, raw: Raw, domain: str, version: str, key: str, nav: Any
) -> None:
    vspec = _spec.version_spec(domain, version)
    res = vspec.resource(key)
    segs = [backend.account_sid if s == "{AccountSid}" else s for s in key.split("#")[0].split("/")]
    list_url = url_for(domain, version, segs, res.json_suffix)
    answer = raw("POST", list_url, data=minimal_params(res.ops["create"], vspec.enums))
    assert answer.status == res.ops["create"].ok, answer.text
    assert answer.headers["Content-Type"] == "application/json"
    record = answer.json()
    sid = record["sid"]
    instance_url = url_for(domain, version, [*segs, sid], res.json_suffix)
    assert raw("GET", instance_url).json() == record
    if version == "v2010":
        assert record["uri"] == instance_url.replace("https://api.twilio.com", "")
        assert record["date_created"] == "Wed, 01 Jan 2025 00:00:00 +0000"
    else:
        assert record["url"] == instance_url
        assert record["date_created"] == "2025-01-01T00:00:00Z"
    listed = raw("GET", list_url).json()
    assert [r["sid"] for r in listed[res.list_key]] == [sid]
    if "delete" in res.ops:
        deleted = raw("DELETE", instance_url)
        assert (deleted.status, deleted.body) == (204, b"")
        gone = raw("GET", instance_url)
        assert gone.status == 404
        assert gone.json() == {
            "code": 20404,
            "message": f"The requested resource {instance_url.split('.com', 1)[1]} was not found",
            "more_info": "https://www.twilio.com/docs/errors/20404",
            "status": 404,
        }


def test_message_renders_as_twilio(client: Client, transport: MockTransport) -> None:
    message = client.messages.create(to="+15558675310", from_="+15017122661", body="Hi there")
    assert transport.last_response is not None
    payload = json.loads(transport.last_response.text)
    assert payload["num_segments"] == "1" and payload["num_media"] == "0"
    assert payload["direction"] == "outbound-api" and payload["status"] == "queued"
    assert payload["api_version"] == "2010-04-01" and payload["price"] is None
    assert payload["subresource_uris"] == {
        "media": f"/2010-04-01/Accounts/{client.account_sid}/Messages/{message.sid}/Media.json",
        "feedback": f"/2010-04-01/Accounts/{client.account_sid}/Messages/{message.sid}/Feedback.json",
    }
    assert payload["from"] == "+15017122661" and payload["to"] == "+15558675310"
    assert message.sid.startswith("SM")
    assert transport.last_request is not None and transport.last_request.method == "POST"


def test_child_resources_carry_parent_sids(client: Client) -> None:
    service = client.verify.v2.services.create(friendly_name="Login")
    verification = client.verify.v2.services(service.sid).verifications.create(
        to="+15558675310", channel="sms"
    )
    assert verification.service_sid == service.sid
    assert verification.status == "pending" and verification.valid is False
    assert (
        verification.url
        == f"https://verify.twilio.com/v2/Services/{service.sid}/Verifications/{verification.sid}"
    )
    conversation = client.conversations.v1.conversations.create(friendly_name="c")
    participant = client.conversations.v1.conversations(conversation.sid).participants.create(
        identity="alice"
    )
    assert participant.conversation_sid == conversation.sid
    assert participant.identity == "alice"
    assert conversation.links["participants"].endswith(f"/Conversations/{conversation.sid}/Participants")


def test_children_of_a_missing_parent_are_not_found(client: Client) -> None:
    with pytest.raises(RestException) as info:
        client.verify.v2.services("VA" + "0" * 32).verifications.create(to="+15558675310", channel="sms")
    assert info.value.status == 404


def test_singletons_are_stable(client: Client) -> None:
    first = client.verify.v2.services.create(friendly_name="svc")
    config = client.conversations.v1.configuration.fetch()
    again = client.conversations.v1.configuration.fetch()
    assert config.to_dict() == again.to_dict()
    updated = client.conversations.v1.configuration.update(default_inactive_timer="PT1H")
    assert updated.default_inactive_timer == "PT1H"
    assert client.conversations.v1.configuration.fetch().default_inactive_timer == "PT1H"
    assert first.sid


def test_unique_name_addresses_a_record(client: Client) -> None:
    service = client.sync.v1.services.create(friendly_name="s")
    doc = client.sync.v1.services(service.sid).documents.create(unique_name="settings", data={"a": 1})
    assert client.sync.v1.services(service.sid).documents("settings").fetch().sid == doc.sid


def test_links_are_the_ones_twilio_names(client: Client) -> None:
    service = client.verify.v2.services.create(friendly_name="links")
    assert set(service.links) == {
        "verifications",
        "verification_checks",
        "rate_limits",
        "messaging_configurations",
        "entities",
        "webhooks",
        "access_tokens",
    }
    assert service.links["verification_checks"].endswith(f"/v2/Services/{service.sid}/VerificationCheck")
    account = client.api.v2010.accounts(client.account_sid).fetch()
    assert {"messages", "calls", "incoming_phone_numbers", "sip", "usage"} <= set(account.subresource_uris)
