"""Writing a workflow's projection and its new events, idempotently, in that order."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000


async def record(
    projections: AsyncCollection, events: AsyncCollection, projection: dict[str, Any],
    new_events: list[dict[str, Any]],
) -> None:
    """The projection first, so whoever hears of an event reads a state at least as new; it
    only moves forward (`last_seq`). Events have their natural key as `_id`, so a retried
    write changes nothing the first try already wrote."""
    try:
        await projections.update_one(
            {"_id": projection["_id"], "last_seq": {"$lt": projection["last_seq"]}},
            {"$set": projection},
            upsert=True,
        )
    except DuplicateKeyError:
        pass  # a projection at this seq or later is already stored
    if new_events:
        try:
            await events.insert_many(new_events, ordered=False)
        except BulkWriteError as err:
            if any(e["code"] != DUPLICATE_KEY for e in err.details["writeErrors"]):
                raise
