"""Conversations webhooks: pre-event hooks that reject an action, REST actions that fire only
with ``X-Twilio-Webhook-Enabled: true``, conversation-scoped and service-scoped webhooks, and
bad filters or targets answered with Twilio's codes (all unconfirmed, see conversations_data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, CUSTOMER, NUMBER, App, code_of
from twilio_mock import Backend

ON = {"x_twilio_webhook_enabled": "true"}


@pytest.fixture
def conv(client: Any, number: str) -> str:
    return str(client.conversations.v1.conversations.create().sid)


def test_a_pre_event_hook_that_says_no_blocks_the_message(client: Any, app: App, conv: str) -> None:
    client.conversations.v1.configuration.webhooks().update(
        pre_webhook_url=f"{APP}/pre",
        post_webhook_url=f"{APP}/post",
        filters=["onMessageAdd", "onMessageAdded"],
    )
    thread = client.conversations.v1.conversations(conv)
    app.answers["/pre"] = lambda request: ("", 403) if "bad" in request.form["Body"] else ("", 200)
    assert code_of(lambda: thread.messages.create(body="a bad word", **ON))[:2] == (403, 20403)
    assert thread.messages.list() == [] and app.at("/post") == []
    ok = thread.messages.create(body="fine", author="ann", **ON)
    assert ok.index == 0  # the rejected message took no index
    (pre_ok,) = [s for s in app.at("/pre") if s.form["Body"] == "fine"]
    assert pre_ok.form["EventType"] == "onMessageAdd" and "MessageSid" not in pre_ok.form
    (post,) = app.at("/post")
    assert (post.form["EventType"], post.form["MessageSid"], post.form["Author"]) == (
        "onMessageAdded",
        ok.sid,
        "ann",
    )


def test_rest_actions_fire_webhooks_only_when_asked(client: Any, app: App, conv: str) -> None:
    client.conversations.v1.configuration.webhooks().update(
        post_webhook_url=f"{APP}/post", filters=["onMessageAdded"]
    )
    thread = client.conversations.v1.conversations(conv)
    thread.messages.create(body="quiet")
    assert app.at("/post") == []
    thread.messages.create(body="loud", **ON)
    assert [s.form["Body"] for s in app.at("/post")] == ["loud"]


def test_a_rejected_inbound_sms_is_dropped(client: Any, backend: Backend, app: App, conv: str) -> None:
    client.conversations.v1.configuration.webhooks().update(
        pre_webhook_url=f"{APP}/pre", filters=["onMessageAdd"]
    )
    thread = client.conversations.v1.conversations(conv)
    thread.participants.create(messaging_binding_address=CUSTOMER, messaging_binding_proxy_address=NUMBER)
    app.answers["/pre"] = ("", 500)
    result = backend.messaging.inbound_sms(CUSTOMER, NUMBER, "spam")
    assert result.claimed == "" and thread.messages.list() == []
    assert app.at("/pre")[0].form["Source"] == "SMS"


def test_conversation_scoped_webhooks(client: Any, app: App, conv: str) -> None:
    thread = client.conversations.v1.conversations(conv)
    hook = thread.webhooks.create(
        target="webhook", configuration_url=f"{APP}/scoped", configuration_filters=["onMessageAdded"]
    )
    assert hook.sid.startswith("WH") and hook.configuration["url"] == f"{APP}/scoped"
    message = thread.messages.create(body="hi", **ON)
    (seen,) = app.at("/scoped")
    assert (seen.form["EventType"], seen.form["MessageSid"], seen.form["WebhookSid"]) == (
        "onMessageAdded",
        message.sid,
        hook.sid,
    )
    assert seen.valid
    thread.webhooks(hook.sid).delete()
    thread.messages.create(body="again", **ON)
    assert len(app.at("/scoped")) == 1


def test_a_service_config_overrides_the_global_one(client: Any, app: App) -> None:
    client.conversations.v1.configuration.webhooks().update(
        post_webhook_url=f"{APP}/global", filters=["onMessageAdded"]
    )
    service = client.conversations.v1.services.create(friendly_name="shop")
    client.conversations.v1.services(service.sid).configuration.webhooks().update(
        post_webhook_url=f"{APP}/service", filters=["onMessageAdded"]
    )
    scoped = client.conversations.v1.services(service.sid).conversations.create()
    message = (
        client.conversations.v1.services(service.sid)
        .conversations(scoped.sid)
        .messages.create(body="x", **ON)
    )
    assert message.index == 0
    assert [s.form["ChatServiceSid"] for s in app.at("/service")] == [service.sid] and app.at("/global") == []


def test_bad_filters_and_targets(client: Any, conv: str) -> None:
    webhooks = client.conversations.v1.configuration.webhooks()
    assert code_of(lambda: webhooks.update(filters=["onMessageSent"]))[:2] == (400, 50365)
    thread = client.conversations.v1.conversations(conv)
    bad_filter = {
        "target": "webhook",
        "configuration_url": f"{APP}/x",
        "configuration_filters": ["onMessageAdd"],
    }
    assert code_of(lambda: thread.webhooks.create(**bad_filter))[:2] == (400, 50365)
    assert code_of(lambda: thread.webhooks.create(target="pigeon"))[:2] == (400, 50364)
    assert thread.webhooks.list() == []


def test_a_pre_event_answer_edits_the_message(client: Any, app: App, conv: str) -> None:
    client.conversations.v1.configuration.webhooks().update(
        pre_webhook_url=f"{APP}/pre", filters=["onMessageAdd"]
    )
    app.answers["/pre"] = '{"body": "[redacted]", "attributes": "{\\"checked\\": true}"}'
    message = client.conversations.v1.conversations(conv).messages.create(body="my card is 4242", **ON)
    assert (message.body, message.attributes) == ("[redacted]", '{"checked": true}')


def test_updates_and_state_changes(client: Any, app: App, conv: str) -> None:
    events = ["onConversationUpdated", "onConversationStateUpdated", "onParticipantUpdated"]
    client.conversations.v1.configuration.webhooks().update(post_webhook_url=f"{APP}/post", filters=events)
    thread = client.conversations.v1.conversations(conv)
    alice = thread.participants.create(identity="alice")
    thread.participants(alice.sid).update(attributes='{"vip": true}', **ON)
    thread.update(friendly_name="Renamed", **ON)
    thread.update(state="closed", **ON)
    seen = [(s.form["EventType"], s.form.get("StateTo", "")) for s in app.at("/post")]
    assert seen == [
        ("onParticipantUpdated", ""),
        ("onConversationUpdated", ""),
        ("onConversationUpdated", ""),
        ("onConversationStateUpdated", "closed"),
    ]
    assert app.at("/post")[0].form["Attributes"] == '{"vip": true}'
    assert app.at("/post")[3].form["StateFrom"] == "active"


def test_a_pre_event_app_may_call_the_api_back(client: Any, app: App, conv: str) -> None:
    """The pre-event hook is delivered while the action waits: an app in process that reads the
    conversation back meanwhile is answered (the backend's lock is re-entrant)."""
    client.conversations.v1.configuration.webhooks().update(
        pre_webhook_url=f"{APP}/pre", filters=["onMessageAdd"]
    )
    thread = client.conversations.v1.conversations(conv)
    names: list[str] = []

    def answer(request: Any) -> tuple[str, int]:
        names.append(str(client.conversations.v1.conversations(request.form["ConversationSid"]).fetch().sid))
        return "", 200

    app.answers["/pre"] = answer
    message = thread.messages.create(body="hello", **ON)
    assert names == [conv] and message.index == 0
