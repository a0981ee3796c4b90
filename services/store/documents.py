"""Domain dataclasses as MongoDB documents: enums by value, times as BSON dates."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any

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
    return doc


def issue_document(state: CycleState, updated_at: datetime) -> dict[str, Any]:
    doc = plain(state)
    doc["_id"] = doc.pop("issue_id")
    doc["last_seq"] = doc.pop("seq")
    doc["updated_at"] = updated_at
    # Internal workflow bookkeeping, not part of the projection.
    del doc["epoch"], doc["timer_at"]
    return doc
