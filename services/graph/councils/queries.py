from __future__ import annotations

from datetime import datetime, timezone

import strawberry

from services.graph.context import Info
from services.graph.councils.types import Council


@strawberry.type
class CouncilQuery:
    @strawberry.field(description="every council, each in the version in force now")
    async def councils(self, info: Info) -> list[Council]:
        found = await info.context.store.councils.current(datetime.now(timezone.utc))
        return [Council.of(d) for d in found]

    @strawberry.field(description="a council in the version in force now")
    async def council(self, info: Info, id: strawberry.ID) -> Council | None:
        found = await info.context.store.councils.in_force(str(id), datetime.now(timezone.utc))
        return Council.of(found) if found else None
