"""The appointment register for the workflows: what a phase fixes when it starts (eligible
advisors, voting members, successors of ended ministries), and the changes dated ahead,
applied at their date."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from temporalio import activity
from temporalio.exceptions import ApplicationError

from services.domain.appointments import ApplyRegisterChangeInput
from services.domain.commands import LoadRegisterInput
from services.domain.types import Register
from services.store.database import Store

# How long after its date a change may still be on its way into MongoDB.
RECORDING_GRACE = timedelta(minutes=10)


class RegisterActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name="load_register")
    async def load_register(self, input: LoadRegisterInput) -> Register:
        council = await self._store.councils.of_issue(input.council, input.version)
        return await self._store.register.snapshot(input.at, council)

    @activity.defn(name="apply_register_change")
    async def apply_register_change(self, input: ApplyRegisterChangeInput) -> bool:
        """Applies it once: a retry after the first try succeeded changes nothing. The API
        starts the workflow before it records the change; one not recorded shortly after
        its date never will be (the recording failed), and is given up."""
        scheduled = self._store.scheduled
        if not await scheduled.recorded(input.change_id):
            if datetime.now(timezone.utc) - input.at < RECORDING_GRACE:
                raise ApplicationError(f"register change {input.change_id} not recorded yet")
            return False
        return await scheduled.apply(input.change_id)
