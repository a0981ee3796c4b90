"""One workflow per issue (id `issue-<id>`): advice, deliberation, vote and the mandate,
each phase ended by its durable timer or an early close.

Deterministic by construction: the rules are the pure `Cycle` of services.domain, time is
workflow.now(), and all I/O goes through two local activities (read the register, record
events with the change they made). A lock serialises every change, so events reach
MongoDB in seq order.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from services.domain.commands import (
        AmendProposalInput,
        CastVoteInput,
        ClosePhaseInput,
        ContributeInput,
        DecideInput,
        PublishProcedureInput,
        RaiseIssueInput,
        ReclassifyInput,
        RecordEventsInput,
        RecordOutcome,
        RecuseInput,
        SubmitAdviceInput,
        UpdateResult,
        WithdrawInput,
    )
    from services.domain.cycle import Cycle, undo_point
    from services.domain.frameworks import CreateFrameworkInput
    from services.domain.idempotency import is_keyed, remember
    from services.domain.notifications import issue_notifications
    from services.domain.record import change_between
    from services.domain.seats import raiser_seat
    from services.domain.types import (
        CycleState,
        Decision,
        DecisionOutcome,
        IssueEvent,
        IssueKind,
        Register,
    )
    from services.domain.waiting import details, timer_summary
    from services.workflows.changes import (
        SerializedChanges,
        load_register,
        pin_legacy_council,
        rejections_as_failures,
    )
    from services.workflows.framework.workflow import FrameworkWorkflow
    from services.workflows.ids import framework_workflow_id
    from services.workflows.issue_cycle.activities import IssueActivities
    from services.workflows.notification.workflow import send_notifications
    from services.workflows.options import LOCAL_ACTIVITY
    from services.workflows.search_attributes import ISSUE_ID, MINISTRY, OVERDUE, PHASE, SCOPE

UNSTORABLE_PAUSE = 60  # seconds before a deadline whose change could not be stored is retried


@workflow.defn(name="IssueCycle")
class IssueWorkflow(SerializedChanges):
    @workflow.init
    def __init__(self, input: RaiseIssueInput) -> None:
        pin_legacy_council(input)
        resumed = input.resumed
        self._cycle = Cycle(resumed) if resumed else Cycle.raised(input, workflow.now())
        self._lock = asyncio.Lock()
        self._recorded_seq = resumed.seq if resumed else 0
        self._history_limit = input.history_limit
        self._published: tuple | None = None
        self._search_attributes = input.search_attributes

    @property
    def _state(self) -> CycleState:
        return self._cycle.state

    def _undo_point(self) -> CycleState:
        return undo_point(self._state)

    @workflow.run
    async def run(self, input: RaiseIssueInput) -> Decision | None:
        if input.resumed is None:
            async with self._lock:
                register = await self._register()
                await self._record(self._cycle.start(input.actor, workflow.now(), register))
        else:
            self._publish()
        while not self._cycle.closed:
            if self._history_full():
                await self._continue_as_new(input)
            await self._until_timer_or_change()
        await workflow.wait_condition(workflow.all_handlers_finished)
        decision = self._state.decision
        if decision and decision.binding and workflow.patched("binding-framework"):
            await self._start_framework(decision)
        if (decision and decision.outcome == DecisionOutcome.ADOPTED
                and self._state.kind == IssueKind.PROCEDURE_CHANGE
                and workflow.patched("procedure-change")):
            await self._publish_procedure(decision)
        return decision

    async def _publish_procedure(self, decision: Decision) -> None:
        """The council adopted its own new procedure: in force from the decision, for issues
        raised after it."""
        state = self._state
        assert state.definition is not None and state.council is not None
        role, _ = raiser_seat(state.council, state.ministry)
        await workflow.execute_local_activity_method(
            IssueActivities.publish_procedure,
            PublishProcedureInput(state.definition, decision.decided_at,
                                  f"decision {state.issue_id}", state.raised_by, role),
            **LOCAL_ACTIVITY)

    async def _start_framework(self, decision: Decision) -> None:
        """A binding decision becomes a framework every ministry adopts; its workflow
        outlives this one."""
        state = self._state
        procedure = state.procedure
        await workflow.start_child_workflow(
            FrameworkWorkflow.run,
            CreateFrameworkInput(
                framework_id=state.issue_id,
                issue_id=state.issue_id,
                title=state.title,
                text=state.proposal,
                decided_at=decision.decided_at,
                adoption_window_seconds=procedure.adoption_window_seconds,
                reminder_interval_seconds=procedure.adoption_reminder_seconds,
                council=state.council,
            ),
            id=framework_workflow_id(state.issue_id),
            parent_close_policy=ParentClosePolicy.ABANDON,
            static_summary=f"Bindend kader: {state.title}",
        )

    def _history_full(self) -> bool:
        return (workflow.info().get_current_history_length() > self._history_limit
                or workflow.info().is_continue_as_new_suggested())

    async def _continue_as_new(self, input: RaiseIssueInput) -> None:
        """Keeps the history bounded (an issue with very many contributions, say): the same
        cycle goes on in a new run of the same workflow id."""
        await workflow.wait_condition(
            lambda: workflow.all_handlers_finished() and not self._lock.locked())
        workflow.continue_as_new(dataclasses.replace(input, resumed=self._state))

    async def _until_timer_or_change(self) -> None:
        state = self._state
        epoch = state.epoch
        changed = lambda: state.epoch != epoch or self._history_full()  # noqa: E731
        wake_at = self._cycle.next_wake()
        if wake_at is None:
            await workflow.wait_condition(changed)
            return
        delay = (wake_at - workflow.now()).total_seconds()
        if delay > 0:
            try:
                await workflow.wait_condition(changed, timeout=delay,
                                              timeout_summary=timer_summary(state))
                return
            except TimeoutError:
                pass
        async with self._lock:
            if state.epoch != epoch or self._cycle.closed:
                return
            register = await self._register() if self._cycle.needs_register() else None
            if await self._record_or_undo(lambda: self._cycle.on_wake(workflow.now(), register)):
                return
        await workflow.sleep(UNSTORABLE_PAUSE)  # then the deadline is tried again

    # -- updates: validator (read-only, refuses before history) + handler ------------------

    def _request(self) -> str | None:
        """The keyed request this update carries (the API makes its id from the caller's
        idempotency key), if any."""
        info = workflow.current_update_info()
        return info.id if info and is_keyed(info.id) else None

    def _check(self, check: Callable[[], None]) -> None:
        # A retry of a request already applied passes, to be answered as the first try.
        if self._request() in self._state.requests:
            return
        with rejections_as_failures():
            check()

    async def _apply(self, action: Callable[[datetime, Register | None], list[IssueEvent]],
                     needs_register: bool = False) -> UpdateResult:
        request = self._request()
        if request is not None and request in self._state.requests:
            return UpdateResult(self._state.requests[request])
        result = await super()._apply(
            action if request is None else self._tagged(action, request), needs_register)
        return UpdateResult(result.seq, self._state.phase)

    def _tagged(self, action: Callable[[datetime, Register | None], list[IssueEvent]],
                request: str) -> Callable[[datetime, Register | None], list[IssueEvent]]:
        """The action, its events marked with the request and the request remembered."""
        def tagged(now: datetime, register: Register | None) -> list[IssueEvent]:
            events = [dataclasses.replace(e, request=request) for e in action(now, register)]
            remember(self._state.requests, request, self._state.seq)
            return events
        return tagged

    @workflow.update
    async def opened(self) -> UpdateResult:
        """Answers once the RAISED event is stored: used with update-with-start."""
        await workflow.wait_condition(lambda: self._recorded_seq >= 1)
        return UpdateResult(self._recorded_seq)

    @workflow.update
    async def submit_advice(self, input: SubmitAdviceInput) -> UpdateResult:
        return await self._apply(
            lambda now, register: self._cycle.submit_advice(input, now, register),
            needs_register=self._cycle.needs_register())

    @submit_advice.validator
    def _validate_submit_advice(self, input: SubmitAdviceInput) -> None:
        self._check(lambda: self._cycle.check_submit_advice(input))

    @workflow.update
    async def contribute(self, input: ContributeInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.contribute(input, now))

    @contribute.validator
    def _validate_contribute(self, input: ContributeInput) -> None:
        self._check(lambda: self._cycle.check_contribute(input))

    @workflow.update
    async def amend_proposal(self, input: AmendProposalInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.amend_proposal(input, now))

    @amend_proposal.validator
    def _validate_amend_proposal(self, input: AmendProposalInput) -> None:
        self._check(lambda: self._cycle.check_amend_proposal(input))

    @workflow.update
    async def cast_vote(self, input: CastVoteInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.cast_vote(input, now))

    @cast_vote.validator
    def _validate_cast_vote(self, input: CastVoteInput) -> None:
        self._check(lambda: self._cycle.check_cast_vote(input))

    @workflow.update
    async def close_phase(self, input: ClosePhaseInput) -> UpdateResult:
        return await self._apply(
            lambda now, register: self._cycle.close_phase(input, now, register),
            needs_register=True,
        )

    @close_phase.validator
    def _validate_close_phase(self, input: ClosePhaseInput) -> None:
        self._check(lambda: self._cycle.check_close_phase(input))

    @workflow.update
    async def decide(self, input: DecideInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.decide(input, now))

    @decide.validator
    def _validate_decide(self, input: DecideInput) -> None:
        self._check(lambda: self._cycle.check_decide(input))

    @workflow.update
    async def reclassify(self, input: ReclassifyInput) -> UpdateResult:
        return await self._apply(
            lambda now, register: self._cycle.reclassify(input, now, register),
            needs_register=True,
        )

    @reclassify.validator
    def _validate_reclassify(self, input: ReclassifyInput) -> None:
        seen = Register(input.in_force, []) if input.in_force is not None else None
        self._check(lambda: self._cycle.check_reclassify(input, seen))

    @workflow.update
    async def withdraw(self, input: WithdrawInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.withdraw(input, now))

    @withdraw.validator
    def _validate_withdraw(self, input: WithdrawInput) -> None:
        self._check(lambda: self._cycle.check_withdraw(input))

    @workflow.update
    async def recuse(self, input: RecuseInput) -> UpdateResult:
        return await self._apply(
            lambda now, register: self._cycle.recuse(input, now, register),
            needs_register=self._cycle.needs_register())

    @recuse.validator
    def _validate_recuse(self, input: RecuseInput) -> None:
        self._check(lambda: self._cycle.check_recuse(input))

    @workflow.query
    def state(self) -> CycleState:
        return self._state

    # -- the two ways out: read the register, record events --------------------------------

    async def _register(self) -> Register:
        assert self._state.council is not None
        return await load_register(self._state.council)

    async def _record(self, events: list[IssueEvent], before: CycleState | None = None
                      ) -> None:
        """Records the events with what they changed since `before` (the whole record when
        there is no `before`, or when the stored one turns out not to be `before`)."""
        change = change_between(before, self._state) if before is not None else None
        outcome = await self._record_activity(RecordEventsInput(events, change=change)
                                              if change else
                                              RecordEventsInput(events, state=self._state))
        if outcome is not None and outcome.stale:
            await self._record_activity(RecordEventsInput(events, state=self._state))
        self._recorded_seq = self._state.seq
        self._publish()
        await send_notifications(issue_notifications(events))

    @staticmethod
    async def _record_activity(input: RecordEventsInput) -> RecordOutcome | None:
        return await workflow.execute_local_activity_method(
            IssueActivities.record_events, input, **LOCAL_ACTIVITY)

    def _publish(self) -> None:
        """Current details and (when they changed) search attributes, for operators."""
        s = self._state
        workflow.set_current_details(details(s))
        now = (s.phase, s.scope, s.ministry, s.overdue)
        # Histories from before search attributes replay without them.
        if now == self._published or not self._search_attributes or not workflow.patched(
            "operator-attributes"
        ):
            return
        self._published = now
        workflow.upsert_search_attributes([
            ISSUE_ID.value_set(s.issue_id),
            PHASE.value_set(s.phase.value),
            SCOPE.value_set(s.scope.value),
            MINISTRY.value_set(s.ministry) if s.ministry else MINISTRY.value_unset(),
            OVERDUE.value_set(s.overdue),
        ])
