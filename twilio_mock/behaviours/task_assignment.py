"""Which worker gets a task: reservations (``WR``, kept under the task and under the worker),
the workflow's signed assignment callback and its instruction, reservations accepted, rejected or
timed out, and the helpers the TaskRouter behaviour shares. What is unconfirmed is said in
:mod:`.taskrouter`.

A pending reservation times out after the workflow's ``TaskReservationTimeout`` (120 s when
unset: unconfirmed) of virtual time: it becomes ``timeout``, its worker moves to the workspace's
timeout activity (Offline) and the task is routed again (unconfirmed, from memory).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import taskrouter_events as events
from twilio_mock.behaviours import taskrouter_expressions as expressions
from twilio_mock.core import errors
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
LIVE = ("pending", "accepted")  # a worker holding such a reservation takes no other task
BUSY_TASKS = ("reserved", "assigned")
TIMEOUT = "taskrouter.reservation_timeout"  # the scheduler event's kind
RESERVATION_TIMEOUT = 120  # seconds, when the workflow sets none (unconfirmed)


def bad(name: str, value: Any, why: str) -> errors.MockError:
    return errors.MockError(400, 20001, f"Invalid parameter {name}: {errors.short(value)} ({why})")


def key(account: str, path: str) -> tuple[str, str, str, str]:
    return (account, "taskrouter", "v1", path)


def open_coll(core: Core, account: str, path: str, parent: Record) -> Collection:
    return core.store.open(key(account, path), {"account_sid": account, **parent}, "sid")


def records(core: Core, account: str, path: str) -> list[Record]:
    coll = core.store.get(key(account, path))
    return list(coll.records()) if coll is not None else []


def get(core: Core, account: str, path: str, sid: str) -> Record | None:
    coll = core.store.get(key(account, path))
    return coll.get(sid) if coll is not None and sid else None


def attributes(value: Any, name: str = "Attributes") -> dict[str, Any]:
    try:
        found = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        raise bad(name, value, "not JSON") from None
    if not isinstance(found, dict):
        raise bad(name, value, "not a JSON object")
    return found


def expression(text: Any, name: str) -> expressions.Node:
    try:
        return expressions.parse(str(text))
    except expressions.ExpressionError as exc:
        raise bad(name, text, f"{exc}; the mock knows a subset of the expression language") from None


def _busy(core: Core, account: str, base: str, worker: str) -> bool:
    for reservation in records(core, account, f"{base}/Workers/{worker}/Reservations"):
        if reservation.get("reservation_status") in LIVE:
            task = get(core, account, f"{base}/Tasks", str(reservation.get("task_sid")))
            if task is not None and task.get("assignment_status") in BUSY_TASKS:
                return True
    return False


def assign(core: Core, account: str, base: str, sids: list[str] | None = None) -> list[After]:
    """Reserve a worker for each pending task (``sids``, else every pending one, oldest first);
    returns the assignment callbacks."""
    after: list[After] = []
    tasks = records(core, account, f"{base}/Tasks")
    for task in tasks if sids is None else [t for t in tasks if t.get("sid") in sids]:
        if task.get("assignment_status") != "pending":
            continue
        queue = get(core, account, f"{base}/TaskQueues", str(task.get("task_queue_sid")))
        worker = _worker_for(core, account, base, task, queue or {})
        if worker is not None:
            after += _reserve(core, account, base, task, worker)
    return after


def _worker_for(core: Core, account: str, base: str, task: Record, queue: Record) -> Record | None:
    task_attrs = attributes(task.get("attributes"))
    tests = [expression(queue.get("target_workers") or "1==1", "TargetWorkers")]
    if task.get("_target"):
        tests.append(expression(task["_target"], "Configuration"))
    rejected = {
        r.get("worker_sid")
        for r in records(core, account, f"{base}/Tasks/{task['sid']}/Reservations")
        if r.get("reservation_status") == "rejected"
    }
    workers = [w for w in records(core, account, f"{base}/Workers") if w.get("available")]
    workers.sort(key=lambda w: int(w.get("date_status_changed") or w.get("date_created") or 0))
    for worker in workers:
        if worker.get("sid") in rejected or _busy(core, account, base, str(worker["sid"])):
            continue
        scopes = {"task": task_attrs, "worker": attributes(worker.get("attributes"))}
        if all(expressions.evaluate(test, scopes, "worker") for test in tests):
            return worker
    return None


def _reserve(core: Core, account: str, base: str, task: Record, worker: Record) -> list[After]:
    now = core.clock.seconds()
    ws, task_sid, worker_sid = base.rsplit("/", 1)[1], str(task["sid"]), str(worker["sid"])
    reservation = {
        "sid": core.minter.sid("WR"),
        "reservation_status": "pending",
        "task_sid": task_sid,
        "worker_sid": worker_sid,
        "worker_name": worker.get("friendly_name"),
        "date_created": now,
        "date_updated": now,
    }
    mirror(core, account, base, reservation)
    open_coll(core, account, f"{base}/Tasks", {"workspace_sid": ws}).put(
        task_sid, {**task, "assignment_status": "reserved", "date_updated": now}
    )
    workflow = get(core, account, f"{base}/Workflows", str(task.get("workflow_sid") or ""))
    wait = int((workflow or {}).get("task_reservation_timeout") or RESERVATION_TIMEOUT)
    core.scheduler.at(now + wait, TIMEOUT, {"account": account, "base": base, "sid": reservation["sid"]})
    created = events.reservation_event(core, account, base, reservation, "created")
    url = str((workflow or {}).get("assignment_callback_url") or "")
    if not url:
        return created
    params = [
        ("AccountSid", account),
        ("WorkspaceSid", ws),
        ("WorkflowSid", str(task.get("workflow_sid") or "")),
        ("TaskQueueSid", str(task.get("task_queue_sid") or "")),
        ("TaskSid", task_sid),
        ("WorkerSid", worker_sid),
        ("ReservationSid", str(reservation["sid"])),
        ("TaskAttributes", str(task.get("attributes") or "{}")),
        ("WorkerAttributes", str(worker.get("attributes") or "{}")),
        ("TaskAge", "0"),
        ("TaskPriority", str(task.get("priority") or 0)),
    ]
    fallback = str((workflow or {}).get("fallback_assignment_callback_url") or "")
    token = str((accounts_of(core).get(account) or {}).get("auth_token") or "")
    sid = str(reservation["sid"])

    def deliver() -> None:
        hooks = webhooks_of(core)
        delivery = hooks.deliver(url, params, token, account_sid=account, event="taskrouter.assignment")
        if not delivery.ok and fallback:
            delivery = hooks.deliver(
                fallback, params, token, account_sid=account, event="taskrouter.assignment"
            )
        instruction = _instruction(delivery.body) if delivery.ok else ""
        if instruction in ("accept", "reject"):
            with core._lock:
                after = decide(
                    core, account, base, sid, "accepted" if instruction == "accept" else "rejected"
                )
            for thunk in after:
                thunk()

    return [*created, deliver]


def _instruction(body: str) -> str:
    try:
        found = json.loads(body) if body.strip() else {}
    except ValueError:
        return ""
    return str(found.get("instruction") or "") if isinstance(found, dict) else ""


def mirror(core: Core, account: str, base: str, reservation: Record) -> None:
    """A reservation lives under its task and under its worker: both copies kept equal."""
    ws, sid = base.rsplit("/", 1)[1], str(reservation["sid"])
    task, worker = str(reservation["task_sid"]), str(reservation["worker_sid"])
    parent = {"workspace_sid": ws}
    open_coll(core, account, f"{base}/Tasks/{task}/Reservations", {**parent, "task_sid": task}).put(
        sid, reservation
    )
    open_coll(core, account, f"{base}/Workers/{worker}/Reservations", {**parent, "worker_sid": worker}).put(
        sid, reservation
    )


def decide(
    core: Core, account: str, base: str, sid: str, status: str, record: Record | None = None
) -> list[After]:
    """Carry out a reservation's new ``status``: its task assigned, routed on or done."""
    found = find_reservation(core, account, base, sid)
    if found is None or found.get("reservation_status") != "pending" and status in ("accepted", "rejected"):
        return []
    reservation = {**(record or found), "reservation_status": status, "date_updated": core.clock.seconds()}
    mirror(core, account, base, reservation)
    task = get(core, account, f"{base}/Tasks", str(reservation["task_sid"]))
    if task is None:
        return []
    told = events.reservation_event(core, account, base, reservation, status)
    moves = {"accepted": "assigned", "rejected": "pending", "completed": "completed", "canceled": "pending"}
    if status in moves:
        ws = base.rsplit("/", 1)[1]
        changed = {**task, "assignment_status": moves[status], "date_updated": core.clock.seconds()}
        open_coll(core, account, f"{base}/Tasks", {"workspace_sid": ws}).put(str(task["sid"]), changed)
    return told + assign(core, account, base)


def find_reservation(core: Core, account: str, base: str, sid: str) -> Record | None:
    for key, coll in core.store.collections.items():
        if key[0] == account and key[3].startswith(base + "/") and key[3].endswith("/Reservations"):
            found = coll.get(sid)
            if found is not None:
                return found
    return None


def timed_out(core: Core, event: dict[str, Any]) -> list[After] | None:
    """A reservation still pending when its time is up: ``timeout``, its worker to the timeout
    activity, its task routed again."""
    account, base, sid = str(event["account"]), str(event["base"]), str(event["sid"])
    found = find_reservation(core, account, base, sid)
    if found is None or found.get("reservation_status") != "pending":
        return None
    now, ws = core.clock.seconds(), base.rsplit("/", 1)[1]
    timed = {**found, "reservation_status": "timeout", "date_updated": now}
    mirror(core, account, base, timed)
    told = events.reservation_event(core, account, base, timed, "timeout")
    task = get(core, account, f"{base}/Tasks", str(found.get("task_sid")))
    if task is not None and task.get("assignment_status") == "reserved":
        changed = {**task, "assignment_status": "pending", "date_updated": now}
        open_coll(core, account, f"{base}/Tasks", {"workspace_sid": ws}).put(str(task["sid"]), changed)
    worker = get(core, account, f"{base}/Workers", str(found.get("worker_sid")))
    workspace = get(core, account, "/v1/Workspaces", ws) or {}
    activity = get(core, account, f"{base}/Activities", str(workspace.get("timeout_activity_sid") or ""))
    if worker is not None and activity is not None:
        moved = {
            **worker,
            "activity_sid": activity["sid"],
            "activity_name": activity.get("friendly_name"),
            "available": bool(activity.get("available")),
            "date_status_changed": now,
            "date_updated": now,
        }
        open_coll(core, account, f"{base}/Workers", {"workspace_sid": ws}).put(str(worker["sid"]), moved)
        told += events.emit(core, account, base, "worker.activity.update", moved, events.worker_fields(moved))
    return told + assign(core, account, base)
