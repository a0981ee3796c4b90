"""Determinism guard: recorded histories of the issue cycle must replay on today's code.

The committed history was recorded from a full cycle on the dev server. After an
intentional change to the workflow, record a new one with
`STELSEL_RECORD_HISTORY=tests/workflows/histories/issue_cycle.json pytest -k fresh`
(and keep old histories whose workflows may still be running, behind workflow.patched).
"""

from __future__ import annotations

import os
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    ContributeInput,
    DecideInput,
    SubmitAdviceInput,
)
from services.domain.types import AdviceStance, DecisionOutcome, VoteChoice
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.converter import DATA_CONVERTER
from services.workflows.ids import issue_workflow_id as workflow_id
from services.workflows.issue_cycle.workflow import IssueWorkflow
from tests.helpers import eventually, raise_input

HISTORIES = Path(__file__).parent / "histories"


async def test_recorded_histories_replay():
    files = sorted(HISTORIES.glob("*.json"))
    assert files, "no recorded history to replay"
    replayer = Replayer(workflows=[IssueWorkflow], data_converter=DATA_CONVERTER)
    for file in files:
        history = WorkflowHistory.from_json(file.stem, file.read_text())
        result = await replayer.replay_workflow(history, raise_on_replay_failure=True)
        assert result.replay_failure is None, file.name


async def test_a_fresh_full_cycle_replays(cycles: CycleClient, store: Store):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=3600, touches_personal_data=True,
                          advice_window_seconds=1, vote_window_seconds=2)
    await cycles.raise_issue(command)
    issue_id = command.issue_id
    # The advice timer extends the window (no privacy advice yet), then a CPO advises.
    await eventually(lambda: store.issues.get(issue_id), lambda d: d.advice_extended)
    cpo = await store.register.actor("cpo-bzk")
    await cycles.change(issue_id, SubmitAdviceInput(cpo, AdviceStance.SUPPORT, "DPIA gedaan"))
    await eventually(lambda: store.issues.get(issue_id), lambda d: d.phase == "DELIBERATION")
    cio = await store.register.actor("cio-fin")
    await cycles.change(issue_id, ContributeInput(cio, "Kosten?"))
    await cycles.change(issue_id, ClosePhaseInput(rijk))
    await cycles.change(issue_id, CastVoteInput(cio, VoteChoice.OBJECT, "Te duur"))
    await eventually(lambda: store.issues.get(issue_id), lambda d: d.phase == "MANDATE")
    await cycles.change(issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Noodzakelijk"))

    handle = cycles.temporal.get_workflow_handle(workflow_id(issue_id))
    await handle.result()
    history = await handle.fetch_history()
    if os.environ.get("STELSEL_RECORD_HISTORY"):
        Path(os.environ["STELSEL_RECORD_HISTORY"]).write_text(history.to_json())
    result = await Replayer(workflows=[IssueWorkflow], data_converter=DATA_CONVERTER).replay_workflow(history)
    assert result.replay_failure is None
