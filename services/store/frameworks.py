"""Binding frameworks (a projection of each framework workflow) and their event timelines."""

from __future__ import annotations

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

from services.domain.frameworks import FrameworkEvent, FrameworkState
from services.store import timeline
from services.store.documents import period, plain
from services.store.views import (
    FrameworkEventView,
    FrameworkView,
    read_framework,
    read_framework_event,
)


class FrameworkRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.frameworks = db["frameworks"]
        self.events = db["framework_events"]

    async def record(self, events: list[FrameworkEvent], state: FrameworkState, at: datetime
                     ) -> None:
        doc = plain(state)
        doc["_id"] = doc.pop("framework_id")
        doc["last_seq"] = doc.pop("seq")
        doc["updated_at"] = at
        del doc["epoch"], doc["next_check_at"]
        event_docs = []
        for event in events:
            event_doc = plain(event)
            event_doc["_id"] = f"{event.framework_id}:{event.seq:07d}"
            event_docs.append(event_doc)
        await timeline.record(self.frameworks, self.events, doc, event_docs)

    async def get(self, framework_id: str) -> FrameworkView | None:
        doc = await self.frameworks.find_one({"_id": framework_id})
        return read_framework(doc) if doc else None

    async def by_id(self, ids: list[str]) -> dict[str, FrameworkView]:
        docs = await self.frameworks.find({"_id": {"$in": ids}}).to_list()
        return {d["_id"]: read_framework(d) for d in docs}

    async def all(self, include_withdrawn: bool = False) -> list[FrameworkView]:
        query = {} if include_withdrawn else {"withdrawn": False}
        docs = await self.frameworks.find(query).sort("decided_at", -1).to_list()
        return [read_framework(d) for d in docs]

    async def decided_between(self, start: datetime | None, end: datetime | None
                              ) -> list[FrameworkView]:
        """Frameworks decided in [start, end), oldest first."""
        window = period(start, end)
        docs = await self.frameworks.find({"decided_at": window} if window else {}).sort(
            "decided_at", 1).to_list()
        return [read_framework(d) for d in docs]

    async def timelines(self, ids: list[str]) -> dict[str, list[FrameworkEventView]]:
        docs = await self.events.find({"framework_id": {"$in": ids}}).sort(
            [("framework_id", 1), ("seq", 1)]).to_list()
        grouped: dict[str, list[FrameworkEventView]] = {i: [] for i in ids}
        for doc in docs:
            grouped[doc["framework_id"]].append(read_framework_event(doc))
        return grouped
