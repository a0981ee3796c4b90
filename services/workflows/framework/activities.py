"""The framework workflow's own I/O; it reads the register through the issue cycle's
`load_register`."""

from __future__ import annotations

from datetime import datetime, timezone

from temporalio import activity

from services.domain.frameworks import RecordFrameworkEventsInput
from services.domain.notifications import framework_notifications
from services.store.database import Store
from services.workflows.final_failures import unstorable_is_final
from services.workflows.framework.workflow import RECORD_FRAMEWORK_EVENTS


class FrameworkActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name=RECORD_FRAMEWORK_EVENTS)
    async def record_framework_events(self, input: RecordFrameworkEventsInput) -> None:
        with unstorable_is_final():
            await self._store.frameworks.record(input.events, input.state,
                                                datetime.now(timezone.utc))
        await self._store.outbox.add(framework_notifications(input.events))
