"""Timeline events for subscriptions, from a MongoDB change stream on the events collection.

One stream per API process fans out to every subscriber of that process, so each replica
sees every event whichever replica or worker wrote it. The stream resumes after the last
event it saw when the connection drops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from pymongo.errors import PyMongoError

from services.store.database import Store

log = logging.getLogger(__name__)

QUEUE_LIMIT = 1_000
RETRY_SECONDS = 1.0


class SubscriberTooSlow(GraphQLError):
    def __init__(self) -> None:
        super().__init__("the subscriber fell behind; subscribe again",
                         extensions={"code": "TOO_SLOW"})


class _Subscriber:
    def __init__(self, issue_id: str | None) -> None:
        self.issue_id = issue_id
        self.queue: asyncio.Queue[dict | None] = asyncio.Queue(QUEUE_LIMIT)

    def offer(self, event: dict) -> bool:
        if self.issue_id is not None and event["issue_id"] != self.issue_id:
            return True
        try:
            self.queue.put_nowait(event)
            return True
        except asyncio.QueueFull:
            return False


class EventFeed:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._subscribers: set[_Subscriber] = set()
        self._task: asyncio.Task | None = None
        self._resume_token: Any = None
        self.ready = asyncio.Event()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._follow(), name="event-feed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def subscribe(self, issue_id: str | None) -> AsyncIterator[dict]:
        subscriber = _Subscriber(issue_id)
        self._subscribers.add(subscriber)
        try:
            while True:
                event = await subscriber.queue.get()
                if event is None:
                    raise SubscriberTooSlow()
                yield event
        finally:
            self._subscribers.discard(subscriber)

    async def _follow(self) -> None:
        while True:
            try:
                async with await self._store.issues.event_stream(self._resume_token) as stream:
                    self.ready.set()
                    async for change in stream:
                        self._resume_token = change["_id"]
                        self._publish(change["fullDocument"])
            except asyncio.CancelledError:
                raise
            except PyMongoError as err:
                log.warning("event stream interrupted (%s); resuming", err)
                await asyncio.sleep(RETRY_SECONDS)

    def _publish(self, event: dict) -> None:
        for subscriber in list(self._subscribers):
            if not subscriber.offer(event):
                # Never block the stream for one slow client: drop it, it can resubscribe.
                self._subscribers.discard(subscriber)
                subscriber.queue = asyncio.Queue(1)
                subscriber.queue.put_nowait(None)
