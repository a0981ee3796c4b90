"""One workflow per binding framework (id `framework-<issue id>`): holds the adoption
deadline as a durable timer, marks overdue adoptions, repeats reminders, passes the open
adoptions of a succeeded ministry to its successor, and takes the CIOs' reports."""

from __future__ import annotations

import asyncio

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
    from services.workflows.shared import (
        FRAMEWORK_WORKFLOW,
        LOCAL_ACTIVITY,
        SerializedChanges,
        load_register,
        rejections_as_failures,
        send_notifications,
    )

RECORD_FRAMEWORK_EVENTS = "record_framework_events"


def framework_workflow_id(framework_id: str) -> str:
    return f"framework-{framework_id}"


@workflow.defn(name=FRAMEWORK_WORKFLOW)
class FrameworkWorkflow(SerializedChanges):
    @workflow.init
    def __init__(self, input: CreateFrameworkInput) -> None:
        self._cycle = FrameworkCycle.created(input)
        self._lock = asyncio.Lock()

    @property
    def _state(self) -> FrameworkState:
        return self._cycle.state

    @workflow.run
    async def run(self, input: CreateFrameworkInput) -> None:
        async with self._lock:
            register = await self._register()
            await self._record(self._cycle.start(workflow.now(), register))
        while not self._state.withdrawn:
            await self._until_timer_or_change()
        await workflow.wait_condition(workflow.all_handlers_finished)

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
        return await load_register()

    async def _record(self, events: list[FrameworkEvent]) -> None:
        await workflow.execute_local_activity(
            RECORD_FRAMEWORK_EVENTS, RecordFrameworkEventsInput(events, self._state),
            **LOCAL_ACTIVITY,
        )
        await send_notifications(framework_notifications(events))

