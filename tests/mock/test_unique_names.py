"""Parents addressed by their unique name: children live under the parent's SID, whichever way
they were reached, and every URL the mock renders is percent-encoded so following it works
for names and keys with spaces, ``#``, ``?`` and ``%``."""

from __future__ import annotations

import json
from urllib.parse import quote

from twilio_sdk import Client

NAME = "support room #1? 100%"


def test_a_conversation_reached_by_unique_name_shares_its_children(client: Client) -> None:
    conv = client.conversations.v1.conversations.create(unique_name=NAME)
    by_name = client.conversations.v1.conversations(NAME)
    by_name.messages.create(body="via the name")
    client.conversations.v1.conversations(conv.sid).messages.create(body="via the sid")
    bodies = [m.body for m in client.conversations.v1.conversations(conv.sid).messages.list()]
    assert bodies == ["via the name", "via the sid"]
    assert [m.body for m in by_name.messages.list()] == bodies
    message = by_name.messages.list()[0]
    assert message.conversation_sid == conv.sid
    assert f"/Conversations/{conv.sid}/Messages/{message.sid}" in message.url
    assert by_name.fetch().sid == conv.sid


def test_sync_and_serverless_parents_by_unique_name(client: Client) -> None:
    service = client.sync.v1.services.create(friendly_name="app")
    todo = client.sync.v1.services(service.sid).sync_lists.create(unique_name="to do")
    client.sync.v1.services(service.sid).sync_lists("to do").sync_list_items.create(data={"task": "milk"})
    items = client.sync.v1.services(service.sid).sync_lists(todo.sid).sync_list_items.list()
    assert [i.list_sid for i in items] == [todo.sid]
    fn_service = client.serverless.v1.services.create(unique_name="fns", friendly_name="fns")
    client.serverless.v1.services("fns").functions.create(friendly_name="hello")
    assert [f.friendly_name for f in client.serverless.v1.services(fn_service.sid).functions.list()] == [
        "hello"
    ]


def test_rendered_urls_are_percent_encoded_and_paging_follows_them(client: Client) -> None:
    service = client.sync.v1.services.create(friendly_name="app")
    sync_map = client.sync.v1.services(service.sid).sync_maps.create(unique_name=NAME)
    keys = ["a b", "c#d", "e?f", "g%h", "plain"]
    for key in keys:
        client.sync.v1.services(service.sid).sync_maps(NAME).sync_map_items.create(key=key, data={"k": key})
    items = client.sync.v1.services(service.sid).sync_maps(sync_map.sid).sync_map_items
    first = items.list()[1]
    assert first.url.endswith(f"/Maps/{sync_map.sid}/Items/{quote('c#d', safe='')}")
    seen: list[str] = []
    page = items.page(page_size=1)
    while page is not None:
        seen.extend(item.key for item in page)
        assert page.next_page_url is None or " " not in page.next_page_url
        page = page.next_page()
    assert sorted(seen) == sorted(keys)
    assert items("c#d").fetch().data == {"k": "c#d"}
    assert json.dumps(items("g%h").fetch().data) == '{"k": "g%h"}'
