"""What operators see in the Temporal UI: search attributes, the workflow's summary, its
current details (who still has to act) and a summary on every timer."""

from __future__ import annotations

import json
import re

from temporalio.api.enums.v1 import EventType
from temporalio.api.sdk.v1 import WorkflowMetadata

from services.domain.commands import CastVoteInput, ClosePhaseInput, ContributeInput
from services.domain.types import VoteChoice
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.ids import issue_workflow_id as workflow_id
from tests.helpers import eventually, raise_input


async def test_an_overdue_mandate_is_found_by_its_search_attributes(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=1)
    await cycles.raise_issue(command)
    await eventually(lambda: store.issues.get(command.issue_id), lambda d: d.overdue)
    query = (f'StelselIssueId = "{command.issue_id}" AND StelselPhase = "MANDATE" '
             'AND StelselOverdue = true AND StelselScope = "GOVERNMENT_WIDE"')

    async def listed() -> list[str]:
        return [w.id async for w in cycles.temporal.list_workflows(query)]

    assert await eventually(listed, bool) == [workflow_id(command.issue_id)]


async def test_summary_details_and_timer_summaries_explain_the_issue(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    for _ in range(2):
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    cio = await store.register.actor("cio-bzk")
    await cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.AGREE))
    handle = cycles.temporal.get_workflow_handle(workflow_id(command.issue_id))

    description = await handle.describe()
    assert await description.static_summary() == (
        "Cloudbeleid Rijksoverheid (cio-beraad, rijksbreed)")
    metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
    details = metadata.current_details
    assert "— CIO-beraad Rijksdienst, rijksbreed; fase **stemming**" in details
    assert "Wacht op: CIO AZ, CIO BZ, CIO DEF" in details
    assert re.search(r"Termijn: \d{1,2} [a-z]+ 20\d\d \d\d:\d\d", details), details
    assert "CIO BZK" not in details  # has voted

    history = await handle.fetch_history()
    summaries = [
        json.loads(e.user_metadata.summary.data)
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED and e.user_metadata.summary.data
    ]
    assert summaries[:3] == ["adviestermijn sluit → beraad", "beraad sluit → stemming",
                             "stemming sluit → consensus of mandaat CIO Rijk"]


async def test_a_long_deliberation_continues_as_new_and_loses_nothing(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    command.history_limit = 80
    await cycles.raise_issue(command)
    await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    cios = [await store.register.actor(f"cio-{m}") for m in ("bzk", "fin", "ocw", "az")]
    for i in range(40):
        await cycles.change(command.issue_id, ContributeInput(cios[i % 4], f"Bijdrage {i}"))
    await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    handle = cycles.temporal.get_workflow_handle(workflow_id(command.issue_id))

    async def runs() -> int:
        query = f'WorkflowId = "{workflow_id(command.issue_id)}"'
        return len([w async for w in cycles.temporal.list_workflows(query)])

    assert await eventually(runs, lambda n: n >= 2) >= 2, "it never continued as new"
    current = await handle.fetch_history()
    assert len(current.events) <= 80 + 20
    issue = await store.issues.get(command.issue_id)
    assert issue.phase == "VOTING" and len(issue.contributions) == 40
    timeline = (await store.issues.timelines([command.issue_id]))[command.issue_id]
    assert [e.seq for e in timeline] == list(range(1, 2 + 1 + 40 + 1))
