"""The cycle's one way out: record its events and what they changed in the issue's record."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone

from temporalio import activity

from services.councils.definitions import InvalidDefinition, read
from services.domain.commands import PublishProcedureInput, RecordEventsInput, RecordOutcome
from services.domain.errors import Rejection
from services.domain.notifications import issue_notifications
from services.store.database import Store
from services.workflows.final_failures import unstorable_is_final

log = logging.getLogger("stelsel.activities")


class IssueActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name="record_events")
    async def record_events(self, input: RecordEventsInput) -> RecordOutcome | None:
        """None never comes from here now; histories recorded before the outcome existed
        hold it, and replay decodes them with this type."""
        started = time.perf_counter()
        now = datetime.now(timezone.utc)
        with unstorable_is_final():
            if input.change is not None:
                if not await self._store.issues.apply(input.change, input.events, now):
                    return RecordOutcome(stale=True)  # the workflow sends the whole record
            else:
                assert input.state is not None, "a record needs the state or a change"
                await self._store.issues.record(input.events, input.state, now)
        await self._store.outbox.add(issue_notifications(input.events))
        if input.events:
            last = input.events[-1]
            log.info("recorded %d event(s)", len(input.events), extra={
                "issue_id": last.issue_id, "workflow_id": activity.info().workflow_id,
                "seq": last.seq, "kinds": [e.kind.value for e in input.events],
                "actor": last.actor_id,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
        return RecordOutcome()

    @activity.defn(name="publish_procedure")
    async def publish_procedure(self, input: PublishProcedureInput) -> bool:
        """The adopted definition becomes the council's version. False (logged, never
        retried) when it can no longer be: the version was published meanwhile with other
        content, or the definition no longer reads — the decision stands either way."""
        try:
            definition = read(input.definition)
            await self._store.publish_council(definition, input.in_force_from, input.source,
                                              by=(input.person_id, input.role))
        except (InvalidDefinition, Rejection) as refused:
            log.error("adopted procedure not published: %s", refused,
                      extra={"workflow_id": activity.info().workflow_id})
            return False
        return True
