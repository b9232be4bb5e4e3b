"""How close a fresh record is to what Twilio sends, on the most used resources.

Each resource is created the way an app would, fetched back, and every field the description
declares is judged: present with the JSON type the description gives and a plausible value
(SIDs look like SIDs, dates parse, URLs are absolute, enums hold one of their values), or
``null`` where Twilio too leaves it ``null`` on such a record (``NULL_OK``, with the reason).
Fields Twilio fills that the mock does not yet are listed in ``GAPS`` and count as misses.
At least 95% of all judged fields must pass, every resource at least 85%, and no value may
ever have the wrong type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from twilio_mock import Backend, MockTransport
from twilio_mock.core.dates import parse as parse_date
from twilio_sdk import Client

TO, FROM = "+15558675310", "+15017122661"
FLOW = {"description": "demo", "states": [{"name": "Trigger", "type": "trigger", "transitions": []}]}
SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
JSON_TYPES: dict[str, Any] = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "number": (int, float, str),
    "object": dict,
    "array": list,
}
UNSET = "not given in the create"
NOT_CONFIGURED = "a webhook or setting the create did not configure"
NULL_OK: dict[str, dict[str, str]] = {
    "api.messages": {
        "price": "set once the message is sent",
        "date_sent": "set once the message is sent",
        "error_code": "only on a failed message",
        "error_message": "only on a failed message",
        "messaging_service_sid": "sent from a number, not a Messaging Service",
    },
    "api.calls": {
        "parent_call_sid": "not a child leg",
        "phone_number_sid": "the caller ID is not one of the account's numbers",
        "start_time": "set when the call is answered",
        "end_time": "set when the call ends",
        "duration": "set when the call ends",
        "price": "set when the call ends",
        "answered_by": "answering machine detection was not requested",
        "forwarded_from": "not a forwarded call",
        "group_sid": "not part of a group",
        "caller_name": "caller name lookup is not enabled",
        "trunk_sid": "not placed through a SIP trunk",
    },
    "api.incoming_phone_numbers": {
        **dict.fromkeys(
            ["sms_url", "sms_fallback_url", "voice_url", "voice_fallback_url", "status_callback"],
            NOT_CONFIGURED,
        ),
        **dict.fromkeys(
            [
                "address_sid",
                "identity_sid",
                "sms_application_sid",
                "voice_application_sid",
                "trunk_sid",
                "emergency_address_sid",
                "bundle_sid",
            ],
            "nothing assigned to the number",
        ),
    },
    "api.applications": dict.fromkeys(
        [
            "message_status_callback",
            "sms_fallback_url",
            "sms_status_callback",
            "sms_url",
            "status_callback",
            "voice_fallback_url",
            "voice_url",
        ],
        NOT_CONFIGURED,
    ),
    "api.addresses": {"friendly_name": UNSET, "street_secondary": UNSET},
    "messaging.services": dict.fromkeys(
        ["inbound_request_url", "fallback_url", "status_callback"], NOT_CONFIGURED
    ),
    "verify.services": {
        "tts_name": UNSET,
        "default_template_sid": "no template chosen",
        "passkeys": "Passkeys not configured",
    },
    "verify.verifications": {
        "amount": "PSD2 only",
        "payee": "PSD2 only",
        "sna": "Silent Network Auth channel only",
    },
    "conversations.conversations": {
        "friendly_name": UNSET,
        "unique_name": UNSET,
        "bindings": "no push bindings",
    },
    "conversations.messages": {"delivery": "a chat-only conversation", "content_sid": "no content template"},
    "conversations.participants": {
        "messaging_binding": "a chat participant",
        "last_read_message_index": "nothing read yet",
        "last_read_timestamp": "nothing read yet",
    },
    "conversations.users": {"friendly_name": UNSET},
    "sync.services": {"unique_name": UNSET, "friendly_name": UNSET, "webhook_url": NOT_CONFIGURED},
    **{
        f"sync.{name}": {"unique_name": UNSET, "date_expires": "no ttl"}
        for name in ("documents", "lists", "maps")
    },
    "sync.list_items": {"date_expires": "no ttl"},
    "sync.map_items": {"date_expires": "no ttl"},
    "taskrouter.workspaces": {"event_callback_url": NOT_CONFIGURED, "events_filter": UNSET},
    "taskrouter.task_queues": dict.fromkeys(
        [
            "assignment_activity_sid",
            "assignment_activity_name",
            "reservation_activity_sid",
            "reservation_activity_name",
        ],
        "not used by a multitasking workspace",
    ),
    "studio.flows": {"commit_message": UNSET, "author_sid": "published through the REST API, not by a user"},
    "video.rooms": {
        "status_callback": NOT_CONFIGURED,
        "end_time": "the room is in progress",
        "duration": "the room is in progress",
    },
}
# Fields Twilio fills that the mock leaves null for now: they count as misses.
GAPS = {
    "conversations.participants": {"role_sid": "service roles are not modeled"},
    "conversations.users": {"role_sid": "service roles are not modeled"},
}


def scenarios(c: Client) -> Iterator[tuple[str, Callable[[], Any]]]:
    """(name, make) for each resource; ``make`` creates one record as an app would."""
    yield "api.accounts", lambda: c.api.v2010.accounts.create(friendly_name="sub")
    yield "api.messages", lambda: c.messages.create(to=TO, from_=FROM, body="hi")
    yield "api.calls", lambda: c.calls.create(to=TO, from_=FROM, url="https://example.com/v.xml")
    yield "api.incoming_phone_numbers", lambda: c.incoming_phone_numbers.create(phone_number="+14155550100")
    yield "api.applications", lambda: c.applications.create(friendly_name="app")
    yield (
        "api.addresses",
        lambda: c.addresses.create(
            customer_name="A",
            street="1 Main St",
            city="SF",
            region="CA",
            postal_code="94105",
            iso_country="US",
        ),
    )
    yield "api.keys", lambda: c.new_keys.create(friendly_name="ci")
    yield "api.queues", lambda: c.queues.create(friendly_name="support")
    yield "messaging.services", lambda: c.messaging.v1.services.create(friendly_name="alerts")
    verify = c.verify.v2.services.create(friendly_name="Acme")
    yield "verify.services", lambda: verify
    yield (
        "verify.verifications",
        lambda: c.verify.v2.services(verify.sid).verifications.create(to=TO, channel="sms"),
    )
    conv = c.conversations.v1.conversations.create()
    yield "conversations.conversations", lambda: conv
    yield (
        "conversations.participants",
        lambda: c.conversations.v1.conversations(conv.sid).participants.create(identity="bob"),
    )
    yield (
        "conversations.messages",
        lambda: c.conversations.v1.conversations(conv.sid).messages.create(body="hello", author="bob"),
    )
    yield "conversations.users", lambda: c.conversations.v1.users.create(identity="alice")
    sync = c.sync.v1.services.create()
    yield "sync.services", lambda: sync
    yield "sync.documents", lambda: c.sync.v1.services(sync.sid).documents.create(data={"a": 1})
    todo = c.sync.v1.services(sync.sid).sync_lists.create()
    yield "sync.lists", lambda: todo
    yield (
        "sync.list_items",
        lambda: (
            c.sync.v1.services(sync.sid).sync_lists(todo.sid).sync_list_items.create(data={"task": "milk"})
        ),
    )
    prefs = c.sync.v1.services(sync.sid).sync_maps.create()
    yield "sync.maps", lambda: prefs
    yield (
        "sync.map_items",
        lambda: (
            c.sync.v1.services(sync.sid)
            .sync_maps(prefs.sid)
            .sync_map_items.create(key="theme", data={"v": "dark"})
        ),
    )
    yield (
        "serverless.services",
        lambda: c.serverless.v1.services.create(unique_name="fns", friendly_name="fns"),
    )
    workspace = c.taskrouter.v1.workspaces.create(friendly_name="support")
    yield "taskrouter.workspaces", lambda: workspace
    yield (
        "taskrouter.workers",
        lambda: c.taskrouter.v1.workspaces(workspace.sid).workers.create(friendly_name="amy"),
    )
    yield (
        "taskrouter.task_queues",
        lambda: c.taskrouter.v1.workspaces(workspace.sid).task_queues.create(friendly_name="tier 1"),
    )
    yield (
        "studio.flows",
        lambda: c.studio.v2.flows.create(friendly_name="ivr", status="published", definition=FLOW),
    )
    yield "video.rooms", lambda: c.video.v1.rooms.create()


def judge(name: str, type_: str, value: Any, enums: dict[str, list[Any]], account: str) -> str | None:
    """``None`` when ``value`` is plausible for a field of ``type_``, else why not."""
    base = type_.split(":")[0]
    if base == "enum":
        allowed = enums.get(type_.split(":", 1)[1], [])
        return None if value in allowed else f"{value!r} is not one of {allowed[:6]}"
    if base == "any":
        return None
    expected = JSON_TYPES.get(base)
    if expected is not None and (
        not isinstance(value, expected) or (base == "integer" and isinstance(value, bool))
    ):
        return f"{value!r} is not a JSON {base}"
    if type_.startswith("string:date") and parse_date(value) is None:
        return f"{value!r} is not a date"
    if type_ == "string:uri" and not re.match(r"^https?://[^/]+", value):
        return f"{value!r} is not an absolute URL"
    if (name == "sid" or name.endswith("_sid")) and isinstance(value, str) and not SID.match(value):
        return f"{value!r} is not a SID"
    if name == "account_sid" and value != account:
        return f"{value!r} is not the account"
    return None


def test_fresh_records_carry_what_twilio_sends() -> None:
    backend = Backend(seed=1)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    judged = passed = 0
    misses: list[str] = []
    wrong: list[str] = []
    per_resource: dict[str, float] = {}
    for name, make in scenarios(client):
        record = make()
        if record._path is not None:  # what a fetch answers (the create's answer for a few)
            record = record.fetch()
        data = record.to_dict()
        res = record._res
        enums = record._version.spec.enums
        ok = 0
        for field, type_ in res.fields.items():
            judged += 1
            value = data.get(field)
            if value is None:
                if field in NULL_OK.get(name, {}):
                    ok += 1
                else:
                    misses.append(
                        f"{name}.{field}: null ({GAPS.get(name, {}).get(field, 'Twilio fills it')})"
                    )
                continue
            problem = judge(field, type_, value, enums, backend.account_sid)
            if problem is None:
                ok += 1
            else:
                wrong.append(f"{name}.{field}: {problem}")
        passed += ok
        per_resource[name] = ok / len(res.fields)
    assert len(per_resource) >= 25
    assert not wrong, "\n".join(wrong)
    share = passed / judged
    low = {n: round(s, 2) for n, s in per_resource.items() if s < 0.85}
    report = f"{passed}/{judged} fields = {share:.1%}; misses:\n" + "\n".join(misses)
    assert share >= 0.95, report
    assert not low, f"{low}\n{report}"
    unexplained = [m for m in misses if "Twilio fills it" in m]
    assert not unexplained, "\n".join(unexplained)


@pytest.mark.parametrize("name", sorted({*NULL_OK, *GAPS}))
def test_every_allowance_names_a_measured_resource(name: str) -> None:
    backend = Backend(seed=1)
    client = Client(
        backend.account_sid, backend.auth_token, http_client=MockTransport(backend), environment={}
    )
    names = [n for n, _make in scenarios(client)]
    assert name in names
