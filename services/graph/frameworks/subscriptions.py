from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from services.graph.context import Info
from services.graph.following import follow
from services.graph.frameworks.types import FrameworkEvent
from services.store.database import FRAMEWORK_EVENTS


@strawberry.type
class FrameworkSubscription:
    @strawberry.subscription(
        description="every new event of one framework or (frameworkId null) of all: "
        "reports, overdue adoptions, reminders, revisions"
    )
    async def framework_events(
        self, info: Info, framework_id: strawberry.ID | None = None
    ) -> AsyncGenerator[FrameworkEvent, None]:
        owner = str(framework_id) if framework_id else None
        async for event in follow(info, FRAMEWORK_EVENTS, owner):
            yield FrameworkEvent.of(event)
