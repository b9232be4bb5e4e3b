"""The resources the contract scenarios run against: one per product, twelve domains.

Each case is written once in the dialect both SDKs share (``client.verify.v2.services``,
``create(**kwargs)``, ``(sid).fetch()``...), so the same lines drive our SDK and the official
package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TO = "+15558675310"
FROM = "+15017122661"
FLOW = {"description": "demo", "states": [{"name": "Trigger", "type": "trigger", "transitions": []}]}


@dataclass
class Case:
    id: str
    collection: Callable[[Any], Any]
    create: Callable[[int], dict[str, Any]]
    update: dict[str, Any]
    #: A create whose parameters the description rejects (a bad enum, type or phone number).
    invalid: dict[str, Any] = field(default_factory=dict)
    deletable: bool = True

    def new(self, client: Any, n: int = 0) -> Any:
        return self.collection(client).create(**self.create(n))


CASES = [
    Case(
        "api-messages",
        lambda c: c.messages,
        lambda n: {"to": TO, "from_": FROM, "body": f"hello {n}"},
        {"body": ""},
        {"to": "not-a-number", "from_": FROM, "body": "x"},
    ),
    Case(
        "api-calls",
        lambda c: c.calls,
        lambda n: {"to": TO, "from_": FROM, "url": f"https://example.com/voice/{n}.xml"},
        {"status": "completed"},
        {"to": TO, "from_": FROM, "url": "https://example.com/v.xml", "method": "FETCH"},
    ),
    Case(
        "api-incoming-numbers",
        lambda c: c.incoming_phone_numbers,
        lambda n: {"phone_number": f"+1415555{n:04d}", "friendly_name": f"line {n}"},
        {"friendly_name": "renamed line"},
        {"phone_number": "+14155550000", "voice_method": "FETCH"},
    ),
    Case(
        "api-queues",
        lambda c: c.queues,
        lambda n: {"friendly_name": f"queue {n}"},
        {"max_size": 50},
        {"friendly_name": "q", "max_size": "lots"},
    ),
    Case(
        "api-applications",
        lambda c: c.applications,
        lambda n: {"friendly_name": f"app {n}"},
        {"friendly_name": "renamed app"},
        {"friendly_name": "a", "voice_method": "FETCH"},
    ),
    Case(
        "messaging-services",
        lambda c: c.messaging.v1.services,
        lambda n: {"friendly_name": f"messaging {n}"},
        {"friendly_name": "renamed messaging"},
        {"friendly_name": "m", "inbound_method": "FETCH"},
    ),
    Case(
        "verify-services",
        lambda c: c.verify.v2.services,
        lambda n: {"friendly_name": f"verify {n}"},
        {"code_length": 8},
        {"friendly_name": "v", "code_length": "eight"},
    ),
    Case(
        "conversations",
        lambda c: c.conversations.v1.conversations,
        lambda n: {"friendly_name": f"conversation {n}"},
        {"friendly_name": "renamed conversation"},
        {"friendly_name": "c", "state": "melted"},
    ),
    Case(
        "sync-services",
        lambda c: c.sync.v1.services,
        lambda n: {"friendly_name": f"sync {n}"},
        {"friendly_name": "renamed sync"},
        {"friendly_name": "s", "reachability_debouncing_window": "soon"},
    ),
    Case(
        "chat-services",
        lambda c: c.chat.v2.services,
        lambda n: {"friendly_name": f"chat {n}"},
        {"friendly_name": "renamed chat"},
    ),
    Case(
        "video-rooms",
        lambda c: c.video.v1.rooms,
        lambda n: {"unique_name": f"room-{n}"},
        {"status": "completed"},
        {"unique_name": "r", "type": "party"},
        deletable=False,
    ),
    Case(
        "studio-flows",
        lambda c: c.studio.v2.flows,
        lambda n: {"friendly_name": f"flow {n}", "status": "draft", "definition": FLOW},
        {"status": "published"},
        {"friendly_name": "f", "status": "sideways", "definition": FLOW},
    ),
    Case(
        "serverless-services",
        lambda c: c.serverless.v1.services,
        lambda n: {"unique_name": f"svc-{n}", "friendly_name": f"serverless {n}"},
        {"friendly_name": "renamed serverless"},
    ),
    Case(
        "taskrouter-workspaces",
        lambda c: c.taskrouter.v1.workspaces,
        lambda n: {"friendly_name": f"workspace {n}"},
        {"friendly_name": "renamed workspace"},
        {"friendly_name": "w", "prioritize_queue_order": "sideways"},
    ),
    Case(
        "proxy-services",
        lambda c: c.proxy.v1.services,
        lambda n: {"unique_name": f"proxy-{n}"},
        {"unique_name": "renamed-proxy"},
        {"unique_name": "p", "geo_match_level": "planet"},
    ),
    Case(
        "notify-services",
        lambda c: c.notify.v1.services,
        lambda n: {"friendly_name": f"notify {n}"},
        {"friendly_name": "renamed notify"},
    ),
]

CASE_IDS = [case.id for case in CASES]
