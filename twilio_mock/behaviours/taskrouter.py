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
``accepted`` assigns the task, ``rejected`` routes it on; a reservation left pending times out
(:mod:`.task_assignment`); a task ``completed`` or ``canceled`` frees its worker.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import task_assignment as assignment
from twilio_mock.behaviours import taskrouter_events as events
from twilio_mock.behaviours import taskrouter_expressions as expressions
from twilio_mock.core import errors

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core
    from twilio_mock.core.operations import Call

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


def install(core: Core) -> None:
    core.scheduler.handler(assignment.TIMEOUT, assignment.timed_out)
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
    assignment.open_coll(core, account, f"{base}/TaskQueues", {"workspace_sid": sid}).put(queue_sid, queue)
    routing = {"task_routing": {"filters": [], "default_filter": {"queue": queue_sid}}}
    workflow: Record = {"sid": workflow_sid, **FIFO_WORKFLOW, "configuration": json.dumps(routing)}
    workflow.update(date_created=now, date_updated=now, document_content_type="application/json")
    assignment.open_coll(core, account, f"{base}/Workflows", {"workspace_sid": sid}).put(
        workflow_sid, workflow
    )
    return record


def _checking(call: Call, record: Record, old: Record | None) -> Record | None:
    if "target_workers" in record and record["target_workers"] is not None:
        assignment.expression(record["target_workers"], "TargetWorkers")
    if "configuration" in record and record.get("configuration") is not None:
        _routing(call.backend, call.owner, call.route.collection.rsplit("/", 1)[0], record["configuration"])
    return None


def _routing(core: Core, account: str, base: str, text: Any) -> dict[str, Any]:
    """A workflow's ``configuration``, checked: its filters' expressions and queues."""
    config = assignment.attributes(text, "Configuration")
    routing = config.get("task_routing")
    if not isinstance(routing, dict):
        raise assignment.bad("Configuration", text, "no task_routing object")
    filters = routing.get("filters") or []
    default = routing.get("default_filter")
    if not isinstance(filters, list) or (default is not None and not isinstance(default, dict)):
        raise assignment.bad("Configuration", text, "filters is a list, default_filter an object")
    for item in filters:
        if not isinstance(item, dict) or not isinstance(item.get("targets", []), list):
            raise assignment.bad("Configuration", text, "each filter is an object with a list of targets")
        assignment.expression(item.get("expression", "1==1"), "Configuration")
        for target in item.get("targets") or []:
            _queue_of(core, account, base, target, text)
            if isinstance(target, dict) and target.get("expression"):
                assignment.expression(target["expression"], "Configuration")
    if default is not None:
        _queue_of(core, account, base, default, text)
    return routing


def _queue_of(core: Core, account: str, base: str, target: Any, text: Any) -> Record:
    sid = str(target.get("queue") or "") if isinstance(target, dict) else ""
    queue = assignment.get(core, account, f"{base}/TaskQueues", sid)
    if queue is None:
        raise assignment.bad("Configuration", text, f"no TaskQueue {sid or '(none)'} in this workspace")
    return queue


# Tasks -----------------------------------------------------------------------------------------
def _task(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is not None or call.principal.test:
        return None
    core, account = call.backend, call.owner
    base = call.route.collection.rsplit("/", 1)[0]
    task_attrs = assignment.attributes(record.get("attributes"))
    workflows = assignment.records(core, account, f"{base}/Workflows")
    if not record.get("workflow_sid") and not record.get("task_queue_sid") and len(workflows) == 1:
        record["workflow_sid"] = workflows[0]["sid"]  # the description: optional with one workflow
    workflow = assignment.get(core, account, f"{base}/Workflows", str(record.get("workflow_sid") or ""))
    queue_sid = str(record.get("task_queue_sid") or "")
    target: dict[str, Any] = {}
    if workflow is not None:
        routing = _routing(core, account, base, workflow.get("configuration"))
        target = _route(routing, task_attrs)
        if not target:
            raise assignment.bad(
                "WorkflowSid", workflow["sid"], "no filter matches the task and there is no default_filter"
            )
        queue_sid = str(target["queue"])
        record.update(workflow_sid=workflow["sid"], workflow_friendly_name=workflow.get("friendly_name"))
    elif record.get("workflow_sid"):
        raise errors.not_found(f"{base}/Workflows/{record['workflow_sid']}")
    queue = assignment.get(core, account, f"{base}/TaskQueues", queue_sid)
    if queue is None and queue_sid:
        raise assignment.bad("TaskQueueSid", queue_sid, "no such TaskQueue in this workspace")
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
    call.after += events.emit(core, account, base, "task.created", record, events.task_fields(record))
    call.after += assignment.assign(core, account, base, [str(record["sid"])])
    return call.open().get(str(record["sid"]))


def _route(routing: dict[str, Any], task: dict[str, Any]) -> dict[str, Any]:
    for item in routing.get("filters") or []:
        if expressions.evaluate(
            assignment.expression(item.get("expression", "1==1"), "Configuration"), {"task": task}, "task"
        ):
            targets = item.get("targets") or []
            if targets:
                return dict(targets[0])
    return dict(routing.get("default_filter") or {})


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
    call.after += assignment.decide(call.backend, call.owner, _base(call), str(record["sid"]), status, record)
    return assignment.find_reservation(call.backend, call.owner, _base(call), str(record["sid"]))


def _task_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    if old is None or record.get("assignment_status") == old.get("assignment_status"):
        return None
    core, account, base = call.backend, call.owner, _base(call)
    call.open().put(str(record["sid"]), record)  # stored first, so freed workers are seen free
    status = str(record.get("assignment_status"))
    if status in ("completed", "canceled"):
        for reservation in assignment.records(core, account, f"{base}/Tasks/{record['sid']}/Reservations"):
            done = {"accepted": "completed", "pending": "canceled"}.get(
                str(reservation.get("reservation_status"))
            )
            if done:
                assignment.mirror(core, account, base, {**reservation, "reservation_status": done})
                call.after += events.reservation_event(core, account, base, reservation, done)
        call.after += events.emit(core, account, base, f"task.{status}", record, events.task_fields(record))
    call.after += assignment.assign(core, account, base)
    return None


def _worker_updated(call: Call, record: Record, old: Record | None) -> Record | None:
    """A worker created available, or becoming available, takes a pending task."""
    if call.principal.test:
        return None
    if old is None or record.get("activity_sid") != old.get("activity_sid"):
        kind = "worker.created" if old is None else "worker.activity.update"
        call.after += events.emit(
            call.backend, call.owner, _base(call), kind, record, events.worker_fields(record)
        )
    if not record.get("available") or (old is not None and old.get("available")):
        return None
    call.open().put(str(record["sid"]), record)  # stored first, so routing sees it available
    call.after += assignment.assign(call.backend, call.owner, _base(call))
    return None
