"""Issues (a projection of each workflow's state) and their append-only timelines."""

from __future__ import annotations

import asyncio
import base64
from datetime import datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.domain.types import CycleState, IssueEvent
from services.store import timeline
from services.store.documents import event_document, issue_document


def encode_cursor(issue_id: str) -> str:
    return base64.urlsafe_b64encode(issue_id.encode()).decode()


def decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None


CLAIM_TRIES = 20


class IssueRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.issues = db["issues"]
        self.events = db["events"]
        self.raises = db["keyed_raises"]

    # -- writes (from the workflow's activities) ------------------------------------------

    async def record(self, events: list[IssueEvent], state: CycleState, at: datetime) -> None:
        await timeline.record(self.issues, self.events, issue_document(state, at),
                              [event_document(e) for e in events])

    async def claim_raise(self, request: str, issue_id: str, at: datetime) -> str:
        """The issue id of a keyed raise: `issue_id` on the first try, the first try's on
        every retry (concurrent ones included)."""
        for _ in range(CLAIM_TRIES):
            try:
                doc = await self.raises.find_one_and_update(
                    {"_id": request}, {"$setOnInsert": {"issue_id": issue_id, "at": at}},
                    upsert=True, return_document=ReturnDocument.AFTER)
            except DuplicateKeyError:  # a concurrent try inserted it first
                doc = None
            # Under concurrent upserts a server may answer neither the document nor a
            # conflict: read what is there, and try again if nothing is yet.
            doc = doc or await self.raises.find_one({"_id": request})
            if doc is not None:
                return doc["issue_id"]
            await asyncio.sleep(0.01)
        raise RuntimeError(f"the keyed raise {request} could not be claimed")

    async def raise_claimed(self, request: str) -> str | None:
        doc = await self.raises.find_one({"_id": request})
        return doc["issue_id"] if doc else None

    # -- reads ----------------------------------------------------------------------------

    async def applied(self, issue_id: str, request: str) -> bool:
        """Whether a keyed request has already been recorded on this issue."""
        found = await self.events.find_one({"request": request, "issue_id": issue_id},
                                           {"_id": 1})
        return found is not None

    async def get(self, issue_id: str) -> dict | None:
        return await self.issues.find_one({"_id": issue_id})

    async def by_id(self, ids: list[str]) -> dict[str, dict]:
        docs = await self.issues.find({"_id": {"$in": ids}}).to_list()
        return {d["_id"]: d for d in docs}

    async def page(
        self, query: dict[str, Any], first: int, after: str | None
    ) -> tuple[list[dict], bool]:
        """Newest first; issue ids sort by creation time. Returns (page, has_next)."""
        if after is not None:
            query = {**query, "_id": {"$lt": after}}
        docs = await self.issues.find(query).sort("_id", -1).limit(first + 1).to_list()
        return docs[:first], len(docs) > first

    async def count(self, query: dict[str, Any]) -> int:
        return await self.issues.count_documents(query)

    async def timelines(self, issue_ids: list[str]) -> dict[str, list[dict]]:
        docs = await self.events.find({"issue_id": {"$in": issue_ids}}).sort(
            [("issue_id", 1), ("seq", 1)]
        ).to_list()
        grouped: dict[str, list[dict]] = {i: [] for i in issue_ids}
        for doc in docs:
            grouped[doc["issue_id"]].append(doc)
        return grouped
