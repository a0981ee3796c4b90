"""Binding frameworks on the real servers: created by a binding decision, adopted by every
ministry, overdue at the deadline, inherited by a successor; and production windows with
time skipping."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from services.domain.commands import CastVoteInput, ClosePhaseInput, DecideInput
from services.domain.errors import Rejection, RejectionCode
from services.domain.frameworks import (
    AdoptionStatus,
    CreateFrameworkInput,
    ReportAdoptionInput,
    ReviseFrameworkInput,
)
from services.domain.types import DecisionOutcome, VoteChoice
from services.embedded import tool_path
from services.store.database import Store
from services.workflows.client import CycleClient, CycleGone
from services.workflows.converter import DATA_CONVERTER
from services.workflows.framework.workflow import FrameworkWorkflow
from services.workflows.ids import framework_workflow_id
from services.workflows.worker import build_worker
from tests.helpers import MINISTRIES, eventually, raise_input

DAY = 86_400


async def decide_binding(cycles: CycleClient, store: Store, **windows: int) -> str:
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, binding_framework=True, **windows)
    await cycles.raise_issue(command)
    for _ in range(2):
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    objecting = await store.register.actor("cio-fin")
    await cycles.change(command.issue_id, CastVoteInput(objecting, VoteChoice.OBJECT, "Nee"))
    await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    await cycles.change(command.issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Bindend kader"))
    return command.issue_id


async def test_a_binding_mandate_decision_creates_a_framework_for_every_ministry(
    cycles: CycleClient, store: Store
):
    issue_id = await decide_binding(cycles, store)
    framework = await eventually(lambda: store.frameworks.get(issue_id), lambda f: f)
    assert framework.issue_id == issue_id and framework.version == 1
    assert [a.ministry for a in framework.adoptions] == MINISTRIES
    assert {a.status for a in framework.adoptions} == {"PENDING"}
    decided_at = (await store.issues.get(issue_id)).decision.decided_at
    assert framework.adopt_by - decided_at == timedelta(days=180)

    cio = await store.register.actor("cio-ocw")
    await cycles.change_framework(issue_id, ReportAdoptionInput(cio, AdoptionStatus.PLANNED))
    other = await store.register.actor("cio-bzk")
    with pytest.raises(Rejection) as refused:
        await cycles.change_framework(issue_id, ReportAdoptionInput(other, AdoptionStatus.EXCEPTION))
    assert refused.value.code == RejectionCode.INVALID_INPUT
    advisor = await store.register.actor("cpo-ocw")
    with pytest.raises(Rejection) as refused:
        await cycles.change_framework(issue_id, ReportAdoptionInput(advisor, AdoptionStatus.IMPLEMENTED))
    assert refused.value.code == RejectionCode.FORBIDDEN
    stored = await store.frameworks.get(issue_id)
    assert {a.ministry: a.status for a in stored.adoptions}["OCW"] == "PLANNED"


async def test_the_deadline_marks_unresolved_adoptions_overdue_and_reminds(
    cycles: CycleClient, store: Store
):
    issue_id = await decide_binding(cycles, store, adoption_window_seconds=2)
    await eventually(lambda: store.frameworks.get(issue_id), lambda f: f)
    for ministry, status, explanation in (("AZ", AdoptionStatus.IMPLEMENTED, None),
                                          ("BZ", AdoptionStatus.EXCEPTION, "Geen cloud")):
        cio = await store.register.actor(f"cio-{ministry.lower()}")
        await cycles.change_framework(issue_id, ReportAdoptionInput(cio, status, explanation))
    framework = await eventually(lambda: store.frameworks.get(issue_id),
                                 lambda f: f.deadline_passed, timeout=15)
    overdue = {a.ministry for a in framework.adoptions if a.overdue}
    assert overdue == set(MINISTRIES) - {"AZ", "BZ"}
    # The projection is written before its events: wait for the events too.
    events = await eventually(
        lambda: store.frameworks.timelines([issue_id]),
        lambda t: [e.kind for e in t[issue_id]].count("ADOPTION_OVERDUE") == 10)
    events = events[issue_id]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.kind for e in events].count("REMINDER_SENT") >= 10

    # A revision resets every adoption to PENDING with a new deadline.
    rijk = await store.register.actor("cio-rijk")
    await cycles.change_framework(issue_id, ReviseFrameworkInput(rijk, "Versie twee van het kader"))
    revised = await store.frameworks.get(issue_id)
    assert revised.version == 2 and not revised.deadline_passed
    assert {(a.status, a.overdue) for a in revised.adoptions} == {("PENDING", False)}


@pytest.fixture(scope="module")
async def skipping_env():
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=tool_path("temporal-test-server"),
        data_converter=DATA_CONVERTER)
    yield env
    await env.shutdown()


async def start_framework(env: WorkflowEnvironment, task_queue: str, window_days: int,
                          reminder_days: int, **more: int):
    """A framework started on its own (no issue), deciding now in `env`'s time."""
    framework_id = f"{task_queue}-f"
    return framework_id, await env.client.start_workflow(
        FrameworkWorkflow.run,
        CreateFrameworkInput(framework_id, framework_id, "Kader", "Tekst",
                             await env.get_current_time(),
                             adoption_window_seconds=window_days * DAY,
                             reminder_interval_seconds=reminder_days * DAY, **more),
        id=framework_workflow_id(framework_id), task_queue=task_queue)


async def test_a_180_day_adoption_window_with_weekly_reminders(skipping_env, store: Store):
    task_queue = f"skip-{uuid.uuid4().hex[:8]}"
    client = skipping_env.client
    async with build_worker(client, store, task_queue):
        framework_id, handle = await start_framework(skipping_env, task_queue, 180, 7)
        await skipping_env.sleep(timedelta(days=179))
        assert not (await handle.query(FrameworkWorkflow.state)).deadline_passed
        await skipping_env.sleep(timedelta(days=2))
        state = await handle.query(FrameworkWorkflow.state)
        assert state.deadline_passed and all(a.overdue for a in state.adoptions)
        await skipping_env.sleep(timedelta(days=14))
        await handle.terminate("test done")
    def reminders(timelines: dict) -> list:
        return [e for e in timelines[framework_id]
                if e.kind == "REMINDER_SENT" and e.ministry == "AZ"]

    # At the deadline, then every 7 days: 180, 187, 194.
    timelines = await eventually(lambda: store.frameworks.timelines([framework_id]),
                                 lambda t: len(reminders(t)) >= 3)
    assert len(reminders(timelines)) == 3


async def test_a_framework_ends_when_every_ministry_has_complied_or_explained(
        skipping_env, store: Store):
    task_queue = f"ends-{uuid.uuid4().hex[:8]}"
    client = skipping_env.client
    async with build_worker(client, store, task_queue):
        framework_id, handle = await start_framework(skipping_env, task_queue, 30, 7)
        cycles = CycleClient(client, task_queue)
        last = MINISTRIES[-1]
        for ministry in MINISTRIES:
            cio = await store.register.actor(f"cio-{ministry.lower()}")
            report = (ReportAdoptionInput(cio, AdoptionStatus.EXCEPTION, "Eigen systeem")
                      if ministry == last else
                      ReportAdoptionInput(cio, AdoptionStatus.IMPLEMENTED))
            await cycles.change_framework(framework_id, report)
        await handle.result()  # the workflow ends: nothing is left to remind anyone of
        assert (await handle.describe()).status == WorkflowExecutionStatus.COMPLETED
        cio = await store.register.actor(f"cio-{last.lower()}")
        with pytest.raises(CycleGone):
            await cycles.change_framework(
                framework_id, ReportAdoptionInput(cio, AdoptionStatus.IMPLEMENTED))


async def test_a_framework_waiting_long_continues_as_new_and_keeps_its_state(
        cycles: CycleClient, store: Store):
    """A reminder every second to every ministry (a dozen notifications each): the history
    passes its limit within seconds, and the framework goes on in a new run."""
    framework_id = f"long-{uuid.uuid4().hex[:8]}"
    client = cycles.temporal
    handle = await client.start_workflow(
        FrameworkWorkflow.run,
        CreateFrameworkInput(framework_id, framework_id, "Kader", "Tekst",
                             datetime.now(timezone.utc), adoption_window_seconds=1,
                             reminder_interval_seconds=1, history_limit=150),
        id=framework_workflow_id(framework_id), task_queue=cycles.task_queue)
    first_run = (await handle.describe()).run_id
    latest = client.get_workflow_handle(framework_workflow_id(framework_id))
    described = await eventually(latest.describe, lambda d: d.run_id != first_run,
                                 timeout=60)
    assert described.status == WorkflowExecutionStatus.RUNNING
    state = await latest.query(FrameworkWorkflow.state)
    assert state.deadline_passed and all(a.overdue for a in state.adoptions)
    history = await latest.fetch_history()
    # One second's wake-up (a reminder and its notification per ministry) past the limit.
    assert len(history.events) <= 150 + 100
    await latest.terminate("test done")
    timeline = (await store.frameworks.timelines([framework_id]))[framework_id]
    assert [e.seq for e in timeline] == list(range(1, len(timeline) + 1))


async def test_adoptions_move_on_an_absorption_never_on_a_rename(
    temporal_client, store: Store, settings
):
    """A renamed unit keeps its adoption (same unit); an absorbed one hands it on to its
    successor, with an ADOPTION_TRANSFERRED event. Both changes are in the register when
    the framework next reads it."""
    units, now = store.units, datetime.now(timezone.utc)
    renamed, absorbed, successor = (f"{p}{uuid.uuid4().hex[:5]}" for p in "RAS")
    for code in (renamed, absorbed):
        await units.create(code, f"Eenheid {code}", code, None, False, now, "secretariaat",
                           "test")
    framework_id = f"rename-{uuid.uuid4().hex[:8]}"
    task_queue = f"rename-{uuid.uuid4().hex[:8]}"
    async with build_worker(temporal_client, store, task_queue):
        handle = await temporal_client.start_workflow(
            FrameworkWorkflow.run,
            CreateFrameworkInput(framework_id, framework_id, "Kader", "Tekst", now,
                                 adoption_window_seconds=3600, reminder_interval_seconds=1),
            id=framework_workflow_id(framework_id), task_queue=task_queue)
        await eventually(lambda: store.frameworks.get(framework_id),
                         lambda f: f and {renamed, absorbed} <= {a.ministry for a in f.adoptions})
        later = datetime.now(timezone.utc)
        await units.create(successor, "Opvolger", successor, None, False, later,
                           "secretariaat", "test")
        await units.rename(renamed, "Nieuwe naam", "NN", later, "secretariaat", "KB",
                           lambda unit: None)
        await units.end(absorbed, successor, later, "secretariaat", "KB", lambda u, s: None)
        framework = await eventually(
            lambda: store.frameworks.get(framework_id),
            lambda f: successor in [a.ministry for a in f.adoptions], timeout=15)
        held = [a.ministry for a in framework.adoptions]
        assert renamed in held and absorbed not in held
        # The record is written before its events (store.timeline.record): wait for them.
        timeline = (await eventually(
            lambda: store.frameworks.timelines([framework_id]),
            lambda t: any(e.kind == "ADOPTION_TRANSFERRED" for e in t[framework_id]),
            timeout=15))[framework_id]
        moved = [e.summary for e in timeline if e.kind == "ADOPTION_TRANSFERRED"]
        assert len(moved) == 1 and absorbed in moved[0]
        await handle.terminate("test done")
    await store.register.ministries.delete_many(
        {"_id": {"$in": [renamed, absorbed, successor]}})
