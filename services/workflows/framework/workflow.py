"""One workflow per binding framework (id `framework-<issue id>`): holds the adoption
deadline as a durable timer, marks overdue adoptions, repeats reminders, passes the open
adoptions of a succeeded ministry to its successor, and takes the CIOs' reports. It ends
when every adoption is resolved (comply or explain) or the framework is withdrawn, and
continues as new before its history grows long."""

from __future__ import annotations

import asyncio
import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.domain.commands import UpdateResult
    from services.domain.frameworks import (
        CreateFrameworkInput,
        FrameworkCycle,
        FrameworkEvent,
        FrameworkState,
        RecordFrameworkEventsInput,
        ReportAdoptionInput,
        ReviseFrameworkInput,
        WithdrawFrameworkInput,
    )
    from services.domain.notifications import framework_notifications
    from services.domain.types import Register
    from services.workflows.changes import (
        SerializedChanges,
        load_register,
        pin_legacy_council,
        rejections_as_failures,
    )
    from services.workflows.framework.activities import FrameworkActivities
    from services.workflows.notification.workflow import send_notifications
    from services.workflows.options import LOCAL_ACTIVITY

# Running frameworks from before this rule kept waking forever; they end once they replay
# past it with every adoption resolved.
ENDS = "framework-ends"


@workflow.defn(name="BindingFramework")
class FrameworkWorkflow(SerializedChanges):
    @workflow.init
    def __init__(self, input: CreateFrameworkInput) -> None:
        pin_legacy_council(input)
        resumed = input.resumed
        self._cycle = FrameworkCycle(resumed) if resumed else FrameworkCycle.created(input)
        self._lock = asyncio.Lock()

    @property
    def _state(self) -> FrameworkState:
        return self._cycle.state

    @workflow.run
    async def run(self, input: CreateFrameworkInput) -> None:
        if input.resumed is None:
            async with self._lock:
                register = await self._register()
                await self._record(self._cycle.start(workflow.now(), register))
        while not self._ended():
            if self._history_full(input) and workflow.patched(ENDS):
                await workflow.wait_condition(
                    lambda: workflow.all_handlers_finished() and not self._lock.locked())
                workflow.continue_as_new(dataclasses.replace(input, resumed=self._state))
            await self._until_timer_or_change()
        await workflow.wait_condition(workflow.all_handlers_finished)

    def _ended(self) -> bool:
        if self._state.withdrawn:
            return True
        return self._cycle.settled() and workflow.patched(ENDS)

    @staticmethod
    def _history_full(input: CreateFrameworkInput) -> bool:
        info = workflow.info()
        return (info.get_current_history_length() > input.history_limit
                or info.is_continue_as_new_suggested())

    async def _until_timer_or_change(self) -> None:
        state = self._state
        epoch = state.epoch
        if state.next_check_at is None:
            await workflow.wait_condition(lambda: state.epoch != epoch)
            return
        delay = (state.next_check_at - workflow.now()).total_seconds()
        if delay > 0:
            try:
                await workflow.wait_condition(lambda: state.epoch != epoch, timeout=delay)
                return
            except TimeoutError:
                pass
        async with self._lock:
            if state.epoch == epoch and not state.withdrawn:
                register = await self._register()
                await self._record(self._cycle.on_timer(workflow.now(), register))

    @workflow.update
    async def report_adoption(self, input: ReportAdoptionInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.report(input, now))

    @report_adoption.validator
    def _validate_report_adoption(self, input: ReportAdoptionInput) -> None:
        with rejections_as_failures():
            self._cycle.check_report(input)

    @workflow.update
    async def revise(self, input: ReviseFrameworkInput) -> UpdateResult:
        return await self._apply(lambda now, register: self._cycle.revise(input, now, register),
                                 needs_register=True)

    @revise.validator
    def _validate_revise(self, input: ReviseFrameworkInput) -> None:
        with rejections_as_failures():
            self._cycle.check_revise(input)

    @workflow.update
    async def withdraw(self, input: WithdrawFrameworkInput) -> UpdateResult:
        return await self._apply(lambda now, _: self._cycle.withdraw(input, now))

    @withdraw.validator
    def _validate_withdraw(self, input: WithdrawFrameworkInput) -> None:
        with rejections_as_failures():
            self._cycle.check_withdraw(input)

    @workflow.query
    def state(self) -> FrameworkState:
        return self._state

    async def _register(self) -> Register:
        assert self._state.council is not None
        return await load_register(self._state.council)

    async def _record(self, events: list[FrameworkEvent], before: object = None) -> None:
        # A framework's record is small (one adoption per ministry): always written whole.
        await workflow.execute_local_activity_method(
            FrameworkActivities.record_framework_events,
            RecordFrameworkEventsInput(events, self._state), **LOCAL_ACTIVITY,
        )
        await send_notifications(framework_notifications(events))
