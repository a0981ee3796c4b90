"""Notifications waiting to be delivered, to which webhooks they went, and those given up
on (dead letters) until an operator sends them again."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from services.domain.notifications import Notification
from services.store.documents import plain
from services.store.timeline import DUPLICATE_KEY
from services.store.views import OutboxView, read_outbox


class OutboxRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.outbox = db["outbox"]

    async def add(self, notifications: list[Notification]) -> None:
        """Idempotent: a notification's id is its event's natural key."""
        if not notifications:
            return
        docs = []
        for notification in notifications:
            doc = plain(notification)
            doc["_id"] = doc.pop("id")
            doc["delivered_to"] = []
            docs.append(doc)
        try:
            await self.outbox.insert_many(docs, ordered=False)
        except BulkWriteError as err:
            if any(e["code"] != DUPLICATE_KEY for e in err.details["writeErrors"]):
                raise

    async def get(self, notification_id: str) -> OutboxView | None:
        doc = await self.outbox.find_one({"_id": notification_id})
        return read_outbox(doc) if doc else None

    async def delivered(self, notification_id: str, url: str, at: datetime) -> None:
        await self.outbox.update_one({"_id": notification_id},
                                     {"$addToSet": {"delivered_to": url},
                                      "$set": {"last_delivered_at": at}})

    async def give_up(self, notification_id: str, error: str, at: datetime) -> None:
        """Delivery stops: the notification waits as a dead letter for an operator."""
        await self.outbox.update_one({"_id": notification_id},
                                     {"$set": {"dead_at": at, "last_error": error}})

    async def dead_letters(self, limit: int = 1000) -> list[OutboxView]:
        docs = await self.outbox.find({"dead_at": {"$ne": None}}).sort("_id", 1).limit(
            limit).to_list()
        return [read_outbox(d) for d in docs]

    async def count_dead(self) -> int:
        return await self.outbox.count_documents({"dead_at": {"$ne": None}})

    async def revive(self, notification_id: str, at: datetime) -> None:
        """Back from the dead letters: delivery starts again, its horizon counted from `at`."""
        await self.outbox.update_one({"_id": notification_id},
                                     {"$set": {"dead_at": None, "retry_from": at}})
