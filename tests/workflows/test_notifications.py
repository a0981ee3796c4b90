"""Notifications reach webhooks through the outbox: signed with HMAC-SHA256, retried after
failures, and accepted exactly once per notification id."""

from __future__ import annotations

import hmac
import uuid
from collections import Counter
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from temporalio.client import Client, WorkflowExecutionStatus

from services.domain.commands import DecideInput
from services.domain.types import DecisionOutcome
from services.store.database import Store
from services.workflows.client import CycleClient
from services.workflows.notification.activities import Webhooks, signature
from services.workflows.worker import build_worker
from tests.helpers import eventually, raise_input, serving

SECRET = "webhook-secret-for-tests"
FAILURES_FIRST = 2


class Receiver:
    """A webhook that answers 500 to the first tries of every notification."""

    def __init__(self) -> None:
        self.tries: Counter[str] = Counter()
        self.accepted: list[dict] = []
        self.bad_signatures = 0
        self.down = False  # answers 500 to everything while set

    def app(self) -> Starlette:
        async def hook(request: Request):
            body = await request.body()
            expected = signature(SECRET, request.headers["X-Stelsel-Timestamp"], body)
            if not hmac.compare_digest(expected, request.headers["X-Stelsel-Signature"]):
                self.bad_signatures += 1
                return JSONResponse({"error": "bad signature"}, 401)
            notification_id = request.headers["X-Stelsel-Notification-Id"]
            self.tries[notification_id] += 1
            if self.down or self.tries[notification_id] <= FAILURES_FIRST:
                return JSONResponse({"error": "down"}, 500)
            self.accepted.append(await request.json())
            return JSONResponse({"ok": True})

        return Starlette(routes=[Route("/hook", hook, methods=["POST"])])


@asynccontextmanager
async def overdue_issue(temporal_client: Client, store: Store, url: str, **webhook_options):
    """A worker delivering to `url`, and an issue whose one-second windows run it into an
    overdue mandate (notices and reminders to deliver)."""
    task_queue = f"notify-{uuid.uuid4().hex[:8]}"
    webhooks = Webhooks([f"{url}/hook"], SECRET, **webhook_options)
    async with build_worker(temporal_client, store, task_queue, webhooks):
        cycles = CycleClient(temporal_client, task_queue)
        rijk = await store.register.actor("cio-rijk")
        command = raise_input(rijk, windows=1)
        await cycles.raise_issue(command)
        await eventually(lambda: store.issues.get(command.issue_id), lambda d: d.overdue)
        yield cycles, rijk, command.issue_id


async def test_overdue_and_decision_notifications_are_delivered_once_after_retries(
    temporal_client: Client, store: Store
):
    receiver = Receiver()
    async with serving(receiver.app()) as url, overdue_issue(
            temporal_client, store, url) as (cycles, rijk, issue_id):
        await cycles.change(issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Nodig"))
        subject = f"issue:{issue_id}"

        async def kinds() -> list[str]:
            return sorted(n["kind"] for n in receiver.accepted if n["subject"] == subject)

        assert await eventually(kinds, lambda k: len(k) == 3, timeout=30) == [
            "DECIDED", "MANDATE_OVERDUE", "REMINDER_SENT"]
    ids = [n["id"] for n in receiver.accepted if n["subject"] == subject]
    assert len(ids) == len(set(ids)), "a notification was accepted twice"
    assert all(receiver.tries[i] == FAILURES_FIRST + 1 for i in ids)
    assert receiver.bad_signatures == 0
    stored = await store.outbox.get(ids[0])
    assert stored.delivered_to == [f"{url}/hook"]


async def test_a_webhook_down_past_the_horizon_leaves_a_dead_letter_an_operator_resends(
    temporal_client: Client, store: Store
):
    down = Receiver()
    down.down = True
    async with serving(down.app()) as url, overdue_issue(
            temporal_client, store, url,
            give_up_after=timedelta(seconds=2)) as (cycles, _, issue_id):
        subject = f"issue:{issue_id}"

        async def dead() -> list:
            return [d for d in await store.outbox.dead_letters() if d.subject == subject]

        letters = await eventually(dead, lambda d: len(d) == 2, timeout=30)
        assert {d.kind for d in letters} == {"MANDATE_OVERDUE", "REMINDER_SENT"}
        assert all("HTTP 500" in d.last_error for d in letters)
        for letter in letters:  # delivery has stopped: its workflow completes
            # (the activity writes the dead letter, then the workflow ends: moments apart)
            handle = temporal_client.get_workflow_handle(f"notify-{letter.id}")
            await eventually(lambda h=handle: h.describe(),
                             lambda d: d.status == WorkflowExecutionStatus.COMPLETED,
                             timeout=10)
        assert down.accepted == []

        down.down = False  # the receiver is back; the operator retries
        for letter in letters:
            await store.outbox.revive(letter.id, datetime.now(timezone.utc))
            await cycles.redeliver(letter.id)
        accepted = await eventually(
            lambda: _accepted(down, subject), lambda a: len(a) == 2, timeout=30)
        assert sorted(accepted) == sorted(d.id for d in letters)
        assert await dead() == []


async def _accepted(receiver: Receiver, subject: str) -> list[str]:
    return [n["id"] for n in receiver.accepted if n["subject"] == subject]
