"""TaskRouter v1 basics: tasks routed by a workflow to a queue and reserved for a worker.

twilio-facts.md says nothing on TaskRouter; the choices below are **unconfirmed** unless the
API description says so. A new workspace has the activities Offline, Available and
Unavailable, Offline its default (``core.defaults``); workers start in it. ``Template=FIFO``
(the description: NONE, the default, makes only the activities) adds the TaskQueue ``Sample
Queue`` (``TargetWorkers`` ``1==1``) and the workflow ``Default Fifo Workflow`` routing every
task to it (the names: the description's examples).

A task created with ``WorkflowSid`` (optional when the workspace has one workflow; a task with
no workflow nor ``TaskQueueSid`` is kept unrouted: unconfirmed) goes to the queue of the first filter whose ``expression``
matches its attributes (else the ``default_filter``), then to the available worker (longest in
its activity first) who matches the queue's ``TargetWorkers`` and the target's ``expression``,
has no other live reservation and has not rejected this task: a pending Reservation (``WR``,
under the task and the worker alike), the task ``reserved``; with no such worker it waits
``pending`` until one becomes available or is freed. Expressions: the subset of
:mod:`.taskrouter_expressions`. The workflow's ``AssignmentCallbackUrl`` (its fallback when it
fails) is posted, signed, once the lock is released; an answer ``{"instruction": "accept"}``
or ``"reject"`` is carried out (other instructions: not done). Updating a reservation to
``accepted`` assigns the task, ``rejected`` routes it on; a task ``completed`` or ``canceled``
frees its worker.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import taskrouter_expressions as expressions
from twilio_mock.core import errors
from twilio_mock.identity import accounts_of
from twilio_mock.webhooks import webhooks_of

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call
    from twilio_mock.core.scheduler import After
    from twilio_mock.core.store import Collection

Record = dict[str, Any]
WS = "Workspaces"
QUEUES = "Workspaces/{WorkspaceSid}/TaskQueues"
WORKFLOWS = "Workspaces/{WorkspaceSid}/Workflows"
WORKERS = "Workspaces/{WorkspaceSid}/Workers"
TASKS = "Workspaces/{WorkspaceSid}/Tasks"
TASK_RESERVATIONS = "Workspaces/{WorkspaceSid}/Tasks/{TaskSid}/Reservations"
WORKER_RESERVATIONS = "Workspaces/{WorkspaceSid}/Workers/{WorkerSid}/Reservations"
# Unconfirmed: the FIFO template's records (names from the description's examples).
FIFO_QUEUE = {"friendly_name": "Sample Queue", "target_workers": "1==1"}
FIFO_WORKFLOW = {"friendly_name": "Default Fifo Workflow", "task_reservation_timeout": 120}
LIVE = ("pending", "accepted")  # a worker holding such a reservation takes no other task
BUSY_TASKS = ("reserved", "assigned")


def install(core: Core) -> None:
    core.on("create", "taskrouter", WS, _workspace)
    for template in (QUEUES, WORKFLOWS):
        core.on("create", "taskrouter", template, _checking)
        core.on("update", "taskrouter", template, _checking)
    core.on("create", "taskrouter", TASKS, _task)
    core.on("update", "taskrouter", TASKS, _task_updated)
    core.on("create", "taskrouter", WORKERS, _worker_updated)
    core.on("update", "taskrouter", WORKERS, _worker_updated)
    core.on("update", "taskrouter", TASK_RESERVATIONS, _reservation_updated)
    core.on("update", "taskrouter", WORKER_RESERVATIONS, _reservation_updated)


def _bad(name: str, value: Any, why: str) -> errors.MockError:
    return errors.MockError(400, 20001, f"Invalid parameter {name}: {errors.short(value)} ({why})")


def _key(account: str, path: str) -> tuple[str, str, str, str]:
    return (account, "taskrouter", "v1", path)


def _open(core: Core, account: str, path: str, parent: Record) -> Collection:
    return core.store.open(_key(account, path), {"account_sid": account, **parent}, "sid")


def _records(core: Core, account: str, path: str) -> list[Record]:
    coll = core.store.get(_key(account, path))
    return list(coll.records()) if coll is not None else []


def _get(core: Core, account: str, path: str, sid: str) -> Record | None:
    coll = core.store.get(_key(account, path))
    return coll.get(sid) if coll is not None and sid else None


def _attributes(value: Any, name: str = "Attributes") -> dict[str, Any]:
    try:
        found = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        raise _bad(name, value, "not JSON") from None
    if not isinstance(found, dict):
        raise _bad(name, value, "not a JSON object")
    return found


def _expression(text: Any, name: str) -> expressions.Node:
    try:
        return expressions.parse(str(text))
    except expressions.ExpressionError as exc:
        raise _bad(name, text, f"{exc}; the mock knows a subset of the expression language") from None


# Workspaces, queues, workflows ----------------------------------------------------------------
def _workspace(call: Call, record: Record, old: Record | None) -> Record | None:
    template = str(record.pop("template", None) or "NONE").upper()
    if old is not None or call.principal.test or template != "FIFO":
        return record
    core, account, sid = call.backend, call.owner, str(record["sid"])
    now = core.clock.seconds()
    base = f"/v1/Workspaces/{sid}"
    queue_sid, workflow_sid = core.minter.sid("WQ"), core.minter.sid("WW")
    queue: Record = {"sid": queue_sid, **FIFO_QUEUE, "date_created": now, "date_updated": now}
    _open(core, account, f"{base}/TaskQueues", {"workspace_sid": sid}).put(queue_sid, queue)
    routing = {"task_routing": {"filters": [], "default_filter": {"queue": queue_sid}}}
    workflow: Record = {"sid": workflow_sid, **FIFO_WORKFLOW, "configuration": json.dumps(routing)}
    workflow.update(date_created=now, date_updated=now, document_content_type="application/json")
    _open(core, account, f"{base}/Workflows", {"workspace_sid": sid}).put(workflow_sid, workflow)
    return record


def _checking(call: Call, record: Record, old: Record | None) -> Record | None:
    if "target_workers" in record and record["target_workers"] is not None:
        _expression(record["target_workers"], "TargetWorkers")
    if "configuration" in record and record.get("configuration") is not None:
        _routing(call.backend, call.owner, call.route.collection.rsplit("/", 1)[0], record["configuration"])
    return None


def _routing(core: Core, account: str, base: str, text: Any) -> dict[str, Any]:
    """A workflow's ``configuration``, checked: its filters' expressions and queues."""
    config = _attributes(text, "Configuration")
    routing = config.get("task_routing")
    if not isinstance(routing, dict):
        raise _bad("Configuration", text, "no task_routing object")
    filters = routing.get("filters") or []
    default = routing.get("default_filter")
    if not isinstance(filters, list) or (default is not None and not isinstance(default, dict)):
        raise _bad("Configuration", text, "filters is a list, default_filter an object")
    for item in filters:
        if not isinstance(item, dict) or not isinstance(item.get("targets", []), list):
            raise _bad("Configuration", text, "each filter is an object with a list of targets")
        _expression(item.get("expression", "1==1"), "Configuration")
        for target in item.get("targets") or []:
            _queue_of(core, account, base, target, text)
            if isinstance(target, dict) and target.get("expression"):
                _expression(target["expression"], "Configuration")
    if default is not None:
        _queue_of(core, account, base, default, text)
    return routing


def _queue_of(core: Core, account: str, base: str, target: Any, text: Any) -> Record:
    sid = str(target.get("queue") or "") if isinstance(target, dict) else ""
    queue = _get(core, account, f"{base}/TaskQueues", sid)
    if queue is None:
        raise _bad("Configuration", text, f"no TaskQueue {sid or '(none)'} in this workspace")
    return queue


# Tasks -----------------------------------------------------------------------------------------
def _task(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test:
        return None
    core, account = call.backend, call.owner
    base = call.route.collection.rsplit("/", 1)[0]
    task_attrs = _attributes(record.get("attributes"))
    workflows = _records(core, account, f"{base}/Workflows")
    if not record.get("workflow_sid") and not record.get("task_queue_sid") and len(workflows) == 1:
        record["workflow_sid"] = workflows[0]["sid"]  # the description: optional with one workflow
    workflow = _get(core, account, f"{base}/Workflows", str(record.get("workflow_sid") or ""))
    queue_sid = str(record.get("task_queue_sid") or "")
    target: dict[str, Any] = {}
    if workflow is not None:
        routing = _routing(core, account, base, workflow.get("configuration"))
        target = _route(routing, task_attrs)
        if not target:
            raise _bad(
                "WorkflowSid", workflow["sid"], "no filter matches the task and there is no default_filter"
            )
        queue_sid = str(target["queue"])
        record.update(workflow_sid=workflow["sid"], workflow_friendly_name=workflow.get("friendly_name"))
    elif record.get("workflow_sid"):
        raise errors.not_found(f"{base}/Workflows/{record['workflow_sid']}")
    queue = _get(core, account, f"{base}/TaskQueues", queue_sid)
    if queue is None and queue_sid:
        raise _bad("TaskQueueSid", queue_sid, "no such TaskQueue in this workspace")
    if queue is None:  # no workflow to route it: kept unrouted, never reserved (unconfirmed leniency)
        record.update(assignment_status="pending", age=0, priority=int(record.get("priority") or 0))
        return record
    now = core.clock.seconds()
    record.update(
        task_queue_sid=queue["sid"],
        task_queue_friendly_name=queue.get("friendly_name"),
        task_queue_entered_date=now,
        assignment_status="pending",
        age=0,
        priority=int(record.get("priority") or 0),
        timeout=int(record.get("timeout") or 86400),
    )
    if target.get("expression"):
        record["_target"] = str(target["expression"])  # unrendered: the routing target's worker test
    call.open().put(str(record["sid"]), record)  # stored first, so routing sees it
    call.after += _assign(core, account, base, [str(record["sid"])])
    return call.open().get(str(record["sid"]))


def _route(routing: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    for item in routing.get("filters") or []:
        if expressions.evaluate(
            _expression(item.get("expression", "1==1"), "Configuration"), {"task": task}, "task"
        ):
            targets = item.get("targets") or []
            if targets:
                return dict(targets[0])
    return dict(routing.get("default_filter") or {})


def _busy(core: Core, account: str, base: str, worker: str) -> bool:
    for reservation in _records(core, account, f"{base}/Workers/{worker}/Reservations"):
        if reservation.get("reservation_status") in LIVE:
            task = _get(core, account, f"{base}/Tasks", str(reservation.get("task_sid")))
            if task is not None and task.get("assignment_status") in BUSY_TASKS:
                return True
    return False


def _assign(core: Core, account: str, base: str, sids: list[str] | None = None) -> list[After]:
    """Reserve a worker for each pending task (``sids``, else every pending one, oldest first);
    returns the assignment callbacks."""
    after: list[After] = []
    tasks = _records(core, account, f"{base}/Tasks")
    for task in tasks if sids is None else [t for t in tasks if t.get("sid") in sids]:
        if task.get("assignment_status") != "pending":
            continue
        queue = _get(core, account, f"{base}/TaskQueues", str(task.get("task_queue_sid")))
        worker = _worker_for(core, account, base, task, queue or {})
        if worker is not None:
            after += _reserve(core, account, base, task, worker)
    return after


def _worker_for(core: Core, account: str, base: str, task: Record, queue: Record) -> Record | None:
    task_attrs = _attributes(task.get("attributes"))
    tests = [_expression(queue.get("target_workers") or "1==1", "TargetWorkers")]
    if task.get("_target"):
        tests.append(_expression(task["_target"], "Configuration"))
    rejected = {
        r.get("worker_sid")
        for r in _records(core, account, f"{base}/Tasks/{task['sid']}/Reservations")
        if r.get("reservation_status") == "rejected"
    }
    workers = [w for w in _records(core, account, f"{base}/Workers") if w.get("available")]
    workers.sort(key=lambda w: int(w.get("date_status_changed") or w.get("date_created") or 0))
    for worker in workers:
        if worker.get("sid") in rejected or _busy(core, account, base, str(worker["sid"])):
            continue
        scopes = {"task": task_attrs, "worker": _attributes(worker.get("attributes"))}
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
    _mirror(core, account, base, reservation)
    _open(core, account, f"{base}/Tasks", {"workspace_sid": ws}).put(
        task_sid, {**task, "assignment_status": "reserved", "date_updated": now}
    )
    workflow = _get(core, account, f"{base}/Workflows", str(task.get("workflow_sid") or ""))
    url = str((workflow or {}).get("assignment_callback_url") or "")
    if not url:
        return []
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
                after = _decide(
                    core, account, base, sid, "accepted" if instruction == "accept" else "rejected"
                )
            for thunk in after:
                thunk()

    return [deliver]


def _instruction(body: str) -> str:
    try:
        found = json.loads(body) if body.strip() else {}
    except ValueError:
        return ""
    return str(found.get("instruction") or "") if isinstance(found, dict) else ""


def _mirror(core: Core, account: str, base: str, reservation: Record) -> None:
    """A reservation lives under its task and under its worker: both copies kept equal."""
    ws, sid = base.rsplit("/", 1)[1], str(reservation["sid"])
    task, worker = str(reservation["task_sid"]), str(reservation["worker_sid"])
    parent = {"workspace_sid": ws}
    _open(core, account, f"{base}/Tasks/{task}/Reservations", {**parent, "task_sid": task}).put(
        sid, reservation
    )
    _open(core, account, f"{base}/Workers/{worker}/Reservations", {**parent, "worker_sid": worker}).put(
        sid, reservation
    )


def _decide(
    core: Core, account: str, base: str, sid: str, status: str, record: Record | None = None
) -> list[After]:
    """Carry out a reservation's new ``status``: its task assigned, routed on or done."""
    found = _find_reservation(core, account, base, sid)
    if found is None or found.get("reservation_status") != "pending" and status in ("accepted", "rejected"):
        return []
    reservation = {**(record or found), "reservation_status": status, "date_updated": core.clock.seconds()}
    _mirror(core, account, base, reservation)
    task = _get(core, account, f"{base}/Tasks", str(reservation["task_sid"]))
    if task is None:
        return []
    moves = {"accepted": "assigned", "rejected": "pending", "completed": "completed", "canceled": "pending"}
    if status in moves:
        ws = base.rsplit("/", 1)[1]
        changed = {**task, "assignment_status": moves[status], "date_updated": core.clock.seconds()}
        _open(core, account, f"{base}/Tasks", {"workspace_sid": ws}).put(str(task["sid"]), changed)
    return _assign(core, account, base)


def _find_reservation(core: Core, account: str, base: str, sid: str) -> Record | None:
    for key, coll in core.store.collections.items():
        if key[0] == account and key[3].startswith(base + "/") and key[3].endswith("/Reservations"):
            found = coll.get(sid)
            if found is not None:
                return found
    return None


# Updates -----------------------------------------------------------------------------------------
def _base(call: Call) -> str:
    segs = call.route.collection.split("/")
    return "/".join(segs[:4])  # /v1/Workspaces/WS…


def _reservation_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is None or record.get("reservation_status") == old.get("reservation_status"):
        return None
    status = str(record.get("reservation_status"))
    if old.get("reservation_status") != "pending" and status in ("accepted", "rejected"):
        raise errors.MockError(
            400, 20001, f"Reservation {record.get('sid')} is {old.get('reservation_status')}, not pending"
        )
    call.after += _decide(call.backend, call.owner, _base(call), str(record["sid"]), status, record)
    return _find_reservation(call.backend, call.owner, _base(call), str(record["sid"]))


def _task_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is None or record.get("assignment_status") == old.get("assignment_status"):
        return None
    core, account, base = call.backend, call.owner, _base(call)
    call.open().put(str(record["sid"]), record)  # stored first, so freed workers are seen free
    if record.get("assignment_status") in ("completed", "canceled"):
        for reservation in _records(core, account, f"{base}/Tasks/{record['sid']}/Reservations"):
            done = {"accepted": "completed", "pending": "canceled"}.get(
                str(reservation.get("reservation_status"))
            )
            if done:
                _mirror(core, account, base, {**reservation, "reservation_status": done})
    call.after += _assign(core, account, base)
    return None


def _worker_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    """A worker created available, or becoming available, takes a pending task."""
    if call.principal.test or not record.get("available") or (old is not None and old.get("available")):
        return None
    call.open().put(str(record["sid"]), record)  # stored first, so routing sees it available
    call.after += _assign(call.backend, call.owner, _base(call))
    return None
