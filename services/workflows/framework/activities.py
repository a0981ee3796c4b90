"""The framework workflow's own I/O: recording its events and its record (it reads the
register through services.workflows.register)."""

from __future__ import annotations

from datetime import datetime, timezone

from temporalio import activity

from services.domain.frameworks import RecordFrameworkEventsInput
from services.domain.notifications import framework_notifications
from services.store.database import Store
from services.workflows.final_failures import unstorable_is_final


class FrameworkActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name="record_framework_events")
    async def record_framework_events(self, input: RecordFrameworkEventsInput) -> None:
        with unstorable_is_final():
            await self._store.frameworks.record(input.events, input.state,
                                                datetime.now(timezone.utc))
        await self._store.outbox.add(framework_notifications(input.events))
