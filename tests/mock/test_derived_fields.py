"""Fields Twilio maintains or derives: JSON values held as sent, integer ids and counters,
revisions, formatted numbers, and the records a create brings with it."""

from __future__ import annotations

import pytest

from twilio_mock import Backend, MockTransport, mock
from twilio_sdk import Client, RestException


def test_schema_less_fields_hold_the_json_value_sent(client: Client) -> None:
    service = client.sync.v1.services.create()
    doc = client.sync.v1.services(service.sid).documents.create(data={"theme": "dark", "n": [1, 2]})
    assert doc.data == {"theme": "dark", "n": [1, 2]}
    assert client.sync.v1.services(service.sid).documents(doc.sid).fetch().data == {
        "theme": "dark",
        "n": [1, 2],
    }
    flow = client.studio.v2.flows.create(
        friendly_name="ivr",
        status="draft",
        definition={"description": "d", "states": [], "initial_state": "T"},
    )
    assert flow.definition["initial_state"] == "T"


def test_invalid_json_for_a_json_field_is_a_400(client: Client) -> None:
    service = client.sync.v1.services.create()
    with pytest.raises(RestException) as info:
        client.sync.v1.services(service.sid).documents.create(data="{not json")
    assert info.value.status == 400
    assert client.sync.v1.services(service.sid).documents.list() == []


def test_string_json_fields_stay_strings(client: Client) -> None:
    conv = client.conversations.v1.conversations.create()
    assert conv.attributes == "{}"
    tagged = client.conversations.v1.conversations.create(attributes='{"vip": true}')
    assert tagged.attributes == '{"vip": true}'


def test_list_items_are_numbered_from_zero_and_fetched_by_index(client: Client) -> None:
    service = client.sync.v1.services.create()
    items = client.sync.v1.services(service.sid).sync_lists.create().sync_list_items
    made = [items.create(data={"n": n}) for n in range(3)]
    assert [m.index for m in made] == [0, 1, 2]
    made[2]._context.delete()
    assert items.create(data={"n": 3}).index == 3  # an index is never reused
    assert items(1).fetch().data == {"n": 1}


def test_the_official_package_reads_an_integer_index() -> None:
    from twilio.rest import Client as Official

    with mock(seed=2) as twilio:
        official = Official(twilio.account_sid, twilio.auth_token)
        service = official.sync.v1.services.create()
        sync_list = official.sync.v1.services(service.sid).sync_lists.create()
        item = (
            official.sync.v1.services(service.sid).sync_lists(sync_list.sid).sync_list_items.create(data={})
        )
        assert item.index == 0


def test_conversation_message_indexes_count_per_conversation_and_survive_a_restore(backend: Backend) -> None:
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    first, second = (client.conversations.v1.conversations.create() for _ in range(2))
    messages = client.conversations.v1.conversations(first.sid).messages
    assert [messages.create(body=str(n)).index for n in range(3)] == [0, 1, 2]
    assert client.conversations.v1.conversations(second.sid).messages.create(body="x").index == 0
    other = Backend(seed=9)
    other.restore(backend.snapshot())
    again = Client(other.account_sid, other.auth_token, http_client=MockTransport(other), environment={})
    assert again.conversations.v1.conversations(first.sid).messages.create(body="after").index == 3


def test_a_message_by_a_participant_names_the_participant(client: Client) -> None:
    conv = client.conversations.v1.conversations.create()
    bob = client.conversations.v1.conversations(conv.sid).participants.create(identity="bob")
    said = client.conversations.v1.conversations(conv.sid).messages.create(body="hi", author="bob")
    assert said.participant_sid == bob.sid
    assert (
        client.conversations.v1.conversations(conv.sid).messages.create(body="hi", author="x").participant_sid
        is None
    )


def test_revisions_count_updates(client: Client) -> None:
    service = client.sync.v1.services.create()
    doc = client.sync.v1.services(service.sid).documents.create(data={"v": 1})
    assert doc.revision == "0"
    assert client.sync.v1.services(service.sid).documents(doc.sid).update(data={"v": 2}).revision == "1"
    flow = client.studio.v2.flows.create(friendly_name="f", status="draft", definition={"states": []})
    assert flow.revision == 1
    assert client.studio.v2.flows(flow.sid).update(status="published").revision == 2


def test_a_workspace_comes_with_its_default_activities(client: Client) -> None:
    workspace = client.taskrouter.v1.workspaces.create(friendly_name="support")
    activities = {
        a.friendly_name: a for a in client.taskrouter.v1.workspaces(workspace.sid).activities.list()
    }
    assert {name: a.available for name, a in activities.items()} == {
        "Offline": False,
        "Available": True,
        "Unavailable": False,
    }
    assert (workspace.default_activity_sid, workspace.default_activity_name) == (
        activities["Offline"].sid,
        "Offline",
    )
    assert workspace.timeout_activity_sid == activities["Offline"].sid
    workers = client.taskrouter.v1.workspaces(workspace.sid).workers
    amy = workers.create(friendly_name="amy")
    assert (amy.activity_sid, amy.activity_name, amy.available) == (
        activities["Offline"].sid,
        "Offline",
        False,
    )
    moved = workers(amy.sid).update(activity_sid=activities["Available"].sid)
    assert (moved.activity_name, moved.available) == ("Available", True)


def test_numbers_are_formatted_as_twilio_formats_them(client: Client) -> None:
    number = client.incoming_phone_numbers.create(phone_number="+14155550100")
    assert number.friendly_name == "(415) 555-0100"
    call = client.calls.create(to="+442071838750", from_="+14155550100", url="https://example.com/v.xml")
    assert (call.to_formatted, call.from_formatted) == ("020 7183 8750", "(415) 555-0100")


def test_account_defaults_are_real_records(client: Client) -> None:
    conv = client.conversations.v1.conversations.create()
    config = client.conversations.v1.configuration.fetch()
    assert config.default_chat_service_sid == conv.chat_service_sid
    assert client.conversations.v1.services(conv.chat_service_sid).fetch().sid == conv.chat_service_sid
    assert client.messaging.v1.services(conv.messaging_service_sid).fetch().sid == conv.messaging_service_sid
    assert client.conversations.v1.users.create(identity="a").chat_service_sid == conv.chat_service_sid
