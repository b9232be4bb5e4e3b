"""TaskRouter basics through both SDKs: a workspace's default activities (and the FIFO
template's queue and workflow), workers starting Offline, tasks routed by a workflow to a
queue and reserved for an available worker who matches, the signed assignment callback and its
instruction, and expressions outside the supported subset refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.behaviours.messaging.conftest import APP, App, code_of
from twilio_mock import Backend


@pytest.fixture
def workspace(client: Any) -> Any:
    ws = client.taskrouter.v1.workspaces.create(friendly_name="Support", template="FIFO")
    return client.taskrouter.v1.workspaces(ws.sid)


def activities(workspace: Any) -> dict[str, str]:
    return {a.friendly_name: a.sid for a in workspace.activities.list()}


def test_a_new_workspace_has_its_defaults(client: Any, workspace: Any) -> None:
    plain = client.taskrouter.v1.workspaces.create(friendly_name="Bare")
    assert client.taskrouter.v1.workspaces(plain.sid).task_queues.list() == []
    found = {a.friendly_name: a.available for a in workspace.activities.list()}
    assert found == {"Offline": False, "Available": True, "Unavailable": False}
    (queue,) = workspace.task_queues.list()
    (workflow,) = workspace.workflows.list()
    assert (queue.friendly_name, queue.target_workers) == ("Sample Queue", "1==1")
    assert workflow.friendly_name == "Default Fifo Workflow"
    assert json.loads(workflow.configuration)["task_routing"]["default_filter"] == {"queue": queue.sid}
    worker = workspace.workers.create(friendly_name="ann")
    assert (worker.activity_name, worker.available) == ("Offline", False)


def test_a_task_waits_for_an_available_worker(client: Any, workspace: Any) -> None:
    (workflow,) = workspace.workflows.list()
    worker = workspace.workers.create(friendly_name="ann")
    task = workspace.tasks.create(workflow_sid=workflow.sid, attributes='{"type": "support"}')
    assert (task.assignment_status, task.task_queue_friendly_name) == ("pending", "Sample Queue")
    assert task.workflow_friendly_name == "Default Fifo Workflow" and task.sid.startswith("WT")
    workspace.workers(worker.sid).update(activity_sid=activities(workspace)["Available"])
    assert workspace.tasks(task.sid).fetch().assignment_status == "reserved"
    (reservation,) = workspace.tasks(task.sid).reservations.list()
    assert reservation.sid.startswith("WR")
    assert (reservation.reservation_status, reservation.worker_sid, reservation.worker_name) == (
        "pending",
        worker.sid,
        "ann",
    )
    assert [r.sid for r in workspace.workers(worker.sid).reservations.list()] == [reservation.sid]

    workspace.tasks(task.sid).reservations(reservation.sid).update(reservation_status="accepted")
    assert workspace.tasks(task.sid).fetch().assignment_status == "assigned"
    assert (
        workspace.workers(worker.sid).reservations(reservation.sid).fetch().reservation_status == "accepted"
    )
    second = workspace.tasks.create(workflow_sid=workflow.sid)
    assert second.assignment_status == "pending"  # ann is busy
    workspace.tasks(task.sid).update(assignment_status="completed")
    assert workspace.tasks(second.sid).fetch().assignment_status == "reserved"
    third = workspace.tasks.create(workflow_sid=workflow.sid)
    newcomer = workspace.workers.create(friendly_name="bo", activity_sid=activities(workspace)["Available"])
    assert workspace.tasks(third.sid).reservations.list()[0].worker_sid == newcomer.sid


def test_filters_and_target_workers_choose_the_worker(client: Any, workspace: Any) -> None:
    available = activities(workspace)["Available"]
    spanish = workspace.task_queues.create(friendly_name="Spanish", target_workers='languages HAS "es"')
    (sample,) = [q for q in workspace.task_queues.list() if q.friendly_name == "Sample Queue"]
    routing = {
        "task_routing": {
            "filters": [
                {"expression": 'language == "es" AND priority > 1', "targets": [{"queue": spanish.sid}]}
            ],
            "default_filter": {"queue": sample.sid},
        }
    }
    workflow = workspace.workflows.create(friendly_name="By language", configuration=json.dumps(routing))
    english = workspace.workers.create(
        friendly_name="en", attributes='{"languages": ["en"]}', activity_sid=available
    )
    bilingual = workspace.workers.create(
        friendly_name="es", attributes='{"languages": ["en", "es"]}', activity_sid=available
    )
    task = workspace.tasks.create(workflow_sid=workflow.sid, attributes='{"language": "es", "priority": 2}')
    assert task.task_queue_sid == spanish.sid
    assert workspace.tasks(task.sid).reservations.list()[0].worker_sid == bilingual.sid
    other = workspace.tasks.create(workflow_sid=workflow.sid, attributes='{"language": "es", "priority": 1}')
    assert other.task_queue_sid == sample.sid
    assert workspace.tasks(other.sid).reservations.list()[0].worker_sid == english.sid


def test_a_rejected_reservation_goes_to_the_next_worker(client: Any, workspace: Any) -> None:
    available = activities(workspace)["Available"]
    (workflow,) = workspace.workflows.list()
    first = workspace.workers.create(friendly_name="a", activity_sid=available)
    second = workspace.workers.create(friendly_name="b", activity_sid=available)
    task = workspace.tasks.create(workflow_sid=workflow.sid)
    (reservation,) = workspace.tasks(task.sid).reservations.list()
    assert reservation.worker_sid == first.sid
    workspace.workers(first.sid).reservations(reservation.sid).update(reservation_status="rejected")
    by_worker = {r.worker_sid: r.reservation_status for r in workspace.tasks(task.sid).reservations.list()}
    assert by_worker == {first.sid: "rejected", second.sid: "pending"}
    accept = workspace.tasks(task.sid).reservations(reservation.sid).update
    assert code_of(lambda: accept(reservation_status="accepted"))[:2] == (400, 20001)


def test_the_assignment_callback_is_signed_and_obeyed(
    client: Any, backend: Backend, app: App, workspace: Any
) -> None:
    (queue,) = workspace.task_queues.list()
    routing = {"task_routing": {"filters": [], "default_filter": {"queue": queue.sid}}}
    workflow = workspace.workflows.create(
        friendly_name="Callback", configuration=json.dumps(routing), assignment_callback_url=f"{APP}/assign"
    )
    worker = workspace.workers.create(friendly_name="ann", activity_sid=activities(workspace)["Available"])
    app.answers["/assign"] = '{"instruction": "accept"}'
    task = workspace.tasks.create(workflow_sid=workflow.sid, attributes='{"order": 7}')
    (seen,) = app.at("/assign")
    assert seen.valid and seen.method == "POST"
    (reservation,) = workspace.tasks(task.sid).reservations.list()
    expected = {
        "TaskSid": task.sid,
        "WorkerSid": worker.sid,
        "ReservationSid": reservation.sid,
        "WorkflowSid": workflow.sid,
        "TaskQueueSid": queue.sid,
        "TaskAttributes": '{"order": 7}',
    }
    assert {k: seen.form[k] for k in expected} == expected
    assert reservation.reservation_status == "accepted"
    assert workspace.tasks(task.sid).fetch().assignment_status == "assigned"
    assert [d.event for d in backend.webhooks] == ["taskrouter.assignment"]


@pytest.mark.parametrize("expression", ['skills MATCHES "x"', "languages HAS", '(a == "b"'])
def test_expressions_outside_the_subset_are_refused(client: Any, workspace: Any, expression: str) -> None:
    status, code, message = code_of(
        lambda: workspace.task_queues.create(friendly_name="q", target_workers=expression)
    )
    assert (status, code) == (400, 20001) and "subset" in message
    routing = {"task_routing": {"filters": [{"expression": expression, "targets": []}]}}
    assert code_of(lambda: workspace.workflows.create(friendly_name="w", configuration=json.dumps(routing)))[
        :2
    ] == (
        400,
        20001,
    )
    assert len(workspace.task_queues.list()) == 1


def test_a_workflow_must_route_to_a_queue_of_the_workspace(client: Any, workspace: Any) -> None:
    routing = {"task_routing": {"filters": [], "default_filter": {"queue": "WQ" + "0" * 32}}}
    create = workspace.workflows.create
    assert code_of(lambda: create(friendly_name="w", configuration=json.dumps(routing)))[:2] == (400, 20001)
    assert code_of(lambda: create(friendly_name="w", configuration="not json"))[:2] == (400, 20001)


def test_the_only_workflow_is_used_when_none_is_named(client: Any, workspace: Any) -> None:
    (workflow,) = workspace.workflows.list()
    task = workspace.tasks.create(attributes="{}")
    assert (task.workflow_sid, task.task_queue_friendly_name) == (workflow.sid, "Sample Queue")
    missing = "WQ" + "0" * 32
    assert code_of(lambda: workspace.tasks.create(task_queue_sid=missing))[:2] == (400, 20001)


def test_a_reservation_left_pending_times_out(client: Any, backend: Backend, workspace: Any) -> None:
    available = activities(workspace)["Available"]
    (queue,) = workspace.task_queues.list()
    routing = {"task_routing": {"filters": [], "default_filter": {"queue": queue.sid}}}
    workflow = workspace.workflows.create(
        friendly_name="Quick", configuration=json.dumps(routing), task_reservation_timeout=30
    )
    first = workspace.workers.create(friendly_name="a", activity_sid=available)
    second = workspace.workers.create(friendly_name="b", activity_sid=available)
    task = workspace.tasks.create(workflow_sid=workflow.sid)
    backend.advance(29)
    assert [r.reservation_status for r in workspace.tasks(task.sid).reservations.list()] == ["pending"]
    backend.advance(1)
    by_worker = {r.worker_sid: r.reservation_status for r in workspace.tasks(task.sid).reservations.list()}
    assert by_worker == {first.sid: "timeout", second.sid: "pending"}
    moved = workspace.workers(first.sid).fetch()
    assert (moved.activity_name, moved.available) == ("Offline", False)
    assert workspace.tasks(task.sid).fetch().assignment_status == "reserved"


def test_workspace_events_are_kept_and_posted(
    client: Any, backend: Backend, app: App, workspace: Any
) -> None:
    workspace.update(event_callback_url=f"{APP}/events")
    (workflow,) = workspace.workflows.list()
    worker = workspace.workers.create(friendly_name="ann", activity_sid=activities(workspace)["Available"])
    task = workspace.tasks.create(workflow_sid=workflow.sid, attributes='{"type": "support"}')
    (reservation,) = workspace.tasks(task.sid).reservations.list()
    workspace.tasks(task.sid).reservations(reservation.sid).update(reservation_status="accepted")
    workspace.tasks(task.sid).update(assignment_status="completed")
    seen = app.at("/events")
    assert [s.form["EventType"] for s in seen] == [
        "worker.created",
        "task.created",
        "reservation.created",
        "reservation.accepted",
        "reservation.completed",
        "task.completed",
    ]
    assert all(s.valid for s in seen)
    created = seen[2].form
    assert (created["ReservationSid"], created["TaskSid"], created["WorkerSid"]) == (
        reservation.sid,
        task.sid,
        worker.sid,
    )
    assert (
        created["WorkspaceSid"] == workspace.fetch().sid
        and created["TaskAttributes"] == '{"type": "support"}'
    )
    kept = [e.event_type for e in workspace.events.list()]
    assert sorted(kept) == sorted(s.form["EventType"] for s in seen)

    workspace.update(events_filter="task.created")
    workspace.tasks.create(workflow_sid=workflow.sid)
    assert [s.form["EventType"] for s in app.at("/events")][6:] == ["task.created"]
