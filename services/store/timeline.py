"""Writing a workflow's projection and its new events, idempotently, in that order."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import bson
from bson.errors import BSONError
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import (
    BulkWriteError,
    DocumentTooLarge,
    DuplicateKeyError,
    OperationFailure,
)

DUPLICATE_KEY = 11000
# Server refusals no retry mends: BSONObjectTooLarge and its variants after an update.
FINAL_CODES = frozenset({10334, 17419, 17420})
# MongoDB's limit on one document, less room for the update command around it.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64 * 1024


class Unstorable(ValueError):
    """A document MongoDB can never take (text it cannot encode, too large): trying again
    will not help, so the change that made it must fail instead."""


def require_storable(documents: list[dict[str, Any]]) -> None:
    """Encodes every document before anything is written, so a change is stored whole or
    not at all."""
    for document in documents:
        try:
            size = len(bson.encode(document))
        except (BSONError, UnicodeError, OverflowError, TypeError, ValueError) as err:
            raise Unstorable(f"{document.get('_id')}: {type(err).__name__}: {err}") from None
        if size > MAX_DOCUMENT_BYTES:
            raise Unstorable(f"{document.get('_id')}: {size} bytes is more than MongoDB takes")


async def record(
    projections: AsyncCollection, events: AsyncCollection, projection: dict[str, Any],
    new_events: list[dict[str, Any]],
) -> None:
    """The projection first, so whoever hears of an event reads a state at least as new; it
    only moves forward (`last_seq`). Events have their natural key as `_id`, so a retried
    write changes nothing the first try already wrote."""
    require_storable([projection, *new_events])
    try:
        with _final_refusals():
            await projections.update_one(
                {"_id": projection["_id"], "last_seq": {"$lt": projection["last_seq"]}},
                {"$set": projection},
                upsert=True,
            )
    except DuplicateKeyError:
        pass  # a projection at this seq or later is already stored
    await _insert(events, new_events)


async def apply(
    projections: AsyncCollection, events: AsyncCollection, owner: str, after_seq: int,
    seq: int, update: dict[str, Any], new_events: list[dict[str, Any]],
) -> bool:
    """A change to the projection at `after_seq` that takes it to `seq`, then its events.
    A retry finds the projection at `seq` and writes only what is missing. False, with
    nothing written, when the projection is neither: it must be written whole."""
    require_storable([update, *new_events])
    with _final_refusals():
        result = await projections.update_one({"_id": owner, "last_seq": after_seq}, update)
    if result.matched_count == 0:
        stored = await projections.find_one({"_id": owner}, {"last_seq": 1})
        if stored is None or stored["last_seq"] < seq:
            return False
    await _insert(events, new_events)
    return True


@contextmanager
def _final_refusals() -> Iterator[None]:
    try:
        yield
    except DocumentTooLarge as err:
        raise Unstorable(str(err)) from None
    except OperationFailure as err:
        if err.code in FINAL_CODES:
            raise Unstorable(str(err)) from None
        raise


async def _insert(events: AsyncCollection, new_events: list[dict[str, Any]]) -> None:
    if new_events:
        try:
            await events.insert_many(new_events, ordered=False)
        except BulkWriteError as err:
            if any(e["code"] != DUPLICATE_KEY for e in err.details["writeErrors"]):
                raise
