"""The cycle's only I/O: read the appointment register, record events and the projection."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from temporalio import activity

from services.domain.commands import LoadRegisterInput, RecordEventsInput
from services.domain.notifications import issue_notifications
from services.domain.types import Register
from services.store.database import Store
from services.workflows.final_failures import unstorable_is_final
from services.workflows.issue_cycle.workflow import RECORD_EVENTS
from services.workflows.shared import LOAD_REGISTER

log = logging.getLogger("stelsel.activities")


class IssueActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name=LOAD_REGISTER)
    async def load_register(self, input: LoadRegisterInput) -> Register:
        return await self._store.register.snapshot(input.at)

    @activity.defn(name=RECORD_EVENTS)
    async def record_events(self, input: RecordEventsInput) -> None:
        started = time.perf_counter()
        with unstorable_is_final():
            await self._store.issues.record(input.events, input.state, datetime.now(timezone.utc))
        await self._store.outbox.add(issue_notifications(input.events))
        if input.events:
            log.info("recorded %d event(s)", len(input.events), extra={
                "issue_id": input.state.issue_id, "workflow_id": activity.info().workflow_id,
                "seq": input.events[-1].seq, "kinds": [e.kind.value for e in input.events],
                "actor": input.events[-1].actor_id,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
