"""The issue cycle on the real Temporal dev server, with second-long windows and MongoDB."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import ActivityEnvironment

from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    DecideInput,
    RecordEventsInput,
    SubmitAdviceInput,
)
from services.domain.cycle import Cycle
from services.domain.errors import Rejection, RejectionCode
from services.domain.types import (
    AdviceStance,
    DecisionOutcome,
    DecisionRoute,
    Phase,
    Register,
    Scope,
    VoteChoice,
)
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.ids import issue_workflow_id as workflow_id
from services.workflows.issue_cycle.activities import IssueActivities
from services.workflows.issue_cycle.workflow import IssueWorkflow
from tests.helpers import MINISTRIES, eventually, raise_input


async def timeline_kinds(store: Store, issue_id: str) -> list[str]:
    # The projection is written before its events: wait until they have caught up.
    last_seq = (await store.issues.get(issue_id)).last_seq
    events = (await eventually(lambda: store.issues.timelines([issue_id]),
                               lambda t: len(t[issue_id]) >= last_seq))[issue_id]
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "gap in timeline"
    return [e.kind for e in events]


async def phase_of(store: Store, issue_id: str) -> dict:
    return await store.issues.get(issue_id)


async def test_timers_carry_an_issue_from_advice_to_an_overdue_mandate(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=1)
    await cycles.raise_issue(command)
    issue = await eventually(lambda: phase_of(store, command.issue_id),
                             lambda d: d.phase == "MANDATE" and d.overdue)
    assert issue.members == MINISTRIES
    assert await timeline_kinds(store, command.issue_id) == [
        "RAISED", "PHASE_CHANGED", "PHASE_CHANGED", "NO_CONSENSUS",
        "MANDATE_OVERDUE", "REMINDER_SENT",
    ]
    # The overdue timer decides nothing: the CIO Rijk still does.
    await cycles.change(command.issue_id, DecideInput(rijk, DecisionOutcome.REJECTED, "Geen draagvlak"))
    handle = cycles.temporal.get_workflow_handle_for(
        IssueWorkflow.run, workflow_id(command.issue_id)
    )
    decision = await handle.result()
    assert decision.route == DecisionRoute.MANDATE
    assert decision.outcome == DecisionOutcome.REJECTED
    assert (await store.issues.get(command.issue_id)).phase == "DECIDED"


async def test_missing_privacy_advice_extends_once_then_escalates(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=1, touches_personal_data=True)
    await cycles.raise_issue(command)
    with pytest.raises(Rejection) as refused:
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    assert refused.value.code == RejectionCode.PRECONDITION_FAILED
    await eventually(lambda: phase_of(store, command.issue_id),
                     lambda d: d.phase == "MANDATE")
    assert await timeline_kinds(store, command.issue_id) == [
        "RAISED", "ADVICE_WINDOW_EXTENDED", "REMINDER_SENT", "PHASE_CHANGED",
    ]


async def test_privacy_advice_arriving_in_the_extension_lets_the_issue_go_on(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk, windows=3600, touches_personal_data=True,
                          advice_window_seconds=2)
    await cycles.raise_issue(command)
    await eventually(lambda: phase_of(store, command.issue_id),
                     lambda d: d.advice_extended)
    cpo = await store.register.actor("cpo-szw")
    await cycles.change(command.issue_id, SubmitAdviceInput(cpo, AdviceStance.CONDITIONAL, "Pseudonimiseer"))
    issue = await eventually(lambda: phase_of(store, command.issue_id),
                             lambda d: d.phase == "DELIBERATION", timeout=10)
    assert issue.advice[0].role == "CPO"


async def test_concurrent_votes_reach_consensus_with_a_gapless_timeline(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    for _ in range(2):  # advice, then deliberation
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    cios = [await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES]
    results = await asyncio.gather(*(
        cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.AGREE))
        for cio in cios
    ))
    assert sorted(r.seq for r in results)[-1] == 3 + 12 + 2
    issue = await store.issues.get(command.issue_id)
    assert issue.phase == "DECIDED"
    assert issue.decision.route == "CONSENSUS"
    kinds = await timeline_kinds(store, command.issue_id)
    assert kinds.count("VOTE_CAST") == 12
    assert kinds[-2:] == ["CONSENSUS_REACHED", "DECIDED"]


async def test_a_refused_update_never_reaches_history(cycles: CycleClient, store: Store):
    rijk = await store.register.actor("cio-rijk")
    cio = await store.register.actor("cio-fin")
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    with pytest.raises(Rejection) as refused:
        await cycles.change(command.issue_id, CastVoteInput(cio, VoteChoice.AGREE))
    assert refused.value.code == RejectionCode.WRONG_PHASE
    with pytest.raises(Rejection) as refused:
        await cycles.change(command.issue_id, ClosePhaseInput(cio))
    assert refused.value.code == RejectionCode.FORBIDDEN
    await cycles.change(command.issue_id, ClosePhaseInput(rijk))

    handle = cycles.temporal.get_workflow_handle(workflow_id(command.issue_id))
    history = await handle.fetch_history()
    accepted = [e for e in history.events
                if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]
    # update-with-start's `opened` and the one close_phase the CIO Rijk made.
    assert [e.workflow_execution_update_accepted_event_attributes.accepted_request.input.name
            for e in accepted] == ["opened", "close_phase"]
    assert await timeline_kinds(store, command.issue_id) == ["RAISED", "PHASE_CHANGED"]


async def test_departmental_issue_goes_to_its_own_cio(cycles: CycleClient, store: Store):
    cio = await store.register.actor("cio-ocw")
    command = raise_input(cio, Scope.DEPARTMENTAL, "OCW", windows=1)
    await cycles.raise_issue(command)
    issue = await eventually(lambda: phase_of(store, command.issue_id),
                             lambda d: d.phase == "DEPARTMENTAL_DECISION" and d.overdue)
    assert {s.ministry for s in issue.advisory_seats} == {"OCW"}
    rijk = await store.register.actor("cio-rijk")
    with pytest.raises(Rejection) as refused:
        await cycles.change(command.issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Ik beslis"))
    assert refused.value.code == RejectionCode.FORBIDDEN
    await cycles.change(command.issue_id, DecideInput(cio, DecisionOutcome.ADOPTED, "Akkoord"))
    assert await timeline_kinds(store, command.issue_id) == [
        "RAISED", "PHASE_CHANGED", "DECISION_OVERDUE", "REMINDER_SENT", "DECIDED",
    ]


async def test_a_retried_record_activity_writes_each_event_once(store: Store):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    now = datetime.now(timezone.utc)
    cycle = Cycle.raised(command, now)
    events = cycle.start(rijk, now, Register(MINISTRIES, []))
    activities = IssueActivities(store)
    env = ActivityEnvironment()
    for _ in range(3):
        await env.run(activities.record_events, RecordEventsInput(events, cycle.state))
    assert await timeline_kinds(store, command.issue_id) == ["RAISED"]
    # An older projection arriving late never overwrites a newer one.
    newer = cycle.close_phase(ClosePhaseInput(rijk), now, Register(MINISTRIES, []))
    await env.run(activities.record_events, RecordEventsInput(newer, cycle.state))
    stale = RecordEventsInput([], Cycle.raised(command, now).state)
    await env.run(activities.record_events, stale)
    assert (await store.issues.get(command.issue_id)).phase == Phase.DELIBERATION.value
