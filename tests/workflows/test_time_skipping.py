"""Production-length windows on Temporal's time-skipping test server: a 7-day vote really
waits 7 days, of skipped time."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from services.councils.definitions import LEGACY_COUNCIL
from services.domain.appointments import ApplyRegisterChangeInput, ChangeKind
from services.domain.commands import CastVoteInput, ClosePhaseInput
from services.domain.types import Phase, VoteChoice
from services.embedded import tool_path
from services.store.database import Store
from services.workflows.converter import DATA_CONVERTER
from services.workflows.ids import issue_workflow_id as workflow_id
from services.workflows.ids import register_change_workflow_id
from services.workflows.issue_cycle.workflow import IssueWorkflow
from services.workflows.register.workflow import RegisterChangeWorkflow
from services.workflows.worker import build_worker
from tests.helpers import MINISTRIES, eventually, raise_input

DAY = 86_400


@pytest.fixture(scope="module")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=tool_path("temporal-test-server"),
        data_converter=DATA_CONVERTER,
    )
    yield env
    await env.shutdown()


async def test_a_seven_day_vote_waits_seven_days_then_goes_to_mandate(
    skipping_env: WorkflowEnvironment, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=DAY)
    command.search_attributes = False  # the time-skipping server cannot register them
    command.procedure.advice_window_seconds = 10 * DAY
    command.procedure.deliberation_window_seconds = 14 * DAY
    command.procedure.vote_window_seconds = 7 * DAY
    command.procedure.mandate_window_seconds = 5 * DAY
    task_queue = f"skip-{uuid.uuid4().hex[:8]}"
    client = skipping_env.client
    async with build_worker(client, store, task_queue):
        handle = await client.start_workflow(
            IssueWorkflow.run, command, id=workflow_id(command.issue_id), task_queue=task_queue
        )
        # Close advice and deliberation early; the vote then runs its full 7 days.
        for _ in range(2):
            await handle.execute_update(IssueWorkflow.close_phase, ClosePhaseInput(rijk))
        # The time-skipping server may answer an update once it is accepted, before its
        # handler has finished: wait for the handler, then check.
        opened = await eventually(lambda: handle.query(IssueWorkflow.state),
                                  lambda state: state.phase == Phase.VOTING, timeout=10)
        assert opened.phase == Phase.VOTING
        cio = await store.register.actor(f"cio-{MINISTRIES[0].lower()}")
        await handle.execute_update(IssueWorkflow.cast_vote, CastVoteInput(cio, VoteChoice.AGREE))

        await skipping_env.sleep(timedelta(days=7) - timedelta(hours=1))
        assert (await handle.query(IssueWorkflow.state)).phase == Phase.VOTING
        await skipping_env.sleep(timedelta(hours=2))
        closed = await handle.query(IssueWorkflow.state)
        assert closed.phase == Phase.MANDATE
        # The mandate window starts when the vote closed: 7 days after it opened.
        gap = closed.phase_deadline - opened.phase_deadline
        assert timedelta(days=5) <= gap < timedelta(days=5, seconds=5)

        await skipping_env.sleep(timedelta(days=5))
        overdue = await handle.query(IssueWorkflow.state)
        assert overdue.overdue and overdue.phase == Phase.MANDATE
    timeline = (await eventually(lambda: store.issues.timelines([command.issue_id]),
                                 lambda t: len(t[command.issue_id]) >= 7))[command.issue_id]
    at = {e.kind: e.at for e in timeline}
    assert at["NO_CONSENSUS"] - timeline[2].at >= timedelta(days=7)
    assert [e.kind for e in timeline] == ["RAISED", "PHASE_CHANGED", "PHASE_CHANGED", "VOTE_CAST", "NO_CONSENSUS",
                     "MANDATE_OVERDUE", "REMINDER_SENT"]


async def test_an_appointment_dated_a_month_ahead_takes_effect_at_its_date(
    skipping_env: WorkflowEnvironment, store: Store
):
    """Recorded now for 1 month ahead; the workflow's timer waits the month (skipped), then
    the seat changes hands, dated as recorded, with the change's basis."""
    now = await skipping_env.get_current_time()
    at = (now + timedelta(days=30)).replace(microsecond=0)
    change_id = store.scheduled.new_id()
    person = f"cio-vws-{uuid.uuid4().hex[:6]}"
    await store.scheduled.schedule(
        change_id, ChangeKind.APPOINT, at, "secretariaat", "KB 2026/7",
        {"person_id": person, "name": "Vera Later", "role": "CIO", "ministry": "VWS",
         "council": LEGACY_COUNCIL})
    task_queue = f"skip-{uuid.uuid4().hex[:8]}"
    async with build_worker(skipping_env.client, store, task_queue):
        handle = await skipping_env.client.start_workflow(
            RegisterChangeWorkflow.run, ApplyRegisterChangeInput(change_id, at),
            id=register_change_workflow_id(change_id), task_queue=task_queue)
        held = await store.register.officers("CIO", LEGACY_COUNCIL, ministry="VWS")
        assert [o.person_id for o in held] == ["cio-vws"]  # not before its date
        assert await handle.result() is True
    held = await store.register.officers("CIO", LEGACY_COUNCIL, ministry="VWS")
    assert [(o.person_id, o.appointed_at) for o in held] == [(person, at)]
    history = await handle.fetch_history()
    timers = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED]
    assert timers[0].timer_started_event_attributes.start_to_fire_timeout.ToTimedelta() \
        >= timedelta(days=29)
    assert await store.scheduled.apply(change_id) is False  # once
    await store.register.appoint("cio-vws", "Esther van den Berg", "CIO", "VWS",
                                 datetime.now(timezone.utc), council=LEGACY_COUNCIL)
