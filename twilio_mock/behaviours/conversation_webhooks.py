"""Conversations webhooks: who hears of an event in a conversation, and how.

Three places configure them (all **unconfirmed** against twilio-facts.md, which says nothing
on Conversations): the conversation's service (``Services/{ChatServiceSid}/Configuration/
Webhooks``) when it has a pre- or post-event URL, else the account's global
``Configuration/Webhooks``; each fires an event named in its ``Filters`` to ``PreWebhookUrl``
(``onMessageAdd``...) or ``PostWebhookUrl`` (``onMessageAdded``...) with its ``Method``. And
each ``Conversations/{Sid}/Webhooks`` record with target ``webhook`` posts the post-events in
its ``configuration.filters`` to its ``configuration.url``.

A pre-event webhook is delivered while the action waits (under the backend's lock: the app
may call the mock back in process, but an app on another thread that calls the mock server
back while answering waits for the webhook timeout); an answer other than 2xx rejects the
action (403, code 20403: unconfirmed); a 2xx answer that is a JSON object edits the message it
announces (``body``, ``author``, ``attributes``: unconfirmed). Post-event webhooks go out once the lock is released.
Every delivery is signed with the account's auth token and journaled by ``backend.webhooks``
with the event ``conversations.<EventType>``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import conversations_data as data
from twilio_mock.core import errors
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After

Record = dict[str, Any]
Params = list[tuple[str, str]]
GLOBAL = "/v1/Configuration/Webhooks"


def _record(core: Core, account: str, path: str, ident: str) -> Record | None:
    coll = core.store.get((account, "conversations", "v1", path))
    return coll.get(ident) if coll is not None else None


def service_of(conv_path: str, conv: Record) -> str:
    """The chat service a conversation belongs to."""
    if conv_path.startswith("/v1/Services/"):
        return conv_path.split("/")[3]
    return str(conv.get("chat_service_sid") or "")


def _config(core: Core, account: str, conv_path: str, conv: Record) -> Record:
    service = service_of(conv_path, conv)
    scoped = _record(core, account, f"/v1/Services/{service}/Configuration/Webhooks", "") if service else None
    if scoped and (scoped.get("pre_webhook_url") or scoped.get("post_webhook_url")):
        return scoped
    found = _record(core, account, GLOBAL, "") or {}
    if found.get("target") not in (None, "webhook"):
        return {}  # a Flex target is not an app of the user's
    return found


def _token(core: Core, account: str) -> str:
    return str((accounts_of(core).get(account) or {}).get("auth_token") or "")


def pre(core: Core, account: str, conv_path: str, conv: Record, event: str, params: Params) -> dict[str, Any]:
    """Deliver the pre-event ``event`` now; raises the rejection when the app does not answer
    2xx. Returns the JSON object the app answered (its edits to the action), else ``{}``."""
    config = _config(core, account, conv_path, conv)
    url = str(config.get("pre_webhook_url") or "")
    if not url or event not in (config.get("filters") or []):
        return {}
    method = str(config.get("method") or "POST")
    delivery = webhooks_of(core).deliver(
        url,
        [("EventType", event), *params],
        _token(core, account),
        account_sid=account,
        method=method,
        event=f"conversations.{event}",
    )
    if not delivery.ok:
        status, message = data.ERRORS[20403]
        answer = delivery.status if delivery.status is not None else "no answer"
        raise errors.MockError(status, 20403, f"{message} ({event}: {answer})")
    try:
        edits = json.loads(delivery.body) if delivery.body.strip() else {}
    except ValueError:
        return {}
    return edits if isinstance(edits, dict) else {}


def post(core: Core, account: str, conv_path: str, conv: Record, event: str, params: Params) -> list[After]:
    """The post-event deliveries of ``event``, to run once the lock is released."""
    targets: list[tuple[str, str, Params]] = []
    config = _config(core, account, conv_path, conv)
    url = str(config.get("post_webhook_url") or "")
    if url and event in (config.get("filters") or []):
        targets.append((url, str(config.get("method") or "POST"), []))
    coll = core.store.get((account, "conversations", "v1", f"{conv_path}/Webhooks"))
    for hook in coll.records() if coll is not None else ():
        conf = hook.get("configuration") or {}
        if hook.get("target") == "webhook" and conf.get("url") and event in (conf.get("filters") or []):
            extra = [("WebhookSid", str(hook.get("sid"))), ("WebhookType", "webhook")]
            targets.append((str(conf["url"]), str(conf.get("method") or "POST"), extra))
    if not targets:
        return []
    token, hooks = _token(core, account), webhooks_of(core)
    out: list[After] = []
    for target, method, extra in targets:

        def deliver(target: str = target, method: str = method, extra: Params = extra) -> None:
            hooks.deliver(
                target,
                [("EventType", event), *params, *extra],
                token,
                account_sid=account,
                method=method,
                event=f"conversations.{event}",
            )

        out.append(deliver)
    return out


def check_filters(filters: Any, allowed: tuple[str, ...]) -> None:
    """50365 for a filter that names no event (unconfirmed)."""
    for name in filters or []:
        if name not in allowed:
            status, message = data.ERRORS[50365]
            raise errors.MockError(status, 50365, f"{message}: {errors.short(name)}")
