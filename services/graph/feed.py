"""Timeline events for subscriptions, from one MongoDB change stream per API process over
the issue and framework timelines and the register's changes (which make this process
read callers' appointments again).

The stream fans out to every subscriber of this process, so each replica sees every event
whichever replica or worker wrote it. It resumes after the last event it saw when the
connection drops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from graphql import GraphQLError

from services.graph.loaders import Loaders
from services.store.database import REGISTER_EVENTS, Store, StoredEvent, StreamInterrupted

log = logging.getLogger(__name__)

QUEUE_LIMIT = 1_000
RETRY_SECONDS = 1.0


class SubscriberTooSlow(GraphQLError):
    def __init__(self) -> None:
        super().__init__("the subscriber fell behind; subscribe again",
                         extensions={"code": "TOO_SLOW"})


class _Subscriber:
    def __init__(self, timeline: str, owner: str | None) -> None:
        self.timeline = timeline
        self.owner = owner
        self.queue: asyncio.Queue[Any] = asyncio.Queue(QUEUE_LIMIT)

    def wants(self, stored: StoredEvent) -> bool:
        return stored.timeline == self.timeline and (
            self.owner is None or stored.owner == self.owner)

    def offer(self, stored: StoredEvent, loaders: Loaders) -> bool:
        if not self.wants(stored):
            return True
        try:
            self.queue.put_nowait((stored.event, loaders))
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
        # Called with every event, before subscribers get it (say, to clear a cache).
        self.listeners: list[Callable[[StoredEvent], None]] = []

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

    async def subscribe(self, timeline: str, owner: str | None
                        ) -> AsyncIterator[tuple[Any, Loaders]]:
        """New events (read models) of `timeline` (ISSUE_EVENTS or FRAMEWORK_EVENTS), of
        one issue or framework (`owner`) or of all, each with the loaders to resolve it by:
        one set per event, shared by every subscriber of this process, so the event's
        issue, unit and people are read once however many sockets show them (the loaders
        hold the store's read models; who may see what is decided field by field)."""
        subscriber = _Subscriber(timeline, owner)
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
                async with self._store.new_events(self._resume_token) as stream:
                    self.ready.set()
                    async for stored in stream:
                        self._resume_token = stored.resume_token
                        self._publish(stored)
            except asyncio.CancelledError:
                raise
            except StreamInterrupted as err:
                log.warning("event stream interrupted (%s); resuming", err)
                await asyncio.sleep(RETRY_SECONDS)

    def _publish(self, stored: StoredEvent) -> None:
        if stored.timeline == REGISTER_EVENTS:
            self._store.register.changed()  # before anyone reads appointments again
        for listener in self.listeners:
            listener(stored)
        shared = Loaders(self._store)
        for subscriber in list(self._subscribers):
            if not subscriber.offer(stored, shared):
                # Never block the stream for one slow client: drop it, it can resubscribe.
                self._subscribers.discard(subscriber)
                subscriber.queue = asyncio.Queue(1)
                subscriber.queue.put_nowait(None)
