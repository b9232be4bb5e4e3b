"""TaskRouter workspace events: each one kept as an Event record (``Workspaces/{Sid}/Events``,
``EV…``) and posted, signed, to the workspace's ``EventCallbackUrl`` when its ``EventsFilter``
(comma-separated event types) is empty or names it, once the lock is released.

Emitted: ``task.created``, ``task.completed``, ``task.canceled``, ``reservation.created``,
``reservation.accepted``, ``reservation.rejected``, ``reservation.timeout``,
``reservation.completed``, ``reservation.canceled``, ``worker.created``,
``worker.activity.update``. The callback's fields (``EventType``, ``EventDescription``,
``ResourceType``, ``ResourceSid``, ``Timestamp``, ``Task*``, ``Worker*``, ``ReservationSid``)
and the descriptions are unconfirmed (from memory; twilio-facts.md says nothing on TaskRouter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After

Record = dict[str, Any]
Fields = list[tuple[str, str]]


def _get(core: Core, account: str, path: str, sid: str) -> Record | None:
    coll = core.store.get((account, "taskrouter", "v1", path))
    return coll.get(sid) if coll is not None and sid else None


def task_fields(task: Record) -> Fields:
    return [
        ("TaskSid", str(task.get("sid"))),
        ("TaskAttributes", str(task.get("attributes") or "{}")),
        ("TaskAssignmentStatus", str(task.get("assignment_status") or "")),
        ("TaskQueueSid", str(task.get("task_queue_sid") or "")),
        ("TaskQueueName", str(task.get("task_queue_friendly_name") or "")),
        ("WorkflowSid", str(task.get("workflow_sid") or "")),
        ("WorkflowName", str(task.get("workflow_friendly_name") or "")),
        ("TaskPriority", str(task.get("priority") or 0)),
        ("TaskAge", str(task.get("age") or 0)),
    ]


def worker_fields(worker: Record) -> Fields:
    return [
        ("WorkerSid", str(worker.get("sid"))),
        ("WorkerName", str(worker.get("friendly_name") or "")),
        ("WorkerAttributes", str(worker.get("attributes") or "{}")),
        ("WorkerActivitySid", str(worker.get("activity_sid") or "")),
        ("WorkerActivityName", str(worker.get("activity_name") or "")),
    ]


def emit(
    core: Core, account: str, base: str, event_type: str, resource: Record, fields: Fields
) -> list[After]:
    """Keep the event; returns its delivery (if the workspace wants it), to run after the lock."""
    ws = base.rsplit("/", 1)[1]
    kind = {"WT": "task", "WR": "reservation", "WK": "worker"}.get(str(resource.get("sid"))[:2], "workspace")
    description = f"{kind.capitalize()} {resource.get('sid')} {event_type.rsplit('.', 1)[1]}"
    now = core.clock.now()
    sid = core.minter.sid("EV")
    record = {
        "sid": sid,
        "event_type": event_type,
        "description": description,
        "resource_type": kind,
        "resource_sid": resource.get("sid"),
        "event_date": int(now),
        "event_date_ms": int(now * 1000),
        "event_data": dict(fields),
        "source": "API",
    }
    parent = {"account_sid": account, "workspace_sid": ws}
    core.store.open((account, "taskrouter", "v1", f"{base}/Events"), parent, "sid").put(sid, record)
    workspace = _get(core, account, "/v1/Workspaces", ws) or {}
    url = str(workspace.get("event_callback_url") or "")
    wanted = [e.strip() for e in str(workspace.get("events_filter") or "").split(",") if e.strip()]
    if not url or (wanted and event_type not in wanted):
        return []
    params: Fields = [
        ("AccountSid", account),
        ("WorkspaceSid", ws),
        ("WorkspaceName", str(workspace.get("friendly_name") or "")),
        ("Sid", sid),
        ("EventType", event_type),
        ("EventDescription", description),
        ("ResourceType", kind),
        ("ResourceSid", str(resource.get("sid"))),
        ("Timestamp", str(int(now))),
        *fields,
    ]
    token = str((accounts_of(core).get(account) or {}).get("auth_token") or "")
    hooks = webhooks_of(core)

    def deliver() -> None:
        hooks.deliver(url, params, token, account_sid=account, event=f"taskrouter.{event_type}")

    return [deliver]


def reservation_event(core: Core, account: str, base: str, reservation: Record, status: str) -> list[After]:
    """``reservation.<status>`` with the task's and the worker's fields."""
    task = _get(core, account, f"{base}/Tasks", str(reservation.get("task_sid"))) or {}
    worker = _get(core, account, f"{base}/Workers", str(reservation.get("worker_sid"))) or {}
    fields = [*task_fields(task), *worker_fields(worker), ("ReservationSid", str(reservation.get("sid")))]
    return emit(core, account, base, f"reservation.{status}", reservation, fields)
