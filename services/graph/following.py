"""Following a timeline over a subscription: the feed's events for one owner (or all), each
resolved with that event's loaders (read once for every socket of the process; see
services.graph.fanout), until the caller's token expires (then the socket closes with
4403). Without a token the events carry only what the public may read: the same
`Internal` guards decide per field as for a query."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError

from services.graph.context import Info

TOKEN_EXPIRED = 4403


class TooManySubscriptions(GraphQLError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"at most {limit} subscriptions on one connection",
                         extensions={"code": "TOO_MANY_SUBSCRIPTIONS"})


async def follow(info: Info, timeline: str, owner: str | None) -> AsyncIterator[Any]:
    """The timeline's new events as the store's read models."""
    context = info.context
    viewer = context.viewer
    if viewer.person_id is not None or viewer.refused:  # a token was presented: it must hold
        viewer = context.require_viewer()
    limit = context.settings.max_subscriptions_per_socket
    if context.following >= limit:  # each one holds a queue of up to 1,000 events
        raise TooManySubscriptions(limit)
    context.following += 1
    events = context.feed.subscribe(timeline, owner)
    try:
        remaining = viewer.expires_at - time.time() if viewer.expires_at else None
        async with asyncio.timeout(remaining):
            async for event, loaders in events:
                # A connection lives long: each event resolves against that event's loaders
                # (fresh data, read once for every subscriber of this process).
                context.loaders = loaders
                yield event
    except TimeoutError:
        await context.request.close(code=TOKEN_EXPIRED, reason="token expired")
    finally:
        context.following -= 1
        await events.aclose()
