"""Which timeline events go out as notifications (to webhooks, through an outbox)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.domain.frameworks import FrameworkEvent, FrameworkEventKind
from services.domain.types import EventKind, IssueEvent

ISSUE_KINDS = {EventKind.REMINDER_SENT, EventKind.MANDATE_OVERDUE,
               EventKind.DECISION_OVERDUE, EventKind.DECIDED}
FRAMEWORK_KINDS = {FrameworkEventKind.ADOPTION_OVERDUE, FrameworkEventKind.REMINDER_SENT}


@dataclass
class Notification:
    id: str  # the event's natural key: one notification per event, ever
    kind: str
    subject: str  # "issue:<id>" or "framework:<id>"
    seq: int
    at: datetime
    summary: str


@dataclass
class DeliverNotificationInput:
    notification_id: str


def issue_notifications(events: list[IssueEvent]) -> list[Notification]:
    return [Notification(f"issue:{e.issue_id}:{e.seq}", e.kind.value, f"issue:{e.issue_id}",
                         e.seq, e.at, e.summary)
            for e in events if e.kind in ISSUE_KINDS]


def framework_notifications(events: list[FrameworkEvent]) -> list[Notification]:
    return [Notification(f"framework:{e.framework_id}:{e.seq}", e.kind.value,
                         f"framework:{e.framework_id}", e.seq, e.at, e.summary)
            for e in events if e.kind in FRAMEWORK_KINDS]
