"""Production-length windows on Temporal's time-skipping test server: a 7-day vote really
waits 7 days, of skipped time."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from services.domain.commands import CastVoteInput, ClosePhaseInput
from services.domain.types import Phase, VoteChoice
from services.embedded import tool_path
from services.store.database import Store
from services.workflows.converter import DATA_CONVERTER
from services.workflows.ids import issue_workflow_id as workflow_id
from services.workflows.issue_cycle.workflow import IssueWorkflow
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
