"""Keyed requests (a client's idempotency key as the update id) are applied once, within a
run and across continue-as-new."""

from __future__ import annotations

from services.domain.commands import CastVoteInput, ClosePhaseInput, ContributeInput
from services.domain.idempotency import request_id
from services.domain.types import VoteChoice
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.ids import issue_workflow_id as workflow_id
from tests.helpers import eventually, raise_input


async def test_a_keyed_contribution_sent_twice_is_applied_once(cycles: CycleClient, store: Store):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    await cycles.raise_issue(command)
    await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    cio = await store.register.actor("cio-bzk")
    request = request_id(cio.person_id, "bijdrage-1")
    first = await cycles.change(command.issue_id, ContributeInput(cio, "Eén keer"), request)
    again = await cycles.change(command.issue_id, ContributeInput(cio, "Eén keer"), request)
    assert again.seq == first.seq
    issue = await store.issues.get(command.issue_id)
    assert [c.text for c in issue.contributions] == ["Eén keer"]
    assert await store.issues.applied(command.issue_id, request)
    assert not await store.issues.applied(command.issue_id, request_id(cio.person_id, "other"))
    assert not await store.issues.applied("another-issue", request)


async def test_a_keyed_vote_retried_after_continue_as_new_is_answered_not_refused(
    cycles: CycleClient, store: Store
):
    rijk = await store.register.actor("cio-rijk")
    command = raise_input(rijk)
    command.history_limit = 40
    await cycles.raise_issue(command)
    for _ in range(2):
        await cycles.change(command.issue_id, ClosePhaseInput(rijk))
    cio = await store.register.actor("cio-bzk")
    request = request_id(cio.person_id, "stem")
    vote = CastVoteInput(cio, VoteChoice.AGREE)
    first = await cycles.change(command.issue_id, vote, request)
    handle = cycles.temporal.get_workflow_handle(workflow_id(command.issue_id))
    run_before = (await handle.describe()).run_id
    # Other members vote until the history is past its limit and the cycle continues as new.
    for ministry in ("fin", "ocw", "az", "bz", "def", "ezk"):
        other = await store.register.actor(f"cio-{ministry}")
        await cycles.change(command.issue_id, CastVoteInput(other, VoteChoice.AGREE))

    async def current_run() -> str:
        return (await cycles.temporal.get_workflow_handle(
            workflow_id(command.issue_id)).describe()).run_id

    await eventually(current_run, lambda run: run != run_before)
    again = await cycles.change(command.issue_id, vote, request)
    assert again.seq == first.seq
    issue = await store.issues.get(command.issue_id)
    assert [v.ministry for v in issue.votes].count("BZK") == 1
