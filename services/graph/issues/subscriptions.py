from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator

import strawberry

from services.graph.context import Info
from services.graph.issues.types import IssueEvent
from services.graph.loaders import Loaders

TOKEN_EXPIRED = 4403


@strawberry.type
class IssueSubscription:
    @strawberry.subscription(
        description="every new timeline event, of one issue or (issueId null) of all issues"
    )
    async def issue_events(
        self, info: Info, issue_id: strawberry.ID | None = None
    ) -> AsyncGenerator[IssueEvent, None]:
        context = info.context
        viewer = context.require_viewer()
        events = context.feed.subscribe(str(issue_id) if issue_id else None)
        try:
            # A long-lived socket ends when its token does.
            async with asyncio.timeout(viewer.expires_at - time.time()
                                       if viewer.expires_at else None):
                async for doc in events:
                    # Each event resolves against fresh loaders: the connection lives long.
                    context.loaders = Loaders(context.store)
                    yield IssueEvent.of(doc)
        except TimeoutError:
            await context.request.close(code=TOKEN_EXPIRED, reason="token expired")
        finally:
            await events.aclose()
