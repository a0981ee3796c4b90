"""The MongoDB connection and its indexes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.change_stream import AsyncChangeStream
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from services.councils.definitions import LEGACY_COUNCIL, preset
from services.councils.definitions import presets as all_presets
from services.domain.appointments import check_define
from services.domain.awaiting import waiting_keys
from services.domain.errors import Rejection, RejectionCode
from services.domain.procedure import CouncilDefinition
from services.domain.types import Actor
from services.store.councils import BEGINNING, CouncilRepository, VersionConflict
from services.store.frameworks import FrameworkRepository
from services.store.issues import KEYED_RAISE_HORIZON, IssueRepository
from services.store.outbox import OutboxRepository
from services.store.register import (
    KEYED_CHANGE_HORIZON,
    REGISTER_EVENTS,
    RegisterRepository,
)
from services.store.scheduled import ScheduledChanges
from services.store.units import UnitRepository
from services.store.views import (
    CouncilVersionView,
    FrameworkEventView,
    IssueEventView,
    RegisterEventView,
    read_framework_event,
    read_issue_event,
    read_register_event,
)

ISSUE_EVENTS, FRAMEWORK_EVENTS = "events", "framework_events"
# Timeline collections and the field that names their owner.
TIMELINES = {ISSUE_EVENTS: "issue_id", FRAMEWORK_EVENTS: "framework_id"}
# What the change stream follows: the timelines and the register's changes.
WATCHED = (*TIMELINES, REGISTER_EVENTS)
_READERS = {ISSUE_EVENTS: read_issue_event, FRAMEWORK_EVENTS: read_framework_event,
            REGISTER_EVENTS: read_register_event}


class StreamInterrupted(Exception):
    """The change stream broke off (the server went away, a failover)."""


@dataclass
class StoredEvent:
    """A new event of a timeline, as the change stream tells of it."""

    timeline: str  # ISSUE_EVENTS, FRAMEWORK_EVENTS or REGISTER_EVENTS
    owner: str | None  # the issue or framework it belongs to; None for the register
    event: IssueEventView | FrameworkEventView | RegisterEventView
    resume_token: Any

INDEXES: dict[str, list[IndexModel]] = {
    "events": [
        IndexModel([("issue_id", ASCENDING), ("seq", ASCENDING)], unique=True),
        # Only events of keyed requests carry one (services.domain.idempotency).
        IndexModel([("request", ASCENDING)], sparse=True),
    ],
    "issues": [
        # The unfiltered newest-first list walks months (store.issues.IssueRepository._newest).
        IndexModel([("raised_day", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("phase", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("ministry", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("scope", ASCENDING), ("_id", DESCENDING)]),
        IndexModel([("council_id", ASCENDING), ("_id", DESCENDING)]),
        # "What waits on me": one entry per seat the issue waits on (services.domain.seats).
        IndexModel([("waiting", ASCENDING), ("_id", DESCENDING)]),
    ],
    "appointments": [
        IndexModel([("person_id", ASCENDING), ("active", ASCENDING)]),
        IndexModel([("ministry", ASCENDING), ("role", ASCENDING), ("active", ASCENDING)]),
        # A seat has one holder: the transaction in store.register ends the previous one,
        # and this index refuses a second active appointment whatever the server.
        IndexModel([("council", ASCENDING), ("role", ASCENDING), ("ministry", ASCENDING)],
                   unique=True, partialFilterExpression={"active": True},
                   name="one_holder_per_council_seat"),
    ],
    "register_changes": [IndexModel([("applied_at", ASCENDING), ("at", ASCENDING)])],
    # One deputy named per seat at a time (store.register.name_deputy ends the one before).
    "deputies": [
        IndexModel([("person_id", ASCENDING)]),
        IndexModel([("council", ASCENDING), ("role", ASCENDING), ("ministry", ASCENDING)],
                   unique=True, partialFilterExpression={"active": True},
                   name="one_deputy_per_council_seat"),
    ],
    # A keyed raise is answered as the first try for KEYED_RAISE_HORIZON, then forgotten.
    "keyed_raises": [IndexModel([("at", ASCENDING)], expireAfterSeconds=KEYED_RAISE_HORIZON)],
    # A keyed change of a seat likewise (store.register._in_transaction).
    "keyed_register": [IndexModel([("at", ASCENDING)],
                                  expireAfterSeconds=KEYED_CHANGE_HORIZON)],
    "ministries": [IndexModel([("valid_from", ASCENDING)])],
    "frameworks": [IndexModel([("withdrawn", ASCENDING), ("decided_at", DESCENDING)])],
    "framework_events": [
        IndexModel([("framework_id", ASCENDING), ("seq", ASCENDING)], unique=True)
    ],
}


class Store:
    """One database, two repositories: the register and the issues."""

    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.client = client
        self.db: AsyncDatabase = client[database]
        self.register = RegisterRepository(self.db)
        self.units = UnitRepository(self.register)
        self.scheduled = ScheduledChanges(self.register, self.db)
        self.councils = CouncilRepository(self.db)
        self.issues = IssueRepository(self.db)
        self.frameworks = FrameworkRepository(self.db)
        self.outbox = OutboxRepository(self.db)

    @classmethod
    def connect(cls, uri: str, database: str, traced: bool = False, **client_options) -> Store:
        if traced:
            from services.tracing import MongoSpans

            client_options["event_listeners"] = [
                *client_options.get("event_listeners", []), MongoSpans()]
        client = AsyncMongoClient(
            uri, tz_aware=True, tzinfo=timezone.utc, appname="stelsel", **client_options
        )
        return cls(client, database)

    async def ensure_indexes(self, presets: tuple[str, ...] | None = None) -> None:
        """Indexes, the councils a deployment starts with, and the data older versions
        wrote brought up to date."""
        appointments = self.db["appointments"]
        if "one_holder_per_seat" in await appointments.index_information():
            await appointments.drop_index("one_holder_per_seat")  # before councils: per role
        await self.register.place_in_council(LEGACY_COUNCIL)
        for collection, indexes in INDEXES.items():
            await self.db[collection].create_indexes(indexes)
        await self.issues.backfill(LEGACY_COUNCIL)
        for council in (tuple(all_presets()) if presets is None else presets):
            await self.publish_council(preset(council), BEGINNING, "preset", exists_ok=True)
        await self.backfill_waiting()

    async def backfill_waiting(self) -> int:
        """Open records from before lists could ask what waits on a seat get their
        `waiting` (unless a change has been recorded meanwhile: that one wrote it)."""
        views = await self.issues.without_waiting()
        found = []
        for view in views:  # the councils' versions are cached: no read per issue
            council = await self.councils.of_issue(view.council_id, view.council_version)
            found.append((view.id, view.last_seq, waiting_keys(view.cycle_state(council.rules))))
        await self.issues.set_waiting(found)
        return len(views)

    async def define_council(self, actor: Actor, definition: CouncilDefinition,
                             default_council: str, now: datetime) -> CouncilVersionView:
        """A version published by hand (the API's defineCouncil, `stelsel council publish`):
        by the council's secretariat, or for a new council the default council's; its own
        units must not name another unit."""
        current = await self.councils.in_force(definition.id, now)
        default = await self.councils.in_force(default_council, now)
        if default is None:
            raise Rejection(RejectionCode.NOT_FOUND, f"the default council {default_council} "
                            "is not published")
        role = check_define(actor, current and current.rules, default.rules)
        taken = await self.register.unit_codes_elsewhere(
            definition.id, [u.code for u in definition.units or []])
        if taken:
            raise Rejection(RejectionCode.INVALID_INPUT,
                            f"units: {', '.join(taken)} already name another unit")
        return await self.publish_council(definition, now, f"published by {actor.name}",
                                          by=(actor.person_id, role))

    async def publish_council(self, definition: CouncilDefinition, in_force_from: datetime,
                              source: str, exists_ok: bool = False,
                              by: tuple[str, str] | None = None) -> CouncilVersionView:
        """A version of a council's definition, and its own units in the register; `by`
        (person, role), when someone published it, goes on the register's timeline."""
        try:
            published, new = await self.councils.publish(definition, in_force_from, source)
        except VersionConflict as conflict:
            if not exists_ok:
                raise Rejection(RejectionCode.DUPLICATE, str(conflict)) from None
            # A preset changed under a published version keeps what was published.
            found = await self.councils.all_versions(definition.id)
            published, new = next(v for v in found if v.version == definition.version), False
        await self.register.add_units(definition, in_force_from)
        if new and by is not None:  # a retry is told once
            await self.register.published(definition.id, in_force_from, *by)
        return published

    async def event_stream(self, resume_after: Any = None) -> AsyncChangeStream:
        """One change stream of every new issue, framework and register event; each
        change's `_id` is its resume token, `ns.coll` says which timeline it belongs to."""
        pipeline = [{"$match": {"operationType": "insert",
                                "ns.coll": {"$in": list(WATCHED)}}}]
        return await self.db.watch(pipeline, resume_after=resume_after)

    @asynccontextmanager
    async def new_events(self, resume_after: Any = None
                         ) -> AsyncIterator[AsyncIterator[StoredEvent]]:
        """Every new event, typed, from the moment the stream opens (or `resume_after`).
        A lost connection raises StreamInterrupted: open it again after the last event."""
        try:
            async with await self.event_stream(resume_after) as stream:
                yield (_stored_event(change) async for change in stream)
        except PyMongoError as err:
            raise StreamInterrupted(str(err)) from err

    async def ping(self) -> None:
        await self.client.admin.command("ping")

    def reachable(self) -> bool:
        """Whether the driver's own monitoring still sees a server it can read from."""
        return self.client.topology_description.has_readable_server()

    async def close(self, timeout: float = 5.0) -> None:
        # With the server gone, close() would wait out server selection to kill cursors.
        try:
            await asyncio.wait_for(self.client.close(), timeout)
        except TimeoutError:
            pass


def _stored_event(change: dict[str, Any]) -> StoredEvent:
    timeline, doc = change["ns"]["coll"], change["fullDocument"]
    owner = TIMELINES.get(timeline)
    return StoredEvent(timeline, doc[owner] if owner else None, _READERS[timeline](doc),
                       change["_id"])
