"""The cycle's only I/O: read the appointment register, record events and the projection."""

from __future__ import annotations

from datetime import datetime, timezone

from temporalio import activity

from services.domain.commands import LoadRegisterInput, RecordEventsInput
from services.domain.types import Register
from services.store.database import Store
from services.workflows.issue_cycle.workflow import RECORD_EVENTS
from services.workflows.shared import LOAD_REGISTER


class IssueActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name=LOAD_REGISTER)
    async def load_register(self, input: LoadRegisterInput) -> Register:
        return await self._store.register.snapshot(input.at)

    @activity.defn(name=RECORD_EVENTS)
    async def record_events(self, input: RecordEventsInput) -> None:
        await self._store.issues.record(input.events, input.state, datetime.now(timezone.utc))
