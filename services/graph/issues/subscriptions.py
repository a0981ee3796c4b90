from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from services.graph.context import Info
from services.graph.issues.types import IssueEvent
from services.graph.loaders import Loaders


@strawberry.type
class IssueSubscription:
    @strawberry.subscription(
        description="every new timeline event, of one issue or (issueId null) of all issues"
    )
    async def issue_events(
        self, info: Info, issue_id: strawberry.ID | None = None
    ) -> AsyncGenerator[IssueEvent, None]:
        context = info.context
        context.require_viewer()
        async for doc in context.feed.subscribe(str(issue_id) if issue_id else None):
            # A connection lives long: each event resolves against fresh loaders.
            context.loaders = Loaders(context.store)
            yield IssueEvent.of(doc)
