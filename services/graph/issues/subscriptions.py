from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from services.graph.context import Info
from services.graph.following import follow
from services.graph.issues.types import IssueEvent
from services.store.database import ISSUE_EVENTS


@strawberry.type
class IssueSubscription:
    @strawberry.subscription(
        description="every new timeline event, of one issue or (issueId null) of all issues"
    )
    async def issue_events(
        self, info: Info, issue_id: strawberry.ID | None = None
    ) -> AsyncGenerator[IssueEvent, None]:
        async for event in follow(info, ISSUE_EVENTS, str(issue_id) if issue_id else None):
            yield IssueEvent.of(event)
