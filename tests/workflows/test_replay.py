"""Determinism guard: recorded histories of every workflow type must replay on today's code.

`tests/workflows/histories/` keeps histories of the issue cycle, the binding framework and
the notification workflow, each named after the release it was recorded with. Before a
release (or after an intentional change to a workflow) record new ones with `make
histories`, and keep the old ones while workflows started under them may still run; the
patch lifecycle is in docs/OPERATIONS.md.
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
from services.domain.frameworks import AdoptionStatus, ReportAdoptionInput
from services.domain.types import AdviceStance, DecisionOutcome, VoteChoice
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.converter import DATA_CONVERTER
from services.workflows.ids import (
    framework_workflow_id,
    issue_workflow_id,
    notification_workflow_id,
)
from services.workflows.worker import WORKFLOWS
from tests.helpers import MINISTRIES, eventually, raise_input

HISTORIES = Path(__file__).parent / "histories"
# Set to a release name (say 2026-11-29) to write the fresh histories into HISTORIES.
RECORD_AS = os.environ.get("STELSEL_RECORD_HISTORIES")
TYPES = ("IssueCycle", "BindingFramework", "Notification")


def replayer() -> Replayer:
    return Replayer(workflows=WORKFLOWS, data_converter=DATA_CONVERTER)


def workflow_type(history: WorkflowHistory) -> str:
    started = history.events[0].workflow_execution_started_event_attributes
    return started.workflow_type.name


async def test_recorded_histories_of_every_workflow_type_replay():
    histories = [WorkflowHistory.from_json(f.stem, f.read_text())
                 for f in sorted(HISTORIES.glob("*.json"))]
    assert {workflow_type(h) for h in histories} == set(TYPES), "a workflow type has none"
    for history in histories:
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{history.workflow_id}: {result.replay_failure}"


async def test_a_fresh_cycle_framework_and_notification_replay(cycles: CycleClient,
                                                               store: Store):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=3600, touches_personal_data=True,
                          binding_framework=True, advice_window_seconds=1,
                          vote_window_seconds=2)
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
    issue = cycles.temporal.get_workflow_handle(issue_workflow_id(issue_id))
    await issue.result()

    # The binding decision's framework, adopted by every ministry: it ends.
    await eventually(lambda: store.frameworks.get(issue_id), lambda f: f is not None)
    for ministry in MINISTRIES:
        reporter = await store.register.actor(f"cio-{ministry.lower()}")
        await cycles.change_framework(
            issue_id, ReportAdoptionInput(reporter, AdoptionStatus.IMPLEMENTED))
    framework = cycles.temporal.get_workflow_handle(framework_workflow_id(issue_id))
    await framework.result()
    decided = (await store.issues.get(issue_id)).last_seq
    notification = cycles.temporal.get_workflow_handle(
        notification_workflow_id(f"issue:{issue_id}:{decided}"))
    await notification.result()

    for name, handle in zip(TYPES, (issue, framework, notification), strict=True):
        history = await handle.fetch_history()
        assert workflow_type(history) == name
        result = await replayer().replay_workflow(history, raise_on_replay_failure=False)
        assert result.replay_failure is None, f"{name}: {result.replay_failure}"
        if RECORD_AS:
            (HISTORIES / f"{name}-{RECORD_AS}.json").write_text(history.to_json())
