from __future__ import annotations

from datetime import datetime, timezone

import strawberry

from services.graph.context import Info
from services.graph.errors import BadUserInput
from services.graph.register.types import (
    Ministry,
    Officer,
    Person,
    RegisterEvent,
    load_ministry,
    load_person,
)
from services.graph.visibility import Internal

MAX_REGISTER_EVENTS = 100


@strawberry.type
class RegisterQuery:
    @strawberry.field(description="the register's units in force at `at` (default: now), "
                      "each under the name it bore then")
    async def ministries(self, info: Info, at: datetime | None = None) -> list[Ministry]:
        moment = at or datetime.now(timezone.utc)
        views = await info.context.store.register.ministries_in_force(moment)
        return [Ministry.of(v, moment) for v in views]

    @strawberry.field
    async def ministry(self, info: Info, code: strawberry.ID) -> Ministry | None:
        return await load_ministry(info, str(code))

    @strawberry.field(description="who holds which seat of a council now, or at `at` "
                      "(default: the deployment's default council)")
    async def officers(self, info: Info, role: str | None = None,
                       council: strawberry.ID | None = None,
                       at: datetime | None = None) -> list[Officer]:
        views = await info.context.store.register.officers(
            role, str(council) if council is not None else info.context.settings.default_council,
            at)
        return [Officer.of(v) for v in views]

    @strawberry.field(description="a council's deputies (plaatsvervangers) whose period has "
                      "not ended (default: the deployment's default council)")
    async def deputies(self, info: Info, council: strawberry.ID | None = None
                       ) -> list[Officer]:
        views = await info.context.store.register.deputies_named(
            str(council) if council is not None else info.context.settings.default_council,
            datetime.now(timezone.utc))
        return [Officer.of(v) for v in views]

    @strawberry.field(description="the caller, from the bearer token")
    async def me(self, info: Info) -> Person | None:
        viewer = info.context.require_viewer()
        return await load_person(info, viewer.person_id)

    @strawberry.field(
        description="the register's changes, newest first (officers only; empty for others)",
        extensions=[Internal()],
    )
    async def register_events(self, info: Info, first: int = 20) -> list[RegisterEvent]:
        if not 1 <= first <= MAX_REGISTER_EVENTS:
            raise BadUserInput(f"first must lie between 1 and {MAX_REGISTER_EVENTS}")
        views = await info.context.store.register.events_newest_first(first)
        return [RegisterEvent.of(v) for v in views]
