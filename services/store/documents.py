"""The MongoDB documents, written only by the workflows' activities: domain dataclasses
with enums by value and times as BSON dates."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from bson import ObjectId
from bson.errors import InvalidId

from services.domain.awaiting import waiting_keys
from services.domain.record import IssueChange
from services.domain.types import CycleState, IssueEvent


def plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def event_id(issue_id: str, seq: int) -> str:
    # The natural key as _id: a retried write of the same event is the same document.
    return f"{issue_id}:{seq:07d}"


def event_document(event: IssueEvent) -> dict[str, Any]:
    doc = plain(event)
    doc["_id"] = event_id(event.issue_id, event.seq)
    if doc["request"] is None:
        del doc["request"]
    return doc


def id_time(issue_id: str) -> datetime | None:
    """When an issue's id was made (UTC): ids are ObjectIds; None for any other id."""
    try:
        return ObjectId(issue_id).generation_time
    except (InvalidId, TypeError):
        return None


def raised_day(issue_id: str, raised_at: datetime) -> str:
    """The day (UTC) an issue's id was made in: the lists' index walks days, since some
    servers sort a whole collection to page through it by id. Any id not an ObjectId falls
    back to when the issue was raised."""
    moment = id_time(issue_id) or raised_at
    return moment.astimezone(timezone.utc).date().isoformat()


def issue_document(state: CycleState, updated_at: datetime) -> dict[str, Any]:
    """The whole record, as written when the issue is raised (or repaired)."""
    doc = plain(state)
    doc["_id"] = doc.pop("issue_id")
    doc["raised_day"] = raised_day(state.issue_id, state.raised_at)
    doc["last_seq"] = doc.pop("seq")
    doc["updated_at"] = updated_at
    doc["waiting"] = waiting_keys(state)
    # Internal workflow bookkeeping, not part of the projection.
    del doc["epoch"], doc["timer_at"], doc["reminder_at"], doc["requests"]
    # The council by reference: its version's text lives in the councils collection.
    council = doc.pop("council")
    if council is not None:
        doc.update(council_id=council["id"], council_version=council["version"],
                   council_hash=council["hash"])
    return doc


def change_document(change: IssueChange, updated_at: datetime) -> dict[str, Any]:
    """The MongoDB update that takes a record from `change.after_seq` to `change.seq`."""
    fields = plain(change.status)
    fields.update(last_seq=change.seq, updated_at=updated_at)
    for name in ("proposal", "votes", "members", "advisory_seats", "recusals"):
        value = getattr(change, name)
        if value is not None:
            fields[name] = plain(value)
    update: dict[str, Any] = {"$set": fields}
    added = {name: {"$each": plain(getattr(change, name))}
             for name in ("advice", "contributions") if getattr(change, name)}
    if added:
        update["$push"] = added
    return update


def period(start: datetime | None, end: datetime | None) -> dict[str, datetime]:
    """[start, end) as a query on a date field; either end open."""
    window = {}
    if start:
        window["$gte"] = start
    if end:
        window["$lt"] = end
    return window
