"""Domain dataclasses as MongoDB documents: enums by value, times as BSON dates."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from services.domain.types import CycleState, IssueEvent

T = TypeVar("T")


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


def issue_document(state: CycleState, updated_at: datetime) -> dict[str, Any]:
    doc = plain(state)
    doc["_id"] = doc.pop("issue_id")
    doc["last_seq"] = doc.pop("seq")
    doc["updated_at"] = updated_at
    # Internal workflow bookkeeping, not part of the projection.
    del doc["epoch"], doc["timer_at"], doc["reminder_at"], doc["requests"]
    return doc


def from_plain(cls: type[T], value: Any) -> T:
    """The inverse of plain(): builds dataclasses and enums back from their type hints."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None  # type: ignore[return-value]
        (inner,) = [a for a in typing.get_args(cls) if a is not type(None)]
        return from_plain(inner, value)
    if origin is list:
        (item,) = typing.get_args(cls)
        return [from_plain(item, v) for v in value]  # type: ignore[return-value]
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        return cls(**{  # type: ignore[return-value]
            f.name: from_plain(hints[f.name], value[f.name])
            for f in dataclasses.fields(cls) if f.name in value
        })
    if isinstance(cls, type) and issubclass(cls, Enum):
        return cls(value)
    return value


def state_from_document(doc: dict[str, Any]) -> CycleState:
    """The workflow state a projection mirrors, for explaining rules in the API."""
    fields = {**doc, "issue_id": doc["_id"], "seq": doc["last_seq"]}
    return from_plain(CycleState, fields)
