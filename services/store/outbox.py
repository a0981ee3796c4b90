"""Notifications waiting to be delivered, and to which webhooks they went."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from services.domain.notifications import Notification
from services.store.documents import plain
from services.store.timeline import DUPLICATE_KEY


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

    async def get(self, notification_id: str) -> dict | None:
        return await self.outbox.find_one({"_id": notification_id})

    async def delivered(self, notification_id: str, url: str, at: datetime) -> None:
        await self.outbox.update_one({"_id": notification_id},
                                     {"$addToSet": {"delivered_to": url},
                                      "$set": {"last_delivered_at": at}})
