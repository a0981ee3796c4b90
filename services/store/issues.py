"""Issues (a projection of each workflow's state) and their append-only timelines."""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.domain.record import IssueChange
from services.domain.types import CLOSED_PHASES, CycleState, IssueEvent, Phase, Scope
from services.store import timeline
from services.store.documents import (
    change_document,
    event_document,
    id_time,
    issue_document,
    period,
    raised_day,
)
from services.store.views import (
    IssueEventView,
    IssueView,
    PhaseCount,
    read_issue,
    read_issue_event,
)


def _id_at(moment: datetime) -> str:
    """The smallest issue id of an issue raised at `moment` (ids are ObjectIds)."""
    return str(ObjectId.from_datetime(moment))


def _day_of(issue_id: str) -> date:
    """The day (UTC) the id was made in (today, for other ids)."""
    return (id_time(issue_id) or datetime.now(timezone.utc)).date()


def encode_cursor(issue_id: str) -> str:
    return base64.urlsafe_b64encode(issue_id.encode()).decode()


def decode_cursor(cursor: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        return None


CLAIM_TRIES = 20
# The unfiltered newest-first list reads days in batches of these sizes going back (about
# 16 years in all), then whatever is older.
NEWEST_DAYS = (7, 23, 60, 275, 1460, 4000)
# How long a keyed raise is remembered (a TTL index on `keyed_raises`): a client resending
# a raise later than this raises a new issue. Clients retry within minutes, not weeks.
KEYED_RAISE_HORIZON = 7 * 86_400


@dataclass
class IssueSelection:
    """Which issues a list shows; None: any."""

    phase: Phase | None = None
    scope: Scope | None = None
    ministry: str | None = None
    council: str | None = None
    overdue: bool | None = None
    # Part of the title, any case.
    title: str | None = None
    # Issues waiting on any of these seats (`seat_key`); an empty list: on none.
    waiting: list[str] | None = None

    def query(self) -> dict[str, Any]:
        fields = {"phase": self.phase, "scope": self.scope, "ministry": self.ministry,
                  "council_id": self.council, "overdue": self.overdue}
        query = {name: getattr(value, "value", value) for name, value in fields.items()
                 if value is not None}
        if self.title:
            query["title"] = {"$regex": re.escape(self.title), "$options": "i"}
        if self.waiting is not None:
            query["waiting"] = {"$in": self.waiting}
        return query

    def matches(self, view: IssueView) -> bool:
        """What query() asks of the database, asked of one issue; not for a title or
        waiting filter (the database's regex and the record's `waiting` decide those)."""
        if self.title is not None or self.waiting is not None:
            raise ValueError("a title or waiting filter is the database's to judge")
        return all(wanted is None or wanted == actual for wanted, actual in (
            (self.phase, view.phase), (self.scope, view.scope), (self.ministry, view.ministry),
            (self.council, view.council_id), (self.overdue, view.overdue)))


class IssueRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.issues = db["issues"]
        self.events = db["events"]
        self.raises = db["keyed_raises"]

    @staticmethod
    def new_id() -> str:
        """A new issue's id: ObjectIds sort by creation time, so lists page newest first."""
        return str(ObjectId())

    # -- writes (from the workflow's activities) ------------------------------------------

    async def record(self, events: list[IssueEvent], state: CycleState, at: datetime) -> None:
        """The whole record and the events (when raised, or to repair the record)."""
        await timeline.record(self.issues, self.events, issue_document(state, at),
                              [event_document(e) for e in events])

    async def apply(self, change: IssueChange, events: list[IssueEvent], at: datetime
                    ) -> bool:
        """The change and its events; False when the stored record is not the one the
        change starts from (then nothing was written)."""
        return await timeline.apply(self.issues, self.events, change.issue_id,
                                    change.after_seq, change.seq,
                                    change_document(change, at),
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

    async def backfill(self, legacy_council: str) -> int:
        """Records written by older versions get what lists select by (at start-up):
        `raised_day`, and the council (those raised before councils were data belong to
        the legacy council; without a pinned version they keep its first rules)."""
        missing = await self.issues.find(
            {"$or": [{"raised_day": {"$exists": False}}, {"council_id": {"$exists": False}}]},
            {"raised_at": 1, "council_id": 1}).to_list()
        if missing:
            await self.issues.bulk_write([
                UpdateOne({"_id": doc["_id"]}, {"$set": {
                    "raised_day": raised_day(doc["_id"], doc["raised_at"]),
                    "council_id": doc.get("council_id") or legacy_council}})
                for doc in missing], ordered=False)
        return len(missing)

    async def without_waiting(self) -> list[IssueView]:
        docs = await self.issues.find({"waiting": {"$exists": False},
                                       "phase": {"$nin": [p.value for p in CLOSED_PHASES]}}
                                      ).to_list()
        return [read_issue(d) for d in docs]

    async def set_waiting(self, found: list[tuple[str, int, list[str]]]) -> None:
        """(issue, the seq it was read at, its seats) in one round trip; a record changed
        since keeps the `waiting` its change wrote."""
        if found:
            await self.issues.bulk_write([
                UpdateOne({"_id": issue_id, "last_seq": seq, "waiting": {"$exists": False}},
                          {"$set": {"waiting": waiting}})
                for issue_id, seq, waiting in found], ordered=False)

    # -- reads ----------------------------------------------------------------------------

    async def applied(self, issue_id: str, request: str) -> bool:
        """Whether a keyed request has already been recorded on this issue."""
        found = await self.events.find_one({"request": request, "issue_id": issue_id},
                                           {"_id": 1})
        return found is not None

    async def get(self, issue_id: str) -> IssueView | None:
        doc = await self.issues.find_one({"_id": issue_id})
        return read_issue(doc) if doc else None

    async def by_id(self, ids: list[str]) -> dict[str, IssueView]:
        docs = await self.issues.find({"_id": {"$in": ids}}).to_list()
        return {d["_id"]: read_issue(d) for d in docs}

    async def page(self, selection: IssueSelection, first: int, after: str | None
                   ) -> tuple[list[IssueView], bool]:
        """Newest first; issue ids sort by creation time. Returns (page, has_next)."""
        query = selection.query()
        if not query:  # unfiltered: no index narrows it but the ids' own time
            docs = await self._newest(first + 1, after)
        else:
            if after is not None:
                query["_id"] = {"$lt": after}
            docs = await self.issues.find(query).sort("_id", -1).limit(first + 1).to_list()
        return [read_issue(d) for d in docs[:first]], len(docs) > first

    async def _newest(self, wanted: int, before: str | None) -> list[dict[str, Any]]:
        """The newest `wanted` issues raised before the cursor, day by day backwards from
        it through the (raised_day, _id) index: sorting the whole collection by id visits
        every issue on some servers (SecantusDB); a day is an equality they serve from the
        index. Past the last batch of days, whatever is older."""
        upper = before or _id_at(datetime.now(timezone.utc) + timedelta(days=1))
        newest = _day_of(upper)
        found: list[dict[str, Any]] = []
        for size in NEWEST_DAYS:
            days = [(newest - timedelta(days=n)).isoformat() for n in range(size)]
            found += await self.issues.find(
                {"raised_day": {"$in": days}, "_id": {"$lt": upper}}
            ).sort("_id", -1).limit(wanted - len(found)).to_list()
            if len(found) >= wanted:
                return found
            newest -= timedelta(days=size)
            # Older days hold only ids made before the first moment of this batch's oldest.
            oldest = newest + timedelta(days=1)
            upper = min(upper, _id_at(datetime(oldest.year, oldest.month, oldest.day,
                                               tzinfo=timezone.utc)))
        found += await self.issues.find({"_id": {"$lt": upper}}).sort("_id", -1).limit(
            wanted - len(found)).to_list()
        return found

    async def count(self, selection: IssueSelection) -> int:
        query = selection.query()
        if not query:  # all issues: the collection's own count, not a visit of each
            return await self.issues.estimated_document_count()
        return await self.issues.count_documents(query)

    async def timelines(self, issue_ids: list[str]) -> dict[str, list[IssueEventView]]:
        docs = await self.events.find({"issue_id": {"$in": issue_ids}}).sort(
            [("issue_id", 1), ("seq", 1)]
        ).to_list()
        grouped: dict[str, list[IssueEventView]] = {i: [] for i in issue_ids}
        for doc in docs:
            grouped[doc["issue_id"]].append(read_issue_event(doc))
        return grouped

    async def decided_between(self, start: datetime | None, end: datetime | None,
                              council: str | None = None) -> list[IssueView]:
        """Issues decided in [start, end), in the order they were decided; of one council
        or of all."""
        query: dict[str, Any] = {"decision": {"$ne": None}}
        if council is not None:
            query["council_id"] = council
        window = period(start, end)
        if window:
            query["decision.decided_at"] = window
        docs = await self.issues.find(query).sort("decision.decided_at", 1).to_list()
        return [read_issue(d) for d in docs]

    async def open_by_phase(self) -> list[PhaseCount]:
        """Issues not yet closed, counted by phase and whether they are overdue."""
        cursor = await self.issues.aggregate([
            {"$match": {"phase": {"$nin": [p.value for p in CLOSED_PHASES]}}},
            {"$group": {"_id": {"phase": "$phase", "overdue": "$overdue"}, "n": {"$sum": 1}}},
        ])
        return [PhaseCount(Phase(row["_id"]["phase"]), bool(row["_id"].get("overdue")),
                           row["n"]) for row in await cursor.to_list()]

