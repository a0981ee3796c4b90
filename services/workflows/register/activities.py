"""Reading the appointment register: what a phase fixes when it starts (eligible advisors,
voting members, successors of ended ministries)."""

from __future__ import annotations

from temporalio import activity

from services.domain.commands import LoadRegisterInput
from services.domain.types import Register
from services.store.database import Store


class RegisterActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name="load_register")
    async def load_register(self, input: LoadRegisterInput) -> Register:
        council = await self._store.councils.of_issue(input.council, input.version)
        return await self._store.register.snapshot(input.at, council)
